package dev.kanmon.keycloak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Sends identity changes to Kafka without ever holding up Keycloak: request threads only offer to a bounded queue
 * (full: the change is dropped, logged and counted); one sender thread owns the producer, whose waits for metadata
 * are capped by {@code max.block.ms}. A dropped change is not lost for good: the relay's periodic reconciliation
 * (docs/authentication.md) catches up with it.
 */
final class IdentityPublisher implements AutoCloseable {

    /**
     * @param bootstrapServers Kafka bootstrap servers; null: nothing is sent (every change counted as dropped)
     * @param topic            topic of the changes
     * @param buffer           changes held while Kafka is slow or down
     * @param maxBlockMillis   longest wait of the sender thread for metadata or producer memory
     * @param connection       Kafka client properties of the connection ({@code security.protocol}, {@code sasl.*},
     *                         {@code ssl.*}); empty: plaintext without authentication
     */
    record Settings(String bootstrapServers, String topic, int buffer, int maxBlockMillis,
            Map<String, String> connection) {

        Settings {
            connection = Map.copyOf(connection);
        }
    }

    private static final Logger LOG = Logger.getLogger(IdentityPublisher.class);
    /** At most one drop warning per interval, with the running total. */
    private static final long DROP_LOG_INTERVAL_MILLIS = 10_000;
    private static final IdentityChange STOP = new IdentityChange(null, null, null, 0);

    private final Settings settings;
    private final BlockingQueue<IdentityChange> queue;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong();
    private final Counter droppedCounter = Metrics.counter("kanmon.identity.events.dropped");
    private final Counter sentCounter = Metrics.counter("kanmon.identity.events.sent");
    private Thread sender;

    IdentityPublisher(Settings settings) {
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.buffer());
    }

    void start() {
        if (settings.bootstrapServers() == null || settings.bootstrapServers().isBlank()) {
            LOG.warn("kanmon-relay: no bootstrap-servers configured; identity changes are not published");
            return;
        }
        LOG.infof("kanmon-relay: publishing identity changes to %s at %s (%s)", settings.topic(),
                settings.bootstrapServers(), settings.connection().getOrDefault("security.protocol", "PLAINTEXT"));
        sender = new Thread(this::run, "kanmon-identity-publisher");
        sender.setDaemon(true);
        // Kafka loads its own classes by name through the context class loader: ours sees kafka-clients.
        sender.setContextClassLoader(IdentityPublisher.class.getClassLoader());
        sender.start();
    }

    /** Never blocks: queued for the sender thread, or dropped and counted when the buffer is full. */
    void publish(IdentityChange change) {
        if (sender == null || !queue.offer(change)) {
            drop(change, "buffer full or publisher not running");
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void run() {
        Producer<String, String> producer = null;
        try {
            while (true) {
                IdentityChange change = queue.take();
                if (change == STOP) {
                    break;
                }
                if (producer == null) {
                    producer = connect();
                    if (producer == null) {
                        drop(change, "producer could not be created");
                        continue;
                    }
                }
                send(producer, change);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (producer != null) {
                producer.close(java.time.Duration.ofSeconds(2));
            }
        }
    }

    private Producer<String, String> connect() {
        Properties p = producerProperties(settings);
        try {
            return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        } catch (RuntimeException e) {
            // e.g. the bootstrap host does not resolve yet; tried again with the next change
            LOG.warnf("kanmon-relay: Kafka producer not created: %s", e.toString());
            return null;
        }
    }

    /**
     * The producer's configuration: the connection's properties (security), then the publisher's own settings, which
     * win over a connection property of the same name.
     */
    static Properties producerProperties(Settings settings) {
        Properties p = new Properties();
        p.putAll(settings.connection());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "keycloak-kanmon-relay");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Uncompressed: kafka-clients is the only jar deployed (no lz4/zstd/snappy natives in Keycloak).
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlockMillis());
        // Gives up on a change after 30 s (then dropped and counted) instead of Kafka's default of 2 minutes.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * 1024 * 1024);
        return p;
    }

    private void send(Producer<String, String> producer, IdentityChange change) {
        String value;
        try {
            value = json.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            drop(change, e.toString());
            return;
        }
        try {
            producer.send(new ProducerRecord<>(settings.topic(), change.key(), value), (metadata, error) -> {
                if (error == null) {
                    sentCounter.increment();
                } else {
                    drop(change, error.toString());
                }
            });
        } catch (RuntimeException e) {
            // max.block.ms passed without metadata (Kafka down) or producer memory full
            drop(change, e.toString());
        }
    }

    private void drop(IdentityChange change, String why) {
        long total = dropped.incrementAndGet();
        droppedCounter.increment();
        long now = System.currentTimeMillis();
        long last = lastDropLog.get();
        if (now - last >= DROP_LOG_INTERVAL_MILLIS && lastDropLog.compareAndSet(last, now)) {
            LOG.warnf("kanmon-relay: identity change %s of user %s not published (%s); %d dropped so far",
                    change.change(), change.userId(), why, total);
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            queue.clear();
            queue.offer(STOP);
            try {
                sender.join(TimeUnit.SECONDS.toMillis(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
