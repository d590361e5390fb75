package dev.kanmon.submission.auth.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How submission-service reaches the auth-service and which SASL mechanisms it offers. */
@ConfigMapping(prefix = "kanmon.submission.auth")
public interface SubmissionAuthConfig {

    /** Base URL of the auth-service (scheme, host, port; no path). */
    @WithDefault("http://auth-service:8080")
    String url();

    /**
     * Whole-call deadline for one auth-service request. Longer than the auth-service's own Keycloak deadline plus
     * the time a check may wait in line there ({@code kanmon.auth.keycloak.timeout} and {@code check-queue-timeout}),
     * so that its precise TEMPFAIL arrives first; past it the client answers {@code 454 4.7.0}. SMTP clients wait
     * minutes for a reply (RFC 5321 4.5.3.2), so a burst of cold logins is served late rather than refused.
     */
    @WithDefault("15s")
    Duration timeout();

    /** TCP connect timeout to the auth-service. */
    @WithDefault("1s")
    Duration connectTimeout();

    /** Keep-alive connections kept per submission-service instance. */
    @WithDefault("32")
    int maxPoolSize();

    /** PLAIN (RFC 4616) settings. */
    Plain plain();

    /** LOGIN settings. */
    Toggle login();

    /** CRAM-MD5 (RFC 2195) settings; works with SMTP app passwords only. */
    Toggle cramMd5();

    /** SCRAM-SHA-256 (RFC 7677) settings; works with SMTP app passwords only. */
    Toggle scramSha256();

    /** OAUTHBEARER (RFC 7628) settings; Keycloak access tokens. */
    Toggle oauthbearer();

    /** XOAUTH2 (Google/Microsoft dialect of OAUTHBEARER) settings; Keycloak access tokens. */
    Toggle xoauth2();

    /** A mechanism that operators can switch off. */
    interface Toggle {

        /** Whether the mechanism is advertised and accepted. */
        @WithDefault("true")
        boolean enabled();
    }

    /** PLAIN settings. */
    interface Plain extends Toggle {

        /**
         * RFC 4616 lets a client ask to act as another identity (authzid). Kanmon has no proxy authorisation, so by
         * default an authzid that is neither empty nor equal to the authcid fails with {@code 535 5.7.8}. When true,
         * such an authzid is tolerated and ignored (some old clients send their e-mail address there): the session
         * is still authenticated as the authcid, never as the authzid.
         */
        @WithDefault("false")
        boolean ignoreForeignAuthzid();
    }
}
