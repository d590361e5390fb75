package dev.kanmon.auth.abuse;

import dev.kanmon.auth.credential.Decision;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kanmon.auth.quota.LimitsCache;
import dev.kanmon.core.abuse.LoginObservation;
import dev.kanmon.core.queue.WireCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes each decided credential check (success, or wrong credentials) on {@code relay.logins.v1} for the abuse
 * signals. Off the request's thread: a slow or absent Kafka never delays an AUTH; observations beyond the backlog are
 * dropped and counted ({@code kanmon_auth_login_observations_total{result="dropped"}}).
 */
@ApplicationScoped
public class LoginObserver {

    private static final Logger LOG = Logger.getLogger(LoginObserver.class);

    private final AbuseLinkConfig config;
    private final Map<String, Object> kafka;
    private final MeterRegistry registry;
    private final LimitsCache limits;
    /** Successes published recently: user, address and whether listed, to when. */
    private final Cache<String, Long> published;
    /** Latest wrong-credential check per user. */
    private final Cache<String, Long> failed;
    private KafkaProducer<String, byte[]> producer;
    private ThreadPoolExecutor sender;

    LoginObserver(AbuseLinkConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            MeterRegistry registry, LimitsCache limits) {
        this.config = config;
        this.kafka = kafka;
        this.registry = registry;
        this.limits = limits;
        this.published = Caffeine.newBuilder().expireAfterWrite(config.repeatInterval()).maximumSize(100_000).build();
        this.failed = Caffeine.newBuilder().expireAfterWrite(config.repeatInterval()).maximumSize(100_000).build();
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        Map<String, Object> p = new HashMap<>(kafka);
        p.keySet().removeIf(k -> k.startsWith("group.") || k.startsWith("auto.") || k.contains("deserializer"));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.backlog()),
                r -> {
                    Thread t = new Thread(r, "login-observations");
                    t.setDaemon(true);
                    return t;
                }, (r, executor) -> count("dropped"));
    }

    /**
     * The hook of the credential checks: one call per decision, never blocking, never failing. {@code dnsblListings}
     * is the DNSBL's say on the client address at this AUTH as the caller passed it (null: not checked).
     */
    public void observe(String username, String clientIp, String mechanism, List<String> dnsblListings, Decision d) {
        if (producer == null || username == null || username.isBlank()) {
            return;
        }
        String outcome;
        if (d.outcome() == Decision.Outcome.SUCCESS) {
            outcome = LoginObservation.SUCCESS;
        } else if (d.outcome() == Decision.Outcome.FAILURE && d.reply() == Decision.INVALID) {
            outcome = LoginObservation.FAILURE; // wrong credentials; a second-factor account is no guess
        } else {
            return;
        }
        boolean ok = outcome.equals(LoginObservation.SUCCESS);
        String user = (ok ? d.identity().username() : username).toLowerCase(Locale.ROOT);
        String email = ok && !d.identity().addresses().isEmpty() ? d.identity().addresses().get(0) : null;
        Instant at = Instant.now();
        if (!ok) {
            failed.put(user, at.toEpochMilli());
            publish(new LoginObservation(user, null, clientIp, outcome, mechanism, at, null, dnsblListings));
            return;
        }
        if (repeated(user, clientIp, dnsblListings, at.toEpochMilli())) {
            count("repeated");
            return;
        }
        // the plan's hourly limit, for the volume against the plan; cached, so usually no database round trip
        limits.get(user).subscribe().with(
                l -> publish(new LoginObservation(user, email, clientIp, outcome, mechanism, at, l.messagesPerHour(),
                        dnsblListings)),
                err -> publish(new LoginObservation(user, email, clientIp, outcome, mechanism, at, null,
                        dnsblListings)));
    }

    /**
     * Whether this success repeats one published within {@code repeat-interval}: same user, same address, same
     * listed-or-not, and no wrong credentials for the user since. It tells the signals nothing new (networks, stuffing
     * and listings are all in the first one), and a mail client that logs in for every message would otherwise cost
     * the queue-service a transaction per AUTH (about 3 ms of CPU per warm login, measured; docs/abuse.md).
     */
    private boolean repeated(String user, String clientIp, List<String> dnsblListings, long now) {
        if (config.repeatInterval().isZero()) {
            return false;
        }
        String key = user + '|' + clientIp + '|' + (dnsblListings != null && !dnsblListings.isEmpty());
        Long before = published.getIfPresent(key);
        Long failure = failed.getIfPresent(user);
        if (before != null && (failure == null || failure < before)) {
            return true;
        }
        published.put(key, now);
        return false;
    }

    private void publish(LoginObservation o) {
        sender.execute(() -> producer.send(new ProducerRecord<>(config.loginsTopic(), o.username(), WireCodec.encode(o)),
                (meta, err) -> {
                    if (err != null) {
                        count("failed");
                        LOG.debugf("login observation of %s not published: %s", o.username(), err.toString());
                    } else {
                        count("published");
                    }
                }));
    }

    private void count(String result) {
        registry.counter("kanmon.auth.login.observations", "result", result).increment();
    }

    void stop(@Observes ShutdownEvent event) {
        if (producer != null) {
            sender.shutdown();
            producer.close(Duration.ofSeconds(2));
        }
    }
}
