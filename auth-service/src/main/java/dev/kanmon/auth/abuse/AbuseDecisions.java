package dev.kanmon.auth.abuse;

import dev.kanmon.auth.quota.QuotaDirectory;
import dev.kanmon.core.abuse.AbuseEvent;
import dev.kanmon.core.queue.WireCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Applies the abuse decisions of {@code relay.abuse.v1} with the relay's existing mechanisms: a slow-down is a plan
 * override ({@code abuse-slowdown}, the previous plan kept), a suspension the quota suspension that refuses AUTH (535)
 * and the next MAIL of open sessions (once their escrow block expires, 5 s by default). One consumer group for all
 * replicas; offsets are committed once a poll is applied, and a write that fails is retried, so nothing is skipped.
 */
@ApplicationScoped
public class AbuseDecisions {

    private static final Logger LOG = Logger.getLogger(AbuseDecisions.class);

    private final AbuseLinkConfig config;
    private final Map<String, Object> kafka;
    private final QuotaDirectory directory;
    private final MeterRegistry registry;
    private KafkaConsumer<String, byte[]> consumer;

    AbuseDecisions(AbuseLinkConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            QuotaDirectory directory, MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
        this.directory = directory;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(config.eventsTopic()));
        Thread thread = new Thread(this::run, "abuse-decisions");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    AbuseEvent e;
                    try {
                        e = WireCodec.decode(r.value(), AbuseEvent.class);
                    } catch (RuntimeException err) {
                        LOG.warnf("skipping unreadable abuse decision key=%s: %s", r.key(), err.getMessage());
                        continue;
                    }
                    applyUntilDone(e);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // shutdown
        } catch (RuntimeException e) {
            LOG.errorf(e, "abuse decision consumer stopped; decisions wait for another replica or a restart");
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void applyUntilDone(AbuseEvent e) {
        for (int attempt = 1; ; attempt++) {
            try {
                Uni<Void> change = apply(e);
                if (change != null) {
                    change.await().atMost(Duration.ofSeconds(10));
                    registry.counter("kanmon.auth.abuse.applied", "action", e.action().name().toLowerCase(Locale.ROOT))
                            .increment();
                    LOG.infof("abuse decision %d applied: %s %s by %s", e.id(), e.action(), e.username(), e.actor());
                }
                return;
            } catch (RuntimeException err) {
                LOG.warnf("abuse decision %d (%s %s) not applied yet (attempt %d): %s", e.id(), e.action(), e.username(),
                        attempt, err.toString());
                try {
                    Thread.sleep(Math.min(30_000L, 1_000L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new WakeupException();
                }
            }
        }
    }

    /** The change for a decision the auth-service applies; null for the queue's own steps (hold, notify). */
    private Uni<Void> apply(AbuseEvent e) {
        return switch (e.action()) {
            case SLOW_DOWN -> directory.slowDown(e.username(), e.plan());
            case SLOW_DOWN_LIFTED -> directory.endSlowDown(e.username());
            case SUSPEND -> directory.suspend(e.username(),
                    "suspected account takeover (abuse record " + e.id() + "), contact the abuse desk");
            case SUSPENSION_LIFTED -> directory.reinstate(e.username());
            default -> null;
        };
    }

    void stop(@Observes ShutdownEvent event) {
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
