// Kafka and PostgreSQL access for validate.mjs (docs/operations.md, "Kafka access", "PostgreSQL access",
// "Secrets"):
// - Kafka: every listener has TLS and authentication, ACLs are enforced; every Kafka client (a Deployment
//   with a *BOOTSTRAP_SERVERS setting, KEDA's kafka triggers, Keycloak's event listener) names a TLS
//   listener, and the services' clients are configured for SASL_SSL/SCRAM-SHA-512 with the cluster CA mounted
//   and the sasl.jaas.config of a KafkaUser of their own; every KafkaUser has exactly the ACLs of kafkaNeeds;
// - PostgreSQL: every datasource URL (JDBC and reactive) says sslmode=verify-full with CloudNativePG's CA
//   mounted, and logs in as a managed role of its own (not the bootstrap owner), which owns a schema; the
//   Cluster's pg_hba refuses connections without TLS;
// - Secrets: the production overlay renders none; an overlay that renders example secrets runs the services
//   with the profile kanmon-dev and uses only values the auth-service's ExampleSecretGuard knows as published.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// What each Kafka principal may do, and nothing more. The truth is the code: relay-core Topics.java, the
// mp.messaging channels of queue-service and delivery-service (application.properties), SubmittedQueue
// (submission), IdentityEventConsumer (auth: group auth-service-identity-<uuid>; submission:
// submission-service-identity-<uuid>), queue-service's BodyStore
// (assign(), no group), the Keycloak extension's IdentityPublisher, the abuse automation (relay-core AbuseTopics:
// the auth-service's LoginObserver writes relay.logins.v1 and reads relay.abuse.v1 in group auth-service-abuse,
// AbuseLinkConfig; the queue-service's channel "logins" reads in group queue-service-abuse and AbusePublisher
// writes relay.abuse.v1), and KEDA's lag query. A trailing "*" is a prefix ACL.
export const kafkaNeeds = {
  "submission-service": { topic: { "relay.submitted.v1": ["Write"], "relay.identity.v1": ["Read"] },
    group: { "submission-service-identity-*": ["Read"] } },
  "queue-service": {
    topic: { "relay.submitted.v1": ["Read", "Write"], "relay.results.v1": ["Read"], "relay.outbound.v1": ["Write"],
      "relay.logins.v1": ["Read"], "relay.abuse.v1": ["Write"] },
    group: { "queue-service": ["Read"], "queue-service-abuse": ["Read"] },
  },
  "delivery-service": {
    topic: { "relay.outbound.v1": ["Read"], "relay.results.v1": ["Write"] },
    group: { "delivery-service": ["Read"] },
  },
  "auth-service": { topic: { "relay.identity.v1": ["Read"], "relay.logins.v1": ["Write"], "relay.abuse.v1": ["Read"] },
    group: { "auth-service-identity-*": ["Read"], "auth-service-abuse": ["Read"] } },
  "kanmon-keycloak": { topic: { "relay.identity.v1": ["Write"] } },
  "keda-delivery-lag": { topic: { "relay.outbound.v1": ["Describe"] }, group: { "delivery-service": ["Describe"] } },
};

// ClusterSecretStores the cluster provides (docs/operations.md, prerequisites).
export const clusterSecretStores = new Set(["kanmon-secret-store"]);
// The profile under which the auth-service accepts the published example secrets (ExampleSecretGuard).
const exampleProfile = "kanmon-dev";
const guardSource = "auth-service/src/main/java/dev/kanmon/auth/config/ExampleSecretGuard.java";

const byKind = (objects, k) => objects.filter((o) => o.kind === k);
const keysOf = (list) => new Set(list);

// Secret name -> Set of keys, or null when any key may be there. Rendered Secrets, ExternalSecret targets and
// what the operators create. "base" is not deployed by itself: the Secrets its overlays supply are taken as given.
export function secretsOf(objects, overlay) {
  const m = new Map();
  const add = (name, keys) => m.set(name, keys);
  for (const c of byKind(objects, "Cluster")) {
    const n = c.metadata.name;
    add(`${n}-app`, null);
    add(`${n}-ca`, keysOf(["ca.crt", "ca.key"]));
    add(`${n}-server`, keysOf(["tls.crt", "tls.key"]));
    add(`${n}-replication`, keysOf(["tls.crt", "tls.key"]));
  }
  for (const k of byKind(objects, "Kafka")) {
    const n = k.metadata.name;
    add(`${n}-cluster-ca-cert`, keysOf(["ca.crt", "ca.p12", "ca.password"]));
    add(`${n}-clients-ca-cert`, keysOf(["ca.crt", "ca.p12", "ca.password"]));
  }
  for (const u of byKind(objects, "KafkaUser")) {
    const type = u.spec.authentication?.type;
    if (type === "scram-sha-512") add(u.metadata.name, keysOf(["password", "sasl.jaas.config"]));
    else if (type === "tls") add(u.metadata.name, keysOf(["ca.crt", "user.crt", "user.key", "user.p12", "user.password"]));
  }
  for (const c of byKind(objects, "Certificate")) add(c.spec.secretName, keysOf(["tls.crt", "tls.key", "ca.crt"]));
  for (const s of byKind(objects, "Secret")) add(s.metadata.name, keysOf([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]));
  for (const e of byKind(objects, "ExternalSecret")) {
    const t = e.spec.target ?? {};
    const keys = t.template?.data ? Object.keys(t.template.data) : e.spec.dataFrom?.length ? null : (e.spec.data ?? []).map((d) => d.secretKey);
    add(t.name ?? e.metadata.name, keys && keysOf(keys));
  }
  if (overlay !== "base") return m;
  return { has: () => true, get: (name) => (m.has(name) ? m.get(name) : null) };
}

// A Deployment's first container: plain values (envFrom ConfigMaps, then env) and secretKeyRefs.
function envOf(d, objects) {
  const c = d.spec.template.spec.containers[0];
  const env = {};
  const refs = {};
  for (const f of c.envFrom ?? []) {
    const cm = f.configMapRef && objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === f.configMapRef.name);
    Object.assign(env, cm?.data ?? {});
  }
  for (const e of c.env ?? []) {
    if ("value" in e) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) refs[e.name] = e.valueFrom.secretKeyRef;
  }
  return { env, refs };
}

// The Secret and key a file path in a pod comes from: {secret, key} or undefined.
function mountedSecretFile(podSpec, containerIndex, path) {
  const c = podSpec.containers[containerIndex];
  for (const m of c?.volumeMounts ?? []) {
    const dir = m.mountPath.replace(/\/$/, "");
    if (!path.startsWith(`${dir}/`)) continue;
    const rest = path.slice(dir.length + 1);
    const v = (podSpec.volumes ?? []).find((x) => x.name === m.name);
    if (!v?.secret) return undefined;
    if (v.secret.items) {
      const item = v.secret.items.find((i) => i.path === rest);
      return item && { secret: v.secret.secretName, key: item.key };
    }
    return { secret: v.secret.secretName, key: rest };
  }
  return undefined;
}

function hostPorts(value) {
  return String(value).split(",").map((x) => x.trim()).filter(Boolean).map((x) => {
    const m = /^([a-z0-9.-]+):(\d+)$/.exec(x);
    return m ? { host: m[1], port: Number(m[2]) } : { bad: x };
  });
}

// The listener of a Strimzi cluster that host:port reaches, or a problem.
function listenerFor(objects, host, port) {
  const k = byKind(objects, "Kafka").find((x) => host === `${x.metadata.name}-kafka-bootstrap`);
  if (!k) return { problem: `${host}:${port} is not the bootstrap Service of a Kafka cluster` };
  const l = (k.spec.kafka.listeners ?? []).find((x) => x.port === port);
  if (!l) return { problem: `${host}:${port}: Kafka ${k.metadata.name} has no listener on port ${port}` };
  if (!l.tls) return { problem: `${host}:${port}: listener ${l.name} has no TLS` };
  if (l.authentication?.type !== "scram-sha-512") return { problem: `${host}:${port}: listener ${l.name} does not authenticate with scram-sha-512 (${l.authentication?.type ?? "none"})` };
  return { kafka: k, listener: l };
}

function aclSet(acls) {
  const out = new Set();
  for (const a of acls ?? []) {
    const r = a.resource ?? {};
    const name = r.patternType === "prefix" ? `${r.name}*` : r.name;
    for (const op of a.operations ?? (a.operation ? [a.operation] : [])) out.add(`${r.type} ${name} ${op}`);
  }
  return out;
}
function needSet(needs) {
  const out = new Set();
  for (const [type, byName] of Object.entries(needs ?? {})) for (const [name, ops] of Object.entries(byName)) for (const op of ops) out.add(`${type} ${name} ${op}`);
  return out;
}

function kafka(objects) {
  const problems = [];
  for (const k of byKind(objects, "Kafka")) {
    const id = `Kafka ${k.metadata.name}`;
    for (const l of k.spec.kafka.listeners ?? []) {
      if (!l.tls) problems.push(`${id}: listener ${l.name} (port ${l.port}) has no TLS`);
      if (!l.authentication) problems.push(`${id}: listener ${l.name} (port ${l.port}) has no authentication`);
    }
    if (k.spec.kafka.authorization?.type !== "simple") problems.push(`${id}: no ACL authorization (spec.kafka.authorization.type simple)`);
    if (byKind(objects, "KafkaUser").length > 0 && !k.spec.entityOperator?.userOperator) problems.push(`${id}: KafkaUsers but no entityOperator.userOperator`);
  }
  const topics = new Set(byKind(objects, "KafkaTopic").map((t) => t.spec.topicName ?? t.metadata.name));
  const users = new Map(byKind(objects, "KafkaUser").map((u) => [u.metadata.name, u]));
  for (const u of users.values()) {
    const id = `KafkaUser ${u.metadata.name}`;
    const cluster = u.metadata.labels?.["strimzi.io/cluster"];
    if (!byKind(objects, "Kafka").some((k) => k.metadata.name === cluster)) problems.push(`${id}: strimzi.io/cluster ${cluster} is not a rendered Kafka`);
    if (u.spec.authentication?.type !== "scram-sha-512") problems.push(`${id}: authentication ${u.spec.authentication?.type ?? "none"}, the listener wants scram-sha-512`);
    if (u.spec.authorization?.type !== "simple" || !u.spec.authorization.acls?.length) { problems.push(`${id}: no ACLs`); continue; }
    const needs = kafkaNeeds[u.metadata.name];
    if (!needs) { problems.push(`${id}: not in kafkaNeeds (data-access.mjs): declare what this principal needs`); continue; }
    const granted = aclSet(u.spec.authorization.acls);
    const wanted = needSet(needs);
    for (const g of granted) if (!wanted.has(g)) problems.push(`${id}: ACL ${g} is more than it needs`);
    for (const w of wanted) if (!granted.has(w)) problems.push(`${id}: lacks ACL ${w}`);
    for (const a of u.spec.authorization.acls) {
      if (a.resource?.type === "topic" && a.resource.patternType !== "prefix" && !topics.has(a.resource.name)) problems.push(`${id}: ACL on topic ${a.resource.name}, which no KafkaTopic creates`);
    }
  }
  for (const name of Object.keys(kafkaNeeds)) if (!users.has(name)) problems.push(`no KafkaUser ${name} (kafkaNeeds)`);

  // The services' clients.
  const userOfDeployment = new Map();
  for (const d of byKind(objects, "Deployment")) {
    const name = d.metadata.name;
    const { env, refs } = envOf(d, objects);
    const bootstrap = Object.entries(env).filter(([key]) => /BOOTSTRAP_SERVERS$/.test(key));
    if (bootstrap.length === 0) continue;
    let cluster;
    for (const [key, value] of bootstrap) {
      for (const hp of hostPorts(value)) {
        if (hp.bad) { problems.push(`${name}: ${key} entry ${hp.bad} is not host:port`); continue; }
        const r = listenerFor(objects, hp.host, hp.port);
        if (r.problem) problems.push(`${name}: ${key}: ${r.problem}`);
        else cluster = r.kafka.metadata.name;
      }
    }
    if (env.KAFKA_SECURITY_PROTOCOL !== "SASL_SSL") problems.push(`${name}: KAFKA_SECURITY_PROTOCOL ${env.KAFKA_SECURITY_PROTOCOL ?? "unset"}, not SASL_SSL`);
    if (env.KAFKA_SASL_MECHANISM !== "SCRAM-SHA-512") problems.push(`${name}: KAFKA_SASL_MECHANISM ${env.KAFKA_SASL_MECHANISM ?? "unset"}, not SCRAM-SHA-512`);
    if (env.KAFKA_SSL_TRUSTSTORE_TYPE !== "PEM") problems.push(`${name}: KAFKA_SSL_TRUSTSTORE_TYPE ${env.KAFKA_SSL_TRUSTSTORE_TYPE ?? "unset"}, not PEM`);
    if (env.KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM !== undefined && env.KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM !== "https") problems.push(`${name}: broker host name verification switched off`);
    const ca = env.KAFKA_SSL_TRUSTSTORE_LOCATION && mountedSecretFile(d.spec.template.spec, 0, env.KAFKA_SSL_TRUSTSTORE_LOCATION);
    if (!ca) problems.push(`${name}: KAFKA_SSL_TRUSTSTORE_LOCATION ${env.KAFKA_SSL_TRUSTSTORE_LOCATION ?? "unset"} is not a file mounted from a Secret`);
    else if (cluster && (ca.secret !== `${cluster}-cluster-ca-cert` || ca.key !== "ca.crt")) problems.push(`${name}: truststore is ${ca.secret}/${ca.key}, not ${cluster}-cluster-ca-cert/ca.crt`);
    const jaas = refs.KAFKA_SASL_JAAS_CONFIG;
    const user = jaas && users.get(jaas.name);
    if (!jaas) problems.push(`${name}: KAFKA_SASL_JAAS_CONFIG does not come from a KafkaUser's Secret`);
    else if (!user || jaas.key !== "sasl.jaas.config") problems.push(`${name}: KAFKA_SASL_JAAS_CONFIG from ${jaas.name}/${jaas.key}, not the sasl.jaas.config of a KafkaUser`);
    else {
      if (jaas.name !== name) problems.push(`${name}: uses KafkaUser ${jaas.name}; every service has its own, named after it`);
      if (cluster && user.metadata.labels?.["strimzi.io/cluster"] !== cluster) problems.push(`${name}: KafkaUser ${jaas.name} belongs to another Kafka cluster`);
      if (userOfDeployment.has(jaas.name)) problems.push(`${name}: shares KafkaUser ${jaas.name} with ${userOfDeployment.get(jaas.name)}`);
      userOfDeployment.set(jaas.name, name);
    }
  }

  // KEDA's kafka triggers.
  for (const so of byKind(objects, "ScaledObject")) {
    for (const t of (so.spec.triggers ?? []).filter((x) => x.type === "kafka")) {
      const id = `ScaledObject ${so.metadata.name}`;
      let cluster;
      for (const hp of hostPorts(t.metadata.bootstrapServers)) {
        const r = hp.bad ? { problem: `${hp.bad} is not host:port` } : listenerFor(objects, hp.host, hp.port);
        if (r.problem) problems.push(`${id}: ${r.problem}`);
        else cluster = r.kafka.metadata.name;
      }
      const ta = byKind(objects, "TriggerAuthentication").find((x) => x.metadata.name === t.authenticationRef?.name);
      if (!ta) { problems.push(`${id}: kafka trigger without a rendered TriggerAuthentication`); continue; }
      const param = {};
      for (const r of ta.spec.configMapTargetRef ?? []) {
        const cm = byKind(objects, "ConfigMap").find((x) => x.metadata.name === r.name);
        if (!cm || !(r.key in (cm.data ?? {}))) problems.push(`TriggerAuthentication ${ta.metadata.name}: ConfigMap ${r.name} has no key ${r.key}`);
        else param[r.parameter] = { value: cm.data[r.key] };
      }
      for (const r of ta.spec.secretTargetRef ?? []) param[r.parameter] = { secret: r.name, key: r.key };
      const tid = `TriggerAuthentication ${ta.metadata.name}`;
      if (param.sasl?.value !== "scram_sha512") problems.push(`${tid}: sasl ${param.sasl?.value ?? "unset"}, not scram_sha512`);
      if (param.tls?.value !== "enable") problems.push(`${tid}: tls ${param.tls?.value ?? "unset"}, not enable`);
      if (cluster && (param.ca?.secret !== `${cluster}-cluster-ca-cert` || param.ca?.key !== "ca.crt")) problems.push(`${tid}: ca is not ${cluster}-cluster-ca-cert/ca.crt`);
      const u = param.username?.value;
      if (!users.has(u)) problems.push(`${tid}: username ${u} is not a KafkaUser`);
      else if (param.password?.secret !== u || param.password?.key !== "password") problems.push(`${tid}: password is not KafkaUser ${u}'s (Secret ${u}, key password)`);
    }
  }

  // Keycloak's event listener: the TLS listener and a KafkaUser named after the Keycloak CR.
  for (const kc of byKind(objects, "Keycloak")) {
    for (const o of (kc.spec.additionalOptions ?? []).filter((x) => x.name.endsWith("--bootstrap-servers"))) {
      for (const hp of hostPorts(o.value)) {
        const r = hp.bad ? { problem: `${hp.bad} is not host:port` } : listenerFor(objects, hp.host, hp.port);
        if (r.problem) problems.push(`Keycloak ${kc.metadata.name}: ${o.name}: ${r.problem}`);
      }
      if (!users.has(kc.metadata.name)) problems.push(`Keycloak ${kc.metadata.name}: publishes to Kafka but has no KafkaUser ${kc.metadata.name}`);
    }
  }
  return problems;
}

function query(url) {
  const q = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
  return Object.fromEntries(q.split("&").filter(Boolean).map((kv) => { const i = kv.indexOf("="); return [kv.slice(0, i), decodeURIComponent(kv.slice(i + 1))]; }));
}

// Which managed role a credentials Secret logs in as, checked against what the Secret says where it can be read.
function roleOfSecret(objects, secretName) {
  for (const c of byKind(objects, "Cluster")) {
    const r = (c.spec.managed?.roles ?? []).find((x) => x.passwordSecret?.name === secretName);
    if (r) return { cluster: c, role: r };
  }
  return undefined;
}
function secretUsername(objects, name) {
  const s = byKind(objects, "Secret").find((x) => x.metadata.name === name);
  if (s?.data?.username) return Buffer.from(s.data.username, "base64").toString("utf8");
  if (s?.stringData?.username) return s.stringData.username;
  const e = byKind(objects, "ExternalSecret").find((x) => (x.spec.target?.name ?? x.metadata.name) === name);
  return e?.spec.target?.template?.data?.username;
}

function postgres(objects) {
  const problems = [];
  const roleUsers = new Map();
  const checkLogin = (who, userRef, passRef, db) => {
    if (!userRef || !passRef) { problems.push(`${who}: database user and password do not come from a Secret`); return; }
    if (userRef.name !== passRef.name || userRef.key !== "username" || passRef.key !== "password") problems.push(`${who}: user ${userRef.name}/${userRef.key} and password ${passRef.name}/${passRef.key} are not one basic-auth Secret`);
    const found = roleOfSecret(objects, passRef.name);
    if (!found) { problems.push(`${who}: Secret ${passRef.name} is no managed role's passwordSecret (CloudNativePG's bootstrap owner and superuser are for no service)`); return; }
    const { cluster, role } = found;
    if (role.superuser || role.createrole || role.createdb || role.replication || role.bypassrls) problems.push(`${who}: role ${role.name} has more than login rights`);
    if (role.login !== true || (role.ensure ?? "present") !== "present") problems.push(`${who}: role ${role.name} cannot log in`);
    const user = secretUsername(objects, passRef.name);
    if (user !== undefined && user !== role.name) problems.push(`${who}: Secret ${passRef.name} says username ${user}, the role is ${role.name}`);
    if (roleUsers.has(role.name)) problems.push(`${who}: shares role ${role.name} with ${roleUsers.get(role.name)}`);
    roleUsers.set(role.name, who);
    const dbs = byKind(objects, "Database").filter((x) => x.spec.cluster?.name === cluster.metadata.name && x.spec.name === db);
    const owns = dbs.some((x) => x.spec.owner === role.name || (x.spec.schemas ?? []).some((s) => s.owner === role.name));
    if (!owns) problems.push(`${who}: role ${role.name} owns neither database ${db} nor a schema in it (Database resources of ${cluster.metadata.name})`);
    return cluster;
  };
  const caOk = (who, podSpec, path, cluster, what) => {
    const f = path && mountedSecretFile(podSpec, 0, path);
    if (!f) problems.push(`${who}: ${what} ${path ?? "unset"} is not a file mounted from a Secret`);
    else if (cluster && (f.secret !== `${cluster.metadata.name}-ca` || f.key !== "ca.crt")) problems.push(`${who}: ${what} is ${f.secret}/${f.key}, not ${cluster.metadata.name}-ca/ca.crt`);
  };
  const hostCluster = (host) => byKind(objects, "Cluster").find((c) => [`${c.metadata.name}-rw`, `${c.metadata.name}-ro`, `${c.metadata.name}-r`].includes(host));

  for (const d of byKind(objects, "Deployment")) {
    const name = d.metadata.name;
    const { env, refs } = envOf(d, objects);
    const urls = Object.keys(env).filter((k) => /^QUARKUS_DATASOURCE_(?:[A-Z0-9_]+_)?(JDBC|REACTIVE)_URL$/.test(k));
    if (urls.length === 0) continue;
    let cluster, db;
    for (const key of urls) {
      const url = env[key];
      const m = /^(?:jdbc:)?postgresql:\/\/([a-z0-9-]+):(\d+)\/([A-Za-z0-9_]+)(?:\?.*)?$/.exec(url);
      if (!m) { problems.push(`${name}: ${key} ${url} is not a PostgreSQL URL`); continue; }
      cluster = hostCluster(m[1]);
      db = m[3];
      if (!cluster) problems.push(`${name}: ${key} host ${m[1]} is not a CloudNativePG Service`);
      const q = query(url);
      if (q.sslmode !== "verify-full") problems.push(`${name}: ${key} has sslmode ${q.sslmode ?? "unset"}, not verify-full`);
      if (key.endsWith("JDBC_URL")) caOk(name, d.spec.template.spec, q.sslrootcert, cluster, `${key} sslrootcert`);
      else {
        const prefix = key.slice(0, -"_URL".length);
        if (env[`${prefix}_TRUST_CERTIFICATE_PEM`] !== "true") problems.push(`${name}: ${prefix}_TRUST_CERTIFICATE_PEM is not true`);
        caOk(name, d.spec.template.spec, env[`${prefix}_TRUST_CERTIFICATE_PEM_CERTS`], cluster, `${prefix}_TRUST_CERTIFICATE_PEM_CERTS`);
        if (env[`${prefix}_HOSTNAME_VERIFICATION_ALGORITHM`] !== "HTTPS") problems.push(`${name}: ${prefix}_HOSTNAME_VERIFICATION_ALGORITHM is not HTTPS (verify-full needs it)`);
      }
    }
    if (cluster) checkLogin(name, refs.QUARKUS_DATASOURCE_USERNAME, refs.QUARKUS_DATASOURCE_PASSWORD, db);
  }
  for (const kc of byKind(objects, "Keycloak")) {
    const who = `Keycloak ${kc.metadata.name}`;
    const cluster = hostCluster(kc.spec.db?.host);
    if (!cluster) continue;
    const props = (kc.spec.additionalOptions ?? []).find((o) => o.name === "db-url-properties")?.value ?? "";
    const q = query(props);
    if (q.sslmode !== "verify-full") problems.push(`${who}: db-url-properties sslmode ${q.sslmode ?? "unset"}, not verify-full`);
    const pod = kc.spec.unsupported?.podTemplate?.spec;
    if (!pod) problems.push(`${who}: no CA mounted for sslrootcert (unsupported.podTemplate)`);
    else caOk(who, pod, q.sslrootcert, cluster, "db-url-properties sslrootcert");
    const u = kc.spec.db.usernameSecret, p = kc.spec.db.passwordSecret;
    checkLogin(who, u && { name: u.name, key: u.key }, p && { name: p.name, key: p.key }, kc.spec.db.database);
  }
  for (const c of byKind(objects, "Cluster")) {
    const hba = c.spec.postgresql?.pg_hba ?? [];
    const plain = hba.map((l) => l.trim().split(/\s+/)).filter((f) => f[0] === "host");
    if (plain.some((f) => f[f.length - 1] !== "reject")) problems.push(`Cluster ${c.metadata.name}: a pg_hba "host" line accepts connections without TLS`);
    if (!plain.some((f) => f[1] === "all" && f[2] === "all" && f[f.length - 1] === "reject")) problems.push(`Cluster ${c.metadata.name}: pg_hba does not end with "host all all all reject" (CloudNativePG's default accepts connections without TLS)`);
  }
  return problems;
}

export function dataAccess(objects) {
  return [...kafka(objects), ...postgres(objects)];
}

// No Secret in production; example secrets only where the services know they are examples.
export function secretPolicy(objects, overlay) {
  const problems = [];
  const rendered = byKind(objects, "Secret");
  if (overlay === "overlays/prod") for (const s of rendered) problems.push(`Secret ${s.metadata.name} is rendered; production secrets come from the secret manager (ExternalSecret)`);
  if (rendered.length > 0) {
    const profile = byKind(objects, "ConfigMap").find((c) => /^kanmon-common(-[a-z0-9]+)?$/.test(c.metadata.name))?.data?.QUARKUS_PROFILE ?? "";
    if (!profile.split(",").map((x) => x.trim()).includes(exampleProfile)) problems.push(`renders example Secrets (${rendered.map((s) => s.metadata.name).join(", ")}) but QUARKUS_PROFILE ${profile} lacks ${exampleProfile}`);
    const guard = readFileSync(join(repo, guardSource), "utf8");
    for (const s of rendered.filter((x) => x.metadata.name === "kanmon-secrets")) {
      for (const [k, v] of Object.entries(s.data ?? {})) {
        const value = Buffer.from(v, "base64").toString("utf8");
        if (!guard.includes(`"${value}"`)) problems.push(`Secret kanmon-secrets: the example ${k} is not among ExampleSecretGuard's published values, so a deployment that copied it would start`);
      }
    }
  }
  for (const e of byKind(objects, "ExternalSecret")) {
    const ref = e.spec.secretStoreRef;
    const ok = ref.kind === "ClusterSecretStore" ? clusterSecretStores.has(ref.name) : byKind(objects, "SecretStore").some((s) => s.metadata.name === ref.name);
    if (!ok) problems.push(`ExternalSecret ${e.metadata.name}: ${ref.kind} ${ref.name} is neither rendered nor provided by the cluster`);
  }
  return problems;
}
