package dev.kanmon.auth.api;

import dev.kanmon.auth.credential.Decision;
import dev.kanmon.auth.quota.QuotaLedger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The answer to an internal authentication request (a credential check, a login window), with the user's quota
 * session opened on success when the caller asked for it ({@code "session":{"escrow":true}}, docs/throttling.md). A
 * ledger that cannot answer leaves the session out, and the caller asks {@code /internal/v1/quota/sessions} itself,
 * whose failure it already knows how to handle.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    private final QuotaLedger ledger;

    Admission(QuotaLedger ledger) {
        this.ledger = ledger;
    }

    Uni<AuthResponse> answer(Decision d, Requests.Admission asked) {
        AuthResponse response = AuthResponse.of(d);
        if (asked == null || d.outcome() != Decision.Outcome.SUCCESS) {
            return Uni.createFrom().item(response);
        }
        return ledger.openSession(d.identity().username(), asked.escrow())
                .map(response::withSession)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("quota session for %s not opened with the authentication: %s",
                            d.identity().username(), e.toString());
                    return response;
                });
    }
}
