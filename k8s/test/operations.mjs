// Operational checks for validate.mjs (issue 16): what keeps rollouts from dropping or repeating work, what
// makes every component visible to Prometheus, what an alert must carry, and what a production render must
// look like. Each export takes the rendered objects of one overlay and returns a list of problems (strings);
// operations.test.mjs breaks each rule on purpose and checks that it is reported.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";

const k8sDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = join(k8sDir, "..");
const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);

// ---- durations --------------------------------------------------------------------------------------
// SmallRye's Duration forms: ISO-8601 (PT30S), or a number with a unit (30s, 5m, 2h, 500ms); a bare number is
// seconds.
export function seconds(text) {
  const t = String(text).trim();
  const iso = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(t);
  if (iso) return Number(iso[1] ?? 0) * 3600 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(t);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? "s"];
}

// The environment of a Deployment's first container: its envFrom ConfigMaps, then literal env values.
function envOf(d, objects) {
  const c = d.spec.template.spec.containers[0];
  const env = {};
  for (const f of c.envFrom ?? []) {
    const cm = f.configMapRef && objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === f.configMapRef.name);
    Object.assign(env, cm?.data ?? {});
  }
  for (const e of c.env ?? []) if ("value" in e) env[e.name] = e.value;
  return env;
}

// ---- rollouts ---------------------------------------------------------------------------------------
// The longest operation each service may have in flight at SIGTERM, from its configuration (the property's
// environment name and its @WithDefault): the grace period must outlast it, or the kubelet kills the work.
// submission: the preStop wait, then the SMTP drain (drain-timeout), then a message in flight being queued
// (queue.delivery-timeout). delivery: the longest SMTP reply wait (end of data) and QUIT.
const longestOperation = {
  "submission-service": [["KANMON_SUBMISSION_DRAIN_TIMEOUT", "25s"], ["KANMON_SUBMISSION_QUEUE_DELIVERY_TIMEOUT", "30s"]],
  "delivery-service": [["KANMON_DELIVERY_SMTP_DATA_END_TIMEOUT", "10m"], ["KANMON_DELIVERY_SMTP_QUIT_TIMEOUT", "10s"]],
  // auth: a credential check waits in the Keycloak check queue, then for Keycloak's answer
  "auth-service": [["KANMON_AUTH_KEYCLOAK_CHECK_QUEUE_TIMEOUT", "10s"], ["KANMON_AUTH_KEYCLOAK_TIMEOUT", "3s"]],
  // queue: reading a message body back from Kafka for a retry or a DSN
  "queue-service": [["KANMON_QUEUE_BODY_READ_TIMEOUT", "10s"]],
  "dnsbl-service": [["KANMON_DNSBL_DNS_TIMEOUT", "1500ms"]],
};
// Containers that accept connections from a load balancer: they need the preStop wait.
const smtpPorts = new Set(["smtp", "submission", "submissions"]);

function preStopSeconds(c) {
  const h = c.lifecycle?.preStop;
  if (!h) return 0;
  if (h.sleep) return Number(h.sleep.seconds);
  const cmd = (h.exec?.command ?? []).join(" ");
  const m = /\bsleep\s+(\d+)/.exec(cmd);
  return m ? Number(m[1]) : 0;
}

/** Probes, preStop on load-balanced pods, grace periods at least each service's longest operation. */
export function rollouts(objects) {
  const problems = [];
  for (const d of byKind(objects, "Deployment")) {
    const name = d.metadata.name;
    const spec = d.spec.template.spec;
    for (const c of spec.containers) {
      for (const p of ["startupProbe", "readinessProbe", "livenessProbe"]) if (!c[p]) problems.push(`${name}: container ${c.name} has no ${p}`);
    }
    const grace = spec.terminationGracePeriodSeconds;
    if (grace === undefined) { problems.push(`${name}: no terminationGracePeriodSeconds (the default 30 s is nobody's choice)`); continue; }
    const c = spec.containers[0];
    const balanced = (c.ports ?? []).some((p) => smtpPorts.has(p.name));
    const wait = preStopSeconds(c);
    if (balanced && wait < 5) problems.push(`${name}: serves a load balancer but has no preStop wait of 5 s or more (new connections reach a closing listener)`);
    if (balanced && !c.readinessProbe) problems.push(`${name}: serves a load balancer without a readinessProbe`);
    const env = envOf(d, objects);
    const ops = longestOperation[name];
    if (!ops) { problems.push(`${name}: no longest operation known to validate.mjs (operations.mjs, longestOperation)`); continue; }
    const needed = wait + ops.reduce((sum, [key, dflt]) => sum + seconds(env[key] ?? dflt), 0);
    if (grace <= needed) problems.push(`${name}: terminationGracePeriodSeconds ${grace} does not outlast its longest operation (${needed} s: preStop ${wait} s + ${ops.map(([k, d]) => `${k} ${env[k] ?? d}`).join(" + ")})`);
  }
  return problems;
}

/** No replicas where a scaler owns the count; one scaler per Deployment; submission scales on sessions and CPU. */
export function scalers(objects) {
  const problems = [];
  const owners = new Map();
  for (const h of byKind(objects, "HorizontalPodAutoscaler")) {
    if (h.spec.scaleTargetRef.kind === "Deployment") owners.set(h.spec.scaleTargetRef.name, [...(owners.get(h.spec.scaleTargetRef.name) ?? []), `HPA ${h.metadata.name}`]);
  }
  for (const s of byKind(objects, "ScaledObject")) {
    const t = s.spec.scaleTargetRef;
    if ((t.kind ?? "Deployment") === "Deployment") owners.set(t.name, [...(owners.get(t.name) ?? []), `ScaledObject ${s.metadata.name}`]);
  }
  for (const [name, by] of owners) {
    const d = byKind(objects, "Deployment").find((x) => x.metadata.name === name);
    if (!d) { problems.push(`${by.join(", ")}: Deployment ${name} is not rendered`); continue; }
    if (by.length > 1) problems.push(`Deployment ${name} is scaled by ${by.join(" and ")} (they fight over the count)`);
    if (d.spec.replicas !== undefined) problems.push(`Deployment ${name}: replicas ${d.spec.replicas} while ${by.join(", ")} owns the count (every apply resets the scaler)`);
  }
  const sub = byKind(objects, "ScaledObject").find((s) => s.spec.scaleTargetRef.name === "submission-service");
  if (!sub) problems.push("submission-service: no ScaledObject (it scales on open SMTP sessions and CPU)");
  else {
    const prom = sub.spec.triggers.find((t) => t.type === "prometheus");
    if (!prom || !/\bkanmon_smtp_sessions_active\b/.test(prom.metadata?.query ?? "")) problems.push(`ScaledObject ${sub.metadata.name}: no prometheus trigger on kanmon_smtp_sessions_active`);
    if (!sub.spec.triggers.some((t) => t.type === "cpu")) problems.push(`ScaledObject ${sub.metadata.name}: no cpu trigger`);
  }
  return problems;
}

/** Zone and node spread for every Deployment; its own ServiceAccount, no API token unless it needs one. */
export function placementAndIdentity(objects) {
  const problems = [];
  const accounts = byKind(objects, "ServiceAccount");
  const users = new Map();
  for (const d of byKind(objects, "Deployment")) {
    const name = d.metadata.name;
    const spec = d.spec.template.spec;
    const keys = (spec.topologySpreadConstraints ?? [])
      .filter((t) => Object.entries(t.labelSelector?.matchLabels ?? {}).every(([k, v]) => d.spec.template.metadata.labels[k] === v))
      .map((t) => t.topologyKey);
    for (const key of ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]) if (!keys.includes(key)) problems.push(`${name}: no topologySpreadConstraint on ${key} selecting its own pods`);
    const sa = spec.serviceAccountName;
    if (!sa || sa === "default") { problems.push(`${name}: runs as the namespace's default ServiceAccount`); continue; }
    users.set(sa, [...(users.get(sa) ?? []), name]);
    const account = accounts.find((a) => a.metadata.name === sa);
    if (!account) problems.push(`${name}: ServiceAccount ${sa} is not rendered`);
    const mounted = spec.automountServiceAccountToken ?? account?.automountServiceAccountToken ?? true;
    if (mounted) problems.push(`${name}: mounts an API token it does not use (automountServiceAccountToken)`);
  }
  for (const [sa, ds] of users) if (ds.length > 1) problems.push(`ServiceAccount ${sa} is shared by ${ds.join(", ")}`);
  return problems;
}

// ---- monitoring -------------------------------------------------------------------------------------
const selects = (selector, labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v)
  && (selector?.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels ?? {}, e.key);
    const inV = has && (e.values ?? []).includes(labels[e.key]);
    return e.operator === "In" ? inV : e.operator === "NotIn" ? !inV : e.operator === "Exists" ? has : !has;
  });

/** Every Service with a metrics port is scraped; Kafka, its exporter, Keycloak and PostgreSQL are too. */
export function monitoring(objects) {
  const problems = [];
  const sms = byKind(objects, "ServiceMonitor");
  const pms = byKind(objects, "PodMonitor");
  for (const s of byKind(objects, "Service")) {
    for (const p of (s.spec.ports ?? []).filter((x) => ["management", "metrics"].includes(x.name))) {
      const ok = sms.some((m) => selects(m.spec.selector, s.metadata.labels) && m.spec.endpoints.some((e) => e.port === p.name));
      if (!ok) problems.push(`Service ${s.metadata.name}: port ${p.name} is scraped by no ServiceMonitor`);
    }
  }
  for (const d of byKind(objects, "Deployment")) {
    if (d.spec.template.metadata.annotations?.["prometheus.io/scrape"] !== undefined) problems.push(`${d.metadata.name}: prometheus.io/* annotations, which the Prometheus Operator ignores (the ServiceMonitor scrapes it)`);
  }
  for (const k of byKind(objects, "Kafka")) {
    const mc = k.spec.kafka.metricsConfig;
    if (!mc) problems.push(`Kafka ${k.metadata.name}: no metricsConfig (brokers export no metrics)`);
    else if (mc.type === "jmxPrometheusExporter") {
      const ref = mc.valueFrom?.configMapKeyRef;
      const cm = byKind(objects, "ConfigMap").find((c) => c.metadata.name === ref?.name);
      if (!cm || !(ref.key in (cm.data ?? {}))) problems.push(`Kafka ${k.metadata.name}: metricsConfig names ConfigMap ${ref?.name} key ${ref?.key}, not rendered`);
    }
    if (!k.spec.kafkaExporter) problems.push(`Kafka ${k.metadata.name}: no kafkaExporter (no consumer lag)`);
    for (const [what, labels] of [["Kafka nodes", { "strimzi.io/name": `${k.metadata.name}-kafka` }], ["Kafka Exporter", { "strimzi.io/name": `${k.metadata.name}-kafka-exporter` }]]) {
      if (!pms.some((m) => selects(m.spec.selector, labels) && m.spec.podMetricsEndpoints.some((e) => e.port === "tcp-prometheus"))) problems.push(`${what} of ${k.metadata.name}: no PodMonitor on port tcp-prometheus`);
    }
  }
  for (const kc of byKind(objects, "Keycloak")) {
    const labels = { app: "keycloak", "app.kubernetes.io/instance": kc.metadata.name, "app.kubernetes.io/managed-by": "keycloak-operator" };
    if (!sms.some((m) => selects(m.spec.selector, labels) && m.spec.endpoints.some((e) => e.port === "management"))) problems.push(`Keycloak ${kc.metadata.name}: no ServiceMonitor on its management port`);
    if (kc.spec.networkPolicy?.enabled !== false && !(kc.spec.networkPolicy?.management ?? []).length) problems.push(`Keycloak ${kc.metadata.name}: networkPolicy.management admits nobody (Prometheus cannot scrape)`);
  }
  for (const c of byKind(objects, "Cluster")) if (!c.spec.monitoring?.enablePodMonitor) problems.push(`Cluster ${c.metadata.name}: monitoring.enablePodMonitor is off`);
  const dash = byKind(objects, "ConfigMap").filter((c) => c.metadata.labels?.grafana_dashboard === "1");
  if (dash.length === 0) problems.push("no Grafana dashboard ConfigMap (label grafana_dashboard=1)");
  return problems;
}

// The meter names the services register (Micrometer, dotted), read from their sources: the alerts and the
// dashboard may only use metrics that exist.
let meterCache;
export function registeredMeters() {
  if (meterCache) return meterCache;
  const names = new Set();
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".java")) for (const m of readFileSync(p, "utf8").matchAll(/"(kanmon\.[a-z0-9.]+)"/g)) names.add(m[1]);
    }
  };
  for (const m of ["submission-service", "auth-service", "queue-service", "delivery-service", "dnsbl-service", "relay-core"]) walk(join(repoDir, m, "src/main/java"));
  meterCache = names;
  return names;
}
// kanmon_queue_recipients_expired_total -> kanmon.queue.recipients.expired (Prometheus suffixes of counters,
// timers and histograms dropped).
function meterOf(series) {
  return series.replace(/_(total|seconds_bucket|seconds_count|seconds_sum|seconds_max|bucket|count|sum|max|bytes_total)$/, "").replace(/_/g, ".");
}
export function unknownMetrics(exprs) {
  const meters = registeredMeters();
  const out = new Set();
  for (const e of exprs) for (const m of e.matchAll(/\b(kanmon_[a-z0-9_]+)/g)) {
    const dotted = meterOf(m[1]);
    if (!meters.has(dotted) && !meters.has(m[1].replace(/_/g, "."))) out.add(m[1]);
  }
  return [...out];
}

// What an operator must be told about (issue 16, item 2): each condition is an alert on these series.
const requiredAlerts = {
  "queue backlog": /kanmon_queue_recipients\{[^}]*deferred/,
  "queue age (recipients reaching the lifetime)": /kanmon_queue_recipients_expired_total/,
  "deferral rate by destination": /by \(domain\)[\s\S]*kanmon_delivery_recipients_total\{status="deferred"\}/,
  "delivery failures": /kanmon_delivery_recipients_total\{status="failed"\}/,
  "Kafka produce errors": /kanmon_submission_queue_ack_seconds_count\{result="failed"\}/,
  "quota ledger unavailable": /kanmon_submission_quota_unavailable_total/,
  "DNSBL failing open": /kanmon_dnsbl_failopen_total/,
  "AUTH failure spikes": /kanmon_auth_results_total\{outcome="failure"\}/,
  "certificate expiry": /kanmon_smtp_tls_certificate_not_after/,
  "consumer lag": /kafka_consumergroup_lag/,
};

/** Every alert has a severity, a summary and a runbook section that exists; the required conditions are covered. */
export function alerts(objects, runbook = readFileSync(join(repoDir, "docs/runbooks.md"), "utf8")) {
  const problems = [];
  const anchors = new Set([...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")));
  const rules = byKind(objects, "PrometheusRule").flatMap((r) => r.spec.groups.flatMap((g) => g.rules.map((x) => ({ ...x, at: `${r.metadata.name}/${g.name}` }))));
  const alerting = rules.filter((r) => r.alert);
  if (alerting.length === 0) problems.push("no alerting rules rendered");
  for (const r of alerting) {
    const id = `alert ${r.alert} (${r.at})`;
    if (!["critical", "warning"].includes(r.labels?.severity)) problems.push(`${id}: severity ${r.labels?.severity}, not critical or warning`);
    if (!r.annotations?.summary) problems.push(`${id}: no summary`);
    const url = r.annotations?.runbook_url;
    if (!url) { problems.push(`${id}: no runbook_url`); continue; }
    const m = /^https?:\/\/[^#\s]+\/runbooks\.md#([a-z0-9-]+)$/.exec(url);
    if (!m) problems.push(`${id}: runbook_url ${url} is not <where docs are served>/runbooks.md#<section>`);
    else if (!anchors.has(m[1])) problems.push(`${id}: runbook_url names section #${m[1]}, which docs/runbooks.md does not have`);
  }
  for (const [what, re] of Object.entries(requiredAlerts)) if (!alerting.some((r) => re.test(String(r.expr)))) problems.push(`no alert covers ${what}`);
  for (const s of unknownMetrics(rules.map((r) => String(r.expr)))) problems.push(`alert rules use ${s}, which no service registers`);
  return problems;
}

// ---- promtool ---------------------------------------------------------------------------------------
// `promtool check rules` on a rules file made of the rendered PrometheusRules' groups, plus one recording rule
// per dashboard query (so Prometheus' own parser reads every panel's PromQL). Returns problems.
export function promtool(objects, bin = process.env.PROMTOOL || "promtool") {
  const problems = [];
  const groups = byKind(objects, "PrometheusRule").flatMap((r) => r.spec.groups);
  const dashboards = dashboardsOf(objects, problems);
  const exprs = dashboards.flatMap(({ name, json }) => (json.panels ?? []).flatMap((p) => (p.targets ?? []).map((t, i) => ({ name, panel: p.title, i, expr: t.expr }))));
  const dashGroup = { name: "dashboard-queries", rules: exprs.map((e, n) => ({
    record: `dashboard:query_${n}`,
    // Grafana's template variables become label values Prometheus can parse
    expr: String(e.expr).replaceAll("$namespace", "kanmon").replaceAll("$__rate_interval", "5m") })) };
  const dir = mkdtempSync(join(tmpdir(), "kanmon-rules-"));
  try {
    const file = join(dir, "rules.yaml");
    writeFileSync(file, yaml.dump({ groups: [...groups, ...(dashGroup.rules.length ? [dashGroup] : [])] }));
    try {
      execFileSync(bin, ["check", "rules", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      if (e.code === "ENOENT") problems.push(`promtool not found (${bin}); bin/kanmon-test installs Debian's prometheus package`);
      else problems.push(`promtool check rules: ${(e.stdout + e.stderr).trim().split("\n").filter((l) => /error|FAILED|err/i.test(l)).slice(0, 8).join(" | ")}`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
  for (const s of unknownMetrics(exprs.map((e) => String(e.expr)))) problems.push(`dashboard uses ${s}, which no service registers`);
  return problems;
}

/** `promtool test rules` with monitoring/prometheus-rules.test.yaml on the rendered rules (annotations left
 *  out, so the tests compare labels only): the alerts fire on series shaped as the services export them. */
export function promtoolTests(objects, testFile = join(k8sDir, "base/monitoring/prometheus-rules.test.yaml"), bin = process.env.PROMTOOL || "promtool") {
  const problems = [];
  const groups = byKind(objects, "PrometheusRule").flatMap((r) => r.spec.groups)
    .map((g) => ({ ...g, rules: g.rules.map(({ annotations, ...rule }) => rule) }));
  const dir = mkdtempSync(join(tmpdir(), "kanmon-rules-test-"));
  try {
    writeFileSync(join(dir, "rules.yaml"), yaml.dump({ groups }));
    writeFileSync(join(dir, "tests.yaml"), readFileSync(testFile, "utf8"));
    execFileSync(bin, ["test", "rules", join(dir, "tests.yaml")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    problems.push(`promtool test rules: ${String((e.stdout ?? "") + (e.stderr ?? e.message)).trim().split("\n").filter((l) => l.trim()).slice(0, 12).join(" | ")}`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
  return problems;
}

// ---- the Grafana dashboard --------------------------------------------------------------------------
function dashboardsOf(objects, problems) {
  const out = [];
  for (const cm of byKind(objects, "ConfigMap").filter((c) => c.metadata.labels?.grafana_dashboard === "1")) {
    for (const [key, text] of Object.entries(cm.data ?? {})) {
      try { out.push({ name: `${cm.metadata.name}/${key}`, json: JSON.parse(text) }); }
      catch (e) { problems.push(`dashboard ${cm.metadata.name}/${key}: not JSON (${e.message})`); }
    }
  }
  return out;
}

const panelTypes = new Set(["timeseries", "stat", "table", "gauge", "bargauge", "text", "row", "heatmap"]);
/** Loads each dashboard the way Grafana's provisioning would need it: uid/title/schemaVersion, panels with
 *  unique ids inside the 24-column grid without overlaps, known panel types, every data source variable defined,
 *  every query with a refId. */
export function dashboards(objects) {
  const problems = [];
  for (const { name, json } of dashboardsOf(objects, problems)) {
    const id = `dashboard ${name}`;
    for (const k of ["uid", "title", "schemaVersion", "panels"]) if (json[k] === undefined) problems.push(`${id}: no ${k}`);
    if (json.schemaVersion !== undefined && json.schemaVersion < 36) problems.push(`${id}: schemaVersion ${json.schemaVersion} predates Grafana 9's data source references`);
    const vars = new Set((json.templating?.list ?? []).map((v) => v.name));
    const ids = new Set();
    const cells = new Map();
    for (const p of json.panels ?? []) {
      const pid = `${id}: panel ${p.id} "${p.title}"`;
      if (ids.has(p.id)) problems.push(`${pid}: duplicate id`);
      ids.add(p.id);
      if (!panelTypes.has(p.type)) problems.push(`${pid}: unknown type ${p.type}`);
      const g = p.gridPos ?? {};
      if (![g.x, g.y, g.w, g.h].every(Number.isInteger) || g.x < 0 || g.w < 1 || g.h < 1 || g.x + g.w > 24) problems.push(`${pid}: gridPos ${JSON.stringify(g)} outside the 24-column grid`);
      else for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
        const key = `${x},${y}`;
        if (cells.has(key)) { problems.push(`${pid}: overlaps panel ${cells.get(key)}`); x = Infinity; break; }
        cells.set(key, p.id);
      }
      for (const ds of [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)].filter(Boolean)) {
        const v = /^\$\{?(\w+)\}?$/.exec(ds.uid ?? "");
        if (v && !vars.has(v[1])) problems.push(`${pid}: data source variable ${v[1]} is not defined`);
      }
      if (p.type !== "row" && p.type !== "text" && !(p.targets ?? []).length) problems.push(`${pid}: no queries`);
      for (const t of p.targets ?? []) if (!t.refId || !t.expr) problems.push(`${pid}: a query without refId or expr`);
      for (const t of p.targets ?? []) for (const m of String(t.expr).matchAll(/\$\{?(\w+)\}?/g)) if (!vars.has(m[1]) && !m[1].startsWith("__")) problems.push(`${pid}: variable $${m[1]} is not defined`);
    }
  }
  return problems;
}

// ---- production -------------------------------------------------------------------------------------
const digestRef = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;
/** Production pulls every image by digest from a registry; no image relies on run-java.sh (the images'
 *  entry point is java itself). */
export function images(objects, overlay) {
  const problems = [];
  for (const d of byKind(objects, "Deployment")) {
    for (const c of [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers]) {
      if (overlay === "overlays/prod" && !digestRef.test(c.image)) problems.push(`${d.metadata.name}: image ${c.image} is not <registry>/<name>@sha256:<digest>`);
      for (const e of c.env ?? []) if (["JAVA_OPTS_APPEND", "GC_CONTAINER_OPTIONS", "JAVA_APP_JAR"].includes(e.name)) problems.push(`${d.metadata.name}: ${e.name} is a run-java.sh variable; the images start java directly (JDK_JAVA_OPTIONS)`);
    }
  }
  if (overlay === "overlays/prod") {
    for (const kc of byKind(objects, "Keycloak")) if (!digestRef.test(kc.spec.image ?? "")) problems.push(`Keycloak ${kc.metadata.name}: image ${kc.spec.image} is not pinned by digest`);
    // Backups through the Barman Cloud Plugin: the Cluster archives WAL to a rendered ObjectStore that keeps a
    // retention policy, and a ScheduledBackup takes base backups with the plugin.
    const plugin = "barman-cloud.cloudnative-pg.io";
    for (const c of byKind(objects, "Cluster")) {
      const p = (c.spec.plugins ?? []).find((x) => x.name === plugin && x.isWALArchiver);
      const store = p && byKind(objects, "ObjectStore").find((o) => o.metadata.name === p.parameters?.barmanObjectName);
      if (!p) problems.push(`Cluster ${c.metadata.name}: no backup to object storage (no ${plugin} WAL archiver)`);
      else if (!store?.spec?.configuration?.destinationPath) problems.push(`Cluster ${c.metadata.name}: ObjectStore ${p.parameters?.barmanObjectName} is not rendered or has no destinationPath`);
      else if (!store.spec.retentionPolicy) problems.push(`ObjectStore ${store.metadata.name}: backups without retentionPolicy`);
      if (c.spec.backup?.barmanObjectStore) problems.push(`Cluster ${c.metadata.name}: in-tree barmanObjectStore (deprecated since CloudNativePG 1.26); use the ${plugin} plugin`);
      if (!byKind(objects, "ScheduledBackup").some((s) => s.spec.cluster?.name === c.metadata.name && s.spec.method === "plugin" && s.spec.pluginConfiguration?.name === plugin)) problems.push(`Cluster ${c.metadata.name}: no ScheduledBackup with the ${plugin} plugin`);
    }
  }
  return problems;
}

/** The overlay's site file: every value is used, and reaches the manifests. The overlay is rendered with every
 *  value replaced by a marker (in a copy of k8s/); each marker must show up, and none of the committed values
 *  may remain (a value the replacements do not carry everywhere). */
export function siteValues(overlayDir, kubectl = process.env.KUBECTL || "kubectl") {
  const problems = [];
  const kustomization = yaml.load(readFileSync(join(overlayDir, "kustomization.yaml"), "utf8"));
  const site = (kustomization.configMapGenerator ?? []).find((g) => g.name === "kanmon-site");
  if (!site) return [`${overlayDir}: no kanmon-site ConfigMap (site.env) for the site's values`];
  const envFile = join(overlayDir, site.envs[0]);
  const values = parseEnv(readFileSync(envFile, "utf8"));
  const used = new Set((kustomization.replacements ?? []).map((r) => /^data\.(\w+)$/.exec(r.source?.fieldPath ?? "")?.[1]));
  for (const k of Object.keys(values)) if (!used.has(k)) problems.push(`site.env: ${k} is used by no replacement`);
  const copy = mkdtempSync(join(tmpdir(), "kanmon-site-"));
  try {
    // the tree the overlay lives in (k8s/, or a test's copy of it): <root>/overlays/<name>
    const root = dirname(dirname(overlayDir));
    execFileSync("cp", ["-r", join(root, "base"), join(root, "overlays"), copy]);
    const rel = overlayDir.slice(root.length + 1);
    const marked = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, marker(k, v)]));
    writeFileSync(join(copy, rel, site.envs[0]), Object.entries(marked).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
    const rendered = execFileSync(kubectl, ["kustomize", join(copy, rel)], { encoding: "utf8" });
    for (const [k, v] of Object.entries(marked)) if (!rendered.includes(v)) problems.push(`site.env: ${k} reaches no manifest`);
    for (const [k, v] of Object.entries(values)) if (v && rendered.includes(v)) problems.push(`site.env: the committed ${k} (${v}) still appears with the value changed (a replacement is missing)`);
    for (const dflt of ["kanmon.example", "10.0.0.0/16"]) if (rendered.includes(dflt)) problems.push(`${rel}: the base's example value ${dflt} survives the site values`);
  } finally { rmSync(copy, { recursive: true, force: true }); }
  return problems;
}
export function parseEnv(text) {
  return Object.fromEntries(text.split("\n").filter((l) => /^\s*[A-Z_][A-Z0-9_]*=/.test(l)).map((l) => { const i = l.indexOf("="); return [l.slice(0, i).trim(), l.slice(i + 1).trim()]; }));
}
// A marker of the same shape as the value, so that delimiter-based replacements and CIDR/URL fields still parse.
function marker(key, value) {
  const tag = key.toLowerCase().replace(/_/g, "-");
  if (/^\d+\.\d+\.\d+\.\d+\/\d+/.test(value)) return value.split(",").map((_, i) => `100.64.${(key.length * 7 + i) % 250}.0/24`).join(",");
  if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) return "100.64.253.53:53";
  if (/@sha256:/.test(value)) return `marker.test/${tag}@sha256:${"ab".repeat(32)}`;
  if (/^s3:\/\//.test(value)) return `s3://${tag}-marker/path`;
  if (/^https?:\/\//.test(value)) return `https://${tag}.marker.test/x`;
  if (/\./.test(value)) return `${tag}.marker.test`;
  return `${tag}-marker`;
}
