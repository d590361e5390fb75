package dev.kanmon.queue.abuse;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/** A row of {@code queue.abuse_subscriber}: the measures in force and what the scoring remembers. */
record Subscriber(String username, String email, int score, String signals, boolean slowed, Instant slowedUntil,
        boolean held, Instant notifiedAt, boolean suspended, int pardonScore, Instant pardonUntil, int stuffingFailures,
        Instant stuffingAt, double baselineMessages, double baselineRecipients, Instant baselineHour,
        Instant evaluatedAt, Integer planMessagesPerHour, Instant dnsblListedAt) {

    static Subscriber of(Row r) {
        return new Subscriber(r.getString("username"), r.getString("email"), r.getInteger("score"),
                r.getString("signals"), r.getBoolean("slowed"), t(r, "slowed_until"), r.getBoolean("held"),
                t(r, "notified_at"), r.getBoolean("suspended"), r.getInteger("pardon_score"), t(r, "pardon_until"),
                r.getInteger("stuffing_failures"), t(r, "stuffing_at"), r.getDouble("baseline_messages"),
                r.getDouble("baseline_recipients"), t(r, "baseline_hour"), t(r, "evaluated_at"),
                r.getInteger("plan_messages_per_hour"), t(r, "dnsbl_listed_at"));
    }

    /** The level of the measures in force. */
    Level level() {
        if (suspended) {
            return Level.SUSPEND;
        }
        if (notifiedAt != null && held) {
            return Level.NOTIFY;
        }
        if (held) {
            return Level.HOLD;
        }
        return slowed ? Level.SLOW_DOWN : Level.OBSERVE;
    }

    /** The measures in force, for the audit record's before and after: "slowed down, held" or "none". */
    String measures() {
        java.util.List<String> m = new java.util.ArrayList<>();
        if (slowed) {
            m.add("slowed down");
        }
        if (held) {
            m.add("held");
        }
        if (notifiedAt != null) {
            m.add("notified");
        }
        if (suspended) {
            m.add("suspended");
        }
        return m.isEmpty() ? "none" : String.join(", ", m);
    }

    private static Instant t(Row r, String column) {
        OffsetDateTime v = r.getOffsetDateTime(column);
        return v == null ? null : v.toInstant();
    }
}
