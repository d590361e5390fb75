package dev.kanmon.submission.dnsbl;

import io.vertx.core.Future;

/**
 * Screens a connecting client address against the DNSBL/DNSWL policy of the dnsbl-service. Implementations
 * fail open: when the dnsbl-service cannot answer in time the future succeeds with
 * {@link ScreenVerdict#PASS_UNCHECKED} (and the miss is counted), it never fails.
 */
public interface ClientScreen {

    Future<ScreenVerdict> screen(String clientIp);
}
