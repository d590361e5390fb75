package dev.kanmon.queue.abuse;

import dev.kanmon.core.abuse.AbuseEvent;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.queue.QueueId;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import dev.kanmon.queue.config.QueueConfig;
import dev.kanmon.queue.dispatch.OnContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends what the abuse automation decided: each step as an {@link AbuseEvent} on {@code relay.abuse.v1} (the
 * auth-service applies slow-downs and suspensions from it, the abuse desk reads it), and the notice to the subscriber
 * as a new message on the submitted topic, queued and delivered like a DSN (null reverse-path, so it never bounces).
 */
@ApplicationScoped
public class AbusePublisher {

    private static final Logger LOG = Logger.getLogger(AbusePublisher.class);

    @Inject
    @Channel("abuse-events")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    MutinyEmitter<byte[]> events;

    @Inject
    @Channel("abuse-notices")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    MutinyEmitter<byte[]> notices;

    @Inject
    QueueConfig queueConfig;

    @Inject
    AbuseConfig config;

    private String host;

    @PostConstruct
    void init() {
        host = queueConfig.dsn().reportingMta().orElseGet(AbusePublisher::localHostName);
    }

    /** Publishes the event (acks=all), retrying a few times; the caller logs a final failure. */
    public Uni<Void> event(AbuseEvent e) {
        Message<byte[]> record = Message.of(WireCodec.encode(e)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(e.username()).build());
        return OnContext.resumeHere(Uni.createFrom().deferred(() -> events.sendMessage(record)))
                .onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(3);
    }

    /** Queues the notice to the subscriber's registered address. */
    Uni<Void> notice(String username, String email, String level, String reason) {
        String id = QueueId.next();
        Instant now = Instant.now();
        String from = config.noticeFrom().orElse("postmaster@" + host);
        String text = """
                From: Mail relay abuse desk <%s>
                To: <%s>
                Subject: Outgoing mail of %s restricted (%s)
                Date: %s
                Message-ID: <%s.abuse@%s>
                Auto-Submitted: auto-generated
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: 7bit

                Hello,

                the mail relay noticed activity on your account %s that looks like someone
                else is using it (%s).

                Your outgoing mail is now restricted: %s.

                If this was you, contact the abuse desk to have the restriction lifted. If it
                was not, change your password and your SMTP app passwords now, and check your
                computer and phone for malware.

                --\s
                The mail relay at %s
                """.formatted(from, email, username, level, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        now.atOffset(ZoneOffset.UTC)), id, host, username, reason, level, host);
        byte[] body = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        Envelope envelope = new Envelope(id, "", List.of(new EnvelopeRecipient(email, Set.of(Notify.NEVER), null)), null,
                null, null, false, null, null, host, null, null, now, body.length, 0, null, false);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.ENVELOPE_HEADER, WireCodec.encode(envelope));
        Message<byte[]> record = Message.of(body).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(id).withHeaders(headers).build());
        return OnContext.resumeHere(Uni.createFrom().deferred(() -> notices.sendMessage(record)))
                .invoke(() -> LOG.infof("queueId=%s abuse notice to <%s> for %s", id, email, username));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
