package dev.kanmon.auth.quota;

/** A fixed counting window and the limit that applies to it. */
enum Window {
    MINUTE(60, "minute"),
    HOUR(3_600, "hour"),
    DAY(86_400, "day");

    final int seconds;
    final String label;

    Window(int seconds, String label) {
        this.seconds = seconds;
        this.label = label;
    }

    static Window of(String label) {
        for (Window w : values()) {
            if (w.label.equalsIgnoreCase(label)) {
                return w;
            }
        }
        throw new IllegalArgumentException("window must be minute, hour or day");
    }
}
