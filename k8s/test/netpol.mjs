// NetworkPolicy check for validate.mjs: evaluates the rendered NetworkPolicies (plus those Strimzi and the
// Keycloak operator generate from their custom resources) the way the Kubernetes NetworkPolicy API defines
// them, for the pods of the namespace (the Deployments', and the operators' pods modelled from their
// custom resources) and a few endpoints outside it, and checks:
// - every flow Kanmon needs is allowed at both ends (egress at the source, ingress at the destination):
//   the in-cluster hosts named in each Deployment's configuration, DNS for every pod, the internet for the
//   delivery-service, the operators' and monitoring's flows, the infrastructure pods among themselves;
// - a few flows that must stay closed are denied (the default deny is in force).
// Addresses outside the cluster are site-specific: "the Kubernetes API" is matched by any ipBlock rule,
// the internet by documentation addresses (RFC 5737 / RFC 3849).

const INTERNET_MX_V4 = "198.51.100.25";
const INTERNET_MX_V6 = "2001:db8::25";
const INTERNET_RESOLVER = "203.0.113.53";
const INTERNET_WEB = "198.51.100.80";

// ---- label selectors --------------------------------------------------------------------------------
function matches(selector, labels) {
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

// ---- addresses --------------------------------------------------------------------------------------
function ipToBig(ip) {
  if (!ip.includes(":")) return { v: 4, n: ip.split(".").reduce((a, p) => (a << 8n) + BigInt(Number(p)), 0n) };
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, null];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return { v: 6, n: groups.reduce((a, g) => (a << 16n) + BigInt(parseInt(g || "0", 16)), 0n) };
}
function inCidr(cidr, ip) {
  const [net, lenText] = cidr.split("/");
  const a = ipToBig(net), b = ipToBig(ip);
  if (a.v !== b.v) return false;
  const bits = a.v === 4 ? 32n : 128n;
  const shift = bits - BigInt(Number(lenText));
  return (a.n >> shift) === (b.n >> shift);
}

// ---- policies ---------------------------------------------------------------------------------------
const types = (p) => p.spec.policyTypes ?? ["Ingress", ...(p.spec.egress ? ["Egress"] : [])];

function peerMatches(peer, policyNs, ep) {
  if (ep.kind === "pod") {
    if (peer.ipBlock) return false; // ipBlock is meant for addresses outside the cluster
    const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, ep.nsLabels) : ep.ns === policyNs;
    return nsOk && (peer.podSelector ? matches(peer.podSelector, ep.labels) : true);
  }
  if (!peer.ipBlock) return false;
  if (ep.kind === "apiserver") return true;
  return inCidr(peer.ipBlock.cidr, ep.ip) && !(peer.ipBlock.except ?? []).some((x) => inCidr(x, ep.ip));
}

function portMatches(ports, port, protocol, dst) {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    const n = typeof p.port === "string" ? dst.ports?.[p.port] : p.port;
    return n === port || (p.endPort !== undefined && port >= n && port <= p.endPort);
  });
}

function allowedBy(policies, dir, self, other, port, protocol, dst) {
  const selecting = policies.filter((p) => p.metadata.namespace === self.ns && types(p).includes(dir)
    && matches(p.spec.podSelector, self.labels));
  if (selecting.length === 0) return true; // not isolated in this direction
  const key = dir === "Ingress" ? "from" : "to";
  return selecting.some((p) => (p.spec[dir.toLowerCase()] ?? []).some((rule) =>
    (!rule[key] || rule[key].length === 0 || rule[key].some((peer) => peerMatches(peer, p.metadata.namespace, other)))
    && portMatches(rule.ports, port, protocol, dst)));
}

function verdict(policies, ns, src, dst, port, protocol) {
  const egress = src.kind !== "pod" || src.ns !== ns || allowedBy(policies, "Egress", src, dst, port, protocol, dst);
  const ingress = dst.kind !== "pod" || dst.ns !== ns || allowedBy(policies, "Ingress", dst, src, port, protocol, dst);
  return { egress, ingress, allowed: egress && ingress };
}

// ---- what the operators create ----------------------------------------------------------------------
function operatorPolicies(objects, ns) {
  const out = [];
  for (const k of objects.filter((o) => o.kind === "Kafka")) {
    const c = k.metadata.name;
    const kafka = { "strimzi.io/cluster": c, "strimzi.io/name": `${c}-kafka`, "strimzi.io/kind": "Kafka" };
    const co = { podSelector: { matchLabels: { "strimzi.io/kind": "cluster-operator" } }, namespaceSelector: {} };
    const peer = (name) => ({ podSelector: { matchLabels: { "strimzi.io/name": name } } });
    out.push({ kind: "NetworkPolicy", metadata: { name: `${c}-network-policy-kafka`, namespace: ns }, spec: {
      podSelector: { matchLabels: kafka }, policyTypes: ["Ingress"], ingress: [
        { ports: [{ port: 9090 }], from: [{ podSelector: { matchLabels: kafka } }, co] },
        { ports: [{ port: 9091 }], from: [co, { podSelector: { matchLabels: kafka } }, peer(`${c}-entity-operator`), peer(`${c}-kafka-exporter`), peer(`${c}-cruise-control`)] },
        { ports: [{ port: 8443 }], from: [co] },
        ...(k.spec.kafka.listeners ?? []).map((l) => ({ ports: [{ port: l.port }], from: l.networkPolicyPeers ?? [] })),
      ] } });
  }
  for (const kc of objects.filter((o) => o.kind === "Keycloak" && o.spec.networkPolicy?.enabled !== false)) {
    const server = { app: "keycloak", "app.kubernetes.io/managed-by": "keycloak-operator", "app.kubernetes.io/instance": kc.metadata.name };
    const np = kc.spec.networkPolicy ?? {};
    out.push({ kind: "NetworkPolicy", metadata: { name: `${kc.metadata.name}-network-policy`, namespace: ns }, spec: {
      podSelector: { matchLabels: server }, policyTypes: ["Ingress"], ingress: [
        { ports: [{ port: kc.spec.http?.httpPort ?? 8080, protocol: "TCP" }], from: np.http ?? [] },
        { ports: [{ port: 7800, protocol: "TCP" }, { port: 57800, protocol: "TCP" }], from: [{ podSelector: { matchLabels: server } }] },
        { ports: [{ port: 9000, protocol: "TCP" }], from: np.management ?? [] },
      ] } });
  }
  return out;
}

// The pods of the namespace: the Deployments' and those the operators create from the custom resources.
function namespacePods(objects, ns) {
  const nsLabels = { "kubernetes.io/metadata.name": ns };
  const pods = [];
  const pod = (name, labels, ports = {}) => pods.push({ kind: "pod", name, ns, nsLabels, labels, ports });
  for (const d of objects.filter((o) => o.kind === "Deployment")) {
    const ports = Object.fromEntries(d.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => [p.name, p.containerPort])));
    pod(d.metadata.name, d.spec.template.metadata.labels, ports);
  }
  for (const c of objects.filter((o) => o.kind === "Cluster")) {
    pod(`${c.metadata.name} (CloudNativePG instance)`, { "cnpg.io/cluster": c.metadata.name, "cnpg.io/podRole": "instance", ...(c.spec.inheritedMetadata?.labels ?? {}) },
      { postgresql: 5432, status: 8000, metrics: 9187 });
  }
  for (const k of objects.filter((o) => o.kind === "Kafka")) {
    const c = k.metadata.name;
    for (const pool of objects.filter((o) => o.kind === "KafkaNodePool" && o.metadata.labels?.["strimzi.io/cluster"] === c)) {
      pod(`${c} (Kafka node, pool ${pool.metadata.name})`, { "strimzi.io/cluster": c, "strimzi.io/kind": "Kafka", "strimzi.io/name": `${c}-kafka`,
        "strimzi.io/pool-name": pool.metadata.name, "strimzi.io/broker-role": String(pool.spec.roles.includes("broker")),
        "strimzi.io/controller-role": String(pool.spec.roles.includes("controller")) }, k.spec.kafka.metricsConfig ? { "tcp-prometheus": 9404 } : {});
    }
    if (k.spec.kafkaExporter) {
      pod(`${c} (Kafka Exporter)`, { "strimzi.io/cluster": c, "strimzi.io/kind": "Kafka", "strimzi.io/name": `${c}-kafka-exporter` }, { "tcp-prometheus": 9404 });
    }
    if (k.spec.entityOperator) {
      pod(`${c} (entity operator)`, { "strimzi.io/cluster": c, "strimzi.io/kind": "Kafka", "strimzi.io/name": `${c}-entity-operator`,
        ...(k.spec.entityOperator.template?.pod?.metadata?.labels ?? {}) });
    }
  }
  for (const kc of objects.filter((o) => o.kind === "Keycloak")) {
    const base = { "app.kubernetes.io/managed-by": "keycloak-operator", "app.kubernetes.io/instance": kc.metadata.name, "app.kubernetes.io/component": "server" };
    pod(`${kc.metadata.name} (Keycloak)`, { app: "keycloak", ...base }, { http: kc.spec.http?.httpPort ?? 8080, management: 9000 });
    pods.at(-1).operatorService = true;
    if (objects.some((o) => o.kind === "KeycloakRealmImport" && o.spec.keycloakCRName === kc.metadata.name)) {
      pod(`${kc.metadata.name} (realm-import Job)`, { app: "keycloak-realm-import", ...base });
    }
  }
  if (objects.some((o) => o.kind === "Certificate")) pod("cert-manager HTTP-01 solver", { "acme.cert-manager.io/http01-solver": "true" }, { http: 8089 });
  return pods;
}

const outside = (ns, name, labels) => ({ kind: "pod", name: `${ns}/${name}`, ns, nsLabels: { "kubernetes.io/metadata.name": ns }, labels });
const EXT = {
  dns: outside("kube-system", "coredns", { "k8s-app": "kube-dns" }),
  cnpgOperator: outside("cnpg-system", "cnpg-controller-manager", { "app.kubernetes.io/name": "cloudnative-pg" }),
  strimziOperator: outside("strimzi", "strimzi-cluster-operator", { "strimzi.io/kind": "cluster-operator", name: "strimzi-cluster-operator" }),
  ingress: outside("ingress-nginx", "ingress-nginx-controller", { "app.kubernetes.io/name": "ingress-nginx" }),
  prometheus: outside("monitoring", "prometheus", { "app.kubernetes.io/name": "prometheus" }),
  keda: outside("keda", "keda-operator", { app: "keda-operator" }),
  stranger: outside("default", "some-pod", { app: "other" }),
  apiserver: { kind: "apiserver", name: "the Kubernetes API" },
  mx4: { kind: "ip", ip: INTERNET_MX_V4, name: `internet ${INTERNET_MX_V4}` },
  mx6: { kind: "ip", ip: INTERNET_MX_V6, name: `internet ${INTERNET_MX_V6}` },
  resolver: { kind: "ip", ip: INTERNET_RESOLVER, name: `resolver ${INTERNET_RESOLVER}` },
  web: { kind: "ip", ip: INTERNET_WEB, name: `internet ${INTERNET_WEB}` },
  client: { kind: "ip", ip: "192.0.2.7", name: "SMTP client 192.0.2.7" },
};

// host:port pairs named in a Deployment's configuration -> the pods (and port) they reach.
function resolveHost(objects, pods, host, port) {
  const svc = objects.find((o) => o.kind === "Service" && o.metadata.name === host);
  if (svc) {
    const sp = svc.spec.ports.find((p) => p.port === port);
    if (!sp) return { error: `Service ${host} has no port ${port}` };
    const targets = pods.filter((p) => svc.spec.selector && matches({ matchLabels: svc.spec.selector }, p.labels));
    return { targets: targets.map((t) => ({ pod: t, port: typeof sp.targetPort === "string" ? t.ports[sp.targetPort] : (sp.targetPort ?? sp.port) })) };
  }
  const by = (pred) => pods.filter(pred).map((t) => ({ pod: t, port }));
  for (const c of objects.filter((o) => o.kind === "Cluster")) {
    if ([`${c.metadata.name}-rw`, `${c.metadata.name}-ro`, `${c.metadata.name}-r`].includes(host)) return { targets: by((p) => p.labels["cnpg.io/cluster"] === c.metadata.name) };
  }
  for (const k of objects.filter((o) => o.kind === "Kafka")) {
    if (host === `${k.metadata.name}-kafka-bootstrap`) return { targets: by((p) => p.labels["strimzi.io/cluster"] === k.metadata.name && p.labels["strimzi.io/broker-role"] === "true") };
  }
  for (const kc of objects.filter((o) => o.kind === "Keycloak")) {
    if (host === `${kc.metadata.name}-service`) return { targets: by((p) => p.labels.app === "keycloak" && p.labels["app.kubernetes.io/instance"] === kc.metadata.name) };
  }
  return { error: `${host}:${port} names no Service, CloudNativePG, Strimzi or Keycloak endpoint` };
}

function configuredTargets(objects, d) {
  const c = d.spec.template.spec.containers[0];
  const values = [];
  for (const f of c.envFrom ?? []) {
    const cm = f.configMapRef && objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === f.configMapRef.name);
    for (const [k, v] of Object.entries(cm?.data ?? {})) values.push([k, v]);
  }
  for (const e of c.env ?? []) if ("value" in e) values.push([e.name, e.value]);
  const out = [];
  for (const [key, value] of values) {
    // http://host:port, postgresql://host:port/db, jdbc:postgresql://host:port/db, host:port[,host:port]
    for (const m of String(value).matchAll(/(?:^|[/,@])([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*):(\d{2,5})(?=$|[/,?])/g)) {
      if (m[1].includes(".")) continue; // a name outside the cluster (e.g. an external resolver)
      out.push({ key, host: m[1], port: Number(m[2]) });
    }
  }
  return out;
}

export function networkPolicies(objects) {
  const problems = [];
  const ns = objects.find((o) => o.kind === "Namespace")?.metadata.name
    ?? objects.find((o) => o.metadata?.namespace)?.metadata.namespace;
  const policies = [...objects.filter((o) => o.kind === "NetworkPolicy"), ...operatorPolicies(objects, ns)];
  for (const p of policies) p.metadata.namespace ??= ns;
  const pods = namespacePods(objects, ns);
  const named = (pred) => pods.filter(pred);
  const app = (name) => named((p) => p.labels["app.kubernetes.io/name"] === name);
  const flows = []; // [src, dst, port, protocol, why, expected]
  const allow = (srcs, dsts, port, protocol, why) => { for (const s of [srcs].flat()) for (const d of [dsts].flat()) flows.push([s, d, port, protocol, why, true]); };
  const deny = (srcs, dsts, port, protocol, why) => { for (const s of [srcs].flat()) for (const d of [dsts].flat()) flows.push([s, d, port, protocol, why, false]); };

  // Every pod resolves names.
  for (const p of pods) { allow(p, EXT.dns, 53, "UDP", "DNS"); allow(p, EXT.dns, 53, "TCP", "DNS"); }

  // What each Deployment's configuration points at.
  for (const d of objects.filter((o) => o.kind === "Deployment")) {
    const src = pods.find((p) => p.name === d.metadata.name);
    for (const t of configuredTargets(objects, d)) {
      const r = resolveHost(objects, pods, t.host, t.port);
      if (r.error) { problems.push(`${d.metadata.name}: ${t.key}: ${r.error}`); continue; }
      if (r.targets.length === 0) problems.push(`${d.metadata.name}: ${t.key}: ${t.host}:${t.port} selects no pod`);
      for (const x of r.targets) allow(src, x.pod, x.port, "TCP", `${t.key}=${t.host}:${t.port}`);
    }
  }
  // Ingress to the services: the balancer's ports from the internet, admin APIs from the ingress
  // controller, metrics from Prometheus.
  for (const s of objects.filter((o) => o.kind === "Service" && o.spec.type === "LoadBalancer")) {
    for (const t of pods.filter((p) => matches({ matchLabels: s.spec.selector }, p.labels))) {
      for (const sp of s.spec.ports) allow(EXT.client, t, typeof sp.targetPort === "string" ? t.ports[sp.targetPort] : sp.targetPort, "TCP", `Service ${s.metadata.name} port ${sp.port}`);
    }
  }
  allow(EXT.ingress, [...app("auth-service"), ...app("queue-service"), ...app("dnsbl-service")], 8080, "TCP", "admin APIs through the ingress");
  // Prometheus reaches what its ServiceMonitors and PodMonitors scrape.
  for (const m of objects.filter((o) => o.kind === "ServiceMonitor")) {
    for (const s of objects.filter((o) => o.kind === "Service" && o.spec.selector && matches(m.spec.selector, o.metadata.labels ?? {}))) {
      for (const e of m.spec.endpoints) {
        const sp = s.spec.ports.find((p) => p.name === e.port);
        if (!sp) continue;
        for (const t of pods.filter((p) => matches({ matchLabels: s.spec.selector }, p.labels))) {
          allow(EXT.prometheus, t, typeof sp.targetPort === "string" ? t.ports[sp.targetPort] : (sp.targetPort ?? sp.port), "TCP", `ServiceMonitor ${m.metadata.name}`);
        }
      }
    }
    // Services the operators create (Keycloak's): the pods themselves carry the selected labels and the port.
    for (const t of pods.filter((p) => p.operatorService && matches(m.spec.selector, p.labels))) {
      for (const e of m.spec.endpoints) if (t.ports[e.port]) allow(EXT.prometheus, t, t.ports[e.port], "TCP", `ServiceMonitor ${m.metadata.name}`);
    }
  }
  for (const m of objects.filter((o) => o.kind === "PodMonitor")) {
    for (const t of pods.filter((p) => matches(m.spec.selector, p.labels))) {
      for (const e of m.spec.podMetricsEndpoints) {
        if (t.ports[e.port] === undefined) problems.push(`PodMonitor ${m.metadata.name}: pod ${t.name} has no port ${e.port}`);
        else allow(EXT.prometheus, t, t.ports[e.port], "TCP", `PodMonitor ${m.metadata.name}`);
      }
    }
  }
  // The delivery-service's and dnsbl-service's way out.
  for (const port of [25, 465, 587]) allow(app("delivery-service"), [EXT.mx4, EXT.mx6], port, "TCP", "outbound SMTP");
  for (const proto of ["UDP", "TCP"]) allow([...app("delivery-service"), ...app("dnsbl-service")], EXT.resolver, 53, proto, "the ISP's resolver");

  // PostgreSQL.
  for (const c of objects.filter((o) => o.kind === "Cluster")) {
    const inst = named((p) => p.labels["cnpg.io/cluster"] === c.metadata.name);
    for (const port of [5432, 8000]) { allow(inst, inst, port, "TCP", "between the instances"); allow(EXT.cnpgOperator, inst, port, "TCP", "CloudNativePG operator"); }
    allow(inst, EXT.apiserver, 443, "TCP", "instance manager");
    if (c.spec.monitoring?.enablePodMonitor) allow(EXT.prometheus, inst, 9187, "TCP", "PodMonitor");
  }
  // Keycloak: its database, the cluster between its pods, the public hostname through the ingress.
  for (const kc of objects.filter((o) => o.kind === "Keycloak")) {
    const server = named((p) => p.labels.app === "keycloak" && p.labels["app.kubernetes.io/instance"] === kc.metadata.name);
    const job = named((p) => p.labels.app === "keycloak-realm-import" && p.labels["app.kubernetes.io/instance"] === kc.metadata.name);
    const db = resolveHost(objects, pods, kc.spec.db.host, kc.spec.db.port ?? 5432);
    if (db.error) problems.push(`Keycloak ${kc.metadata.name}: db.host ${db.error}`);
    else for (const x of db.targets) allow([...server, ...job], x.pod, x.port, "TCP", "Keycloak database");
    for (const port of [7800, 57800]) allow(server, server, port, "TCP", "JGroups");
    allow(EXT.ingress, server, kc.spec.http?.httpPort ?? 8080, "TCP", "public hostname through the ingress");
    // Kanmon's event listener (kanmon-relay) publishes to the Kafka its SPI options name.
    for (const o of (kc.spec.additionalOptions ?? []).filter((x) => x.name.endsWith("--bootstrap-servers"))) {
      for (const m of String(o.value).matchAll(/([a-z0-9-]+):(\d+)/g)) {
        const r = resolveHost(objects, pods, m[1], Number(m[2]));
        if (r.error) problems.push(`Keycloak ${kc.metadata.name}: ${o.name}: ${r.error}`);
        else for (const x of r.targets) allow(server, x.pod, x.port, "TCP", `Keycloak ${o.name}`);
      }
    }
  }
  // Kafka: the nodes among themselves, the topic operator, Strimzi's operator, KEDA.
  for (const k of objects.filter((o) => o.kind === "Kafka")) {
    const nodes = named((p) => p.labels["strimzi.io/name"] === `${k.metadata.name}-kafka`);
    const brokers = nodes.filter((p) => p.labels["strimzi.io/broker-role"] === "true");
    const eo = named((p) => p.labels["strimzi.io/name"] === `${k.metadata.name}-entity-operator`);
    for (const port of [9090, 9091]) allow(nodes, nodes, port, "TCP", "KRaft and replication");
    allow(eo, brokers, 9091, "TCP", "topic operator");
    allow(eo, EXT.apiserver, 443, "TCP", "topic operator");
    allow(named((p) => p.labels["strimzi.io/name"] === `${k.metadata.name}-kafka-exporter`), brokers, 9091, "TCP", "Kafka Exporter reads offsets");
    for (const port of [9090, 9091, 8443]) allow(EXT.strimziOperator, nodes, port, "TCP", "Strimzi cluster operator");
    for (const so of objects.filter((o) => o.kind === "ScaledObject")) {
      for (const t of so.spec.triggers.filter((x) => x.type === "kafka")) {
        const m = /^([a-z0-9-]+):(\d+)/.exec(t.metadata.bootstrapServers);
        if (m && m[1] === `${k.metadata.name}-kafka-bootstrap`) allow(EXT.keda, brokers, Number(m[2]), "TCP", `ScaledObject ${so.metadata.name} lag`);
      }
    }
  }
  allow(EXT.ingress, named((p) => p.labels["acme.cert-manager.io/http01-solver"] === "true"), 8089, "TCP", "ACME HTTP-01");

  // ...and what must stay closed.
  const pg = named((p) => p.labels["cnpg.io/cluster"]);
  const kcServer = named((p) => p.labels.app === "keycloak");
  const kafka = named((p) => p.labels["strimzi.io/broker-role"] === "true");
  deny(EXT.client, [...app("auth-service"), ...app("queue-service")], 8080, "TCP", "internal APIs from the internet");
  deny(EXT.client, [...pg], 5432, "TCP", "PostgreSQL from the internet");
  deny(EXT.client, kcServer, 8080, "TCP", "Keycloak pods directly from the internet");
  deny([...app("submission-service"), ...app("delivery-service")], pg, 5432, "TCP", "PostgreSQL from a service without a schema");
  deny(app("delivery-service"), kcServer, 8080, "TCP", "Keycloak from a service that does not use it");
  deny([...app("submission-service"), ...app("dnsbl-service"), ...app("auth-service")], EXT.mx4, 25, "TCP", "outbound SMTP from anything but delivery");
  deny([...app("auth-service"), ...app("queue-service")], EXT.web, 443, "TCP", "the internet");
  for (const k of objects.filter((o) => o.kind === "Kafka")) for (const l of k.spec.kafka.listeners ?? []) deny(EXT.stranger, kafka, l.port, "TCP", `another namespace (Kafka listener ${l.name})`);
  deny(EXT.stranger, app("auth-service"), 8080, "TCP", "another namespace");
  // The management interface (health, metrics) is Prometheus' only; the APIs are not.
  const services = ["submission-service", "auth-service", "queue-service", "delivery-service", "dnsbl-service"].flatMap(app);
  deny(EXT.prometheus, services, 8080, "TCP", "the APIs from monitoring");
  deny(EXT.ingress, services, 9000, "TCP", "health and metrics through the ingress");
  deny(EXT.client, services, 9000, "TCP", "health and metrics from the internet");
  deny(app("submission-service"), [...app("auth-service"), ...app("dnsbl-service")], 9000, "TCP", "another service's management interface");

  for (const [src, dst, port, protocol, why, expected] of flows) {
    if (!src || !dst || port === undefined) { problems.push(`network flow "${why}": endpoint or port missing`); continue; }
    const v = verdict(policies, ns, src, dst, port, protocol);
    if (v.allowed !== expected) {
      const where = expected ? [!v.egress && "egress at the source", !v.ingress && "ingress at the destination"].filter(Boolean).join(" and ") : "both ends allow it";
      problems.push(`NetworkPolicy: ${src.name} -> ${dst.name} ${port}/${protocol} (${why}) should be ${expected ? "allowed" : "denied"}: ${where}`);
    }
  }
  // Every pod of the namespace is isolated by some policy in both directions (the default deny).
  for (const p of pods) for (const dir of ["Ingress", "Egress"]) {
    if (!policies.some((pol) => types(pol).includes(dir) && matches(pol.spec.podSelector, p.labels))) problems.push(`NetworkPolicy: ${p.name} is not isolated for ${dir}`);
  }
  return problems;
}
