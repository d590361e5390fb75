package dev.kanmon.auth.quota;

/** Aborts the consume transaction so that no window is charged when any one of them is full. */
final class QuotaExceeded extends RuntimeException {

    final transient QuotaDecision decision;

    QuotaExceeded(QuotaDecision decision) {
        super(decision.limit(), null, false, false);
        this.decision = decision;
    }
}
