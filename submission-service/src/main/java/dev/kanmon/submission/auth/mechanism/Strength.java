package dev.kanmon.submission.auth.mechanism;

/**
 * Advertisement order (higher first). SCRAM-SHA-256 proves the password without revealing it and the server stores
 * only verifiers; CRAM-MD5 also hides the password on the wire but needs reversible key material on the server;
 * bearer tokens are short-lived but replayable while valid; PLAIN and LOGIN send the reusable secret itself (LOGIN
 * last: non-standard and two round trips). docs/authentication.md has the full reasoning.
 */
final class Strength {

    static final int SCRAM_SHA_256 = 60;
    static final int CRAM_MD5 = 50;
    static final int OAUTHBEARER = 40;
    static final int XOAUTH2 = 35;
    static final int PLAIN = 20;
    static final int LOGIN = 10;

    private Strength() {
    }
}
