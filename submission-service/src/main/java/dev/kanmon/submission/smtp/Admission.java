package dev.kanmon.submission.smtp;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.auth.AuthenticatedUser;
import dev.kanmon.submission.quota.QuotaEscrow;
import dev.kanmon.submission.quota.QuotaVerdict;
import io.vertx.core.Future;
import org.jboss.logging.Logger;

/**
 * Whether a user the credentials (AUTH) or a login window vouched for may use the session: the DNSBL's say on the
 * client ({@link dev.kanmon.submission.smtp.policy.AuthenticatedScreen}), then the quota ledger, which admits the
 * session (suspension, concurrent sessions) and hands out a lease with the session's first escrow block. The
 * auth-service usually did the ledger's part with the credential check ({@link AuthenticatedUser#admission()}); only
 * otherwise is the ledger asked here.
 */
final class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    /** The user now runs the session (with its escrow, null when unthrottled), or the refusal. */
    record Admitted(AuthenticatedUser user, QuotaEscrow escrow, SmtpReply refusal) {
    }

    private final SmtpEnvironment env;
    private final ListenerKind listener;
    private final String sessionId;
    private final String clientIp;

    Admission(SmtpEnvironment env, ListenerKind listener, String sessionId, String clientIp) {
        this.env = env;
        this.listener = listener;
        this.sessionId = sessionId;
        this.clientIp = clientIp;
    }

    Future<Admitted> admit(AuthenticatedUser user) {
        return env.authenticatedScreen().check(clientIp).compose(d -> {
            if (d.refusal() != null) {
                env.metrics().dnsbl(listener, "auth", "blocked");
                LOG.warnf("session=%s client=%s user=%s AUTH refused: DNSBL %s", sessionId, clientIp,
                        user.username(), d.verdict().listings());
                releaseAdmission(user);
                return Future.succeededFuture(new Admitted(null, null, d.refusal()));
            }
            if (d.flagged()) {
                env.metrics().dnsbl(listener, "auth", "flagged");
                LOG.warnf("session=%s client=%s user=%s flagged: DNSBL %s", sessionId, clientIp, user.username(),
                        d.verdict().listings());
            }
            if (env.quota() == null) {
                return Future.succeededFuture(new Admitted(user, null, null));
            }
            Future<QuotaVerdict> admission = user.admission() != null ? Future.succeededFuture(user.admission())
                    : env.quota().openSession(user.username());
            return admission.map(v -> {
                if (!v.allowed()) {
                    LOG.infof("session=%s client=%s user=%s AUTH refused by quota: %s", sessionId, clientIp,
                            user.username(), v.reply());
                    return new Admitted(null, null, v.reply());
                }
                return new Admitted(user, env.quota().escrow(user.username(), v), null);
            });
        });
    }

    /** A session the ledger admitted together with the credential check, refused afterwards: give the lease back. */
    private void releaseAdmission(AuthenticatedUser user) {
        QuotaVerdict admitted = user.admission();
        if (admitted != null && admitted.allowed() && env.quota() != null) {
            env.quota().escrow(user.username(), admitted).close();
        }
    }
}
