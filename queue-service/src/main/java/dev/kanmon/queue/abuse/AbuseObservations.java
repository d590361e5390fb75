package dev.kanmon.queue.abuse;

import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.EnvelopeRecipient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the intake and the results see of the abuse automation: which senders are held, and where to report submitted
 * messages and delivery outcomes. Reporting never fails the caller (a failure is logged and counted).
 */
@ApplicationScoped
public class AbuseObservations {

    private final AbuseEngine engine;

    AbuseObservations(AbuseEngine engine) {
        this.engine = engine;
    }

    /** The users among these whose new messages are held; never contains null. */
    public Uni<Set<String>> held(Set<String> users) {
        return engine.held(users).map(HashSet::new);
    }

    public Uni<Void> submitted(List<MessageFacts> messages) {
        return engine.submitted(messages);
    }

    public Uni<Void> outcomes(List<AbuseEngine.Outcome> outcomes) {
        return engine.outcomes(outcomes);
    }

    /** The facts of one submitted message the signals need. */
    public static MessageFacts facts(Envelope envelope, byte[] body) {
        return MessageFacts.of(envelope.authUser(), envelope.clientIp(),
                envelope.recipients().stream().map(EnvelopeRecipient::domain).toList(), body == null ? new byte[0] : body);
    }
}
