package dev.kanmon.submission.smtp;

import dev.kanmon.submission.auth.SaslMechanism;
import dev.kanmon.submission.auth.window.LoginWindow;
import dev.kanmon.submission.config.SubmissionConfig;
import dev.kanmon.submission.dnsbl.ClientScreen;
import dev.kanmon.submission.message.MessageAcceptor;
import dev.kanmon.submission.quota.QuotaClient;
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
import dev.kanmon.submission.smtp.io.SocketTransport;
import dev.kanmon.submission.smtp.policy.ProxyPolicy;
import dev.kanmon.submission.smtp.policy.RelayPolicy;
import dev.kanmon.submission.tls.CertificateReloader;
import dev.kanmon.submission.tls.ServerTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** Starts the SMTP listeners when Quarkus starts and stops them when it stops. */
@ApplicationScoped
public class SmtpServer {

    private static final Logger LOG = Logger.getLogger(SmtpServer.class);

    private final Vertx vertx;
    private final SubmissionConfig config;
    private final Instance<SaslMechanism> mechanisms;
    private final Instance<MessageAcceptor> acceptor;
    private final Instance<ClientScreen> screen;
    private final SmtpMetrics metrics;
    private final QuotaClient quota;
    private final MeterRegistry registry;
    private String deployment;
    private CertificateReloader reloader;
    private volatile SmtpEnvironment env;
    private final Live live = new Live();
    /** Login-before-SMTP on 587 (docs/authentication.md); handed to the environment when enabled. */
    @Inject
    LoginWindow loginWindow;

    public SmtpServer(Vertx vertx, SubmissionConfig config, Instance<SaslMechanism> mechanisms,
            Instance<MessageAcceptor> acceptor, Instance<ClientScreen> screen, SmtpMetrics metrics, QuotaClient quota,
            MeterRegistry registry) {
        this.quota = quota;
        this.registry = registry;
        this.vertx = vertx;
        this.config = config;
        this.mechanisms = mechanisms;
        this.acceptor = acceptor;
        this.screen = screen;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) throws Exception {
        if (!acceptor.isResolvable()) {
            throw new IllegalStateException("submission-service needs exactly one MessageAcceptor bean (the Kafka "
                    + "producer in dev.kanmon.submission.queue); found " + (acceptor.isAmbiguous() ? "several" : "none"));
        }
        boolean tls = ServerTls.configured(config.tls());
        ServerTls serverTls = tls ? new ServerTls(vertx, config.tls()) : null;
        ServerTls.Loaded certificates = tls ? serverTls.load() : null;
        reloader = tls ? new CertificateReloader(vertx, serverTls, certificates, registry) : null;
        Map<ListenerKind, NetServerOptions> listeners = new EnumMap<>(ListenerKind.class);
        for (ListenerKind kind : ListenerKind.values()) {
            SubmissionConfig.Listener l = listener(kind);
            if (!l.enabled()) {
                continue;
            }
            if (kind == ListenerKind.SUBMISSION && config.tls().requiredOnSubmission() && !tls) {
                throw new IllegalStateException("listener submission requires TLS (kanmon.submission.tls."
                        + "required-on-submission=true) but kanmon.submission.tls.cert-path and key-path are not set");
            }
            if (kind.implicitTls() && !tls) {
                throw new IllegalStateException("listener " + kind.id() + " needs kanmon.submission.tls.cert-path "
                        + "and key-path (or set kanmon.submission." + kind.id() + ".enabled=false)");
            }
            NetServerOptions options = new NetServerOptions()
                    .setHost(l.host().orElse(config.host()))
                    .setPort(l.port().orElse(kind.defaultPort()))
                    .setTcpNoDelay(true)
                    .setUseProxyProtocol(l.proxyProtocol())
                    .setProxyProtocolTimeout(config.proxyProtocol().timeout().toMillis())
                    .setProxyProtocolTimeoutUnit(TimeUnit.MILLISECONDS);
            if (tls) {
                serverTls.apply(options, certificates);
                options.setSsl(kind.implicitTls());
            }
            listeners.put(kind, options);
        }
        List<SaslMechanism> mechanismList = mechanisms.stream().toList();
        env = new SmtpEnvironment(hostname(), config.limits(), tls, config.tls().requiredOnSubmission(),
                new RelayPolicy(config.relay().trustedNetworks().orElse(List.of()),
                        config.relay().domains().orElse(List.of())),
                new ProxyPolicy(config.proxyProtocol().trustedNetworks().orElse(List.of()),
                        listeners.keySet().stream().filter(k -> listener(k).proxyProtocol()).toList()),
                mechanismList, acceptor.get(), screen.isResolvable() ? screen.get() : null, quota, config.dnsbl(), metrics,
                List.of(new EhloHandler(), new HeloHandler(), new StartTlsHandler(), new AuthHandler(),
                        new MailHandler(), new RcptHandler(), new DataHandler(), new BdatHandler(),
                        new RsetHandler(), new NoopHandler(), new QuitHandler(), new VrfyHandler(),
                        new HelpHandler()));
        env.loginWindow(loginWindow);
        int instances = config.instances() > 0 ? config.instances() : Runtime.getRuntime().availableProcessors();
        Consumer<NetServer> listening = reloader == null ? server -> { } : reloader::watch;
        SmtpEnvironment shared = env;
        SmtpVerticle.Connections connections = (kind, socket, context) ->
                new SmtpSession(shared, live, kind, new SocketTransport(socket), context).start();
        deployment = vertx.deployVerticle(() -> new SmtpVerticle(shared.metrics(), listeners, listening, connections),
                        new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        listeners.forEach((kind, o) -> LOG.infof("SMTP listener %s on %s:%d (%s)", kind.id(), o.getHost(),
                o.getPort(), kind.implicitTls() ? "implicit TLS" : tls ? "STARTTLS" : "no TLS"));
        if (tls) {
            LOG.infof("TLS engine: %s, profile %s", serverTls.engineName(), config.tls().profile());
            LOG.infof("TLS certificate: %s; files checked for changes every %s", certificates.describe(),
                    config.tls().reloadInterval());
            reloader.start(config.tls().reloadInterval());
        }
        LOG.infof("SASL mechanisms: %s", mechanismList.stream().map(SaslMechanism::name).toList());
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (reloader != null) {
            reloader.stop();
        }
        if (env != null) {
            drain(config.drainTimeout());
        }
        if (deployment != null) {
            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Reads the certificate files now instead of at the next periodic check ({@code tls.reload-interval}) and serves
     * them if they changed and can be used; completes with whether a new certificate is served. False without TLS.
     */
    public CompletionStage<Boolean> reloadCertificates() {
        return reloader == null ? CompletableFuture.completedFuture(false) : reloader.check().toCompletionStage();
    }

    /**
     * An identity change in Keycloak ended user {@code userId}'s right to send: its live sessions refuse their next
     * MAIL with {@code 421 4.7.0} (docs/authentication.md). Any thread; how many sessions may run as that user.
     */
    public int revokeUser(String userId, String change) {
        int n = 0;
        for (SmtpSession s : live.sessions) {
            if (s.revoke(userId, change)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Graceful drain: new connections get {@code 421 4.3.2}, open sessions may finish until the deadline,
     * then the rest get {@code 421 4.3.2} (after the reply to a message being queued, if any).
     */
    public void drain(Duration deadline) throws InterruptedException {
        live.draining = true;
        LOG.infof("draining %d SMTP sessions for up to %s", live.sessions.size(), deadline);
        if (!sessionsClosedWithin(deadline)) {
            LOG.infof("drain deadline: closing %d sessions with 421 4.3.2", live.sessions.size());
            live.sessions.forEach(SmtpSession::shutdown);
            // Bounded by the queue's own delivery timeout for a message in flight.
            sessionsClosedWithin(Duration.ofSeconds(30));
        }
    }

    /** Waits until every session has closed or the time is up; whether they all closed. */
    private boolean sessionsClosedWithin(Duration time) throws InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        while (!live.sessions.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return live.sessions.isEmpty();
    }

    /** The open sessions of all event loops (for the drain and identity changes) and whether the server drains. */
    static final class Live {

        private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
        private volatile boolean draining;

        void opened(SmtpSession session) {
            sessions.add(session);
        }

        void closed(SmtpSession session) {
            sessions.remove(session);
        }

        /** Whether the server is shutting down: new connections get {@code 421 4.3.2}. */
        boolean draining() {
            return draining;
        }
    }

    private SubmissionConfig.Listener listener(ListenerKind kind) {
        return switch (kind) {
            case SUBMISSION -> config.submission();
            case SUBMISSIONS -> config.submissions();
            case SMTP -> config.smtp();
        };
    }

    private String hostname() {
        return config.hostname().orElseGet(() -> {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        });
    }
}
