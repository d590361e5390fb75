package dev.kanmon.submission.auth.revocation;

import dev.kanmon.submission.smtp.SmtpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads {@code relay.identity.v1} (the Kanmon Keycloak extension's identity changes, key = Keycloak user id, value =
 * {@code {"realm","userId","change","time"}}, the wire format the auth-service's consumer of the same name reads) and
 * has the {@link SmtpServer} end the open sessions of users whose change {@link Revocations#revokes revokes} them.
 * Every instance holds its own sessions, so each consumes in a group of its own, from the end of the topic (what
 * came before concerned sessions that no longer exist here) and without committing offsets.
 *
 * <p>The consumer starts from Quarkus's {@code default-kafka-broker} map, i.e. every {@code kafka.*} property
 * ({@code KAFKA_*} in the environment), as {@code SubmittedQueue} does: the connection's security
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) comes from there. Bootstrap servers, group and offsets
 * are this consumer's own.
 */
@ApplicationScoped
public class IdentityEventConsumer {

    private static final Logger LOG = Logger.getLogger(IdentityEventConsumer.class);
    /** Group name prefix; the KafkaUser submission-service may read groups with this prefix only (k8s). */
    static final String GROUP_PREFIX = "submission-service-identity-";

    private final IdentityEventsConfig config;
    private final Map<String, Object> kafka;
    private final SmtpServer server;
    private final MeterRegistry registry;
    private KafkaConsumer<String, String> consumer;

    public IdentityEventConsumer(IdentityEventsConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, SmtpServer server, MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
        this.server = server;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("identity changes do not end open SMTP sessions (kanmon.submission.identity-events.enabled=false)");
            return;
        }
        consumer = new KafkaConsumer<>(consumerProperties(kafka, config.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(config.topic()));
        Thread thread = new Thread(this::run, "identity-events");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("identity changes from %s end open SMTP sessions of disabled, deleted or reset users",
                config.topic());
    }

    /**
     * The consumer's configuration: the {@code kafka.*} properties ({@code kafka}: the {@code default-kafka-broker}
     * map), then this consumer's own settings, which win over a {@code kafka.*} property of the same name (Quarkus
     * puts the application name there as {@code group.id}; this consumer needs a group of its own).
     */
    static Map<String, Object> consumerProperties(Map<String, Object> kafka, String bootstrapServers) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_PREFIX + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return p;
    }

    private void run() {
        try {
            while (true) {
                // short polls: a change ends the sessions within a second of its publication
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    changed(r.key(), change(r.value()));
                }
            }
        } catch (WakeupException e) {
            // shutdown
        } catch (RuntimeException e) {
            LOG.errorf(e, "identity event consumer stopped; open sessions of disabled users now end only when they "
                    + "close");
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** One record: ends the user's sessions here if the change revokes them. */
    void changed(String userId, String change) {
        registry.counter("kanmon.submission.identity.events").increment();
        if (!Revocations.revokes(userId, change)) {
            return;
        }
        // each revoked session counts itself (kanmon.smtp.sessions.revoked) and logs its user and the change
        int sessions = server.revokeUser(userId, change);
        LOG.debugf("identity change %s of %s: %d live session(s) of that user", change, userId, sessions);
    }

    /** The record's {@code change}, or null if the value is not the extension's JSON. */
    static String change(String value) {
        try {
            return value == null ? null : new JsonObject(value).getString("change");
        } catch (RuntimeException e) {
            return null;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
