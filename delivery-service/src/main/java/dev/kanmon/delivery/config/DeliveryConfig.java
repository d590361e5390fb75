package dev.kanmon.delivery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Configuration of the delivery service. {@code @WithDefault} values are the production defaults; the
 * {@code local} profile (application.properties) points DNS and MX port at the loopback stack.
 */
@ConfigMapping(prefix = "kanmon.delivery")
public interface DeliveryConfig {

    /** Name sent in EHLO/HELO; defaults to the local host name. */
    Optional<String> heloName();

    /**
     * How many outbound records are delivered at the same time by one instance. A record takes one of these slots
     * only when it can start at once (its destination has a free connection and rate slot); waiting records hold
     * none ({@link #backlog()}).
     */
    @WithDefault("64")
    int concurrency();

    /** Records received but waiting for a slot, and fair service among senders (docs/abuse.md, "Fair delivery"). */
    Backlog backlog();

    /** DNS resolution. */
    Dns dns();

    /** MX handling. */
    Mx mx();

    /** SMTP client timeouts and connection reuse. */
    Smtp smtp();

    /** STARTTLS policy. */
    Tls tls();

    /** Per-destination-domain limits. */
    Limits limits();

    /**
     * Transport map: destination domain (or {@code *} for every domain) to a next hop that replaces MX
     * resolution (smarthost).
     */
    Map<String, Transport> transport();

    /** DKIM signing. */
    Dkim dkim();

    /** Metrics. */
    Metrics metrics();

    interface Backlog {
        /**
         * Most records one instance holds waiting for a concurrency, connection or rate slot, on top of the
         * {@code concurrency} being delivered; the consumer fetches no more until some leave. Each waiting record keeps
         * its message in memory, so the heap must hold (concurrency + max-waiting) typical messages.
         */
        @WithDefault("512")
        int maxWaiting();

        /**
         * Most message bytes one instance holds in waiting records. Beyond it, the newest record of the (destination,
         * sender) with the most records waiting is handed back to the queue as deferred (4.4.5), as long as one has
         * two or more; a sender's only waiting record for a destination is kept even over the budget, so that a large
         * message is never handed back for its size alone.
         */
        @WithDefault("64M")
        MemorySize maxWaitingBytes();

        /**
         * Most records waiting for one destination domain that has no rate limit (a rate-limited one holds what its
         * rate lets out within {@code max-hold}, at most this when set). A record beyond it hands the newest record of
         * the sender with the most records waiting for that domain back to the queue as deferred (4.4.5), to come back
         * on the queue's retry schedule; a sender with fewer waiting is never handed back. Unset (the default): no
         * bound of its own, so a burst to a fast destination waits in {@code max-waiting} and drains at connection
         * speed instead of being deferred for minutes; set it where a slow, connection-limited destination must not
         * fill the waiting room.
         */
        OptionalInt perDestination();

        /**
         * Longest a destination's rate limit may keep a record waiting: a rate-limited domain holds no more than its
         * rate lets out in this time (at least one). Keep it well under the consumer's
         * {@code throttled.unprocessed-record-max-age.ms} (30 min), which fails the consumer on older records.
         */
        @WithDefault("10m")
        Duration maxHold();

        /**
         * How many delivery ids whose result the broker acknowledged an instance remembers, so that records it reads
         * again after a rebalance (the commit lags behind records finished out of order) are skipped, not delivered
         * twice. About 150 bytes each.
         */
        @WithDefault("50000")
        int rememberCompleted();
    }

    interface Dns {
        /**
         * DNS server as {@code host:port}. Empty: the system resolver's server (the one Vert.x uses for
         * its own address resolution).
         */
        Optional<String> server();

        /** Timeout of one DNS query; an expired query counts as a temporary DNS failure (4.4.3). */
        @WithDefault("5s")
        Duration timeout();

        /**
         * Shortest time an answer is cached, whatever its TTL says. 0: records with TTL 0 are not cached (RFC 1035
         * §3.2.1: TTL 0 means "use only for the transaction in progress").
         */
        @WithDefault("0s")
        Duration minTtl();

        /** Longest time a positive answer is cached, whatever its TTL says. */
        @WithDefault("1h")
        Duration maxTtl();

        /**
         * How long an NXDOMAIN or NODATA answer is cached when its authority section carries no SOA record; with
         * an SOA the TTL is the smaller of the SOA's own TTL and its MINIMUM field (RFC 2308 §5), capped by
         * {@link #maxNegativeTtl()}.
         */
        @WithDefault("60s")
        Duration negativeTtl();

        /**
         * Longest time an NXDOMAIN or NODATA answer is cached. Kept short because NXDOMAIN bounces mail (5.1.2):
         * a domain registered a moment ago must not be refused for hours.
         */
        @WithDefault("5m")
        Duration maxNegativeTtl();

        /** Most answers (one per question: type and name) kept in the cache. */
        @WithDefault("10000")
        long cacheSize();
    }

    interface Mx {
        /** TCP port used for MX hosts (and implicit-MX A records). */
        @WithDefault("25")
        int port();

        /** Most addresses tried for one delivery before it is deferred (Postfix smtp_mx_address_limit). */
        @WithDefault("5")
        int maxAddresses();

        /** Whether AAAA records are looked up and tried after the A records. */
        @WithDefault("true")
        boolean ipv6();
    }

    interface Smtp {
        /** TCP connect timeout. */
        @WithDefault("30s")
        Duration connectTimeout();

        /** Wait for the 220 greeting (RFC 5321 §4.5.3.2.1: 5 minutes). */
        @WithDefault("5m")
        Duration greetingTimeout();

        /** Wait for replies to EHLO/HELO, STARTTLS, AUTH, RSET, MAIL and RCPT (RFC 5321: 5 minutes). */
        @WithDefault("5m")
        Duration commandTimeout();

        /** Wait for the 354 reply to DATA (RFC 5321 §4.5.3.2.4: 2 minutes). */
        @WithDefault("2m")
        Duration dataInitTimeout();

        /** Wait for the message body to be written to the socket (RFC 5321 §4.5.3.2.5: 3 minutes). */
        @WithDefault("3m")
        Duration dataBlockTimeout();

        /** Wait for the final reply after the end-of-data dot (RFC 5321 §4.5.3.2.6: 10 minutes). */
        @WithDefault("10m")
        Duration dataEndTimeout();

        /** Wait for the reply to QUIT before closing anyway. */
        @WithDefault("10s")
        Duration quitTimeout();

        /** Longest accepted reply line; longer lines end the session as a protocol error. */
        @WithDefault("8192")
        int maxReplyLineLength();

        /** How long an idle connection is kept for reuse by the next message to the same destination (0 = no reuse). */
        @WithDefault("5s")
        Duration idleTimeout();

        /** How many messages one connection may carry before it is closed (0 = unlimited). */
        @WithDefault("100")
        int maxMessagesPerConnection();
    }

    interface Tls {
        /** Default STARTTLS policy for every destination. */
        @WithDefault("opportunistic")
        TlsPolicy policy();

        /** Per-domain overrides of {@link #policy()}, e.g. {@code kanmon.delivery.tls.domains."example.com"=required}. */
        Map<String, TlsPolicy> domains();

        /**
         * PEM file of CA certificates used to verify peers under the {@code required} policy and smarthosts
         * with {@code verify=true}. Empty: the JVM's default trust store.
         */
        Optional<String> trustPem();
    }

    interface Limits {
        /** Limits applied to every destination domain without an override. */
        @WithParentName
        DomainLimits defaults();

        /** Per-domain overrides, e.g. {@code kanmon.delivery.limits.domains."docomo.ne.jp".connections=2}. */
        Map<String, DomainLimitsOverride> domains();
    }

    interface DomainLimits {
        /** Most simultaneous connections (active plus idle pooled) to one destination domain. */
        @WithDefault("10")
        int connections();

        /** Messages allowed per {@link #ratePeriod()} to one destination domain (0 = no rate limit). */
        @WithDefault("0")
        int rateMessages();

        /** The period of {@link #rateMessages()}. */
        @WithDefault("1m")
        Duration ratePeriod();
    }

    interface DomainLimitsOverride {
        /** Overrides {@code kanmon.delivery.limits.connections} for this domain. */
        Optional<Integer> connections();

        /** Overrides {@code kanmon.delivery.limits.rate-messages} for this domain. */
        Optional<Integer> rateMessages();

        /** Overrides {@code kanmon.delivery.limits.rate-period} for this domain. */
        Optional<Duration> ratePeriod();
    }

    interface Transport {
        /** Next-hop host name or IP literal (host names are resolved through the configured DNS server). */
        String host();

        /** Next-hop port. */
        @WithDefault("25")
        int port();

        /** Connection security to the next hop. */
        @WithDefault("starttls")
        TransportSecurity security();

        /** Whether the next hop's certificate and host name are verified (see {@code tls.trust-pem}). */
        @WithDefault("true")
        boolean verify();

        /** AUTH user name; no AUTH when empty. */
        Optional<String> username();

        /** AUTH password. */
        Optional<String> password();

        /** AUTH mechanism: PLAIN or LOGIN. */
        @WithDefault("PLAIN")
        AuthMechanism mechanism();
    }

    interface Dkim {
        /** Signing domains: the {@code d=} domain to its key; a message is signed when its From domain matches. */
        Map<String, DkimDomain> domains();

        /** Header fields covered by the signature (those present in the message are signed). */
        @WithDefault("from,to,cc,subject,date,message-id,reply-to,mime-version,content-type,content-transfer-encoding,in-reply-to,references")
        List<String> headers();
    }

    interface DkimDomain {
        /** DKIM selector ({@code s=}). */
        String selector();

        /** Path to the PKCS#8 PEM private RSA key. */
        @WithName("key-path")
        String keyPath();
    }

    interface Metrics {
        /**
         * Destination domains that get their own {@code domain} tag on delivery metrics; all others are
         * counted as {@code other} so that metric cardinality stays bounded. Domains with limit overrides
         * are always tagged.
         */
        Optional<List<String>> domains();
    }

    enum TlsPolicy {
        /** No STARTTLS even when offered. */
        NONE,
        /** STARTTLS when offered, certificate not verified (RFC 7435). */
        OPPORTUNISTIC,
        /** STARTTLS must be offered and the certificate must verify, else the delivery is deferred (4.7.5). */
        REQUIRED
    }

    enum TransportSecurity {
        /** Plain SMTP, STARTTLS per the TLS policy of the destination. */
        NONE,
        /** STARTTLS required and verified per {@link Transport#verify()}. */
        STARTTLS,
        /** TLS from the first byte (RFC 8314, port 465). */
        IMPLICIT_TLS
    }

    enum AuthMechanism {
        PLAIN, LOGIN
    }
}
