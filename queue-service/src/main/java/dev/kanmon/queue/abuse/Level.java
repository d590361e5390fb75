package dev.kanmon.queue.abuse;

/** The graduated response, in order: each level includes the ones before it. */
public enum Level {
    OBSERVE, SLOW_DOWN, HOLD, NOTIFY, SUSPEND;

    /** The level a score reaches under the thresholds. */
    public static Level of(int score, AbuseConfig.Thresholds t) {
        if (score >= t.suspend()) {
            return SUSPEND;
        }
        if (score >= t.notification()) {
            return NOTIFY;
        }
        if (score >= t.hold()) {
            return HOLD;
        }
        return score >= t.slowDown() ? SLOW_DOWN : OBSERVE;
    }

    public boolean atLeast(Level other) {
        return compareTo(other) >= 0;
    }
}
