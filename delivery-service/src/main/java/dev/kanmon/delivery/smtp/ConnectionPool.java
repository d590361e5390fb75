package dev.kanmon.delivery.smtp;

import dev.kanmon.delivery.config.DeliveryConfig;
import dev.kanmon.delivery.limits.DestinationLimits;
import dev.kanmon.delivery.metrics.DeliveryMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Open connections per destination domain, capped by the domain's connection limit, with idle connections
 * kept for reuse until {@code idle-timeout}. A caller over the limit waits; it gets a slot when a connection
 * is returned or closed, and may take over an idle connection to another address of the same domain.
 */
@ApplicationScoped
public class ConnectionPool {

    /** A connection handed out by {@link #lease}. */
    public record Lease(SmtpConnection connection, boolean reused) {
    }

    private static final class Domain {
        int open;
        final Map<InetSocketAddress, Deque<Idle>> idle = new HashMap<>();
        final Deque<Runnable> waiters = new ArrayDeque<>();
    }

    private record Idle(SmtpConnection connection, long timer) {
    }

    private final Vertx vertx;
    private final DestinationLimits limits;
    private final DeliveryConfig.Smtp smtp;
    private final Map<String, Domain> domains = new HashMap<>();
    private int totalOpen;

    public ConnectionPool(Vertx vertx, DestinationLimits limits, DeliveryConfig config, DeliveryMetrics metrics) {
        this.vertx = vertx;
        this.limits = limits;
        this.smtp = config.smtp();
        metrics.connections(this::open);
    }

    private synchronized int open() {
        return totalOpen;
    }

    /**
     * A ready connection to {@code address} for {@code domain}: an idle one when there is one, else a new one
     * from {@code opener} once the domain is under its connection limit.
     */
    public Future<Lease> lease(String domain, InetSocketAddress address, Supplier<Future<SmtpConnection>> opener) {
        SmtpConnection reusable = null;
        SmtpConnection evicted = null;
        boolean connect = false;
        Promise<Lease> waiting = null;
        synchronized (this) {
            Domain d = domains.computeIfAbsent(domain, k -> new Domain());
            Idle idle = pollIdle(d, address);
            if (idle != null) {
                vertx.cancelTimer(idle.timer());
                reusable = idle.connection();
            } else if (d.open < limits.of(domain).connections()) {
                d.open++;
                totalOpen++;
                connect = true;
            } else {
                Idle other = pollAnyIdle(d);
                if (other != null) {
                    // the slot of an idle connection elsewhere in the domain passes to this caller
                    vertx.cancelTimer(other.timer());
                    evicted = other.connection();
                    connect = true;
                } else {
                    Promise<Lease> p = Promise.promise();
                    d.waiters.add(() -> lease(domain, address, opener).onComplete(p));
                    waiting = p;
                }
            }
        }
        if (evicted != null) {
            evicted.onClose(() -> { });
            evicted.quit(smtp.quitTimeout());
        }
        if (reusable != null) {
            return Future.succeededFuture(new Lease(reusable, true));
        }
        if (connect) {
            return opener.get()
                    .onFailure(e -> closed(domain))
                    .map(conn -> {
                        conn.onClose(() -> closedWhileIdle(domain, conn));
                        return new Lease(conn, false);
                    });
        }
        return waiting.future();
    }

    /** Returns a leased connection: kept idle for reuse when clean, else closed. */
    public void release(String domain, SmtpConnection conn, boolean reusable) {
        int max = smtp.maxMessagesPerConnection();
        boolean reuse = !smtp.idleTimeout().isZero() && (max == 0 || conn.messages() < max);
        if (reusable && reuse && conn.isOpen() && conn.state() == SessionState.READY) {
            Runnable waiter;
            synchronized (this) {
                Domain d = domains.get(domain);
                long timer = vertx.setTimer(smtp.idleTimeout().toMillis(), t -> expire(domain, conn));
                d.idle.computeIfAbsent(conn.address(), a -> new ArrayDeque<>()).add(new Idle(conn, timer));
                waiter = d.waiters.poll();
            }
            if (waiter != null) {
                waiter.run();
            }
            return;
        }
        conn.onClose(() -> { });
        conn.quit(smtp.quitTimeout());
        closed(domain);
    }

    private void expire(String domain, SmtpConnection conn) {
        boolean removed;
        synchronized (this) {
            Domain d = domains.get(domain);
            removed = d != null && removeIdle(d, conn);
        }
        if (removed) {
            conn.onClose(() -> { });
            conn.quit(smtp.quitTimeout());
            closed(domain);
        }
    }

    /** The peer closed a connection: if it was idle, its slot is freed. */
    private void closedWhileIdle(String domain, SmtpConnection conn) {
        boolean removed;
        synchronized (this) {
            Domain d = domains.get(domain);
            removed = d != null && removeIdle(d, conn);
        }
        if (removed) {
            closed(domain);
        }
    }

    private void closed(String domain) {
        Runnable waiter;
        synchronized (this) {
            Domain d = domains.get(domain);
            d.open--;
            totalOpen--;
            waiter = d.waiters.poll();
            if (d.open == 0 && d.waiters.isEmpty()) {
                domains.remove(domain);
            }
        }
        if (waiter != null) {
            waiter.run();
        }
    }

    private Idle pollIdle(Domain d, InetSocketAddress address) {
        Deque<Idle> q = d.idle.get(address);
        Idle idle = q == null ? null : q.pollLast();
        if (q != null && q.isEmpty()) {
            d.idle.remove(address);
        }
        return idle;
    }

    private Idle pollAnyIdle(Domain d) {
        Iterator<InetSocketAddress> it = d.idle.keySet().iterator();
        return it.hasNext() ? pollIdle(d, it.next()) : null;
    }

    private boolean removeIdle(Domain d, SmtpConnection conn) {
        Deque<Idle> q = d.idle.get(conn.address());
        if (q == null) {
            return false;
        }
        for (Iterator<Idle> it = q.iterator(); it.hasNext();) {
            Idle idle = it.next();
            if (idle.connection() == conn) {
                vertx.cancelTimer(idle.timer());
                it.remove();
                if (q.isEmpty()) {
                    d.idle.remove(conn.address());
                }
                return true;
            }
        }
        return false;
    }

    /** Says QUIT on every idle connection at shutdown. */
    @PreDestroy
    void shutdown() {
        List<SmtpConnection> idle = new ArrayList<>();
        synchronized (this) {
            domains.values().forEach(d -> d.idle.values().forEach(q -> q.forEach(i -> {
                vertx.cancelTimer(i.timer());
                idle.add(i.connection());
            })));
            domains.clear();
        }
        idle.forEach(c -> c.quit(smtp.quitTimeout()));
    }
}
