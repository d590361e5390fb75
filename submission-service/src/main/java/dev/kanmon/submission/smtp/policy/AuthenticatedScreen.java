package dev.kanmon.submission.smtp.policy;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.config.SubmissionConfig.AuthenticatedAction;
import dev.kanmon.submission.dnsbl.ClientScreen;
import dev.kanmon.submission.dnsbl.ScreenVerdict;
import io.vertx.core.Future;
import java.util.List;

/**
 * DNSBL at AUTH: on 587/465 a listed client with valid credentials hints at stolen ones, so the operator's
 * {@code dnsbl.authenticated-action} decides whether the AUTH stands. A DNSBL that does not answer lets it stand.
 */
public final class AuthenticatedScreen {

    /** Postfix's wording (postscreen/reject_rbl_client). */
    public static final SmtpReply BLOCKED = SmtpReply.of(554, EnhancedCode.DELIVERY_NOT_AUTHORIZED,
            "Service unavailable; client host blocked using DNSBL");

    /** What the screen says of an authenticated client: the refusal, or null to let the AUTH stand. */
    public record Decision(SmtpReply refusal, ScreenVerdict verdict) {

        /** Listed but let through (action FLAG): worth a log line and a metric. */
        public boolean flagged() {
            return refusal == null && verdict != null && verdict.verdict() != ScreenVerdict.Verdict.PASS;
        }
    }

    private static final Decision STANDS = new Decision(null, null);

    private final ClientScreen screen;
    private final AuthenticatedAction action;

    /** {@code screen} may be null (no DNSBL deployed): every AUTH stands. */
    public AuthenticatedScreen(ClientScreen screen, AuthenticatedAction action) {
        this.screen = screen;
        this.action = screen == null ? AuthenticatedAction.IGNORE : action;
    }

    /**
     * What the DNSBL said of the client at AUTH, for the auth-service's login observation and so the abuse signals
     * (docs/abuse.md): null when not checked (no DNSBL, action {@code ignore}, or no answer), empty when the address
     * passed, else the {@code zone: reason} listings that made it flagged or blocked.
     */
    public static List<String> listings(Decision d) {
        ScreenVerdict v = d.verdict();
        if (v == null || v == ScreenVerdict.PASS_UNCHECKED) {
            return null;
        }
        return v.verdict() == ScreenVerdict.Verdict.PASS ? List.of() : v.listings();
    }

    public Future<Decision> check(String clientIp) {
        if (action == AuthenticatedAction.IGNORE) {
            return Future.succeededFuture(STANDS);
        }
        return screen.screen(clientIp).map(v -> v.verdict() == ScreenVerdict.Verdict.BLOCK
                        && action == AuthenticatedAction.BLOCK
                ? new Decision(v.reply() != null ? v.reply() : BLOCKED, v)
                : new Decision(null, v)).otherwise(STANDS);
    }
}
