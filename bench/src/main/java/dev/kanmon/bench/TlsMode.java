package dev.kanmon.bench;

/** STARTTLS on a submission port (587), implicit TLS (465), or plaintext (only for tool checks). */
enum TlsMode { STARTTLS, IMPLICIT, NONE }
