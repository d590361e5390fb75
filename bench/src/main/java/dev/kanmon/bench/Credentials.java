package dev.kanmon.bench;

/**
 * User name and password patterns. "{n}" is replaced by 1..distinct, so "bench{n}" with distinct
 * 200 gives 200 different accounts (cold AUTH); a pattern without "{n}" is one account (warm AUTH).
 */
record Credentials(String userPattern, String passwordPattern, int distinct) {

    String user(int index) {
        return fill(userPattern, index);
    }

    String password(int index) {
        return fill(passwordPattern, index);
    }

    /** Any other per-account pattern (the many-user run's MAIL FROM "bench-m{n}@example.test"). */
    String fill(String pattern, int index) {
        return pattern.replace("{n}", Integer.toString(index % distinct + 1));
    }
}
