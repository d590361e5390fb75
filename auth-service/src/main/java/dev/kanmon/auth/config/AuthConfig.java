package dev.kanmon.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything the auth-service reads from {@code kanmon.auth.*} (docs/authentication.md has the table). */
@ConfigMapping(prefix = "kanmon.auth")
public interface AuthConfig {

    /** How the auth-service talks to Keycloak. */
    Keycloak keycloak();

    /** The cache of successful credential checks. */
    Cache cache();

    /** Failure counting and temporary bans. */
    BruteForce bruteForce();

    /** SMTP app passwords. */
    AppPasswords appPasswords();

    /** Identity changes from Keycloak (the Kanmon extension's events) and the reconciliation that backs them up. */
    IdentityEvents identity();

    /** Keycloak connection. */
    interface Keycloak {

        /** Base URL of Keycloak (scheme, host, port; no {@code /realms}). */
        @WithDefault("http://keycloak:8080")
        String url();

        /** Realm holding the subscribers. */
        @WithDefault("kanmon")
        String realm();

        /**
         * Confidential client whose service account (client credentials) calls the Kanmon extension's credential
         * check (client role {@code credential-verifier}) and the admin API ({@code view-users}: enabled flag,
         * addresses, the disabled users).
         */
        @WithDefault("smtp-submission")
        String clientId();

        /** Secret of {@link #clientId()}; no default: it comes from the environment / a Kubernetes Secret. */
        String clientSecret();

        /** Deadline of one Keycloak call; past it the check is a TEMPFAIL ({@code 454 4.7.0}). */
        @WithDefault("3s")
        Duration timeout();

        /** TCP connect timeout to Keycloak. */
        @WithDefault("1s")
        Duration connectTimeout();

        /** Keep-alive connections to Keycloak per auth-service instance. */
        @WithDefault("32")
        int maxPoolSize();

        /**
         * Password checks this instance runs in Keycloak at once; the rest wait in line. A check is a password hash,
         * pure CPU in Keycloak, so more in parallel than Keycloak's cores only makes each slower: a burst of cold
         * logins then misses {@link #timeout()} together instead of being served one after another.
         */
        @WithDefault("8")
        int maxConcurrentChecks();

        /**
         * Longest a password check waits in line for one of {@link #maxConcurrentChecks()}; past it the AUTH gets
         * {@code 454 4.7.0}. The submission service's {@code kanmon.submission.auth.timeout} must exceed this plus
         * {@link #timeout()}.
         */
        @WithDefault("10s")
        Duration checkQueueTimeout();
    }

    /** Cache of successful checks. */
    interface Cache {

        /**
         * How long a successful password check is reused without asking Keycloak again. Bounds how long a changed
         * Keycloak password keeps working for a client that already logged in with the old one.
         */
        @WithDefault("60s")
        Duration ttl();

        /** Upper bound of cached successful checks (and of cached user look-ups). */
        @WithDefault("100000")
        long maxSize();

        /**
         * How often each instance asks PostgreSQL which cached app passwords still exist and drops the revoked ones:
         * an app password revoked on another instance stops working within this interval.
         */
        @WithDefault("5s")
        Duration revalidateInterval();
    }

    /**
     * Failure counting and temporary bans, per (client address, login) pair first and per address only on a spread
     * of logins: a subscriber is never locked out from an address that has not failed, and one guessed login does not
     * ban everyone behind a shared (CGNAT) address.
     */
    interface BruteForce {

        /** Whether failures are counted and bans set. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Failed checks for one login from one address within {@link #window()} that ban that pair. The same login
         * from other addresses, and other logins from this address, are not affected.
         */
        @WithDefault("10")
        int pairThreshold();

        /**
         * Distinct logins that failed from one address within {@link #window()} that ban the address for every
         * login: password spraying, and the way round the pair ban (a new login for each guess). Behind a CGNAT
         * address the few subscribers who mistype a password stay well below it.
         */
        @WithDefault("10")
        int addressLoginsThreshold();

        /** Length of the fixed counting window. */
        @WithDefault("10m")
        Duration window();

        /** How long a pair ban lasts. */
        @WithDefault("15m")
        Duration pairBanDuration();

        /** How long an address ban lasts. */
        @WithDefault("15m")
        Duration addressBanDuration();

        /**
         * IPv6 client addresses are counted and banned by their network of this prefix length (128: each address
         * alone). A subscriber's line gets at least a /64, so an attacker rotating addresses inside it is still one
         * address, and no other subscriber shares it.
         */
        @WithDefault("64")
        int ipv6PrefixLength();

        /**
         * How often each instance reloads the active bans from PostgreSQL: a ban set (or lifted) by one instance
         * applies on every other instance within this interval.
         */
        @WithDefault("2s")
        Duration refreshInterval();
    }

    /** SMTP app passwords. */
    interface AppPasswords {

        /** PBKDF2-HMAC-SHA-256 iteration count of new SCRAM verifiers (RFC 7677 minimum 4096). */
        @WithDefault("4096")
        int iterations();

        /** Most app passwords one subscriber may hold. */
        @WithDefault("10")
        int maxPerUser();

        /**
         * Base64 of a 32-byte AES key that encrypts the CRAM-MD5 key material of new app passwords (AES-256-GCM).
         * Without it no CRAM-MD5 material is stored and CRAM-MD5 fails for those app passwords. A secret: set it
         * from the environment ({@code KANMON_AUTH_APP_PASSWORDS_ENCRYPTION_KEY}).
         */
        Optional<String> encryptionKey();
    }

    /** Topic {@code relay.identity.v1} and the reconciliation with Keycloak. */
    interface IdentityEvents {

        /** Kafka bootstrap servers of the identity topic. */
        @WithDefault("kanmon-kafka-bootstrap:9092")
        String bootstrapServers();

        /** Topic the Keycloak extension publishes identity changes to (key: user id, or {@code *} for everyone). */
        @WithDefault("relay.identity.v1")
        String topic();

        /**
         * Period of the reconciliation with Keycloak (one paged admin-API query for the disabled users, also run at
         * start): bounds how long a change whose event was lost (Kafka down, buffer full) can go unnoticed for
         * tokens; cached password checks expire after {@code kanmon.auth.cache.ttl} anyway.
         */
        @WithDefault("10m")
        Duration reconcileInterval();
    }
}
