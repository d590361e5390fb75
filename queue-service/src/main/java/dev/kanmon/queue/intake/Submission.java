package dev.kanmon.queue.intake;

import dev.kanmon.core.queue.Envelope;

/** A decoded record of the submitted topic. */
record Submission(Envelope envelope, byte[] body, String topic) {
}
