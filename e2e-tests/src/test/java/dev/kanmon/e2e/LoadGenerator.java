package dev.kanmon.e2e;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Sends test messages over K concurrent authenticated submission sessions (STARTTLS + AUTH PLAIN with the
 * scripted {@link SmtpClient}), spread round-robin over the given submission ports and recipient domains, and
 * records every transaction: its unique token, the port, and the outcome. Only {@link Outcome#ACCEPTED} (a
 * {@code 250} after the end of DATA, with the queue id) is a promise by the relay; everything else is what a
 * real client would retry. Sessions are re-opened after a broken connection, a {@code 421}, or
 * {@code messagesPerSession} messages, so kills and restarts of the service are ridden out.
 */
final class LoadGenerator implements AutoCloseable {

    enum Outcome {
        /** {@code 250} after DATA: queued in Kafka, must be delivered. */
        ACCEPTED,
        /** a {@code 4xx} at MAIL, RCPT, DATA or after the content: the client keeps the message. */
        TEMPFAIL,
        /** a {@code 5xx}. */
        REJECTED,
        /** the connection broke before the end of DATA was sent: the relay cannot have queued it. */
        CONNECTION_LOST,
        /** the connection broke after the end of DATA was sent, before a reply: may or may not be queued. */
        UNCERTAIN
    }

    record Attempt(long seq, String token, int port, String recipient, Outcome outcome, String reply,
            String queueId, Instant started, Instant finished) {
    }

    private final String label;
    private final List<Integer> ports;
    private final List<String> domains;
    private final String user;
    private final String password;
    private final String from;
    private int messagesPerSession = 20;
    private long pauseMillis;

    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong sessionsOpened = new AtomicLong();
    private final AtomicLong sessionFailures = new AtomicLong();
    private final AtomicInteger nextPort = new AtomicInteger();
    private volatile String lastSessionError;
    private volatile boolean running;
    /** Messages still to send in a fixed run; negative = unlimited (continuous run). */
    private final AtomicLong budget = new AtomicLong(-1);
    private ExecutorService pool;

    LoadGenerator(String label, List<Integer> ports, List<String> domains) {
        this(label, ports, domains, E2eStack.ALICE, E2eStack.ALICE_PASSWORD, E2eStack.ALICE_ADDRESS);
    }

    LoadGenerator(String label, List<Integer> ports, List<String> domains, String user, String password, String from) {
        this.label = label;
        this.ports = List.copyOf(ports);
        this.domains = List.copyOf(domains);
        this.user = user;
        this.password = password;
        this.from = from;
    }

    /** Messages per session before QUIT and a new connection (default 20). */
    LoadGenerator messagesPerSession(int n) {
        this.messagesPerSession = n;
        return this;
    }

    /** Pause after each message in every session (default 0): sessions × (1000 / pause) bounds the rate. */
    LoadGenerator pause(Duration pause) {
        this.pauseMillis = pause.toMillis();
        return this;
    }

    /** Sends exactly {@code n} message transactions over {@code sessions} concurrent sessions; blocks. */
    List<Attempt> send(int n, int sessions, Duration timeout) throws InterruptedException {
        long first = seq.get();
        budget.set(n);
        startWorkers(sessions);
        pool.shutdown();
        if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            running = false;
            pool.awaitTermination(60, TimeUnit.SECONDS);
            throw new IllegalStateException("load of " + n + " messages not sent within " + timeout + ": " + summary()
                    + (lastSessionError == null ? "" : "; last session error: " + lastSessionError));
        }
        running = false;
        return attempts.stream().filter(a -> a.seq() > first).toList();
    }

    /** Starts sending continuously in the background over {@code sessions} sessions until {@link #stop()}. */
    void start(int sessions) {
        budget.set(-1);
        startWorkers(sessions);
    }

    /** Stops a continuous run: every session finishes its current transaction, then quits. */
    void stop() throws InterruptedException {
        running = false;
        if (pool != null) {
            pool.shutdown();
            if (!pool.awaitTermination(120, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void startWorkers(int sessions) {
        running = true;
        pool = Executors.newFixedThreadPool(sessions, r -> {
            Thread t = new Thread(r, "load-" + label);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < sessions; i++) {
            pool.submit(this::worker);
        }
    }

    private boolean takeOne() {
        if (!running) {
            return false;
        }
        while (true) {
            long b = budget.get();
            if (b < 0) {
                return true;
            }
            if (b == 0) {
                return false;
            }
            if (budget.compareAndSet(b, b - 1)) {
                return true;
            }
        }
    }

    private boolean hasWork() {
        return running && budget.get() != 0;
    }

    private void worker() {
        SmtpClient c = null;
        int port = 0;
        int sentInSession = 0;
        try {
            while (hasWork()) {
                if (c == null) {
                    port = ports.get(Math.floorMod(nextPort.getAndIncrement(), ports.size()));
                    try {
                        c = open(port);
                        sessionsOpened.incrementAndGet();
                        sentInSession = 0;
                    } catch (IOException | RuntimeException e) {
                        sessionFailures.incrementAndGet();
                        lastSessionError = port + ": " + e.getMessage();
                        sleep(250);
                        continue;
                    }
                }
                if (!takeOne()) {
                    break;
                }
                Attempt a = sendOne(c, port);
                attempts.add(a);
                boolean broken = a.outcome() == Outcome.CONNECTION_LOST || a.outcome() == Outcome.UNCERTAIN
                        || a.reply().startsWith("421");
                if (broken) {
                    c.close();
                    c = null;
                } else if (++sentInSession >= messagesPerSession) {
                    c.close();
                    c = null;
                } else if (a.outcome() != Outcome.ACCEPTED) {
                    try {
                        c.send("RSET");
                    } catch (IOException e) {
                        c.close();
                        c = null;
                    }
                }
                if (pauseMillis > 0) {
                    sleep(pauseMillis);
                }
            }
        } finally {
            if (c != null) {
                c.close();
            }
        }
    }

    private SmtpClient open(int port) throws IOException {
        SmtpClient c = SmtpClient.connect(E2eStack.HOST, port);
        try {
            expect(c, c.read(), 220);
            expect(c, c.send("EHLO " + E2eBase.HELO), 250);
            expect(c, c.startTls(), 220);
            expect(c, c.send("EHLO " + E2eBase.HELO), 250);
            expect(c, c.authPlain(user, password), 235);
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static void expect(SmtpClient c, Reply r, int code) throws IOException {
        if (r.code() != code) {
            throw new IOException("expected " + code + ", got " + r);
        }
    }

    private Attempt sendOne(SmtpClient c, int port) {
        long n = seq.incrementAndGet();
        String rcpt = "load" + n + "@" + domains.get((int) (n % domains.size()));
        TestMessage m = new TestMessage(label + "-" + n, from, rcpt);
        Instant started = Instant.now();
        Reply r;
        try {
            r = c.send("MAIL FROM:<" + from + ">");
            if (r.code() != 250) {
                return refused(n, m, port, r, started);
            }
            r = c.send("RCPT TO:<" + rcpt + ">");
            if (r.code() != 250) {
                return refused(n, m, port, r, started);
            }
            r = c.send("DATA");
            if (r.code() != 354) {
                return refused(n, m, port, r, started);
            }
            c.writeBytes(m.dotStuffedCrlf());
        } catch (IOException e) {
            return new Attempt(n, m.token, port, rcpt, Outcome.CONNECTION_LOST, String.valueOf(e.getMessage()), null,
                    started, Instant.now());
        }
        try {
            c.write(".\r\n");
            r = c.read();
        } catch (IOException e) {
            return new Attempt(n, m.token, port, rcpt, Outcome.UNCERTAIN, String.valueOf(e.getMessage()), null,
                    started, Instant.now());
        }
        if (r.code() == 250 && r.queueId() != null) {
            return new Attempt(n, m.token, port, rcpt, Outcome.ACCEPTED, r.toString(), r.queueId(), started, Instant.now());
        }
        return refused(n, m, port, r, started);
    }

    private static Attempt refused(long n, TestMessage m, int port, Reply r, Instant started) {
        Outcome o = r.code() >= 500 ? Outcome.REJECTED : r.code() >= 400 ? Outcome.TEMPFAIL : Outcome.UNCERTAIN;
        return new Attempt(n, m.token, port, m.to, o, r.toString(), null, started, Instant.now());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- results

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    List<Attempt> accepted() {
        return attempts.stream().filter(a -> a.outcome() == Outcome.ACCEPTED).toList();
    }

    long acceptedCount() {
        return attempts.stream().filter(a -> a.outcome() == Outcome.ACCEPTED).count();
    }

    long count(Predicate<Attempt> p) {
        return attempts.stream().filter(p).count();
    }

    /** Waits until {@code more} further messages are accepted (proof that the pipeline takes mail again). */
    void awaitMoreAccepted(long more, Duration timeout) {
        long target = acceptedCount() + more;
        Awaitility.await(more + " more accepted messages (" + label + ")").atMost(timeout)
                .pollInterval(Duration.ofMillis(250)).until(() -> acceptedCount() >= target);
    }

    long sessionFailures() {
        return sessionFailures.get();
    }

    String lastSessionError() {
        return lastSessionError;
    }

    Map<Outcome, Long> byOutcome() {
        Map<Outcome, Long> m = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            m.put(o, 0L);
        }
        attempts.forEach(a -> m.merge(a.outcome(), 1L, Long::sum));
        return m;
    }

    Map<Integer, Long> acceptedByPort() {
        Map<Integer, Long> m = new TreeMap<>();
        accepted().forEach(a -> m.merge(a.port(), 1L, Long::sum));
        return m;
    }

    /** Distinct non-250 replies with their counts, for the report. */
    Map<String, Long> refusalReplies() {
        Map<String, Long> m = new TreeMap<>();
        attempts.stream().filter(a -> a.outcome() != Outcome.ACCEPTED)
                .forEach(a -> m.merge(a.outcome() + " " + shorten(a.reply()), 1L, Long::sum));
        return m;
    }

    private static String shorten(String reply) {
        String s = reply == null ? "" : reply.replaceAll("[0-9A-HJKMNP-TV-Z]{26}", "<id>");
        return s.length() > 90 ? s.substring(0, 90) : s;
    }

    String summary() {
        Map<Outcome, Long> o = byOutcome();
        return "sent=" + attempts.size() + " accepted=" + o.get(Outcome.ACCEPTED) + " tempfail=" + o.get(Outcome.TEMPFAIL)
                + " rejected=" + o.get(Outcome.REJECTED) + " connection-lost=" + o.get(Outcome.CONNECTION_LOST)
                + " uncertain=" + o.get(Outcome.UNCERTAIN) + " sessions=" + sessionsOpened.get()
                + " session-failures=" + sessionFailures.get();
    }
}
