package dev.kanmon.queue.abuse;

import dev.kanmon.core.abuse.AbuseAction;
import dev.kanmon.core.abuse.AbuseEvent;
import dev.kanmon.core.abuse.LoginObservation;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.queue.audit.AuditEntry;
import dev.kanmon.queue.audit.AuditLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Records the signals of each subscriber and applies the graduated response (docs/abuse.md). Observations come from
 * the intake (submitted messages), the results (delivery outcomes) and the auth-service's login observations; each
 * observed subscriber is then evaluated under a lock on its {@code abuse_subscriber} row, so that replicas decide each
 * step once. The steps decided are audited in the same transaction and published after it commits.
 */
@ApplicationScoped
public class AbuseEngine {

    private static final Logger LOG = Logger.getLogger(AbuseEngine.class);
    /** Remote replies that defer for the sender's reputation rather than for a busy or broken destination. */
    private static final Pattern REPUTATION = Pattern.compile(
            "(?i)reputation|block|spam|listed|blacklist|rbl|policy|rate.?limit|too many");

    private static final String ADD_SLOTS = """
            insert into queue.abuse_slot as s (username, slot_start, messages, recipients, login_failures, delivered,
                                                rejected, deferred_reputation, bounced, new_messages, new_recipients)
            select v.u, $1, v.m, v.r, v.f, v.d, v.rj, v.dr, v.b, v.nm, v.nr
              from unnest($2::varchar[], $3::bigint[], $4::bigint[], $5::int[], $6::bigint[], $7::bigint[],
                          $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[]) as v(u, m, r, f, d, rj, dr, b, nm, nr)
            on conflict (username, slot_start) do update
               set messages = s.messages + excluded.messages, recipients = s.recipients + excluded.recipients,
                   new_messages = s.new_messages + excluded.new_messages,
                   new_recipients = s.new_recipients + excluded.new_recipients,
                   login_failures = s.login_failures + excluded.login_failures,
                   delivered = s.delivered + excluded.delivered, rejected = s.rejected + excluded.rejected,
                   deferred_reputation = s.deferred_reputation + excluded.deferred_reputation,
                   bounced = s.bounced + excluded.bounced""";

    private static final String ADD_DISTINCT = """
            insert into queue.abuse_distinct (username, kind, slot_start, value)
            select v.u, v.k, $1, v.val from unnest($2::varchar[], $3::varchar[], $4::varchar[]) as v(u, k, val)
             where (select count(*) from queue.abuse_distinct d
                     where d.username = v.u and d.kind = v.k and d.slot_start = $1) < $5
            on conflict do nothing""";

    private static final String SEEN_NETWORK = """
            insert into queue.abuse_network as n (username, network, first_seen, last_seen, novel)
            values ($1::varchar, $2::varchar, $3::timestamptz, $3::timestamptz,
                    exists (select 1 from queue.abuse_network o
                             where o.username = $1::varchar and o.network <> $2::varchar and o.last_seen > $4::timestamptz))
            on conflict (username, network) do update
               set last_seen = excluded.last_seen,
                   first_seen = case when n.last_seen > $4::timestamptz then n.first_seen else excluded.first_seen end,
                   novel = case when n.last_seen > $4::timestamptz then n.novel else excluded.novel end""";

    private static final String ENSURE = """
            insert into queue.abuse_subscriber (username, updated_at) values ($1, now()) on conflict do nothing""";

    private final Pool pool;
    private final AbuseConfig config;
    private final Scoring scoring;
    private final AuditLog audit;
    private final AbusePublisher publisher;
    private final AbuseMetrics metrics;
    private final Set<String> exempt;
    /** When this replica last evaluated each recently active user. */
    private final Map<String, Instant> lastEvaluated = new java.util.concurrent.ConcurrentHashMap<>();
    /** Users observed since their last evaluation, evaluated by the next {@link #evaluatePending()}. */
    private final Set<String> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    AbuseEngine(Pool pool, AbuseConfig config, AuditLog audit, AbusePublisher publisher, AbuseMetrics metrics) {
        this.pool = pool;
        this.config = config;
        this.scoring = new Scoring(config);
        this.audit = audit;
        this.publisher = publisher;
        this.metrics = metrics;
        this.exempt = new java.util.HashSet<>();
        config.exemptUsers().ifPresent(list -> list.forEach(u -> exempt.add(u.toLowerCase(Locale.ROOT))));
    }

    private boolean scored(String user) {
        return user != null && !user.isBlank() && !exempt.contains(user.toLowerCase(Locale.ROOT));
    }

    /** Of these users, those whose new messages are held (one indexed query per intake batch). */
    public Uni<Set<String>> held(Set<String> users) {
        List<String> candidates = users.stream().filter(this::scored).toList();
        if (!config.enabled() || candidates.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("select username from queue.abuse_subscriber where held and username = any($1)")
                .execute(Tuple.of(candidates.toArray(String[]::new))).map(rows -> {
                    Set<String> out = new java.util.HashSet<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /** Counts a batch of submitted messages and evaluates their senders. Never fails: a failure is logged. */
    public Uni<Void> submitted(List<MessageFacts> batch) {
        List<MessageFacts> facts = batch.stream().filter(f -> scored(f.user())).toList();
        if (!config.enabled() || facts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        metrics.observed("submission", facts.size());
        Instant now = Instant.now();
        Set<String> users = new LinkedHashSet<>();
        facts.forEach(f -> users.add(f.user()));
        Uni<Void> record = newNetworks(users, now).chain(fresh -> pool.withTransaction(conn -> {
            Map<String, long[]> counts = new LinkedHashMap<>();
            Set<List<String>> distinct = new LinkedHashSet<>();
            for (MessageFacts f : facts) {
                String network = ClientNetwork.of(f.clientIp(), config.ipv4Prefix(), config.ipv6Prefix());
                boolean fromNew = network != null && fresh.contains(f.user() + " " + network);
                long[] c = counts.computeIfAbsent(f.user(), u -> new long[4]);
                c[0]++;
                c[1] += f.recipients();
                if (fromNew) {
                    c[2]++;
                    c[3] += f.recipients();
                }
                for (String prefix : fromNew ? List.of("", "new_") : List.of("")) {
                    f.domains().forEach(d -> distinct.add(List.of(f.user(), prefix + "domain", d)));
                    if (f.fromName() != null) {
                        distinct.add(List.of(f.user(), prefix + "from_name", hash(f.fromName())));
                    }
                    if (f.subject() != null) {
                        distinct.add(List.of(f.user(), prefix + "subject", hash(f.subject())));
                    }
                }
            }
            OffsetDateTime slot = slot(now);
            int n = counts.size();
            String[] names = counts.keySet().toArray(String[]::new);
            Long[] messages = new Long[n], recipients = new Long[n], newMessages = new Long[n],
                    newRecipients = new Long[n], zeros = new Long[n];
            Integer[] noFailures = new Integer[n];
            for (int i = 0; i < n; i++) {
                long[] c = counts.get(names[i]);
                messages[i] = c[0];
                recipients[i] = c[1];
                newMessages[i] = c[2];
                newRecipients[i] = c[3];
                zeros[i] = 0L;
                noFailures[i] = 0;
            }
            String[] du = new String[distinct.size()], dk = new String[distinct.size()], dv = new String[distinct.size()];
            int i = 0;
            for (List<String> d : distinct) {
                du[i] = d.get(0);
                dk[i] = d.get(1);
                dv[i++] = d.get(2);
            }
            return conn.preparedQuery(ADD_SLOTS).execute(Tuple.from(List.of(slot, names, messages, recipients,
                            noFailures, zeros, zeros, zeros, zeros, newMessages, newRecipients)))
                    .chain(() -> conn.preparedQuery(ADD_DISTINCT)
                            .execute(Tuple.of(slot, du, dk, dv, config.distinctCap())))
                    .replaceWithVoid();
        }));
        return guarded("submissions", record.chain(() -> evaluateSoon(users)));
    }

    /** "user network" of the networks new for these users within the window. */
    private Uni<Set<String>> newNetworks(Set<String> users, Instant now) {
        return pool.preparedQuery("""
                        select username, network from queue.abuse_network
                         where username = any($1) and novel and first_seen > $2""")
                .execute(Tuple.of(users.toArray(String[]::new), utc(now.minus(config.window())))).map(rows -> {
                    Set<String> out = new java.util.HashSet<>();
                    rows.forEach(r -> out.add(r.getString(0) + " " + r.getString(1)));
                    return out;
                });
    }

    /** One delivery outcome of a subscriber's recipient. */
    public record Outcome(String user, RecipientStatus status, int replyCode, String enhancedCode, String diagnostic) {
    }

    /** Counts delivery outcomes and evaluates the senders. Never fails. */
    public Uni<Void> outcomes(List<Outcome> outcomes) {
        List<Outcome> scoredOutcomes = outcomes.stream().filter(o -> scored(o.user())).toList();
        if (!config.enabled() || scoredOutcomes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (Outcome o : scoredOutcomes) {
            long[] c = counts.computeIfAbsent(o.user(), u -> new long[4]);
            c[kind(o)]++;
        }
        metrics.observed("outcome", scoredOutcomes.size());
        int n = counts.size();
        String[] users = counts.keySet().toArray(String[]::new);
        Long[] delivered = new Long[n], rejected = new Long[n], deferred = new Long[n], bounced = new Long[n],
                zeros = new Long[n];
        Integer[] noFailures = new Integer[n];
        for (int i = 0; i < n; i++) {
            long[] c = counts.get(users[i]);
            delivered[i] = c[0];
            rejected[i] = c[1];
            deferred[i] = c[2];
            bounced[i] = c[3];
            zeros[i] = 0L;
            noFailures[i] = 0;
        }
        Uni<Void> record = pool.preparedQuery(ADD_SLOTS).execute(Tuple.from(List.of(slot(Instant.now()), users, zeros,
                zeros, noFailures, delivered, rejected, deferred, bounced, zeros, zeros))).replaceWithVoid();
        return guarded("outcomes", record.chain(() -> evaluateSoon(counts.keySet())));
    }

    /** 0 delivered, 1 rejected (5xx), 2 deferred for reputation, 3 bounced otherwise; deferrals for other reasons are 0. */
    private static int kind(Outcome o) {
        return switch (o.status()) {
            case DELIVERED -> 0;
            case FAILED -> o.replyCode() >= 500 && o.replyCode() < 600 ? 1 : 3;
            case DEFERRED -> (o.enhancedCode() != null && o.enhancedCode().startsWith("4.7."))
                    || (o.diagnostic() != null && REPUTATION.matcher(o.diagnostic()).find()) ? 2 : 0;
        };
    }

    /** Records a login observation of the auth-service and evaluates the user. Never fails. */
    public Uni<Void> login(LoginObservation o) {
        if (!config.enabled() || !scored(o.username())) {
            return Uni.createFrom().voidItem();
        }
        String user = o.username().toLowerCase(Locale.ROOT);
        Instant at = o.at() == null ? Instant.now() : o.at();
        metrics.observed("login", 1);
        if (!o.success()) {
            return guarded("login", pool.preparedQuery(ADD_SLOTS).execute(Tuple.from(List.of(slot(at),
                    new String[] {user}, new Long[] {0L}, new Long[] {0L}, new Integer[] {1}, new Long[] {0L},
                    new Long[] {0L}, new Long[] {0L}, new Long[] {0L}, new Long[] {0L}, new Long[] {0L})))
                    .replaceWithVoid());
        }
        String network = ClientNetwork.of(o.clientIp(), config.ipv4Prefix(), config.ipv6Prefix());
        Uni<Void> record = pool.withTransaction(conn -> conn.preparedQuery(ENSURE).execute(Tuple.of(user))
                .chain(() -> network == null ? Uni.createFrom().voidItem()
                        : conn.preparedQuery(SEEN_NETWORK).execute(Tuple.of(user, network, utc(at),
                                utc(at.minus(config.networkMemory())))).replaceWithVoid())
                .chain(() -> conn.preparedQuery("""
                                select coalesce(sum(login_failures), 0) from queue.abuse_slot
                                 where username = $1 and slot_start > $2""")
                        .execute(Tuple.of(user, utc(at.minus(config.window())))))
                .chain(rows -> {
                    long failures = rows.iterator().next().getLong(0);
                    boolean stuffing = failures >= config.stuffingFailures();
                    if (stuffing) {
                        LOG.warnf("abuse: %s logged in from %s after %d failed logins", user, o.clientIp(), failures);
                    }
                    // the failures are used up by this success: a later success after them is not a second stuffing
                    return conn.preparedQuery("""
                                    update queue.abuse_subscriber
                                       set email = coalesce($2::varchar, email),
                                           plan_messages_per_hour = coalesce($6::int, plan_messages_per_hour),
                                           stuffing_failures = case when $3::boolean then $4::int
                                                                    else stuffing_failures end,
                                           stuffing_at = case when $3::boolean then $5::timestamptz
                                                              else stuffing_at end,
                                           dnsbl_listed_at = case when $7::boolean then $5::timestamptz
                                                                  else dnsbl_listed_at end, updated_at = now()
                                     where username = $1::varchar""")
                            .execute(Tuple.from(Arrays.asList(user, o.email(), stuffing, (int) failures, utc(at),
                                    o.planMessagesPerHour(), o.dnsblListed())))
                            .chain(() -> stuffing ? conn.preparedQuery("""
                                            update queue.abuse_slot set login_failures = 0
                                             where username = $1 and slot_start > $2""")
                                    .execute(Tuple.of(user, utc(at.minus(config.window())))).replaceWithVoid()
                                    : Uni.createFrom().voidItem());
                }));
        return guarded("login", record.chain(() -> evaluateAll(Set.of(user))));
    }

    /**
     * Evaluates now the users this replica has not evaluated within {@code evaluation-interval}; the others are left
     * for {@link #evaluatePending()}, so a heavy sender costs one evaluation per interval, not one per batch.
     */
    private Uni<Void> evaluateSoon(Set<String> users) {
        Instant now = Instant.now();
        Instant recent = now.minus(config.evaluationInterval());
        List<String> due = new ArrayList<>();
        for (String user : users) {
            Instant last = lastEvaluated.get(user);
            if (last == null || last.isBefore(recent)) {
                due.add(user);
            } else {
                pending.add(user);
            }
        }
        return evaluateAll(due);
    }

    /** The users left for later by {@link #evaluateSoon}; the sweep calls this every {@code evaluation-interval}. */
    Uni<Void> evaluatePending() {
        List<String> users = new ArrayList<>(pending);
        pending.removeAll(users);
        Instant forget = Instant.now().minus(config.evaluationInterval());
        lastEvaluated.values().removeIf(t -> t.isBefore(forget));
        return guarded("evaluation", evaluateAll(users));
    }

    /** Evaluates the users side by side (each in its own transaction, as many at once as the pool has connections). */
    private Uni<Void> evaluateAll(java.util.Collection<String> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        users.forEach(u -> lastEvaluated.put(u, Instant.now()));
        return Uni.join().all(users.stream().map(u -> evaluate(u).replaceWithVoid()).toList()).andCollectFailures()
                .replaceWithVoid();
    }

    /** Scores the user and applies the steps its score reaches; returns the new assessment. */
    private Uni<Assessment> evaluate(String user) {
        Instant now = Instant.now();
        List<AbuseEvent> decided = new ArrayList<>();
        List<String[]> notices = new ArrayList<>();
        return pool.withTransaction(conn -> conn.preparedQuery(ENSURE).execute(Tuple.of(user))
                        .chain(() -> conn.preparedQuery("select * from queue.abuse_subscriber where username = $1 for update")
                                .execute(Tuple.of(user)))
                        .map(rows -> Subscriber.of(rows.iterator().next()))
                        .chain(s -> observe(conn, s, now).chain(obs -> {
                            Assessment a = scoring.assess(obs.observations());
                            a.signals().forEach(metrics::signal);
                            return respond(conn, s, a, obs, now, decided, notices).replaceWith(a);
                        })))
                .call(() -> publish(decided, notices));
    }

    /** The observations and the folded baselines. */
    private record Observed(Observations observations, double baselineMessages, double baselineRecipients,
            Instant baselineHour) {
    }

    private Uni<Observed> observe(SqlConnection conn, Subscriber s, Instant now) {
        OffsetDateTime since = utc(now.minus(config.window()));
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant foldFrom = s.baselineHour() == null ? hour : s.baselineHour().plus(Duration.ofHours(1));
        Instant earliest = hour.minus(Duration.ofHours(48));
        Instant from = foldFrom.isBefore(earliest) ? earliest : foldFrom;
        Uni<Row> slots = conn.preparedQuery("""
                        select coalesce(sum(messages), 0) m, coalesce(sum(recipients), 0) r,
                               coalesce(sum(new_messages), 0) nm, coalesce(sum(new_recipients), 0) nr,
                               coalesce(sum(delivered), 0) d, coalesce(sum(rejected), 0) rj,
                               coalesce(sum(deferred_reputation), 0) dr, coalesce(sum(bounced), 0) b
                          from queue.abuse_slot where username = $1 and slot_start > $2""")
                .execute(Tuple.of(s.username(), since)).map(rows -> rows.iterator().next());
        Uni<Map<String, Integer>> distinct = conn.preparedQuery("""
                        select kind, count(distinct value) n from queue.abuse_distinct
                         where username = $1 and slot_start > $2 group by kind""")
                .execute(Tuple.of(s.username(), since)).map(rows -> {
                    Map<String, Integer> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("kind"), r.getInteger("n")));
                    return out;
                });
        Uni<Row> networks = conn.preparedQuery("""
                        select count(*) filter (where novel and first_seen > $2) novel,
                               count(*) filter (where last_seen > $2) recent
                          from queue.abuse_network where username = $1""")
                .execute(Tuple.of(s.username(), since)).map(rows -> rows.iterator().next());
        Uni<Map<Instant, long[]>> hours = !from.isBefore(hour) ? Uni.createFrom().item(Map.of())
                : conn.preparedQuery("""
                                select date_trunc('hour', slot_start) h, sum(messages) m, sum(recipients) r
                                  from queue.abuse_slot where username = $1 and slot_start >= $2 and slot_start < $3
                                 group by 1""")
                        .execute(Tuple.of(s.username(), utc(from), utc(hour))).map(rows -> {
                            Map<Instant, long[]> out = new HashMap<>();
                            rows.forEach(r -> out.put(r.getOffsetDateTime("h").toInstant(),
                                    new long[] {r.getLong("m"), r.getLong("r")}));
                            return out;
                        });
        return slots.chain(sl -> distinct.chain(di -> networks.chain(nw -> hours.map(hs -> {
            double alpha = config.baselineAlpha();
            double bm = s.baselineMessages();
            double br = s.baselineRecipients();
            if (s.baselineHour() != null) {
                long skipped = Math.max(0, Duration.between(foldFrom, from).toHours());
                bm *= Math.pow(1 - alpha, skipped);
                br *= Math.pow(1 - alpha, skipped);
                for (Instant h = from; h.isBefore(hour); h = h.plus(Duration.ofHours(1))) {
                    long[] c = hs.getOrDefault(h, new long[2]);
                    bm = alpha * c[0] + (1 - alpha) * bm;
                    br = alpha * c[1] + (1 - alpha) * br;
                }
            }
            boolean stuffing = s.stuffingAt() != null && s.stuffingAt().isAfter(now.minus(config.stuffingMemory()));
            Traffic all = new Traffic(sl.getLong("m"), sl.getLong("r"), di.getOrDefault("domain", 0),
                    di.getOrDefault("from_name", 0), di.getOrDefault("subject", 0));
            Traffic fromNew = new Traffic(sl.getLong("nm"), sl.getLong("nr"), di.getOrDefault("new_domain", 0),
                    di.getOrDefault("new_from_name", 0), di.getOrDefault("new_subject", 0));
            Observations o = new Observations((int) nw.getLong("novel").longValue(),
                    (int) nw.getLong("recent").longValue(), stuffing ? s.stuffingFailures() : 0, all, fromNew, bm, br,
                    sl.getLong("d"), sl.getLong("rj"), sl.getLong("dr"), sl.getLong("b"),
                    s.planMessagesPerHour() == null ? 0 : s.planMessagesPerHour(),
                    s.dnsblListedAt() != null && s.dnsblListedAt().isAfter(now.minus(config.window())));
            return new Observed(o, bm, br, hour.minus(Duration.ofHours(1)));
        }))));
    }

    private Uni<Void> respond(SqlConnection conn, Subscriber s, Assessment a, Observed obs, Instant now,
            List<AbuseEvent> decided, List<String[]> notices) {
        boolean pardoned = s.pardonUntil() != null && s.pardonUntil().isAfter(now);
        int effective = pardoned ? Math.max(0, a.score() - s.pardonScore()) : a.score();
        Level target = Level.of(effective, config.thresholds());
        String why = a.describe() + (pardoned ? " (" + s.pardonScore() + " forgiven by an operator)" : "");
        boolean slowed = s.slowed();
        boolean held = s.held();
        boolean suspended = s.suspended();
        Instant notifiedAt = s.notifiedAt();
        Instant slowedUntil = s.slowedUntil();
        List<AbuseAction> steps = new ArrayList<>();
        if (target.atLeast(Level.SLOW_DOWN) && !slowed) {
            steps.add(AbuseAction.SLOW_DOWN);
            slowed = true;
            slowedUntil = now.plus(config.slowdownLength());
        }
        if (target.atLeast(Level.HOLD) && !held) {
            steps.add(AbuseAction.HOLD);
            held = true;
        }
        if (target.atLeast(Level.NOTIFY)
                && (notifiedAt == null || notifiedAt.isBefore(now.minus(config.pardonLength())))) {
            steps.add(AbuseAction.NOTIFY);
            notifiedAt = now;
        }
        if (target.atLeast(Level.SUSPEND) && !suspended) {
            steps.add(AbuseAction.SUSPEND);
            suspended = true;
        }
        Uni<Void> chain = conn.preparedQuery("""
                        update queue.abuse_subscriber
                           set score = $2, signals = $3, slowed = $4, slowed_until = $5, held = $6, notified_at = $7,
                               suspended = $8, baseline_messages = $9, baseline_recipients = $10, baseline_hour = $11,
                               evaluated_at = $12, updated_at = $12
                         where username = $1""")
                .execute(Tuple.from(Arrays.asList(s.username(), a.score(), AuditLog.json(a.values()), slowed,
                        utc(slowedUntil), held, utc(notifiedAt), suspended, obs.baselineMessages(),
                        obs.baselineRecipients(), utc(obs.baselineHour()), utc(now))))
                .replaceWithVoid();
        List<String> measures = new ArrayList<>(List.of(s.measures().split(", ")));
        measures.remove("none");
        for (AbuseAction step : steps) {
            String before = measures.isEmpty() ? "none" : String.join(", ", measures);
            measures.add(switch (step) {
                case SLOW_DOWN -> "slowed down";
                case HOLD -> "held";
                case NOTIFY -> "notified";
                default -> "suspended";
            });
            String after = String.join(", ", measures);
            String plan = step == AbuseAction.SLOW_DOWN ? config.slowdownPlan() : null;
            String reason = switch (step) {
                case SLOW_DOWN -> "plan " + config.slowdownPlan() + " until " + slowedUntil + "; " + why;
                case NOTIFY -> (s.email() == null ? "no registered address known, abuse desk only; " : "notice to <"
                        + s.email() + ">; ") + why;
                default -> why;
            };
            AuditEntry entry = new AuditEntry(0, now, AuditEntry.AUTOMATION, true, step.name(), "subscriber",
                    s.username(), reason, a.score(), a.values(), before, after);
            chain = chain.chain(() -> audit.record(conn, entry)).invoke(stored -> {
                decided.add(new AbuseEvent(stored.id(), now, s.username(), step, AuditEntry.AUTOMATION, true,
                        stored.reason(), a.score(), a.values(), plan));
                if (step == AbuseAction.NOTIFY && s.email() != null) {
                    notices.add(new String[] {s.username(), s.email(), target.name().toLowerCase(Locale.ROOT)
                            .replace('_', ' '), why});
                }
            }).replaceWithVoid();
        }
        return chain;
    }

    private Uni<Void> publish(List<AbuseEvent> decided, List<String[]> notices) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (AbuseEvent e : decided) {
            LOG.warnf("abuse: %s %s (%s)", e.action(), e.username(), e.reason());
            metrics.action(e.action(), true);
            chain = chain.chain(() -> publisher.event(e).onFailure().recoverWithUni(err -> {
                metrics.failed("publish");
                LOG.errorf("abuse event %d (%s %s) not published: %s", e.id(), e.action(), e.username(), err);
                return Uni.createFrom().voidItem();
            }));
        }
        for (String[] n : notices) {
            chain = chain.chain(() -> publisher.notice(n[0], n[1], levelText(n[2]), n[3]).onFailure()
                    .recoverWithUni(err -> {
                        metrics.failed("notice");
                        LOG.errorf("abuse notice to %s not queued: %s", n[1], err);
                        return Uni.createFrom().voidItem();
                    }));
        }
        return chain;
    }

    private static String levelText(String level) {
        return switch (level) {
            case "suspend" -> "your account may not send mail any more until the abuse desk lifts the suspension";
            default -> "your new messages are held for review and sent at a lower rate";
        };
    }

    private Uni<Void> guarded(String what, Uni<Void> work) {
        return work.onFailure().recoverWithUni(err -> {
            metrics.failed(what);
            LOG.warnf("abuse observation of %s not recorded: %s", what, err.toString());
            return Uni.createFrom().voidItem();
        });
    }

    OffsetDateTime slot(Instant t) {
        long seconds = config.slot().toSeconds();
        return utc(Instant.ofEpochSecond(t.getEpochSecond() / seconds * seconds));
    }

    static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static String hash(String value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
