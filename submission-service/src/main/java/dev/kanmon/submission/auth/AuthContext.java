package dev.kanmon.submission.auth;

import io.vertx.core.Future;
import java.util.List;

/**
 * What a mechanism may know about the session it authenticates.
 *
 * @param clientIp   the client's address (after PROXY protocol), for per-IP failure counting and bans
 * @param serverName this relay's host name, used in challenges such as CRAM-MD5's msg-id
 * @param tls        whether the session is under TLS
 * @param dnsbl      the DNSBL's say on the client address, asked when the AUTH began and passed with the credential
 *                   check for the abuse signals ({@code AuthenticatedScreen#listings}); never fails, its value is null
 *                   when not checked
 */
public record AuthContext(String clientIp, String serverName, boolean tls, Future<List<String>> dnsbl) {
}
