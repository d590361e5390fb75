package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.submission.auth.SaslMechanism;
import dev.kanmon.submission.auth.window.LoginWindow;
import dev.kanmon.submission.config.SubmissionConfig;
import dev.kanmon.submission.dnsbl.ClientScreen;
import dev.kanmon.submission.message.AcceptedMessage;
import dev.kanmon.submission.message.MessageAcceptor;
import dev.kanmon.submission.message.Submission;
import dev.kanmon.submission.smtp.command.AuthHandler;
import dev.kanmon.submission.smtp.command.BdatHandler;
import dev.kanmon.submission.smtp.command.DataHandler;
import dev.kanmon.submission.smtp.command.EhloHandler;
import dev.kanmon.submission.smtp.command.HeloHandler;
import dev.kanmon.submission.smtp.command.HelpHandler;
import dev.kanmon.submission.smtp.command.MailHandler;
import dev.kanmon.submission.smtp.command.NoopHandler;
import dev.kanmon.submission.smtp.command.QuitHandler;
import dev.kanmon.submission.smtp.command.RcptHandler;
import dev.kanmon.submission.smtp.command.RsetHandler;
import dev.kanmon.submission.smtp.command.StartTlsHandler;
import dev.kanmon.submission.smtp.command.VrfyHandler;
import dev.kanmon.submission.smtp.policy.ProxyPolicy;
import dev.kanmon.submission.smtp.policy.RelayPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An SMTP session in memory, driven as a dialogue: the real {@link SmtpSession}, handlers and framing on a Vert.x
 * event loop, over a {@link MemoryTransport} instead of a socket, with back ends given as plain functions (queue,
 * DNSBL, SASL, login window). No socket, Kafka or HTTP; a dialogue runs in milliseconds.
 *
 * <pre>
 * try (Dialogue d = Dialogue.on(ListenerKind.SMTP).open()) {
 *     d.send("EHLO client.test").expect("250-relay.test", ...);
 * }
 * </pre>
 */
public final class Dialogue implements AutoCloseable {

    private static final Vertx VERTX = Vertx.vertx();

    /** What a test may vary about the server; the defaults are the local profile's. */
    public static final class Setup {
        private final ListenerKind listener;
        private String clientIp = "192.0.2.10";
        private boolean tlsAvailable = true;
        private boolean tlsRequired = true;
        private List<String> trustedNetworks = List.of("127.0.0.0/8");
        private List<String> relayDomains = List.of("example.test");
        private List<SaslMechanism> mechanisms = List.of();
        private long maxMessageSize = 1000;
        private int maxRecipients = 3;
        private int hardErrorLimit = 20;
        private SubmissionConfig.BareLineEndings bareLineEndings = SubmissionConfig.BareLineEndings.REJECT;
        private ClientScreen screen;
        private boolean connectCheck;
        private SubmissionConfig.AuthenticatedAction authenticatedAction = SubmissionConfig.AuthenticatedAction.BLOCK;
        private LoginWindow loginWindow;
        private Function<Submission, Future<AcceptedMessage>> queue;

        private Setup(ListenerKind listener) {
            this.listener = listener;
        }

        public Setup from(String ip) {
            clientIp = ip;
            return this;
        }

        public Setup tls(boolean available, boolean requiredOnSubmission) {
            tlsAvailable = available;
            tlsRequired = requiredOnSubmission;
            return this;
        }

        public Setup mechanisms(SaslMechanism... m) {
            mechanisms = List.of(m);
            return this;
        }

        public Setup maxMessageSize(long size) {
            maxMessageSize = size;
            return this;
        }

        public Setup maxRecipients(int n) {
            maxRecipients = n;
            return this;
        }

        public Setup hardErrorLimit(int n) {
            hardErrorLimit = n;
            return this;
        }

        public Setup normalizeBareLineEndings() {
            bareLineEndings = SubmissionConfig.BareLineEndings.NORMALIZE;
            return this;
        }

        public Setup screen(ClientScreen s, boolean atConnect, SubmissionConfig.AuthenticatedAction atAuth) {
            screen = s;
            connectCheck = atConnect;
            authenticatedAction = atAuth;
            return this;
        }

        public Setup loginWindow(LoginWindow window) {
            loginWindow = window;
            return this;
        }

        /** What the queue answers; by default it accepts everything as {@code Q1}, {@code Q2}, ... */
        public Setup queue(Function<Submission, Future<AcceptedMessage>> q) {
            queue = q;
            return this;
        }

        /** Connects: the greeting is read and checked to start with {@code 220}. */
        public Dialogue open() {
            Dialogue d = connect();
            assertThat(d.replies()).first().asString().startsWith("220 ");
            return d;
        }

        /** Connects without reading the greeting. */
        public Dialogue connect() {
            return new Dialogue(this);
        }

        private SmtpEnvironment environment(List<Submission> queued) {
            Setup s = this;
            SubmissionConfig.Limits limits = new SubmissionConfig.Limits() {
                @Override public long maxMessageSize() { return s.maxMessageSize; }
                @Override public int maxCommandLine() { return 512; }
                @Override public int maxAuthLine() { return 12288; }
                @Override public int maxRecipients() { return s.maxRecipients; }
                @Override public int hardErrorLimit() { return s.hardErrorLimit; }
                @Override public Duration idleTimeout() { return Duration.ofMinutes(5); }
                @Override public SubmissionConfig.BareLineEndings bareLineEndings() { return s.bareLineEndings; }
            };
            SubmissionConfig.Dnsbl dnsbl = new SubmissionConfig.Dnsbl() {
                @Override public boolean connectCheck() { return s.connectCheck; }
                @Override public SubmissionConfig.AuthenticatedAction authenticatedAction() {
                    return s.authenticatedAction;
                }
            };
            Function<Submission, Future<AcceptedMessage>> q = queue != null ? queue : sub -> {
                queued.add(sub);
                return Future.succeededFuture(new AcceptedMessage("Q" + queued.size(), sub.content().length()));
            };
            MessageAcceptor acceptor = q::apply;
            SmtpEnvironment env = new SmtpEnvironment("relay.test", limits, tlsAvailable, tlsRequired,
                    new RelayPolicy(trustedNetworks, relayDomains), new ProxyPolicy(List.of(), List.of()), mechanisms,
                    acceptor, screen, null, dnsbl, new SmtpMetrics(new SimpleMeterRegistry()),
                    List.of(new EhloHandler(), new HeloHandler(), new StartTlsHandler(), new AuthHandler(),
                            new MailHandler(), new RcptHandler(), new DataHandler(), new BdatHandler(),
                            new RsetHandler(), new NoopHandler(), new QuitHandler(), new VrfyHandler(),
                            new HelpHandler()));
            env.loginWindow(loginWindow);
            return env;
        }
    }

    /** The event loops the dialogues run on. */
    public static Vertx vertx() {
        return VERTX;
    }

    public static Setup on(ListenerKind listener) {
        return new Setup(listener);
    }

    private final Context context = VERTX.getOrCreateContext();
    private final MemoryTransport transport;
    private final SmtpServer.Live live = new SmtpServer.Live();
    private final List<Submission> queued = new ArrayList<>();
    private final SmtpSession session;

    private Dialogue(Setup setup) {
        transport = new MemoryTransport(context, setup.clientIp, setup.listener.implicitTls());
        SmtpEnvironment env = setup.environment(queued);
        session = new SmtpSession(env, live, setup.listener, transport, context);
        onLoop(session::start);
    }

    /** An identity change in Keycloak for user {@code userId}, as the server hands it to each live session. */
    public boolean revoke(String userId, String change) {
        boolean mayRunAs = session.revoke(userId, change);
        onLoop(() -> { });
        return mayRunAs;
    }

    /** Sends one command line (CRLF added). */
    public Dialogue send(String line) {
        return raw(line + "\r\n");
    }

    /** Sends bytes as they are: pipelined commands, message content, partial lines. */
    public Dialogue raw(String text) {
        onLoop(() -> transport.receive(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8))));
        return this;
    }

    /** The replies written since the last look, one string per line. */
    public List<String> replies() {
        onLoop(() -> { });
        String out = transport.take();
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\r\n"));
    }

    /** Asserts the reply lines written since the last look: each starts with the text given for it. */
    public Dialogue expect(String... starts) {
        List<String> lines = replies();
        assertThat(lines).as("replies").hasSize(starts.length);
        for (int i = 0; i < starts.length; i++) {
            assertThat(lines.get(i)).as("reply line %d of %s", i + 1, lines).startsWith(starts[i]);
        }
        return this;
    }

    /** Whether the server closed the connection. */
    public boolean closed() {
        onLoop(() -> { });
        return transport.closed();
    }

    /** Whether the session stopped reading (waiting for a back end). */
    public boolean paused() {
        return transport.paused();
    }

    /** The messages the queue accepted, in order. */
    public List<Submission> queued() {
        onLoop(() -> { });
        return queued;
    }

    @Override
    public void close() {
        onLoop(transport::closeByClient);
        onLoop(() -> { });
    }

    /** Runs on the session's event loop and waits for it (and for anything it scheduled there before). */
    private void onLoop(Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.run();
                context.runOnContext(w -> done.complete(null));
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
