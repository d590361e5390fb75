package dev.kanmon.queue.intake;

import dev.kanmon.core.queue.Envelope;

/** A decoded record of the submitted topic and where it is: the body is read from there again for retries and DSNs. */
record Submission(Envelope envelope, byte[] body, String topic, int partition, long offset) {
}
