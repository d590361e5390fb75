// Renders every kustomize overlay and validates each object offline: against the Kubernetes OpenAPI
// schemas (kubernetes-models) and the operators' CRD schemas (Strimzi, cert-manager, KEDA, CloudNativePG),
// plus the invariants an operator relies on (probes, resources, PDBs, selectors, ISR settings, every
// ConfigMap/Secret key a Deployment reads exists, SMTP container ports = the listener port properties,
// Certificate issuers exist, the balancer's PROXY annotation and the listeners' proxy-protocol agree,
// the Keycloak realm import is the local realm without demo users, OIDC URLs and issuer match the Keycloak
// CR, and the NetworkPolicies allow exactly the flows the services and operators need: netpol.mjs), and that
// Kafka and PostgreSQL are reached over TLS with per-service credentials (dataAccess) while the production
// overlay renders no Secret (secrets). operations.mjs adds what rollouts, monitoring and production need: probes,
// preStop and grace periods, no replicas under a scaler, zone spread and own ServiceAccounts, every Service
// scraped, alerts with runbooks (and `promtool check rules` on them and on the dashboard's queries), the Grafana
// dashboard's structure, images by digest and the site values of overlays/prod (issue 16; operations.test.mjs
// proves that each of those checks fails on a broken manifest).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import yaml from "js-yaml";
import { networkPolicies } from "./netpol.mjs";
import { dataAccess, secretsOf, secretPolicy, clusterSecretStores } from "./data-access.mjs";
import { alerts, dashboards, images, monitoring, parseEnv, placementAndIdentity, promtool, promtoolTests, rollouts, scalers, siteValues } from "./operations.mjs";

const k8sDir = join(dirname(fileURLToPath(import.meta.url)), "..");
// Rendering uses the kustomize built into kubectl (v1.27+: kustomize v5). bin/kanmon-test puts a pinned
// kubectl on PATH when the machine has none; KUBECTL names another binary.
const kubectl = process.env.KUBECTL || "kubectl";
const overlays = ["base", "overlays/dev", "overlays/prod"];
// ClusterIssuers that the cluster provides (docs/operations.md, prerequisites); any other issuer a
// Certificate names must be rendered by the overlay itself (dev: "selfsigned").
const clusterIssuers = new Set(["letsencrypt"]);

const packages = {
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "keda.sh": "@kubernetes-models/keda",
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "external-secrets.io": "@kubernetes-models/external-secrets",
};
// The Keycloak operator publishes no JSON-schema package on npm; its two kinds are checked structurally.
const structural = {
  "k8s.keycloak.org/v2alpha1/Keycloak": (o) => need(o, ["spec.instances", "spec.db.vendor", "spec.hostname.hostname", "spec.hostname.backchannelDynamic"]),
  "k8s.keycloak.org/v2alpha1/KeycloakRealmImport": (o) => need(o, ["spec.keycloakCRName", "spec.realm.realm"]),
  // CloudNativePG's Barman Cloud Plugin (overlays/prod/backup.yaml): no schema package on npm either.
  "barmancloud.cnpg.io/v1/ObjectStore": (o) => need(o, ["spec.configuration.destinationPath"]),
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

// The environment a Deployment's first container sees: envFrom ConfigMaps, then literal env values.
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

// Annotations that make a cloud balancer send a PROXY protocol header (services/submission.yaml).
const proxyAnnotations = {
  "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol": (v) => v === "*",
  "service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol": (v) => v === "true",
  "load-balancer.hetzner.cloud/uses-proxyprotocol": (v) => v === "true",
};
const listenerOfPort = { smtp: "SMTP", submission: "SUBMISSION", submissions: "SUBMISSIONS" };

function isCidr(text) {
  const [addr, len, extra] = text.trim().split("/");
  if (extra !== undefined || len === undefined || !/^\d+$/.test(len)) return false;
  if (addr.includes(":")) return /^[0-9a-fA-F:]+$/.test(addr) && Number(len) <= 128;
  const parts = addr.split(".");
  return parts.length === 4 && parts.every((p) => /^\d+$/.test(p) && Number(p) <= 255) && Number(len) <= 32;
}

// The balancer sends PROXY headers exactly when the listeners behind it expect them, and then the
// listeners know whom to believe. A mismatch drops every connection (header expected but missing) or
// reads the header as an SMTP command (header sent but not expected).
function proxyProtocol(objects) {
  const problems = [];
  for (const s of objects.filter((o) => o.kind === "Service" && o.spec.type === "LoadBalancer")) {
    const ann = s.metadata.annotations ?? {};
    const sends = Object.entries(proxyAnnotations).filter(([k, on]) => k in ann && on(String(ann[k]))).map(([k]) => k);
    if (sends.includes("service.beta.kubernetes.io/aws-load-balancer-proxy-protocol")
        && !["external", "nlb-ip"].includes(ann["service.beta.kubernetes.io/aws-load-balancer-type"]) && !s.spec.loadBalancerClass)
      problems.push(`Service ${s.metadata.name}: aws-load-balancer-proxy-protocol is ignored by the in-tree controller; needs aws-load-balancer-type external (AWS Load Balancer Controller)`);
    const targets = objects.filter((d) => d.kind === "Deployment"
      && Object.entries(s.spec.selector ?? {}).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
    for (const d of targets) {
      const env = envOf(d, objects);
      for (const p of s.spec.ports) {
        const listener = listenerOfPort[p.targetPort];
        if (!listener) continue;
        const key = `KANMON_SUBMISSION_${listener}_PROXY_PROTOCOL`;
        const expects = String(env[key] ?? "false").toLowerCase() === "true";
        if (sends.length > 0 && !expects) problems.push(`Service ${s.metadata.name} sends PROXY (${sends.join(", ")}) but ${d.metadata.name} has ${key}=${env[key] ?? "unset"}`);
        if (sends.length === 0 && expects) problems.push(`${d.metadata.name}: ${key}=true but Service ${s.metadata.name} has no PROXY annotation`);
      }
      if (sends.length > 0) {
        const trusted = (env.KANMON_SUBMISSION_PROXY_PROTOCOL_TRUSTED_NETWORKS ?? "").split(",").filter((x) => x.trim());
        if (trusted.length === 0) problems.push(`${d.metadata.name}: PROXY on but KANMON_SUBMISSION_PROXY_PROTOCOL_TRUSTED_NETWORKS is unset (nobody would be believed)`);
        for (const t of trusted) if (!isCidr(t)) problems.push(`${d.metadata.name}: KANMON_SUBMISSION_PROXY_PROTOCOL_TRUSTED_NETWORKS entry ${t} is not a CIDR`);
      }
    }
  }
  return problems;
}

// The realm the tests run against (bin/kanmon-stack imports it). The Kubernetes realm import must be the
// same realm minus its demo users: same roles, clients (flows, mappers), service-account roles, user
// profile and token settings; no people, no literal secrets.
const localRealm = JSON.parse(readFileSync(join(k8sDir, "..", "bin/stack/keycloak/kanmon-realm.json"), "utf8"));
const clientFlags = ["enabled", "protocol", "publicClient", "standardFlowEnabled", "implicitFlowEnabled",
  "directAccessGrantsEnabled", "serviceAccountsEnabled", "fullScopeAllowed", "clientAuthenticatorType"];
const realmSettings = ["realm", "enabled", "accessTokenLifespan", "bruteForceProtected", "passwordPolicy"];
const byName = (list, key = "name") => Object.fromEntries((list ?? []).map((x) => [x[key], x]));
const userProfile = (realm) => {
  const c = realm.components?.["org.keycloak.userprofile.UserProfileProvider"]?.[0]?.config?.["kc.user.profile.config"]?.[0];
  return c === undefined ? undefined : JSON.parse(c);
};

function realmImport(objects, secrets) {
  const problems = [];
  const secretKey = (name, key) => secrets.has(name) && (secrets.get(name) === null || secrets.get(name).has(key));
  for (const ri of objects.filter((o) => o.kind === "KeycloakRealmImport")) {
    const id = `KeycloakRealmImport ${ri.metadata.name}`;
    const r = ri.spec.realm;
    const placeholders = ri.spec.placeholders ?? {};
    for (const k of realmSettings) if (!isDeepStrictEqual(r[k], localRealm[k])) problems.push(`${id}: ${k} ${JSON.stringify(r[k])}, local realm ${JSON.stringify(localRealm[k])}`);
    const roles = (x) => (x.roles?.realm ?? []).map((ro) => ro.name).sort();
    if (!isDeepStrictEqual(roles(r), roles(localRealm))) problems.push(`${id}: realm roles ${roles(r)}, local realm ${roles(localRealm)}`);
    const clients = byName(r.clients, "clientId");
    const localClients = byName(localRealm.clients, "clientId");
    for (const cid of new Set([...Object.keys(clients), ...Object.keys(localClients)])) {
      const c = clients[cid], lc = localClients[cid];
      if (!c || !lc) { problems.push(`${id}: client ${cid} ${c ? "not in" : "missing from"} the import (local realm ${lc ? "has" : "lacks"} it)`); continue; }
      for (const f of clientFlags) if (c[f] !== lc[f]) problems.push(`${id}: client ${cid} ${f} ${c[f]}, local realm ${lc[f]}`);
      if (!isDeepStrictEqual(byName(c.protocolMappers), byName(lc.protocolMappers))) problems.push(`${id}: client ${cid} protocol mappers differ from the local realm`);
      if (c.secret !== undefined) {
        const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(c.secret);
        if (!m) problems.push(`${id}: client ${cid} has a literal secret; take it from a Secret through spec.placeholders`);
        else if (!placeholders[m[1]]) problems.push(`${id}: client ${cid} secret placeholder ${m[1]} is not in spec.placeholders`);
      }
    }
    // The smtp-submission secret Keycloak gets is the one the auth-service sends.
    const smtp = /^\$\{(\w+)\}$/.exec(clients["smtp-submission"]?.secret ?? "");
    const ref = smtp && placeholders[smtp[1]]?.secret;
    const auth = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "auth-service");
    const authRef = auth?.spec.template.spec.containers[0].env?.find((e) => e.name === "KANMON_AUTH_KEYCLOAK_CLIENT_SECRET")?.valueFrom?.secretKeyRef;
    if (!ref) problems.push(`${id}: client smtp-submission gets no secret from a placeholder`);
    else if (!authRef || ref.name !== authRef.name || ref.key !== authRef.key) problems.push(`${id}: smtp-submission secret ${ref.name}/${ref.key} is not the auth-service's KANMON_AUTH_KEYCLOAK_CLIENT_SECRET (${authRef?.name}/${authRef?.key})`);
    for (const [name, p] of Object.entries(placeholders)) {
      if (!secretKey(p.secret?.name, p.secret?.key)) problems.push(`${id}: placeholder ${name}: Secret ${p.secret?.name} with key ${p.secret?.key} is not rendered under that exact name`);
    }
    // People and passwords stay out; the service accounts and their realm-management roles stay in.
    for (const u of r.users ?? []) {
      if (!u.serviceAccountClientId) problems.push(`${id}: user ${u.username} is not a service account (no demo users in a production realm)`);
      if (u.credentials?.length) problems.push(`${id}: user ${u.username} has credentials`);
    }
    const sa = (realm) => Object.fromEntries((realm.users ?? []).filter((u) => u.serviceAccountClientId).map((u) => [u.serviceAccountClientId, u.clientRoles ?? {}]));
    if (!isDeepStrictEqual(sa(r), sa(localRealm))) problems.push(`${id}: service-account roles ${JSON.stringify(sa(r))}, local realm ${JSON.stringify(sa(localRealm))}`);
    if (!isDeepStrictEqual(userProfile(r), userProfile(localRealm))) problems.push(`${id}: user profile (attributes mailAliases, smtpPlan, ...) differs from the local realm`);
  }
  return problems;
}

// Tokens carry the issuer of Keycloak's public hostname; the services fetch discovery and keys from the
// in-cluster Service (backchannelDynamic) and expect exactly that issuer (QUARKUS_OIDC_TOKEN_ISSUER).
function oidc(objects) {
  const problems = [];
  const kcs = objects.filter((o) => o.kind === "Keycloak");
  const realms = objects.filter((o) => o.kind === "KeycloakRealmImport");
  for (const cm of objects.filter((o) => o.kind === "ConfigMap" && o.data?.QUARKUS_OIDC_AUTH_SERVER_URL)) {
    const id = `ConfigMap ${cm.metadata.name}`;
    const m = /^http:\/\/([a-z0-9-]+)-service:(\d+)\/realms\/([^/]+)$/.exec(cm.data.QUARKUS_OIDC_AUTH_SERVER_URL);
    const kc = m && kcs.find((k) => k.metadata.name === m[1]);
    if (!kc) { problems.push(`${id}: QUARKUS_OIDC_AUTH_SERVER_URL ${cm.data.QUARKUS_OIDC_AUTH_SERVER_URL} is not http://<Keycloak CR>-service:<port>/realms/<realm>`); continue; }
    const port = String(kc.spec.http?.httpPort ?? 8080);
    if (m[2] !== port) problems.push(`${id}: auth-server-url port ${m[2]}, Keycloak ${kc.metadata.name} listens on ${port}`);
    if (!realms.some((r) => r.spec.keycloakCRName === kc.metadata.name && r.spec.realm.realm === m[3])) problems.push(`${id}: realm ${m[3]} is not imported into ${kc.metadata.name}`);
    const host = kc.spec.hostname ?? {};
    if (host.backchannelDynamic !== true) problems.push(`Keycloak ${kc.metadata.name}: hostname.backchannelDynamic must be true, or discovery read in-cluster sends ${id}'s service to the public URL for its keys`);
    if (!/^https?:\/\//.test(host.hostname ?? "")) problems.push(`Keycloak ${kc.metadata.name}: hostname.hostname must be a full URL with backchannelDynamic`);
    const issuer = `${String(host.hostname).replace(/\/$/, "")}/realms/${m[3]}`;
    if (cm.data.QUARKUS_OIDC_TOKEN_ISSUER !== issuer) problems.push(`${id}: QUARKUS_OIDC_TOKEN_ISSUER ${cm.data.QUARKUS_OIDC_TOKEN_ISSUER ?? "unset"}, tokens carry ${issuer}`);
    const base = cm.data.KANMON_AUTH_KEYCLOAK_URL;
    if (base !== undefined && base !== `http://${m[1]}-service:${m[2]}`) problems.push(`${id}: KANMON_AUTH_KEYCLOAK_URL ${base} is not the same Keycloak as the OIDC tenant`);
  }
  return problems;
}

function invariants(objects, overlay) {
  const problems = [];
  // Secrets by name -> their keys (null: any): rendered, filled by an ExternalSecret, or created by an operator.
  const secrets = secretsOf(objects, overlay);
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
  // Every ConfigMap/Secret a Deployment reads exists (kustomize rewrites generator names with their hash).
  const exists = (kind, name) => (kind === "Secret" ? secrets.has(name) : byKind(kind).some((o) => o.metadata.name === name));
  for (const d of byKind("Deployment")) {
    const name = d.metadata.name;
    const spec = d.spec.template.spec;
    const refs = [];
    for (const c of spec.containers) {
      for (const f of c.envFrom ?? []) {
        if (f.configMapRef) refs.push(["ConfigMap", f.configMapRef.name]);
        if (f.secretRef) refs.push(["Secret", f.secretRef.name]);
      }
      for (const e of c.env ?? []) {
        if (e.valueFrom?.configMapKeyRef) refs.push(["ConfigMap", e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.key]);
        if (e.valueFrom?.secretKeyRef) refs.push(["Secret", e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]);
        if (!/^[A-Z][A-Z0-9_]*$/.test(e.name)) problems.push(`${name}: env ${e.name} is not a SmallRye environment name`);
      }
    }
    for (const v of spec.volumes ?? []) {
      if (v.secret) refs.push(["Secret", v.secret.secretName]);
      if (v.configMap) refs.push(["ConfigMap", v.configMap.name]);
    }
    for (const [kind, ref, key] of refs) {
      if (!exists(kind, ref)) { problems.push(`${name}: ${kind} ${ref} does not exist`); continue; }
      if (kind === "Secret") {
        if (key && secrets.get(ref) && !secrets.get(ref).has(key)) problems.push(`${name}: ${kind} ${ref} has no key ${key}`);
        continue;
      }
      const obj = byKind(kind).find((o) => o.metadata.name === ref);
      if (key && obj && !(key in (obj.data ?? {})) && !(key in (obj.stringData ?? {}))) problems.push(`${name}: ${kind} ${ref} has no key ${key}`);
    }
  }
  // Health and metrics live on the Quarkus management interface (quarkus.management.port, 9000 unless the
  // Deployment sets QUARKUS_MANAGEMENT_PORT), apart from the APIs on 8080: the probes and the Prometheus
  // scrape port name it, and it is not the HTTP port.
  for (const d of byKind("Deployment")) {
    const name = d.metadata.name;
    const c = d.spec.template.spec.containers[0];
    const env = Object.fromEntries((c.env ?? []).filter((e) => "value" in e).map((e) => [e.name, e.value]));
    const management = (c.ports ?? []).find((p) => p.name === "management")?.containerPort;
    const http = (c.ports ?? []).find((p) => p.name === "http")?.containerPort;
    if (management === undefined) { problems.push(`${name}: no container port "management" (quarkus.management.port)`); continue; }
    if (String(management) !== String(env.QUARKUS_MANAGEMENT_PORT ?? 9000)) problems.push(`${name}: container port management ${management} but quarkus.management.port ${env.QUARKUS_MANAGEMENT_PORT ?? 9000}`);
    if (management === http) problems.push(`${name}: the management interface shares the HTTP port ${http}`);
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const get = c[probe]?.httpGet;
      if (!get) continue;
      if (get.port !== "management" && get.port !== management) problems.push(`${name}: ${probe} on port ${get.port}, not the management interface`);
      if (!String(get.path).startsWith("/q/health/")) problems.push(`${name}: ${probe} path ${get.path} is not a health check`);
    }
  }
  // The SMTP container ports are the ports the listeners bind (kanmon.submission.<listener>.port).
  for (const d of byKind("Deployment").filter((d) => d.metadata.name === "submission-service")) {
    const c = d.spec.template.spec.containers[0];
    const env = Object.fromEntries((c.env ?? []).filter((e) => "value" in e).map((e) => [e.name, e.value]));
    for (const listener of ["submission", "submissions", "smtp"]) {
      const port = (c.ports ?? []).find((p) => p.name === listener)?.containerPort;
      const bound = env[`KANMON_SUBMISSION_${listener.toUpperCase()}_PORT`];
      if (String(port) !== String(bound)) problems.push(`submission-service: container port ${listener} ${port} but KANMON_SUBMISSION_${listener.toUpperCase()}_PORT ${bound}`);
    }
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
  for (const c of byKind("Certificate")) {
    const ref = c.spec.issuerRef ?? {};
    const kind = ref.kind ?? "Issuer";
    const rendered = byKind(kind).some((i) => i.metadata.name === ref.name);
    if (!rendered && !(kind === "ClusterIssuer" && clusterIssuers.has(ref.name))) problems.push(`Certificate ${c.metadata.name}: ${kind} ${ref.name} is neither rendered nor provided by the cluster`);
  }
  problems.push(...proxyProtocol(objects));
  problems.push(...realmImport(objects, secrets));
  problems.push(...dataAccess(objects));
  problems.push(...secretPolicy(objects, overlay));
  problems.push(...oidc(objects));
  problems.push(...networkPolicies(objects));
  problems.push(...rollouts(objects), ...scalers(objects), ...placementAndIdentity(objects));
  problems.push(...monitoring(objects), ...alerts(objects), ...dashboards(objects), ...promtool(objects), ...promtoolTests(objects));
  problems.push(...images(objects, overlay));
  for (const t of byKind("KafkaTopic")) {
    const isr = Number(t.spec.config?.["min.insync.replicas"] ?? 1);
    if (isr > t.spec.replicas) problems.push(`KafkaTopic ${t.metadata.name}: min.insync.replicas ${isr} > replicas ${t.spec.replicas}`);
  }
  return problems;
}

let passed = 0;
let failed = 0;
for (const overlay of overlays) {
  // A site's cert-manager issuer and secret store exist in its cluster (overlays/prod/site.env).
  const siteFile = join(k8sDir, overlay, "site.env");
  const site = existsSync(siteFile) ? parseEnv(readFileSync(siteFile, "utf8")) : {};
  if (site.CERT_ISSUER) clusterIssuers.add(site.CERT_ISSUER);
  if (site.SECRET_STORE) clusterSecretStores.add(site.SECRET_STORE);
  if (existsSync(siteFile)) {
    const problems = siteValues(join(k8sDir, overlay));
    for (const p of problems) console.log(`FAIL ${overlay}: ${p}`);
    failed += problems.length;
  }
  const rendered = execFileSync(kubectl, ["kustomize", join(k8sDir, overlay)], { encoding: "utf8" });
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
  const problems = invariants(objects, overlay);
  for (const p of problems) console.log(`FAIL ${overlay}: ${p}`);
  failed += problems.length;
  passed += problems.length === 0 ? 1 : 0;
  console.log(`${overlay}: ${objects.length} objects rendered`);
}
console.log(`k8s: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
