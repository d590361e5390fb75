package dev.kanmon.bench;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/** Counters and latency histograms shared by all event loops (hence synchronized; contention is negligible at these rates). */
final class Stats {
    private final Histogram endOfData = new Histogram(3);
    private final Histogram auth = new Histogram(3);
    private final Histogram login = new Histogram(3);
    private final Map<String, Long> errors = new TreeMap<>();
    /** The first reply (or exception) of each error kind, so a report says why, not only how often. */
    private final Map<String, String> firstError = new TreeMap<>();
    private long accepted;
    private long logins;
    private long notSent;
    private String tls = "none";

    synchronized void accepted(long endOfDataNanos) {
        accepted++;
        endOfData.recordValue(endOfDataNanos / 1000);
    }

    /** authNanos: AUTH sent to 235; loginNanos: connect to 235 (TCP, greeting, EHLO, TLS, EHLO, AUTH). */
    synchronized void loggedIn(long authNanos, long loginNanos, String tlsDescription) {
        logins++;
        auth.recordValue(authNanos / 1000);
        login.recordValue(loginNanos / 1000);
        tls = tlsDescription;
    }

    synchronized void error(Throwable t) {
        String key = t instanceof SmtpFailure f ? f.key() : "SESSION " + t.getClass().getSimpleName();
        errors.merge(key, 1L, Long::sum);
        firstError.putIfAbsent(key, String.valueOf(t.getMessage()).replaceAll("[\\r\\n]+", " "));
    }

    /** Messages never attempted because their session failed or the deadline passed. */
    synchronized void notSent(long count) {
        notSent += count;
    }

    synchronized long accepted() {
        return accepted;
    }

    synchronized long logins() {
        return logins;
    }

    synchronized long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized void addTo(Report report) {
        if (logins > 0) {
            report.put("tls", tls);
        }
        if (endOfData.getTotalCount() > 0) {
            report.latency("eod", endOfData);
        }
        if (auth.getTotalCount() > 0) {
            report.latency("auth", auth);
            report.latency("login", login);
        }
        if (notSent > 0) {
            report.put("not_sent", notSent);
        }
        report.put("errors", errorCount());
        errors.forEach((k, v) -> report.put("error." + k.replace(' ', '_'), v));
        firstError.forEach((k, v) -> report.put("error_first." + k.replace(' ', '_'), v));
    }
}
