package dev.kanmon.auth.keycloak;

import dev.kanmon.auth.config.AuthConfig;
import dev.kanmon.auth.credential.Revalidator;
import dev.kanmon.auth.window.LoginWindows;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
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
 * Reads {@code relay.identity.v1} (published by the Kanmon Keycloak extension) and hands each changed user id to the
 * {@link Revalidator}. Every instance must see every change, so each consumes in a group of its own, from the end of
 * the topic at start (the start-up reconciliation covers what came before) and without committing offsets. Login
 * events ({@code LOGIN}) go to the {@link LoginWindows} instead.
 *
 * <p>The consumer starts from Quarkus's {@code default-kafka-broker} map, i.e. every {@code kafka.*} property
 * ({@code KAFKA_*} in the environment): the connection's security ({@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}) comes from there. Bootstrap servers, group and offsets are this consumer's own.
 */
@ApplicationScoped
public class IdentityEventConsumer {

    private static final Logger LOG = Logger.getLogger(IdentityEventConsumer.class);
    /**
     * A user just created has nothing cached anywhere; ignoring its creation spares the caches a pass (and, for
     * provisioning in bulk, a reconciliation). Recreating a deleted user name is covered by the deletion event.
     */
    private static final String CREATED = "ADMIN_USER_CREATE";
    /** A successful login, for the login-before-SMTP windows (the extension's option {@code publish-logins}). */
    private static final String LOGIN = "LOGIN";

    private final AuthConfig.IdentityEvents config;
    private final Map<String, Object> kafka;
    private final Revalidator revalidator;
    private final LoginWindows windows;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;

    public IdentityEventConsumer(AuthConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Revalidator revalidator, LoginWindows windows) {
        this.config = config.identity();
        this.kafka = kafka;
        this.revalidator = revalidator;
        this.windows = windows;
    }

    void start(@Observes StartupEvent event) {
        consumer = new KafkaConsumer<>(consumerProperties(kafka, config.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(config.topic()));
        thread = new Thread(this::run, "identity-events");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The consumer's configuration: the {@code kafka.*} properties ({@code kafka}: the {@code default-kafka-broker}
     * map), then this consumer's own settings, which win over a {@code kafka.*} property of the same name (Quarkus
     * puts the application name there as {@code group.id}; this consumer needs a group of its own).
     */
    static Map<String, Object> consumerProperties(Map<String, Object> kafka, String bootstrapServers) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // the KafkaUser auth-service may read groups with this prefix only (k8s/base/infra/kafka.yaml)
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "auth-service-identity-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return p;
    }

    private void run() {
        try {
            while (true) {
                // short polls: a change is applied within a second of its publication
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonObject value = json(r.value());
                    String change = value == null ? null : value.getString("change");
                    if (LOGIN.equals(change)) {
                        loggedIn(value);
                    } else if (r.key() != null && !CREATED.equals(change)) {
                        LOG.debugf("identity change of %s: %s", r.key(), r.value());
                        revalidator.userChanged(r.key());
                    }
                }
            }
        } catch (WakeupException e) {
            // shutdown
        } catch (RuntimeException e) {
            LOG.errorf(e, "identity event consumer stopped; changes now only reach this instance by reconciliation");
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The record's JSON, or null if the value is not the extension's JSON (then the user is evicted). */
    private static JsonObject json(String value) {
        try {
            return value == null ? null : new JsonObject(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A successful login at Keycloak (published only with the extension's {@code publish-logins}): opens the
     * login-before-SMTP window of its address. Not a change of the user, so nothing is revalidated. Written from
     * this thread without waiting: a slow database must not hold up identity changes behind it.
     */
    private void loggedIn(JsonObject value) {
        Long time = value.getLong("time");
        windows.loggedIn(value.getString("username"), value.getString("ipAddress"),
                        time == null ? null : Instant.ofEpochMilli(time), "keycloak")
                .subscribe().with(ok -> { }, err -> LOG.warnf("login window not recorded: %s", err.toString()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
