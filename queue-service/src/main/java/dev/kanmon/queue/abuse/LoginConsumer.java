package dev.kanmon.queue.abuse;

import dev.kanmon.core.abuse.LoginObservation;
import dev.kanmon.core.queue.WireCodec;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the auth-service's login observations ({@code relay.logins.v1}, one consumer group for all replicas) into the
 * abuse signals; offsets are committed after a batch is recorded. A record that cannot be read is skipped.
 */
@ApplicationScoped
public class LoginConsumer {

    private static final Logger LOG = Logger.getLogger(LoginConsumer.class);

    @Inject
    AbuseEngine engine;

    @Incoming("logins")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> records) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (KafkaRecord<String, byte[]> record : records) {
            LoginObservation o;
            try {
                o = WireCodec.decode(record.getPayload(), LoginObservation.class);
            } catch (RuntimeException e) {
                LOG.warnf("skipping unreadable login observation key=%s: %s", record.getKey(), e.getMessage());
                continue;
            }
            if (o.username() != null) {
                chain = chain.chain(() -> engine.login(o));
            }
        }
        return chain.chain(() -> Uni.createFrom().completionStage(records.ack()));
    }
}
