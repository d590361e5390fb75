package dev.kanmon.submission.message;

/**
 * A message that Kafka acknowledged.
 *
 * @param queueId the ULID quoted in {@code 250 2.0.0 Ok: queued as <queueId>}
 * @param size    bytes queued (after fix-ups)
 */
public record AcceptedMessage(String queueId, long size) {
}
