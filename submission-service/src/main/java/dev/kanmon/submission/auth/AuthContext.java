package dev.kanmon.submission.auth;

/**
 * What a mechanism may know about the session it authenticates.
 *
 * @param clientIp   the client's address (after PROXY protocol), for per-IP failure counting and bans
 * @param serverName this relay's host name, used in challenges such as CRAM-MD5's msg-id
 * @param tls        whether the session is under TLS
 */
public record AuthContext(String clientIp, String serverName, boolean tls) {
}
