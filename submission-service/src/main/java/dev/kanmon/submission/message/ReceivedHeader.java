package dev.kanmon.submission.message;

import java.nio.charset.StandardCharsets;

/**
 * The {@code Received:} trace field (RFC 5321 §4.4) in Postfix's layout, with the RFC 3848 / RFC 6531
 * protocol keyword that tells whether TLS and AUTH were used.
 */
final class ReceivedHeader {

    private ReceivedHeader() {
    }

    static byte[] of(Submission s, String queueId, String hostname, ReceivedAuth auth) {
        StringBuilder h = new StringBuilder(256);
        String literal = '[' + (s.clientIp().indexOf(':') >= 0 ? "IPv6:" : "") + s.clientIp() + ']';
        String helo = s.heloName() == null || s.heloName().isBlank() ? literal : clean(s.heloName(), "()\\", false);
        String host = s.clientHost() == null ? "unknown" : clean(s.clientHost(), "()\\[]", false);
        h.append("Received: from ").append(helo).append(" (").append(host).append(' ').append(literal).append(')');
        if (s.tlsProtocol() != null) {
            h.append("\r\n\t(using ").append(clean(s.tlsProtocol(), "()\\", false));
            if (s.tlsCipher() != null) {
                h.append(" with cipher ").append(clean(s.tlsCipher(), "()\\", false));
            }
            h.append(')');
        }
        if (s.user() != null && s.user().byLoginWindow()) {
            // no SMTP AUTH happened: the client address is trusted because its user just logged in at the ISP
            h.append("\r\n\t(login-before-SMTP");
            if (auth == ReceivedAuth.USER) {
                h.append(' ').append(clean(s.user().username(), "()\\", false)).append(" from ").append(s.clientIp());
            }
            h.append(')');
        } else if (s.user() != null && auth == ReceivedAuth.USER) {
            h.append("\r\n\t(Authenticated sender: ").append(clean(s.user().username(), "()\\", false)).append(')');
        }
        h.append("\r\n\tby ").append(hostname).append(" (Kanmon) with ").append(protocol(s)).append(" id ").append(queueId);
        if (s.recipients().size() == 1) {
            h.append("\r\n\tfor <").append(clean(s.recipients().get(0).address(), "<>", s.smtpUtf8())).append(">; ");
        } else {
            h.append(";\r\n\t");
        }
        h.append(MessageFixups.date(s.receivedAt())).append("\r\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 3848 ({@code ESMTPSA} …) or, for SMTPUTF8 transactions, RFC 6531 ({@code UTF8SMTPSA} …). */
    static String protocol(Submission s) {
        if (!s.esmtp()) {
            return "SMTP";
        }
        return (s.smtpUtf8() ? "UTF8SMTP" : "ESMTP") + (s.tlsProtocol() != null ? "S" : "") + (authenticated(s) ? "A" : "");
    }

    /** RFC 3848's "A": SMTP AUTH was used, which a login window is not. */
    private static boolean authenticated(Submission s) {
        return s.user() != null && !s.user().byLoginWindow();
    }

    /**
     * Client-supplied text goes into a header: anything that could end the line or the comment it sits in
     * becomes {@code ?}. Non-ASCII survives only in SMTPUTF8 messages (RFC 6532).
     */
    private static String clean(String text, String forbidden, boolean utf8) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean ok = c > 32 && c != 127 && forbidden.indexOf(c) < 0 && (c < 128 || utf8 && c > 159);
            out.appendCodePoint(ok ? c : '?');
        });
        return out.toString();
    }
}
