/**
 * compose: docker-compose / Compose Specification files. Services become workloads and containers
 * (image or build context, ports, depends_on, healthcheck, volumes, networks, profiles); images of
 * databases and brokers become data stores and infrastructure. Environment variables: names only;
 * a literal value that looks like a secret is a security finding that names the variable, never
 * the value.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { COMPOSE_FILE } from '../../src/data/compose-files.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import type { Details } from '../../src/model/schema.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { asArray, asRecord, lineOf, str, strings } from '../../src/analysis/yaml.js';
import { componentOfImage, dataStoreOfImage, imageRepository, supportOfImage } from '../../src/data/images.js';
import { componentNamed } from '../../src/model/lookup.js';
import { looksLikeCommittedSecret } from '../../src/analysis/secrets.js';
import { redactSecrets } from '../../src/util/redact.js';
import { idOf } from '../../src/model/ids.js';
import { addPeerCall, peerCallsOf } from '../../src/analysis/peer-calls.js';
import type { PeerCall } from '../../src/model/details.js';
import type { Model } from '../../src/model/schema.js';

/** `environment:` as a map or a `KEY=value` list → [name, value | undefined]. */
function environmentOf(v: unknown): [string, unknown][] {
  const rec = asRecord(v);
  if (rec) return Object.entries(rec);
  return asArray(v).flatMap((x): [string, unknown][] => {
    if (typeof x !== 'string') return [];
    const i = x.indexOf('=');
    return i < 0 ? [[x, undefined]] : [[x.slice(0, i), x.slice(i + 1)]];
  });
}

/** `environment:` entries with the YAML path of each (a map key, or a list index), for its line. */
function environmentEntries(v: unknown): { name: string; value: unknown; at: string | number }[] {
  const rec = asRecord(v);
  if (rec) return Object.entries(rec).map(([name, value]) => ({ name, value, at: name }));
  return asArray(v).flatMap((x, i) => {
    if (typeof x !== 'string') return [];
    const eq = x.indexOf('=');
    return eq < 0 ? [] : [{ name: x.slice(0, eq), value: x.slice(eq + 1), at: i }];
  });
}

/** The names a service answers to besides its own: `hostname`, `container_name` and its network aliases. */
function hostnamesOf(svc: Record<string, unknown>): string[] {
  const out = [str(svc.hostname), str(svc.container_name)];
  for (const net of Object.values(asRecord(svc.networks) ?? {})) out.push(...strings(asRecord(net)?.aliases));
  return sortedUnique(out.filter((x): x is string => !!x).map((x) => x.toLowerCase()));
}

/**
 * The component a compose service runs, as its own configuration says: the component of its build
 * context, or the one its image is named for when that image is no data store or support tool.
 * (Not the component whose folder merely holds the compose file.)
 */
function runComponent(model: Model, ctx: AnalyzerContext, w: Model['deployment']['workloads'][number]): string | undefined {
  const build = typeof w.details?.build === 'string' ? w.details.build : undefined;
  if (build !== undefined) {
    // `<context>` or `<context> (<dockerfile>)`: the Dockerfile's component first (a root context
    // with `dockerfile: docker/api.Dockerfile`), then the context's, then the service's name.
    const open = build.indexOf(' (');
    const dir = open < 0 ? build : build.slice(0, open);
    const dockerfile = open < 0 || !build.endsWith(')') ? joinPosix(dir, 'Dockerfile') : joinPosix(dir, build.slice(open + 2, -1));
    const built = model.deployment.containers.find((c) => c.details?.source === 'dockerfile' && c.component && c.evidence.some((e) => e.file === dockerfile));
    const inContext = dir === '.' ? undefined : ctx.componentOf(`${dir}/x`);
    return built?.component ?? inContext ?? componentNamed(model, w.name) ?? ctx.componentOf('x');
  }
  const image = typeof w.details?.image === 'string' ? w.details.image : undefined;
  if (image === undefined || dataStoreOfImage(image) || supportOfImage(image)) return undefined;
  return componentOfImage(ctx, image) ?? componentNamed(model, imageRepository(image).base) ?? componentNamed(model, w.name);
}

/**
 * Calls between compose services: a service whose environment names another service's name,
 * hostname, container name or alias as a URL or `host:port` calls that service's component.
 */
export function linkComposeCalls(model: Model, ctx: AnalyzerContext): void {
  const services = model.deployment.workloads.filter((w) => w.details?.source === 'compose');
  const runs = new Map(services.map((w) => [w, runComponent(model, ctx, w)]));
  const byHost = new Map<string, (typeof services)[number][]>();
  for (const w of services) {
    for (const h of sortedUnique([w.name.toLowerCase(), ...((w.details?.hostnames as string[] | undefined) ?? [])])) {
      byHost.set(h, [...(byHost.get(h) ?? []), w]);
    }
  }
  for (const w of services) {
    const calls = (w.details?.calls as PeerCall[] | undefined) ?? [];
    const from = runs.get(w);
    if (calls.length === 0 || !from) continue;
    for (const call of calls) {
      const targets = (byHost.get(call.host) ?? []).filter((t) => t !== w);
      // A name two services answer to says nothing about which one is called.
      const to = targets.length === 1 ? runs.get(targets[0]!) : undefined;
      if (to) addPeerCall(model, from, to, call);
    }
  }
}

function portsOf(v: unknown): string[] {
  return asArray(v).flatMap((p) => {
    if (typeof p === 'string' || typeof p === 'number') return [String(p)];
    const r = asRecord(p);
    if (!r) return [];
    const published = str(r.published);
    const target = str(r.target);
    return target ? [published ? `${published}:${target}` : target] : [];
  });
}

/**
 * Ports Traefik routes to, from the service's labels (`traefik.http.services.<name>.loadbalancer.server.port=8000`,
 * list or map form; `tcp`/`udp` routers too): the service listens there though it publishes none.
 */
export function traefikPorts(labels: unknown): string[] {
  const out: string[] = [];
  for (const [k, v] of environmentOf(labels)) {
    const key = k.trim();
    if (!key.startsWith('traefik.') || !key.endsWith('.loadbalancer.server.port')) continue;
    const port = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim().replace(/^["']|["']$/g, '') : '';
    if (port !== '' && [...port].every((c) => c >= '0' && c <= '9')) out.push(port);
  }
  return sortedUnique(out);
}

function healthcheckOf(v: unknown): string | undefined {
  const h = asRecord(v);
  if (!h) return undefined;
  if (h.disable === true) return 'disabled';
  const test = h.test;
  let cmd: string | undefined;
  if (typeof test === 'string') cmd = test;
  else if (Array.isArray(test)) {
    const parts = test.map(String);
    if (parts[0] === 'NONE') return 'disabled';
    cmd = (parts[0] === 'CMD' || parts[0] === 'CMD-SHELL' ? parts.slice(1) : parts).join(' ');
  }
  if (!cmd) return undefined;
  const interval = str(h.interval);
  return redactSecrets(cmd) + (interval ? ` (every ${interval})` : '');
}

export default defineAnalyzer({
  meta: {
    name: 'compose',
    description: 'docker-compose services: workloads, containers, ports, dependencies, healthchecks, data stores from images',
    produces: ['workloads', 'containers', 'dataStores', 'infrastructure', 'security'],
    // Its link phase adds the calls one service's environment configures to another's component.
    consumes: ['workloads', 'components.settled'],
    amends: ['components'],
  },
  applies: (ctx) => ctx.files.some((f) => COMPOSE_FILE.test(f) && !ctx.isSetAside(f)),
  analyze(ctx) {
    for (const file of ctx.files.filter((f) => COMPOSE_FILE.test(f) && !ctx.isSetAside(f))) {
      const y = ctx.yaml(file);
      const doc = y?.documents[0];
      if (!y || !doc) continue;
      const root = asRecord(y.toJS(doc));
      const services = asRecord(root?.services);
      if (!services) {
        // A file of `include:` only pulls in other compose files, each read as itself.
        if (root && !('services' in root) && !('include' in root)) ctx.warn(file, 1, 'compose file without a `services` section; nothing read');
        else if (root && 'services' in root) ctx.warn(file, lineOf(y, doc.contents, ['services']), '`services` is not a map of service names; nothing read');
        continue;
      }
      const contents = doc.contents;
      const dir = dirOf(file);
      for (const name of Object.keys(services).sort(compareStrings)) {
        const svc = asRecord(services[name]);
        if (!svc) continue;
        const line = lineOf(y, contents, ['services', name]);
        const ev = { file, line };
        const image = str(svc.image);
        const buildRec = asRecord(svc.build);
        const context = typeof svc.build === 'string' ? svc.build : str(buildRec?.context);
        const dockerfile = str(buildRec?.dockerfile);
        const buildDir = context !== undefined && !/^[a-z]+:\/\//i.test(context) ? joinPosix(dir, context) : undefined;
        const component =
          (buildDir !== undefined ? ctx.componentOf(buildDir === '.' ? 'x' : buildDir + '/x') : undefined) ??
          (image ? componentOfImage(ctx, image) : undefined);
        const published = portsOf(svc.ports);
        const routed = traefikPorts(svc.labels).filter((p) => !published.some((x) => x === p || x.endsWith(`:${p}`)));
        const ports = [...published, ...routed];
        const env = environmentOf(svc.environment);
        const envNames = sortedUnique(env.map(([k]) => k));
        const dependsOn = Array.isArray(svc.depends_on) ? strings(svc.depends_on) : Object.keys(asRecord(svc.depends_on) ?? {});
        const healthcheck = healthcheckOf(svc.healthcheck);
        const details: Details = { source: 'compose', file };
        if (image) details.image = image;
        if (buildDir !== undefined) details.build = dockerfile ? `${buildDir} (${dockerfile})` : buildDir;
        if (ports.length) details.ports = ports;
        if (routed.length) details.traefikPorts = routed;
        if (dependsOn.length) details.dependsOn = sortedUnique(dependsOn);
        const profiles = strings(svc.profiles);
        if (profiles.length) details.profiles = profiles;
        const networks = Array.isArray(svc.networks) ? strings(svc.networks) : Object.keys(asRecord(svc.networks) ?? {});
        if (networks.length) details.networks = sortedUnique(networks);
        const volumes = asArray(svc.volumes).flatMap((v) => {
          const s = typeof v === 'string' ? v : str(asRecord(v)?.source);
          return s ? [s.split(':')[0]!] : [];
        });
        if (volumes.length) details.volumes = sortedUnique(volumes);
        const replicas = asRecord(svc.deploy)?.replicas ?? svc.scale;
        if (typeof replicas === 'number') details.replicas = replicas;
        // deploy.resources: limits and reservations of CPU and memory, as written.
        const resources = asRecord(asRecord(svc.deploy)?.resources);
        const limits = asRecord(resources?.limits);
        const reservations = asRecord(resources?.reservations);
        const cpuLimit = str(limits?.cpus);
        const memoryLimit = str(limits?.memory);
        const cpuRequest = str(reservations?.cpus);
        const memoryRequest = str(reservations?.memory);
        if (cpuLimit) details.cpuLimit = [cpuLimit];
        if (memoryLimit) details.memoryLimit = [memoryLimit];
        if (cpuRequest) details.cpuRequest = [cpuRequest];
        if (memoryRequest) details.memoryRequest = [memoryRequest];
        if (typeof svc.restart === 'string') details.restart = svc.restart;
        if (envNames.length) details.environment = envNames;
        const calls = environmentEntries(svc.environment).flatMap((e) =>
          peerCallsOf(e.name, e.value, file, lineOf(y, contents, ['services', name, 'environment', e.at], line)),
        );
        if (calls.length) details.calls = calls;
        const hostnames = hostnamesOf(svc);
        if (hostnames.length) details.hostnames = hostnames;
        const envFiles = strings(svc.env_file);
        if (envFiles.length) details.envFiles = envFiles;

        ctx.emit('workloads', {
          id: idOf.workload('compose', name),
          name,
          kind: 'compose service',
          ...(component ? { component } : {}),
          details,
          evidence: [ev],
        });
        const cDetails: Details = { source: 'compose' };
        if (buildDir !== undefined) cDetails.build = details.build!;
        if (envNames.length) cDetails.environment = envNames;
        if (typeof svc.read_only === 'boolean') cDetails.readOnlyRootFilesystem = svc.read_only;
        const capDrop = strings(svc.cap_drop);
        const capAdd = strings(svc.cap_add);
        if (capDrop.length) cDetails.capabilitiesDropped = sortedUnique(capDrop);
        if (capAdd.length) cDetails.capabilitiesAdded = sortedUnique(capAdd);
        const user = str(svc.user);
        ctx.emit('containers', {
          id: idOf.container('compose', name),
          name,
          ...(image ? { image } : {}),
          ...(component ? { component } : {}),
          ports,
          ...(user ? { user } : {}),
          ...(healthcheck ? { healthcheck } : {}),
          details: cDetails,
          evidence: [ev],
        });
        if (user === 'root' || user === '0' || user?.startsWith('0:') || user?.startsWith('root:')) {
          ctx.emit('security', {
            id: idOf.security('container-runs-as-root', 'compose', name),
            name: `Compose service ${name} runs as root (user: ${user})`,
            category: 'infrastructure',
            severity: 'medium',
            tech: 'docker-compose',
            details: { rule: 'container-runs-as-root', service: name },
            evidence: [{ file, line: lineOf(y, contents, ['services', name, 'user'], line) }],
          });
        }

        // Secrets committed as literal environment values: names only.
        const leaked = env.filter(([k, v]) => looksLikeCommittedSecret(k, v)).map(([k]) => k);
        if (leaked.length) {
          const envLine = lineOf(y, contents, ['services', name, 'environment'], line);
          ctx.emit('security', {
            id: idOf.security('compose-committed-secret', file, name),
            name: `Compose service ${name} sets ${sortedUnique(leaked).join(', ')} to literal values in ${file} (secrets committed to the repository)`,
            category: 'infrastructure',
            severity: 'medium',
            tech: 'docker-compose',
            details: { rule: 'committed-secret', service: name, variables: sortedUnique(leaked) },
            evidence: [{ file, line: envLine }],
          });
        }

        if (image) {
          const store = dataStoreOfImage(image);
          if (store) {
            ctx.emit('dataStores', {
              id: idOf.datastore(store.tech),
              name: store.name,
              tech: store.tech,
              kind: store.kind,
              usedBy: [],
              details: { composeServices: [name], images: [image] },
              evidence: [ev],
            });
          }
          const support = supportOfImage(image);
          if (support) {
            ctx.emit('infrastructure', {
              id: idOf.infra('compose', name),
              name,
              type: 'compose service',
              role: support.role,
              source: 'compose',
              details: { image, tech: support.tech, ...(ports.length ? { ports } : {}) },
              evidence: [ev],
            });
          }
        }
      }
    }
  },
  link(model, ctx) {
    linkComposeCalls(model, ctx);
  },
});
