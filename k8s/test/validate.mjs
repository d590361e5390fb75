// Renders every kustomize overlay and validates each object offline: against the Kubernetes OpenAPI
// schemas (kubernetes-models) and the operators' CRD schemas (Strimzi, cert-manager, KEDA, CloudNativePG),
// plus the invariants an operator relies on (probes, resources, PDBs, selectors, ISR settings).
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";

const k8sDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const overlays = ["base", "overlays/dev", "overlays/prod"];

const packages = {
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "keda.sh": "@kubernetes-models/keda",
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
};
// The Keycloak operator publishes no JSON-schema package on npm; its two kinds are checked structurally.
const structural = {
  "k8s.keycloak.org/v2alpha1/Keycloak": (o) => need(o, ["spec.instances", "spec.db.vendor", "spec.hostname.hostname"]),
  "k8s.keycloak.org/v2alpha1/KeycloakRealmImport": (o) => need(o, ["spec.keycloakCRName", "spec.realm.realm"]),
};

function get(obj, path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}
function need(obj, paths) {
  for (const p of paths) if (get(obj, p) === undefined) throw new Error(`missing ${p}`);
}

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = packages[group] ?? "kubernetes-models";
  const path = group ? `${pkg}/${group}/${version}/${kind}` : `${pkg}/${version}/${kind}`;
  return (await import(path))[kind];
}

function invariants(objects) {
  const problems = [];
  const byKind = (k) => objects.filter((o) => o.kind === k);
  for (const d of byKind("Deployment")) {
    const name = d.metadata.name;
    for (const c of d.spec.template.spec.containers) {
      if (!c.readinessProbe || !c.livenessProbe) problems.push(`${name}: container ${c.name} lacks readiness/liveness probe`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problems.push(`${name}: no resource requests`);
    }
    const labels = d.spec.template.metadata.labels;
    const matches = (sel) => sel && Object.entries(sel).every(([k, v]) => labels[k] === v);
    if (!byKind("PodDisruptionBudget").some((p) => matches(p.spec.selector.matchLabels))) problems.push(`${name}: no PodDisruptionBudget`);
    if (!byKind("Service").some((s) => matches(s.spec.selector))) problems.push(`${name}: no Service selects it`);
    if (!labels["app.kubernetes.io/part-of"]) problems.push(`${name}: pod template lacks part-of label used by NetworkPolicies`);
  }
  for (const s of byKind("Service")) {
    const target = byKind("Deployment").find((d) =>
      Object.entries(s.spec.selector ?? {}).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
    if (!target) { problems.push(`Service ${s.metadata.name}: selects no Deployment`); continue; }
    const portNames = target.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
    for (const p of s.spec.ports) {
      if (typeof p.targetPort === "string" && !portNames.includes(p.targetPort)) problems.push(`Service ${s.metadata.name}: targetPort ${p.targetPort} not exposed by ${target.metadata.name}`);
    }
  }
  for (const t of byKind("KafkaTopic")) {
    const isr = Number(t.spec.config?.["min.insync.replicas"] ?? 1);
    if (isr > t.spec.replicas) problems.push(`KafkaTopic ${t.metadata.name}: min.insync.replicas ${isr} > replicas ${t.spec.replicas}`);
  }
  return problems;
}

let passed = 0;
let failed = 0;
for (const overlay of overlays) {
  const rendered = execFileSync("kubectl", ["kustomize", join(k8sDir, overlay)], { encoding: "utf8" });
  const objects = yaml.loadAll(rendered).filter(Boolean);
  for (const obj of objects) {
    const id = `${overlay}: ${obj.kind}/${obj.metadata?.name}`;
    try {
      const check = structural[`${obj.apiVersion}/${obj.kind}`];
      if (check) check(obj);
      else new (await modelFor(obj.apiVersion, obj.kind))(obj).validate();
      passed++;
    } catch (e) {
      failed++;
      console.log(`FAIL ${id}: ${e.message.split("\n").slice(0, 6).join(" | ")}`);
    }
  }
  const problems = invariants(objects);
  for (const p of problems) console.log(`FAIL ${overlay}: ${p}`);
  failed += problems.length;
  passed += problems.length === 0 ? 1 : 0;
  console.log(`${overlay}: ${objects.length} objects rendered`);
}
console.log(`k8s: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
