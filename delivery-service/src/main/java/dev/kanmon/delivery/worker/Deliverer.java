package dev.kanmon.delivery.worker;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.delivery.config.DeliveryConfig;
import dev.kanmon.delivery.dkim.DkimSigner;
import dev.kanmon.delivery.metrics.DeliveryMetrics;
import dev.kanmon.delivery.mx.MxHost;
import dev.kanmon.delivery.mx.MxResolver;
import dev.kanmon.delivery.mx.Route;
import dev.kanmon.delivery.schedule.DeliveryAttempts;
import dev.kanmon.delivery.smtp.ConnectionPool;
import dev.kanmon.delivery.smtp.HopFailure;
import dev.kanmon.delivery.smtp.HopSettings;
import dev.kanmon.delivery.smtp.MailTransaction;
import dev.kanmon.delivery.smtp.OutboundMessage;
import dev.kanmon.delivery.smtp.ReplyMapping;
import dev.kanmon.delivery.smtp.SessionOpener;
import dev.kanmon.delivery.smtp.StaleConnectionException;
import dev.kanmon.delivery.smtp.TransactionResult;
import dev.kanmon.delivery.transport.TransportMap;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One delivery attempt of one request: route (transport map or MX), then the hosts in order and each host's
 * addresses until one session carries the mail transaction. Hosts that cannot be used are skipped; when none is
 * left, every recipient is deferred with the last reason. The destination's rate and connection slots were taken
 * by the {@link dev.kanmon.delivery.schedule.FairScheduler} before it started the attempt.
 */
@ApplicationScoped
public class Deliverer implements DeliveryAttempts {

    private static final Logger LOG = Logger.getLogger(Deliverer.class);

    private final MxResolver resolver;
    private final TransportMap transports;
    private final ConnectionPool pool;
    private final SessionOpener opener;
    private final MailTransaction transaction;
    private final DkimSigner dkim;
    private final DeliveryMetrics metrics;
    private final DeliveryConfig.Mx mx;

    public Deliverer(MxResolver resolver, TransportMap transports, ConnectionPool pool,
            SessionOpener opener, MailTransaction transaction, DkimSigner dkim, DeliveryMetrics metrics, DeliveryConfig config) {
        this.resolver = resolver;
        this.transports = transports;
        this.pool = pool;
        this.opener = opener;
        this.transaction = transaction;
        this.dkim = dkim;
        this.metrics = metrics;
        this.mx = config.mx();
    }

    /** A host to try with the settings for talking to it. */
    private record Target(String host, int port, HopSettings settings) {
    }

    /** Progress over the targets: how many addresses were tried and the last reason for moving on. */
    private static final class Attempts {
        int addresses;
        HopFailure last;
    }

    /** Where to go: the hosts to try in order, or why there is nowhere to go. */
    private record Plan(List<Target> targets, Route.Unroutable unroutable) {
    }

    @Override
    public Future<DeliveryResult> deliver(DeliveryRequest request, byte[] message) {
        Future<List<RecipientResult>> results;
        try {
            OutboundMessage outbound = OutboundMessage.of(request, dkim.sign(message));
            results = plan(request.domain()).compose(plan -> plan.unroutable() != null
                    ? Future.succeededFuture(all(request, plan.unroutable().permanent() ? RecipientStatus.FAILED : RecipientStatus.DEFERRED,
                            0, plan.unroutable().enhanced(), plan.unroutable().reason(), null))
                    : tryTargets(request, outbound, plan.targets(), 0, new Attempts()));
        } catch (RuntimeException e) {
            results = Future.failedFuture(e);
        }
        return results.recover(e -> {
            LOG.errorf(e, "delivery %s of %s failed unexpectedly", request.deliveryId(), request.queueId());
            return Future.succeededFuture(all(request, RecipientStatus.DEFERRED, 0, "4.3.0",
                    "internal error in delivery: " + e, null));
        }).map(list -> report(request, list));
    }

    @Override
    public DeliveryResult deferred(DeliveryRequest request, String enhancedCode, String text) {
        return report(request, all(request, RecipientStatus.DEFERRED, 0, enhancedCode, text, null));
    }

    /** Counts and logs each recipient's outcome and makes the result. */
    private DeliveryResult report(DeliveryRequest request, List<RecipientResult> list) {
        List<RecipientResult> ordered = inRequestOrder(request, list);
        for (RecipientResult r : ordered) {
            metrics.recipient(request.domain(), r.status());
            // One line per recipient and attempt, like Postfix's smtp(8) "to=<...>, relay=..., status=sent".
            QueueIdLog.infof(LOG, "queueId=%s delivery=%s to=<%s> relay=%s attempt=%d status=%s reply=%s %s %s",
                    request.queueId(), request.deliveryId(), r.address(),
                    r.remoteMta() == null ? "none" : r.remoteMta(), request.attempt(),
                    r.status().name().toLowerCase(Locale.ROOT),
                    r.replyCode() == 0 ? "-" : String.valueOf(r.replyCode()),
                    r.enhancedCode() == null ? "-" : r.enhancedCode(), r.diagnostic() == null ? "" : r.diagnostic());
        }
        return new DeliveryResult(request.deliveryId(), request.queueId(), request.domain(), request.attempt(),
                ordered, Instant.now());
    }

    private Future<Plan> plan(String domain) {
        var hop = transports.nextHop(domain);
        if (hop.isPresent()) {
            return Future.succeededFuture(new Plan(List.of(new Target(hop.get().host(), hop.get().port(), hop.get().settings())), null));
        }
        HopSettings settings = transports.mxSettings(domain);
        return resolver.route(domain).map(route -> route instanceof Route.Hosts hosts
                ? new Plan(hosts.hosts().stream().map(MxHost::name).map(h -> new Target(h, mx.port(), settings)).toList(), null)
                : new Plan(List.of(), (Route.Unroutable) route));
    }

    private Future<List<RecipientResult>> tryTargets(DeliveryRequest request, OutboundMessage message, List<Target> targets,
            int index, Attempts attempts) {
        if (index >= targets.size() || attempts.addresses >= mx.maxAddresses()) {
            return Future.succeededFuture(exhausted(request, attempts.last));
        }
        Target target = targets.get(index);
        return resolver.addresses(target.host()).otherwise(List.of()).compose(addresses -> {
            if (addresses.isEmpty()) {
                attempts.last = new HopFailure("no address records for " + target.host(), 0, "4.4.3", false);
            }
            return tryAddresses(request, message, target, addresses, 0, attempts);
        }).compose(done -> done != null ? Future.succeededFuture(done)
                : tryTargets(request, message, targets, index + 1, attempts));
    }

    /** Completes with the results, or with null when every address of the target had to be skipped. */
    private Future<List<RecipientResult>> tryAddresses(DeliveryRequest request, OutboundMessage message, Target target,
            List<InetAddress> addresses, int index, Attempts attempts) {
        if (index >= addresses.size() || attempts.addresses >= mx.maxAddresses()) {
            return Future.succeededFuture(null);
        }
        attempts.addresses++;
        InetAddress address = addresses.get(index);
        return transact(request.domain(), message, target, address, true)
                .map(TransactionResult::results)
                .recover(e -> {
                    if (e instanceof HopFailure failure) {
                        LOG.debugf("delivery %s: skipping %s: %s", request.deliveryId(), address, failure.getMessage());
                        attempts.last = failure;
                        return tryAddresses(request, message, target, addresses, index + 1, attempts);
                    }
                    return Future.failedFuture(e);
                });
    }

    private Future<TransactionResult> transact(String domain, OutboundMessage message, Target target, InetAddress address,
            boolean retryStale) {
        InetSocketAddress socket = new InetSocketAddress(address, target.port());
        return pool.lease(domain, socket, () -> opener.open(address, target.port(), target.settings()))
                .compose(lease -> transaction.run(lease.connection(), message)
                        .onComplete(ar -> pool.release(domain, lease.connection(), ar.succeeded() && ar.result().reusable())))
                .recover(e -> e instanceof StaleConnectionException && retryStale
                        ? transact(domain, message, target, address, false)
                        : Future.failedFuture(e));
    }

    private static List<RecipientResult> exhausted(DeliveryRequest request, HopFailure last) {
        if (last == null || !last.connected()) {
            String reason = last == null ? "no usable mail exchanger" : last.getMessage();
            return all(request, RecipientStatus.DEFERRED, 0, "4.4.1", "all mail exchangers unreachable: " + reason, null);
        }
        return all(request, RecipientStatus.DEFERRED, last.replyCode(), last.enhanced(), last.getMessage(), null);
    }

    private static List<RecipientResult> all(DeliveryRequest request, RecipientStatus status, int code, String enhanced,
            String text, String mta) {
        return request.recipients().stream().map(r -> ReplyMapping.local(r, status, code, enhanced, text, mta)).toList();
    }

    private static List<RecipientResult> inRequestOrder(DeliveryRequest request, List<RecipientResult> results) {
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < request.recipients().size(); i++) {
            position.put(request.recipients().get(i).recipientId(), i);
        }
        List<RecipientResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(r -> position.getOrDefault(r.recipientId(), Integer.MAX_VALUE)));
        return sorted;
    }
}
