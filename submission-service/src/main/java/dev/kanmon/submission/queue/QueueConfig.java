package dev.kanmon.submission.queue;

import dev.kanmon.core.queue.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The Kafka producer that makes accepted messages durable in {@code relay.submitted.v1}. */
@ConfigMapping(prefix = "kanmon.submission.queue")
public interface QueueConfig {

    /** Topic that accepted messages are produced to (key = queue id, value = message bytes). */
    @WithDefault(Topics.SUBMITTED)
    String topic();

    /** Kafka bootstrap servers; by default the standard {@code kafka.bootstrap.servers} property. */
    @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
    String bootstrapServers();

    /**
     * Producer {@code max.request.size} in bytes. Must exceed the SMTP SIZE limit plus what the fix-ups add
     * (default: 25 MiB SIZE + 1 MiB headroom); the topic's {@code max.message.bytes} must match.
     */
    @WithDefault("27262976")
    int maxRequestSize();

    /**
     * Producer {@code buffer.memory} in bytes: room for records awaiting acknowledgement. Must hold at least
     * one record of {@link #maxRequestSize()}; when full, a send waits up to {@link #maxBlock()}.
     */
    @WithDefault("67108864")
    long bufferMemory();

    /**
     * Producer {@code max.block.ms}: how long a send may wait for topic metadata or buffer space. Bounds how
     * long an unreachable broker takes to turn into {@code 451 4.3.0}.
     */
    @WithDefault("5s")
    Duration maxBlock();

    /** Producer {@code request.timeout.ms}: how long to wait for the broker to answer one produce request. */
    @WithDefault("10s")
    Duration requestTimeout();

    /**
     * Producer {@code delivery.timeout.ms}: upper bound from send to acknowledgement, retries included; after
     * it the client gets {@code 451 4.3.0}. Must be at least {@code linger.ms + request-timeout}.
     */
    @WithDefault("30s")
    Duration deliveryTimeout();

    /**
     * Producer {@code linger.ms}: how long a record may wait for others to share its produce request. Concurrent
     * sessions' messages then travel (and are acknowledged) together: group commit at end of DATA. Kafka 4's
     * default of 5 ms adds that much to every 250; 1 ms keeps most of the batching at a fifth of the wait.
     */
    @WithDefault("1ms")
    Duration linger();

    /**
     * Producer {@code batch.size} in bytes: the most one partition's batch holds. Above the 16 KiB default so that
     * a burst of typical messages (a few KiB each) shares one request instead of being cut into many.
     */
    @WithDefault("262144")
    int batchSize();

    /**
     * Producer {@code compression.type}: {@code none}, {@code lz4}, {@code zstd}, {@code gzip} or {@code snappy}.
     * Every consumer and the broker (which validates compressed batches) pay for it again, so it is a CPU/disk
     * trade: see docs/benchmarks.md for the measurement behind the default.
     */
    @WithDefault("lz4")
    String compression();

    /**
     * Messages up to this size (bytes after the fix-ups) are handed to the producer on the session's event loop;
     * larger ones on a worker thread, because the producer compresses a record in the sending thread. The first
     * send waits for topic metadata (up to {@link #maxBlock()}) and so is always made on a worker.
     */
    @WithDefault("262144")
    int inlineMaxBytes();

    /** How long shutdown waits for outstanding records to be acknowledged before closing the producer. */
    @WithDefault("30s")
    Duration closeTimeout();
}
