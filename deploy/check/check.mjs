// Static checks of the deployment files, run by scripts/check-deploy (which installs the packages
// of package.json next to a copy of this file). Each command prints what it checked and exits 1
// with one line per problem.
//
//   node check.mjs compose COMPOSE.json REPO     the output of `docker compose config --format json`
//   node check.mjs dockerfiles REPO FILE...      Dockerfiles, relative to REPO (the build context)
//   node check.mjs bootstrap VOLUMES REPO        what deploy/compose/bootstrap.sh wrote
//   node check.mjs k8s DIR                       Kubernetes manifests (*.yaml) in DIR
import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);
const info = (line) => console.error(`   ${line}`);

// --- compose ------------------------------------------------------------------------------------

function checkCompose(file, repo) {
  const compose = JSON.parse(fs.readFileSync(file, "utf8"));
  const services = compose.services ?? {};
  const oneShots = new Set();
  for (const s of Object.values(services)) {
    for (const [dep, d] of Object.entries(s.depends_on ?? {})) {
      if (d.condition === "service_completed_successfully") oneShots.add(dep);
    }
  }
  for (const [name, s] of Object.entries(services)) {
    const where = `docker-compose.yml service ${name}`;
    const hc = s.healthcheck;
    if (oneShots.has(name)) {
      if (s.restart !== "no") problem(where, "a one-shot (others wait for it to complete) must not restart");
    } else if (!hc || hc.disable || !Array.isArray(hc.test) || hc.test.length < 2) {
      problem(where, "no health check");
    }
    for (const [dep, d] of Object.entries(s.depends_on ?? {})) {
      if (!services[dep]) {
        if (!(s.profiles ?? []).length) problem(where, `depends on unknown service ${dep}`);
        continue;
      }
      if (d.condition === "service_healthy" && !services[dep].healthcheck) {
        problem(where, `waits for ${dep} to be healthy, but ${dep} has no health check`);
      } else if (!["service_healthy", "service_completed_successfully"].includes(d.condition)) {
        problem(where, `depends on ${dep} with condition ${d.condition}; want service_healthy or service_completed_successfully`);
      }
    }
    for (const v of s.volumes ?? []) {
      if (v.type === "bind" && !fs.existsSync(v.source)) problem(where, `bind mount source ${v.source} does not exist`);
      if (v.type === "volume" && !(compose.volumes ?? {})[v.source]) problem(where, `volume ${v.source} is not declared`);
    }
    for (const [key, value] of Object.entries(s.environment ?? {})) {
      if (/(PASSWORD|SECRET|TOKEN)$/.test(key) && value) problem(where, `${key} carries a value: secrets come from the bootstrap's volume`);
    }
    if (s.build) {
      const dockerfile = path.resolve(s.build.context, s.build.dockerfile ?? "Dockerfile");
      if (!fs.existsSync(dockerfile)) problem(where, `Dockerfile ${dockerfile} does not exist`);
      const module = s.build.args?.MODULE;
      if (module && !fs.existsSync(path.join(repo, module, "pom.xml"))) problem(where, `build argument MODULE=${module} is no Maven module`);
    }
  }
  // The broker loads every fragment of rabbitmq/conf.d, as the local stack does.
  const broker = services.rabbitmq;
  if (!broker) {
    problem("docker-compose.yml", "no service rabbitmq");
  } else {
    const mounted = new Set((broker.volumes ?? []).filter((v) => v.type === "bind").map((v) => `${path.resolve(v.source)} ${v.target}`));
    const confd = path.join(repo, "rabbitmq", "conf.d");
    for (const f of fs.readdirSync(confd).filter((f) => f.endsWith(".conf"))) {
      if (!mounted.has(`${path.join(confd, f)} /etc/rabbitmq/conf.d/${f}`)) {
        problem("docker-compose.yml service rabbitmq", `rabbitmq/conf.d/${f} is not mounted at /etc/rabbitmq/conf.d/${f} (the local stack loads it)`);
      }
    }
    const env = broker.environment ?? {};
    for (const [key, file] of [
      ["RABBITMQ_CONFIG_FILE", "rabbitmq.conf"],
      ["RABBITMQ_ADVANCED_CONFIG_FILE", "advanced.config"],
      ["RABBITMQ_ENABLED_PLUGINS_FILE", "enabled_plugins"],
    ]) {
      const dir = (broker.volumes ?? []).find((v) => v.type === "bind" && path.resolve(v.source) === path.join(repo, "rabbitmq"));
      if (!dir || env[key] !== `${dir.target}/${file}`) problem("docker-compose.yml service rabbitmq", `${key} must name the repository's rabbitmq/${file}`);
    }
  }
  const order = Object.keys(services).join(", ");
  info(`${Object.keys(services).length} services (${order}); one-shot: ${[...oneShots].join(", ") || "none"}`);
  info(`health checks, start order by health, bind sources, volumes, conf.d mounts, no secret values`);
}

// --- Dockerfiles --------------------------------------------------------------------------------

// .dockerignore patterns as in Docker: Go filepath.Match plus "**", "!" re-includes, last match wins.
function dockerignore(repo) {
  const file = path.join(repo, ".dockerignore");
  if (!fs.existsSync(file)) return () => false;
  const rules = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const p = path.posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, ""));
      const re = p
        .split("/")
        .map((seg) => (seg === "**" ? "(?:.*)" : seg.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")))
        .join("/")
        .replace(/\(\?:\.\*\)\//g, "(?:.*/)?");
      return { negate, re: new RegExp(`^${re}(?:/.*)?$`) };
    });
  return (rel) => {
    let ignored = false;
    for (const r of rules) if (r.re.test(rel)) ignored = !r.negate;
    return ignored;
  };
}

function dockerInstructions(text) {
  const out = [];
  let current = "";
  for (const raw of text.split("\n")) {
    if (!current && /^\s*#/.test(raw)) continue;
    const line = raw.replace(/\s+$/, "");
    if (line.endsWith("\\")) {
      current += line.slice(0, -1) + " ";
      continue;
    }
    current += line;
    if (current.trim()) {
      const m = current.trim().match(/^(\w+)\s+(.*)$/s);
      if (m) out.push({ op: m[1].toUpperCase(), args: m[2].trim() });
    }
    current = "";
  }
  return out;
}

const varRefs = (s) => [...s.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);

function checkDockerfile(repo, rel, ignored) {
  const where = rel;
  const text = fs.readFileSync(path.join(repo, rel), "utf8");
  const ins = dockerInstructions(text);
  const globalArgs = new Map();
  const stages = [];
  let stage = null;
  for (const { op, args } of ins) {
    if (op === "FROM") {
      const m = args.match(/^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i);
      if (!m) {
        problem(where, `cannot read FROM ${args}`);
        continue;
      }
      for (const v of varRefs(m[1])) if (!globalArgs.has(v)) problem(where, `FROM uses \${${v}}, which no ARG before the first FROM declares`);
      const image = m[1].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, v) => globalArgs.get(v) ?? "");
      // FROM an earlier stage, possibly chosen by a build argument (FROM jar-${JAR_FROM}): every
      // stage the name can stand for is used, and the argument's default must name one.
      const named = new RegExp(`^${m[1].toLowerCase().replace(/[.+^()|\\]/g, "\\$&").replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, "[a-z0-9_.-]+")}$`);
      const literal = m[1].replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, "");
      const earlier = literal && !/[:/]/.test(literal) ? stages.filter((s) => s.name && named.test(s.name)) : [];
      for (const s of earlier) s.used = true;
      if (earlier.length > 0 && !stages.some((s) => s.name === image.toLowerCase())) {
        problem(where, `FROM ${m[1]}: its default ${image} names no earlier stage`);
      }
      stage = { name: m[2]?.toLowerCase(), image, vars: new Set(), defaults: new Map(), used: false, user: null, entrypoint: null, healthcheck: false };
      stages.push(stage);
      continue;
    }
    if (!stage) {
      if (op === "ARG") {
        const [k, v] = args.split("=");
        globalArgs.set(k.trim(), (v ?? "").trim());
      } else {
        problem(where, `${op} before the first FROM`);
      }
      continue;
    }
    if (op === "ARG") {
      const [k, v] = args.split("=");
      stage.vars.add(k.trim());
      if (v !== undefined) stage.defaults.set(k.trim(), v.trim());
    } else if (op === "ENV") {
      for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)) stage.vars.add(m[1]);
    }
    // Build-time variables must be declared in the stage (global ARGs are visible to FROM only).
    if (["COPY", "ADD", "ENV", "USER", "EXPOSE", "LABEL", "WORKDIR", "RUN"].includes(op)) {
      const body = op === "ENV" ? args.replace(/^[A-Za-z_][A-Za-z0-9_]*=/, "") : args;
      for (const v of varRefs(body)) {
        if (!stage.vars.has(v) && !["HOME", "PATH"].includes(v)) problem(where, `${op} uses \$${v}, which the stage declares neither as ARG nor ENV`);
      }
    }
    if (op === "COPY" || op === "ADD") {
      const words = args.split(/\s+/);
      const flags = words.filter((w) => w.startsWith("--"));
      const paths = words.filter((w) => !w.startsWith("--"));
      const from = flags.find((f) => f.startsWith("--from="))?.slice(7).toLowerCase();
      if (from) {
        const src = stages.find((s) => s.name === from);
        if (src) src.used = true;
        else if (!from.includes(":") && !from.includes("/")) problem(where, `COPY --from=${from}: no earlier stage has that name`);
        continue;
      }
      for (const src of paths.slice(0, -1)) {
        const relSrc = path.posix.normalize(src.replace(/^\.\//, "")).replace(/\/$/, "");
        if (relSrc === ".") continue;
        if (/[*?[]/.test(relSrc)) continue;
        if (!fs.existsSync(path.join(repo, relSrc))) problem(where, `COPY source ${src} does not exist in the build context`);
        else if (ignored(relSrc)) problem(where, `COPY source ${src} is excluded by .dockerignore`);
      }
    }
    if (op === "USER") stage.user = args.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, v) => stage.defaults.get(v) ?? `$${v}`);
    if (op === "ENTRYPOINT") stage.entrypoint = args;
    if (op === "HEALTHCHECK") stage.healthcheck = true;
  }
  const final = stages.at(-1);
  if (!final) return problem(where, "no FROM");
  for (const s of stages.slice(0, -1)) if (s.name && !s.used) problem(where, `stage ${s.name} is never used`);
  if (!final.user || /^(0|root)(:|$)/.test(final.user)) problem(where, "the runtime stage must run as a non-root USER");
  if (!/jre/i.test(final.image) || /jdk|maven/i.test(final.image)) problem(where, `the runtime stage runs on ${final.image}, not a JRE-only image`);
  if (!final.entrypoint?.startsWith("[")) problem(where, "ENTRYPOINT must be in exec form (signals reach the JVM)");
  if (!final.healthcheck) problem(where, "no HEALTHCHECK");
  info(`${rel}: ${stages.length} stages (${stages.map((s) => s.name ?? "runtime").join(" -> ")}), runtime ${final.image} as ${final.user}`);
}

function checkDockerfiles(repo, files) {
  const ignored = dockerignore(repo);
  if (!fs.existsSync(path.join(repo, ".dockerignore"))) problem(".dockerignore", "missing: the whole checkout (target/, .git) would be sent as build context");
  for (const must of ["pom.xml", "mvnw"]) if (ignored(must)) problem(".dockerignore", `excludes ${must}, which the build needs`);
  for (const f of files) checkDockerfile(repo, f, ignored);
}

// --- bootstrap output ---------------------------------------------------------------------------

function checkBootstrap(vol, repo) {
  const must = [
    "pki/trust-bundle.pem", "pki/broker-chain.pem", "pki/broker.key", "pki/device-ca-chain.pem", "pki/device-ca.key",
    "pki/nginx-chain.pem", "pki/nginx.key", "pki/jwt-signing.key", "pki/jwt-signing.pub.pem", "pki/crl/device-ca.crl.pem",
    "secrets/postgres/password", "secrets/api/spring.datasource.password", "secrets/api/spring.rabbitmq.password",
    "secrets/core/spring.datasource.password", "secrets/core/spring.rabbitmq.password",
    "secrets/ca/spring.datasource.password", "secrets/ca/iot.ca.broker.password", "secrets/ca/IOTCORE_BOOTSTRAP_CLIENT_SECRET",
    "secrets/devices/IOTCORE_CLIENT_ID", "secrets/devices/IOTCORE_CLIENT_SECRET", "defs/20-deployment.json",
  ];
  for (const f of must) {
    const p = path.join(vol, f);
    if (!fs.existsSync(p) || fs.statSync(p).size === 0) problem("bootstrap", `${f} missing or empty`);
  }
  const read = (f) => fs.readFileSync(path.join(vol, f), "utf8");
  if (!problems.length) {
    if (read("secrets/api/spring.datasource.password") !== read("secrets/postgres/password")) problem("bootstrap", "the services' database password differs from PostgreSQL's");
    if (read("secrets/ca/iot.ca.broker.password") !== read("secrets/core/spring.rabbitmq.password")) problem("bootstrap", "ca-service's broker password differs from the services'");
    if (read("secrets/devices/IOTCORE_CLIENT_SECRET") !== read("secrets/ca/IOTCORE_BOOTSTRAP_CLIENT_SECRET")) problem("bootstrap", "the devices' client secret differs from ca-service's");
    if (/\n/.test(read("secrets/api/spring.datasource.password"))) problem("bootstrap", "a configtree secret ends with a newline (it would be part of the value)");
    const link = fs.readlinkSync(path.join(vol, "defs/10-iotcore.json"));
    if (link !== "/etc/iotcore/rabbitmq/definitions.json") problem("bootstrap", `defs/10-iotcore.json points to ${link}, not the mounted repository definitions`);
    const users = JSON.parse(read("defs/20-deployment.json")).users ?? [];
    const byName = Object.fromEntries(users.map((u) => [u.name, u]));
    if (!byName.iotcore?.password_hash) problem("bootstrap", "20-deployment.json gives iotcore no password");
    if (byName.device?.password_hash !== "") problem("bootstrap", "20-deployment.json must take the development login `device` away (empty password_hash)");
    const repoUsers = JSON.parse(fs.readFileSync(path.join(repo, "rabbitmq/definitions.json"), "utf8")).users.map((u) => u.name);
    for (const u of repoUsers) if (!byName[u]) problem("bootstrap", `20-deployment.json does not override the development user ${u} of rabbitmq/definitions.json`);
  }
  // Who may read what in the containers: services and devices run as 10001, RabbitMQ as 999.
  if (process.getuid() === 0) {
    const want = [
      ["pki", 10001, 999, 0o750], ["pki/crl", 10001, 999, 0o755], ["pki/broker.key", 10001, 999, 0o640],
      ["pki/device-ca.key", 10001, 10001, 0o600], ["pki/jwt-signing.key", 10001, 10001, 0o600],
      ["pki/crl/device-ca.crl.pem", 10001, 10001, 0o644], ["secrets", 0, 0, 0o711],
      ["secrets/generated", 0, 0, 0o700], ["secrets/ca", 10001, 10001, 0o500],
      ["secrets/ca/IOTCORE_BOOTSTRAP_CLIENT_SECRET", 10001, 10001, 0o400],
      ["defs", 999, 999, 0o500], ["defs/20-deployment.json", 999, 999, 0o400],
    ];
    for (const [f, uid, gid, mode] of want) {
      const st = fs.statSync(path.join(vol, f));
      const got = `${st.uid}:${st.gid} ${(st.mode & 0o777).toString(8)}`;
      if (got !== `${uid}:${gid} ${mode.toString(8)}`) problem("bootstrap", `${f} is ${got}, want ${uid}:${gid} ${mode.toString(8)}`);
    }
  }
  info("PKI, configtree secrets (consistent, no trailing newline), broker definitions overlay, owners and modes; secrets kept on a second run");
}

// --- Kubernetes ---------------------------------------------------------------------------------

async function model(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion : `v1`;
  try {
    const mod = await import(`kubernetes-models/${group}/${kind}`);
    return mod[kind] ?? mod.default;
  } catch {
    return null;
  }
}

const podSpec = (doc) => (["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(doc.kind) ? doc.spec?.template?.spec : null);
const podLabels = (doc) => doc.spec?.template?.metadata?.labels ?? {};
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

async function checkK8s(dir) {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const docs = [];
  for (const f of files) {
    for (const d of parseAllDocuments(fs.readFileSync(path.join(dir, f), "utf8"))) {
      if (d.errors.length) problem(f, `YAML: ${d.errors[0].message}`);
      const obj = d.toJS();
      if (obj) docs.push({ file: f, obj });
    }
  }
  const kustomization = docs.find((d) => d.obj.kind === "Kustomization");
  const resources = docs.filter((d) => d !== kustomization);
  if (kustomization) {
    const listed = new Set(kustomization.obj.resources ?? []);
    for (const r of listed) if (!fs.existsSync(path.join(dir, r))) problem(kustomization.file, `resource ${r} does not exist`);
    for (const f of new Set(resources.map((d) => d.file))) if (!listed.has(f)) problem(kustomization.file, `${f} is not listed in resources`);
  }
  const kinds = {};
  for (const { file, obj } of resources) {
    const where = `${file} ${obj.kind}/${obj.metadata?.name}`;
    kinds[obj.kind] = (kinds[obj.kind] ?? 0) + 1;
    const Model = await model(obj.apiVersion, obj.kind);
    if (!Model) {
      problem(where, `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      problem(where, `schema: ${e.message}`);
    }
  }
  const named = (kind) => new Set(resources.filter((d) => d.obj.kind === kind).map((d) => d.obj.metadata.name));
  const configMaps = named("ConfigMap");
  const pvcs = named("PersistentVolumeClaim");
  // Secrets and repository-made ConfigMaps created outside the manifests (README.md says how).
  const externalFile = path.join(dir, "external-objects.txt");
  const external = new Map(
    (fs.existsSync(externalFile) ? fs.readFileSync(externalFile, "utf8").split("\n") : [])
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => [l.split(/\s+/)[0], l]),
  );
  const known = (kind, name) => (kind === "ConfigMap" && configMaps.has(name)) || external.has(`${kind}/${name}`);
  const workloads = resources.filter((d) => podSpec(d.obj));
  for (const { file, obj } of workloads) {
    const where = `${file} ${obj.kind}/${obj.metadata.name}`;
    if (!matches(obj.spec.selector?.matchLabels, podLabels(obj))) problem(where, "spec.selector does not match the pod template's labels");
    const spec = podSpec(obj);
    const claimTemplates = new Set((obj.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name));
    const sources = (spec.volumes ?? []).flatMap((v) => [v, ...(v.projected?.sources ?? []).map((src) => ({ name: v.name, ...src, secret: src.secret && { secretName: src.secret.name } }))]);
    for (const v of sources) {
      if (v.configMap && !known("ConfigMap", v.configMap.name)) problem(where, `volume ${v.name}: ConfigMap ${v.configMap.name} is neither defined nor in external-objects.txt`);
      if (v.secret && !known("Secret", v.secret.secretName)) problem(where, `volume ${v.name}: Secret ${v.secret.secretName} is not in external-objects.txt`);
      if (v.persistentVolumeClaim && !pvcs.has(v.persistentVolumeClaim.claimName)) problem(where, `volume ${v.name}: no PersistentVolumeClaim ${v.persistentVolumeClaim.claimName}`);
    }
    const volumeNames = new Set([...(spec.volumes ?? []).map((v) => v.name), ...claimTemplates]);
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const cw = `${where} container ${c.name}`;
      for (const m of c.volumeMounts ?? []) if (!volumeNames.has(m.name)) problem(cw, `mounts unknown volume ${m.name}`);
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
        if (e.valueFrom?.secretKeyRef && !known("Secret", ref.name)) problem(cw, `env ${e.name}: Secret ${ref.name} is not in external-objects.txt`);
        if (e.valueFrom?.configMapKeyRef && !known("ConfigMap", ref.name)) problem(cw, `env ${e.name}: ConfigMap ${ref.name} is not defined`);
      }
      for (const f of c.envFrom ?? []) {
        if (f.configMapRef && !known("ConfigMap", f.configMapRef.name)) problem(cw, `envFrom: ConfigMap ${f.configMapRef.name} is not defined`);
        if (f.secretRef && !known("Secret", f.secretRef.name)) problem(cw, `envFrom: Secret ${f.secretRef.name} is not in external-objects.txt`);
      }
      if (!c.resources?.requests || !c.resources?.limits?.memory) problem(cw, "needs resource requests and a memory limit");
      if (c.image?.includes("iot-async-rpc/") && spec.containers.includes(c)) {
        const ports = new Set((c.ports ?? []).flatMap((p) => [p.containerPort, p.name]));
        for (const [probe, want] of [["livenessProbe", "/actuator/health/liveness"], ["readinessProbe", "/actuator/health/readiness"]]) {
          const get = c[probe]?.httpGet;
          if (get?.path !== want) problem(cw, `${probe} must GET ${want}`);
          else if (!ports.has(get.port)) problem(cw, `${probe} port ${get.port} is not a container port`);
        }
        const sc = { ...spec.securityContext, ...c.securityContext };
        if (sc.runAsNonRoot !== true) problem(cw, "must set runAsNonRoot: true (the images run as uid 10001)");
      }
    }
  }
  for (const { file, obj } of resources.filter((d) => d.obj.kind === "Service")) {
    const where = `${file} Service/${obj.metadata.name}`;
    if (obj.spec.type === "ExternalName") continue;
    const targets = workloads.filter((w) => w.obj.metadata.namespace === obj.metadata.namespace && matches(obj.spec.selector, podLabels(w.obj)));
    if (!targets.length) problem(where, "its selector matches no workload's pods");
    for (const p of obj.spec.ports ?? []) {
      const ok = targets.some((w) => podSpec(w.obj).containers.some((c) => (c.ports ?? []).some((cp) => cp.containerPort === p.targetPort || cp.name === p.targetPort || (p.targetPort === undefined && cp.containerPort === p.port))));
      if (targets.length && !ok) problem(where, `port ${p.port} -> ${p.targetPort ?? p.port} is no container port of its pods`);
    }
  }
  info(`${resources.length} objects in ${files.length} files: ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")}`);
  info(`schemas of kubernetes-models ${JSON.parse(fs.readFileSync(new URL("./node_modules/kubernetes-models/package.json", import.meta.url))).version}; selectors, references, probes, resources, non-root`);
  info(`made outside the manifests (external-objects.txt): ${[...external.keys()].join(", ")}`);
}

// --- main ---------------------------------------------------------------------------------------

const [cmd, ...args] = process.argv.slice(2);
switch (cmd) {
  case "compose":
    checkCompose(args[0], args[1]);
    break;
  case "dockerfiles":
    checkDockerfiles(args[0], args.slice(1));
    break;
  case "bootstrap":
    checkBootstrap(args[0], args[1]);
    break;
  case "k8s":
    await checkK8s(args[0]);
    break;
  default:
    console.error("usage: check.mjs compose|dockerfiles|bootstrap|k8s ...");
    process.exit(2);
}
if (problems.length) {
  for (const p of problems) console.error(`   PROBLEM ${p}`);
  process.exit(1);
}
