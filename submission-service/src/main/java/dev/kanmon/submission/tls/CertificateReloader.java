package dev.kanmon.submission.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Serves renewed certificates without a restart. The files are read again periodically and compared by content
 * with what the listeners serve (a Kubernetes secret volume flips a symlink, so file times say nothing); changed
 * material is checked ({@link ServerTls#load()}) and handed to every listener's {@link NetServer}. Vert.x keeps
 * one actual server per port, shared by the verticle instances, and forwards an update from any instance to it;
 * every instance's server is updated anyway, and the ones after the first find equal options and do nothing. New
 * connections, and STARTTLS on connections accepted from then on, get the new certificate; open sessions keep
 * the one they were accepted with. Material that cannot be used is refused with an ERROR (once per content, not
 * at every check) and the old certificate stays.
 */
public final class CertificateReloader {

    private static final Logger LOG = Logger.getLogger(CertificateReloader.class);

    private final Vertx vertx;
    private final ServerTls tls;
    private final List<NetServer> servers = new CopyOnWriteArrayList<>();
    private final Counter reloaded;
    private final Counter refused;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> notAfter = new ConcurrentHashMap<>();
    private volatile ServerTls.Loaded current;
    /** The material or read error last refused, so that a broken file is reported once, not every interval. */
    private volatile Object lastRefused;
    private Future<Boolean> lastCheck = Future.succeededFuture(false);
    private long timer = -1;

    public CertificateReloader(Vertx vertx, ServerTls tls, ServerTls.Loaded initial, MeterRegistry registry) {
        this.vertx = vertx;
        this.tls = tls;
        this.current = initial;
        this.registry = registry;
        this.reloaded = registry.counter("kanmon.smtp.tls.certificate.reloads", "result", "success");
        this.refused = registry.counter("kanmon.smtp.tls.certificate.reloads", "result", "failure");
        expiry(initial);
    }

    /** A listener's server, to be given the new material; every verticle instance registers its own. */
    public void watch(NetServer server) {
        servers.add(server);
    }

    /** Checks every {@code interval}; zero or negative: never. */
    public synchronized void start(Duration interval) {
        if (!interval.isZero() && !interval.isNegative() && timer < 0) {
            timer = vertx.setPeriodic(interval.toMillis(), id -> check());
        }
    }

    public synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /**
     * Reads the files now and, if they changed and can be used, serves them to the next handshakes. Completes with
     * whether a new certificate is now served. Checks run one after the other.
     */
    public synchronized Future<Boolean> check() {
        lastCheck = lastCheck.transform(ignored -> vertx.executeBlocking(this::changed, false)
                .compose(loaded -> loaded == null ? Future.succeededFuture(false) : install(loaded)));
        return lastCheck;
    }

    /** The checked new material, or null when nothing changed or the change is refused. Blocking: reads files. */
    private ServerTls.Loaded changed() {
        TlsMaterial material;
        try {
            material = tls.read();
        } catch (RuntimeException e) {
            refuse(e.getMessage(), e);
            return null;
        }
        if (material.equals(current.material())) {
            lastRefused = null;
            return null;
        }
        try {
            return tls.load(material);
        } catch (RuntimeException e) {
            refuse(material, e);
            return null;
        }
    }

    private Future<Boolean> install(ServerTls.Loaded loaded) {
        List<Future<Boolean>> updates = servers.stream().map(s -> s.updateSSLOptions(loaded.options())).toList();
        return Future.all(updates).transform(done -> {
            if (done.failed()) {
                // Vert.x keeps serving the previous context when a new one cannot be built.
                refuse(loaded.material(), done.cause());
                return Future.succeededFuture(false);
            }
            current = loaded;
            lastRefused = null;
            reloaded.increment();
            expiry(loaded);
            LOG.infof("TLS certificate reloaded on every listener: %s", loaded.describe());
            return Future.succeededFuture(true);
        });
    }

    private void refuse(Object what, Throwable cause) {
        if (Objects.equals(what, lastRefused)) {
            return;
        }
        lastRefused = what;
        refused.increment();
        LOG.errorf(cause, "TLS certificate files changed but cannot be used; still serving %s", current.describe());
    }

    /** Expiry of the served certificates as a gauge per key type, for an alert before the renewal is late. */
    private void expiry(ServerTls.Loaded loaded) {
        for (X509Certificate leaf : loaded.leaves()) {
            notAfter.computeIfAbsent(leaf.getPublicKey().getAlgorithm(), type -> registry.gauge(
                    "kanmon.smtp.tls.certificate.not.after", Tags.of("key_type", type), new AtomicLong(),
                    AtomicLong::doubleValue)).set(leaf.getNotAfter().toInstant().getEpochSecond());
        }
    }
}
