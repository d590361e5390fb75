package dev.kanmon.queue.dispatch;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/** Publishes delivery requests to the outbound topic (acks=all, idempotent producer: see application.properties). */
@ApplicationScoped
public class OutboundPublisher {

    private static final Logger LOG = Logger.getLogger(OutboundPublisher.class);

    @Inject
    @Channel("outbound")
    // callers wait for the acks of a bounded batch, so the buffer never grows beyond one batch
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    MutinyEmitter<byte[]> emitter;

    /** Completes, on the caller's Vert.x context, once Kafka has acknowledged every request. */
    public Uni<Void> publish(List<DeliveryRequest> requests, byte[] body) {
        if (requests.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = requests.stream().map(r -> send(r, body)).toList();
        return OnContext.resumeHere(Uni.join().all(sends).andFailFast().replaceWithVoid());
    }

    private Uni<Void> send(DeliveryRequest request, byte[] body) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DELIVERY_HEADER, WireCodec.encode(request));
        Message<byte[]> message = Message.of(body).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(request.domain())
                .withHeaders(headers)
                .build());
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message))
                .invoke(() -> QueueIdLog.debugf(LOG, "queueId=%s published delivery %s to %s attempt %d (%d rcpt)",
                        request.queueId(), request.deliveryId(), request.domain(), request.attempt(),
                        request.recipients().size()));
    }
}
