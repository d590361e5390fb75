// Each check of operations.mjs passes on the rendered overlays and fails on a manifest broken on purpose
// (node --test; bin/kanmon-test runs it after validate.mjs). The broken manifests are copies of the rendered
// objects with one thing changed, so a check that stops looking at its field makes its test fail.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import assert from "node:assert/strict";
import yaml from "js-yaml";
import { alerts, dashboards, images, monitoring, placementAndIdentity, promtool, promtoolTests, rollouts, scalers, seconds, siteValues } from "./operations.mjs";

const k8sDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const kubectl = process.env.KUBECTL || "kubectl";
const render = (dir) => yaml.loadAll(execFileSync(kubectl, ["kustomize", dir], { encoding: "utf8" })).filter(Boolean);
const prod = render(join(k8sDir, "overlays/prod"));
const copy = () => structuredClone(prod);
const one = (objects, kind, name) => objects.find((o) => o.kind === kind && (!name || o.metadata.name === name));
const deployment = (objects, name) => one(objects, "Deployment", name);
// The check reports a problem that mentions every given fragment.
function fails(problems, ...fragments) {
  assert.ok(problems.some((p) => fragments.every((f) => p.includes(f))), `expected a problem with ${fragments.join(" / ")}; got:\n${problems.join("\n") || "(none)"}`);
}

test("durations in SmallRye's forms", () => {
  assert.equal(seconds("25s"), 25);
  assert.equal(seconds("10m"), 600);
  assert.equal(seconds("1500ms"), 1.5);
  assert.equal(seconds("PT30S"), 30);
  assert.equal(seconds("90"), 90);
});

test("every check passes on the production overlay", () => {
  for (const check of [rollouts, scalers, placementAndIdentity, monitoring, alerts, dashboards]) assert.deepEqual(check(prod), [], check.name);
  assert.deepEqual(images(prod, "overlays/prod"), []);
  assert.deepEqual(promtool(prod), []);
  assert.deepEqual(promtoolTests(prod), []);
});

test("rollouts: a Deployment without a readiness probe fails", () => {
  const o = copy();
  delete deployment(o, "queue-service").spec.template.spec.containers[0].readinessProbe;
  fails(rollouts(o), "queue-service", "readinessProbe");
});

test("rollouts: the SMTP pods without a preStop wait fail", () => {
  const o = copy();
  delete deployment(o, "submission-service").spec.template.spec.containers[0].lifecycle;
  fails(rollouts(o), "submission-service", "preStop");
});

test("rollouts: delivery with the default grace period fails (SMTP waits run to minutes)", () => {
  const o = copy();
  delete deployment(o, "delivery-service").spec.template.spec.terminationGracePeriodSeconds;
  fails(rollouts(o), "delivery-service", "terminationGracePeriodSeconds");
  deployment(o, "delivery-service").spec.template.spec.terminationGracePeriodSeconds = 30;
  fails(rollouts(o), "delivery-service", "KANMON_DELIVERY_SMTP_DATA_END_TIMEOUT");
});

test("rollouts: a longer drain configured than the grace period allows fails", () => {
  const o = copy();
  deployment(o, "submission-service").spec.template.spec.containers[0].env.push({ name: "KANMON_SUBMISSION_DRAIN_TIMEOUT", value: "2m" });
  fails(rollouts(o), "submission-service", "KANMON_SUBMISSION_DRAIN_TIMEOUT 2m");
});

test("scalers: replicas on a Deployment a ScaledObject owns fails", () => {
  const o = copy();
  deployment(o, "delivery-service").spec.replicas = 4;
  fails(scalers(o), "delivery-service", "replicas 4");
});

test("scalers: an HPA beside the ScaledObject fails", () => {
  const o = copy();
  o.push({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "extra" },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "submission-service" }, minReplicas: 1, maxReplicas: 2 } });
  fails(scalers(o), "submission-service", "HPA extra and ScaledObject");
});

test("scalers: submission scaling on CPU only fails", () => {
  const o = copy();
  const so = one(o, "ScaledObject", "submission-service");
  so.spec.triggers = so.spec.triggers.filter((t) => t.type === "cpu");
  fails(scalers(o), "kanmon_smtp_sessions_active");
});

test("placement: no zone spread fails", () => {
  const o = copy();
  const spec = deployment(o, "auth-service").spec.template.spec;
  spec.topologySpreadConstraints = spec.topologySpreadConstraints.filter((t) => t.topologyKey !== "topology.kubernetes.io/zone");
  fails(placementAndIdentity(o), "auth-service", "topology.kubernetes.io/zone");
});

test("identity: the default ServiceAccount, a shared one, or a mounted token fail", () => {
  let o = copy();
  delete deployment(o, "dnsbl-service").spec.template.spec.serviceAccountName;
  fails(placementAndIdentity(o), "dnsbl-service", "default ServiceAccount");
  o = copy();
  deployment(o, "dnsbl-service").spec.template.spec.serviceAccountName = "queue-service";
  fails(placementAndIdentity(o), "ServiceAccount queue-service is shared");
  o = copy();
  delete deployment(o, "dnsbl-service").spec.template.spec.automountServiceAccountToken;
  one(o, "ServiceAccount", "dnsbl-service").automountServiceAccountToken = true;
  fails(placementAndIdentity(o), "dnsbl-service", "API token");
});

test("monitoring: a Service no ServiceMonitor scrapes fails", () => {
  const o = copy();
  const sm = one(o, "ServiceMonitor", "kanmon-services");
  sm.spec.selector.matchExpressions[0].values = sm.spec.selector.matchExpressions[0].values.filter((v) => v !== "queue-service");
  fails(monitoring(o), "Service queue-service", "no ServiceMonitor");
});

test("monitoring: Kafka without metrics or Kafka Exporter, Keycloak without a monitor fail", () => {
  const o = copy();
  const kafka = one(o, "Kafka");
  delete kafka.spec.kafka.metricsConfig;
  delete kafka.spec.kafkaExporter;
  o.splice(o.indexOf(one(o, "ServiceMonitor", "kanmon-keycloak")), 1);
  const problems = monitoring(o);
  fails(problems, "no metricsConfig");
  fails(problems, "no kafkaExporter");
  fails(problems, "Keycloak kanmon-keycloak", "no ServiceMonitor");
});

test("monitoring: prometheus.io annotations instead of a monitor fail", () => {
  const o = copy();
  deployment(o, "auth-service").spec.template.metadata.annotations = { "prometheus.io/scrape": "true" };
  fails(monitoring(o), "auth-service", "prometheus.io");
});

const rule = (o, name) => one(o, "PrometheusRule").spec.groups.flatMap((g) => g.rules).find((r) => r.alert === name);

test("alerts: an alert without a runbook, or with a section docs/runbooks.md lacks, fails", () => {
  let o = copy();
  delete rule(o, "KanmonQueueBacklog").annotations.runbook_url;
  fails(alerts(o), "KanmonQueueBacklog", "no runbook_url");
  o = copy();
  rule(o, "KanmonQueueBacklog").annotations.runbook_url = "https://docs.test/runbooks.md#no-such-section";
  fails(alerts(o), "KanmonQueueBacklog", "#no-such-section");
});

test("alerts: a required condition without an alert fails", () => {
  const o = copy();
  for (const g of one(o, "PrometheusRule").spec.groups) g.rules = g.rules.filter((r) => r.alert !== "KanmonQuotaLedgerUnavailable");
  fails(alerts(o), "quota ledger unavailable");
});

test("alerts: a metric no service registers fails", () => {
  const o = copy();
  rule(o, "KanmonQueueBacklog").expr = "sum(kanmon_queue_backlog_size) > 10";
  fails(alerts(o), "kanmon_queue_backlog_size");
});

test("promtool: a rule that does not parse fails", () => {
  const o = copy();
  rule(o, "KanmonQueueBacklog").expr = "sum(kanmon_queue_recipients{state=~\"queued\"} > ";
  fails(promtool(o), "promtool check rules");
});

test("promtool tests: an alert that no longer fires on its series fails", () => {
  const o = copy();
  rule(o, "KanmonQueueBacklog").expr = 'sum(kanmon_queue_recipients{state=~"queued|deferred"}) > 500000';
  fails(promtoolTests(o), "promtool test rules", "KanmonQueueBacklog");
});

const dashboard = (o) => one(o, "ConfigMap", "kanmon-grafana-dashboard");
const editDashboard = (o, f) => { const cm = dashboard(o); const [k] = Object.keys(cm.data); const j = JSON.parse(cm.data[k]); f(j); cm.data[k] = JSON.stringify(j); };

test("dashboard: a query Prometheus cannot parse fails promtool", () => {
  const o = copy();
  editDashboard(o, (j) => { j.panels[0].targets[0].expr = "sum(rate(kanmon_smtp_sessions_total[5m]"; });
  fails(promtool(o), "promtool check rules");
});

test("dashboard: not JSON, overlapping panels, an undefined variable fail", () => {
  let o = copy();
  dashboard(o).data[Object.keys(dashboard(o).data)[0]] = "{ not json";
  fails(dashboards(o), "not JSON");
  o = copy();
  editDashboard(o, (j) => { j.panels[1].gridPos = { ...j.panels[0].gridPos }; });
  fails(dashboards(o), "overlaps");
  o = copy();
  editDashboard(o, (j) => { j.panels[0].targets[0].expr = 'sum(kanmon_smtp_sessions_active{pod="$instance"})'; });
  fails(dashboards(o), "$instance");
});

test("images: a tag instead of a digest in production, or a run-java.sh variable, fail", () => {
  let o = copy();
  deployment(o, "auth-service").spec.template.spec.containers[0].image = "registry.isp.example/kanmon/auth-service:0.1.0";
  fails(images(o, "overlays/prod"), "auth-service", "sha256");
  o = copy();
  deployment(o, "auth-service").spec.template.spec.containers[0].env.push({ name: "JAVA_OPTS_APPEND", value: "-Xmx1g" });
  fails(images(o, "overlays/prod"), "auth-service", "JAVA_OPTS_APPEND");
});

test("backups: production without a ScheduledBackup, a WAL archiver or a retention policy fails", () => {
  const o = copy();
  o.splice(o.indexOf(one(o, "ScheduledBackup")), 1);
  delete one(o, "Cluster").spec.plugins;
  let problems = images(o, "overlays/prod");
  fails(problems, "no ScheduledBackup");
  fails(problems, "no backup to object storage");
  const p = copy();
  delete one(p, "ObjectStore").spec.retentionPolicy;
  fails(images(p, "overlays/prod"), "without retentionPolicy");
});

test("site values: a value no replacement carries fails", () => {
  const dir = mkdtempSync(join(tmpdir(), "kanmon-site-test-"));
  try {
    cpSync(join(k8sDir, "base"), join(dir, "base"), { recursive: true });
    cpSync(join(k8sDir, "overlays"), join(dir, "overlays"), { recursive: true });
    const kf = join(dir, "overlays/prod/kustomization.yaml");
    const k = yaml.load(readFileSync(kf, "utf8"));
    k.replacements = k.replacements.filter((r) => r.source.fieldPath !== "data.SMTP_HOSTNAME");
    writeFileSync(kf, yaml.dump(k));
    fails(siteValues(join(dir, "overlays/prod")), "SMTP_HOSTNAME");
    // and a replacement that misses one target: the base's example host name survives
    k.replacements = yaml.load(readFileSync(join(k8sDir, "overlays/prod/kustomization.yaml"), "utf8")).replacements;
    k.replacements.find((r) => r.source.fieldPath === "data.SMTP_HOSTNAME").targets.pop();
    writeFileSync(kf, yaml.dump(k));
    fails(siteValues(join(dir, "overlays/prod")), "kanmon.example");
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
