package dev.kanmon.bench;

/** Where the load goes. The server name is sent as SNI and checked when a CA file is trusted. */
record Target(String host, int port, TlsMode tls, String serverName) {
}
