package dev.kanmon.auth.api;

import java.util.List;

/**
 * Request bodies of {@code /internal/v1/authenticate/*}. {@code dnsblListings} is what the DNSBL said of the client
 * address at this AUTH, only passed on to the abuse signals (docs/abuse.md): absent when the caller did not check it
 * (or is older), empty when the address is not listed, else the {@code zone: reason} listings that flagged or blocked
 * it.
 */
final class Requests {

    private Requests() {
    }

    /**
     * Asks that a successful check also open the user's quota session (docs/throttling.md), as
     * {@code POST /internal/v1/quota/sessions} would: one exchange per AUTH instead of two.
     *
     * @param escrow whether the session gets its first escrow block
     */
    record Admission(boolean escrow) {
    }

    /** PLAIN/LOGIN (the architecture contract). */
    record Password(String username, String password, String authzid, String clientIp, String mechanism,
            Admission session, List<String> dnsblListings) {
    }

    /** CRAM-MD5: the challenge the server sent and the client's hex digest. */
    record CramMd5(String username, String challenge, String digest, String clientIp, Admission session,
            List<String> dnsblListings) {
    }

    /** SCRAM-SHA-256 step 1. */
    record ScramParameters(String username, String clientIp) {
    }

    /** SCRAM-SHA-256 step 2: AuthMessage as RFC 5802 defines it, ClientProof in base64. */
    record ScramProof(String username, String authMessage, String clientProof, String clientIp, Admission session,
            List<String> dnsblListings) {
    }

    /** OAUTHBEARER/XOAUTH2: the bearer token and the user name the client claimed (may be null). */
    record Token(String token, String username, String clientIp, String mechanism, Admission session,
            List<String> dnsblListings) {
    }
}
