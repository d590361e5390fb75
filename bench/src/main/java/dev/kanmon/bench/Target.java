package dev.kanmon.bench;

/**
 * Where the load goes. The server name is sent as SNI and checked when a CA file is trusted; a
 * reply that takes longer than {@code replyTimeoutMs} fails its session.
 */
record Target(String host, int port, TlsMode tls, String serverName, long replyTimeoutMs) {
}
