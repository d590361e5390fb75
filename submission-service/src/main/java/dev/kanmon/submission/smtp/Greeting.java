package dev.kanmon.submission.smtp;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.dnsbl.ScreenVerdict;
import dev.kanmon.submission.smtp.io.Transport;
import dev.kanmon.submission.smtp.policy.AuthenticatedScreen;
import org.jboss.logging.Logger;

/**
 * What a new connection hears first: nothing at all from an untrusted PROXY-protocol peer, {@code 421 4.3.2} while the
 * server drains, the DNSBL's refusal for a listed client on port 25 (screened before the greeting, so it never gets
 * to say anything), else {@code 220}.
 */
final class Greeting {

    private static final Logger LOG = Logger.getLogger(Greeting.class);

    private Greeting() {
    }

    /** The first outcome of a session, or null when the connection is to be dropped unheard. */
    static Outcome first(SmtpEnvironment env, ListenerKind listener, Transport transport, boolean draining,
            String sessionId) {
        String clientIp = transport.clientIp();
        if (env.proxyPolicy().proxied(listener)) {
            String peer = transport.peerIp();
            if (!env.proxyPolicy().trustedProxy(peer)) {
                // An untrusted peer could claim any client address (an allow-listed one, say).
                LOG.warnf("listener=%s PROXY header from untrusted peer %s (claimed client %s): closed", listener.id(),
                        peer, clientIp);
                env.metrics().proxyRejected(listener);
                return null;
            }
            LOG.debugf("listener=%s client=%s via proxy %s", listener.id(), clientIp, peer);
        }
        Outcome greeting = Outcome.reply(SmtpReply.of(220, env.hostname() + " ESMTP Kanmon"));
        if (draining) {
            return new Outcome.Close(shuttingDown(env));
        }
        if (listener != ListenerKind.SMTP || !env.screenAtConnect() || env.relayPolicy().trusted(clientIp)) {
            return greeting;
        }
        return new Outcome.Suspend(env.screen().screen(clientIp).map(v -> {
            if (v.verdict() != ScreenVerdict.Verdict.BLOCK) {
                return greeting;
            }
            env.metrics().dnsbl(listener, "connect", "blocked");
            LOG.infof("session=%s client=%s blocked by DNSBL %s", sessionId, clientIp, v.listings());
            return new Outcome.Close(v.reply() != null ? v.reply() : AuthenticatedScreen.BLOCKED);
        }).otherwise(greeting));
    }

    static SmtpReply shuttingDown(SmtpEnvironment env) {
        return SmtpReply.of(421, EnhancedCode.SYSTEM_NOT_ACCEPTING, env.hostname() + " Service shutting down");
    }
}
