/**
 * Kubernetes objects → facts. Shared by plain manifests, Kustomize trees and statically read Helm
 * templates: the same object (kind and name) seen in several trees is one fact with several
 * pieces of evidence.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { sortedUnique } from '../../src/model/compare.js';
import type { Details, Evidence, Workload } from '../../src/model/schema.js';
import type { PeerCall, Rollout, ScalingPolicy } from '../../src/model/details.js';
import { asArray, asRecord, str, strings } from '../../src/analysis/yaml.js';
import { componentOfImage, dataStoreOfImage, supportOfImage } from '../../src/data/images.js';
import { looksLikeCommittedSecret } from '../../src/analysis/secrets.js';
import { redactSecrets } from '../../src/util/redact.js';
import { idOf } from '../../src/model/ids.js';
import { peerCallsOf } from '../../src/analysis/peer-calls.js';
import { TEMPLATED, TEMPLATED_NAME } from './helm.js';

export interface ObjectSource {
  file: string;
  /** Line of the object's `kind:` (or its first line). */
  line: number;
  /** Line of a key path inside the object, or the object's line. */
  lineOf(path: (string | number)[]): number;
  /** `helm:<chart>` or `kustomize`, when the object comes from such a tree. */
  origin?: string;
  /** Extra details (Helm condition, chart). */
  extra?: Details;
  /** False when the line sits in a Helm block that the chart's default values switch off. */
  activeAt?(line: number): boolean;
}

export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Rollout', 'DeploymentConfig']);

/** Workloads by name, each as `Kind/name`, for Kustomize replica overrides that name their target. */
export type WorkloadIndex = Map<string, string>;

function podSpecPath(kind: string): string[] {
  return kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
}

function dig(v: unknown, path: (string | number)[]): unknown {
  let cur = v;
  for (const p of path) {
    if (typeof p === 'number') cur = asArray(cur)[p];
    else cur = asRecord(cur)?.[p];
  }
  return cur;
}

function probeSummary(p: unknown): string | undefined {
  const r = asRecord(p);
  if (!r) return undefined;
  const http = asRecord(r.httpGet);
  if (http) return `HTTP GET ${str(http.path) ?? '/'} on port ${str(http.port) ?? '?'}`;
  const tcp = asRecord(r.tcpSocket);
  if (tcp) return `TCP port ${str(tcp.port) ?? '?'}`;
  const grpc = asRecord(r.grpc);
  if (grpc) return `gRPC port ${str(grpc.port) ?? '?'}`;
  const exec = asRecord(r.exec);
  // Redacted before it is cut short, so a cut never leaves part of a secret unrecognised.
  if (exec) return `command ${redactSecrets(strings(exec.command).join(' ')).slice(0, 60)}`;
  return undefined;
}

/** A value as the manifest writes it: a string, number or boolean kept, anything else as text. */
function scalar(v: unknown): string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
}

/** An HPA spec's policies (exported for tests). */
export function hpaPoliciesOf(spec: Record<string, unknown>): ScalingPolicy[] {
  const out: ScalingPolicy[] = [];
  const cpu = spec.targetCPUUtilizationPercentage;
  if (cpu !== undefined) out.push({ by: 'resource', resource: 'cpu', utilisation: scalar(cpu) });
  for (const m of asArray(spec.metrics)) {
    const rec = asRecord(m);
    const type = str(rec?.type);
    if (!rec || !type) continue;
    const res = asRecord(rec.resource) ?? asRecord(rec.containerResource);
    if (res) {
      const target = asRecord(res.target);
      const util = target?.averageUtilization ?? res.targetAverageUtilization;
      const avg = target?.averageValue ?? res.targetAverageValue;
      const resource = str(res.name);
      // A metric whose target is not stated (a Helm value with no default) states no policy.
      if (util === undefined && avg === undefined) continue;
      out.push({
        by: 'resource',
        ...(resource !== undefined ? { resource } : {}),
        ...(util !== undefined ? { utilisation: scalar(util) } : avg !== undefined ? { average: scalar(avg) } : {}),
      });
      continue;
    }
    const metric = asRecord(rec.pods) ?? asRecord(rec.object) ?? asRecord(rec.external);
    const name = str(asRecord(metric?.metric)?.name) ?? str(metric?.metricName);
    const target = asRecord(metric?.target);
    const value = target?.averageValue ?? target?.value ?? metric?.targetAverageValue ?? metric?.targetValue;
    out.push({
      by: 'metric',
      source: type.toLowerCase(),
      ...(name !== undefined ? { metric: name } : {}),
      ...(value !== undefined ? { target: scalar(value) } : {}),
    });
  }
  return out;
}

/** A workload's rollout: Argo Rollouts' canary or blue/green, the `strategy` (`updateStrategy`) written, or a Deployment's default. */
function rolloutOf(kind: string, strategy: Record<string, unknown> | undefined): Rollout | undefined {
  if (kind === 'Rollout') {
    const rollout = strategy?.canary !== undefined ? 'canary' : strategy?.blueGreen !== undefined ? 'blue-green' : 'unspecified';
    return { kind: rollout, controller: 'argo-rollouts' };
  }
  if (!strategy) return kind === 'Deployment' ? { kind: 'rolling-update', defaulted: true } : undefined;
  const type = str(strategy.type) ?? 'RollingUpdate';
  if (type === 'Recreate') return { kind: 'recreate' };
  if (type !== 'RollingUpdate') return { kind: 'other', type };
  const ru = asRecord(strategy.rollingUpdate);
  if (!ru) return { kind: 'rolling-update' };
  const [maxSurge, maxUnavailable] = [str(ru.maxSurge), str(ru.maxUnavailable)];
  return {
    kind: 'rolling-update',
    rollingUpdate: { ...(maxSurge !== undefined ? { maxSurge } : {}), ...(maxUnavailable !== undefined ? { maxUnavailable } : {}) },
  };
}

/** Emit the facts one Kubernetes object stands for. */
export function emitObject(ctx: AnalyzerContext, obj: Record<string, unknown>, src: ObjectSource, workloads: WorkloadIndex): void {
  const kind = str(obj.kind);
  const meta = asRecord(obj.metadata);
  const name = str(meta?.name);
  if (!kind || !name) return;
  const namespace = str(meta?.namespace);
  const ev: Evidence = { file: src.file, line: src.line };
  const base: Details = { source: 'kubernetes', ...(namespace ? { namespace } : {}), ...(src.origin ? { origin: src.origin } : {}), ...(src.extra ?? {}) };
  const spec = asRecord(obj.spec) ?? {};
  // Objects a chart switches off by default still document the chart, but raise no findings.
  const active = src.activeAt?.(src.line) !== false;
  const finding: AnalyzerContext['emit'] = (c, f) => {
    if (active) ctx.emit(c, f);
  };
  /** Whether the line of `path` is rendered with the chart's own values (a plain manifest: always). */
  const activeAt = (path: (string | number)[]) => active && src.activeAt?.(src.lineOf(path)) !== false;
  /** The keys of the mapping at `path` whose lines are rendered with the chart's own values. */
  const activeKeys = (path: (string | number)[]): Record<string, unknown> => {
    const rec = asRecord(dig(obj, path));
    if (!rec || !activeAt(path)) return {};
    return Object.fromEntries(Object.entries(rec).filter(([k]) => activeAt([...path, k])));
  };
  const infra = (role: 'network' | 'edge' | 'compute' | 'data' | 'messaging' | 'secrets' | 'observability' | 'identity' | 'other', details: Details) =>
    ctx.emit('infrastructure', {
      id: idOf.infra('kubernetes', `${kind}/${name}`),
      name: `${kind}/${name}`,
      type: kind,
      role,
      provider: 'kubernetes',
      source: 'kubernetes',
      details: { ...base, ...details },
      evidence: [ev],
    });

  if (WORKLOAD_KINDS.has(kind)) {
    const podPath = podSpecPath(kind);
    const pod = asRecord(dig(obj, podPath)) ?? {};
    const containers = asArray(pod.containers)
      .map(asRecord)
      .filter((c): c is Record<string, unknown> => !!c);
    const images = sortedUnique(containers.map((c) => str(c.image)).filter((x): x is string => !!x));
    const ref = `${kind}/${name}`;
    const id = idOf.workload('kubernetes', ref);
    workloads.set(name, ref);
    const details: NonNullable<Workload['details']> = { ...base };
    if (images.length) details.images = images;
    const replicas = spec.replicas;
    const strategy = rolloutOf(kind, asRecord(spec.strategy) ?? asRecord(spec.updateStrategy));
    if (strategy) details.strategy = strategy;
    if (kind === 'CronJob' && typeof spec.schedule === 'string') details.schedule = spec.schedule;
    // The persistent volume each replica of a StatefulSet gets.
    const claims = asArray(spec.volumeClaimTemplates).flatMap((t) => {
      const r = asRecord(t);
      const claim = str(asRecord(r?.metadata)?.name);
      if (!claim) return [];
      const cs = asRecord(r?.spec);
      const storage = str(asRecord(asRecord(cs?.resources)?.requests)?.storage);
      const storageClass = str(cs?.storageClassName);
      return [{ name: claim, ...(storage ? { storage } : {}), ...(storageClass ? { storageClass } : {}) }];
    });
    if (kind === 'StatefulSet' && claims.length) details.volumeClaims = claims;
    const sa = str(pod.serviceAccountName);
    if (sa) details.serviceAccount = sa;
    // Pod labels, so a Service's selector can be matched to the workload it fronts.
    const podLabels = asRecord(asRecord(dig(obj, [...podPath.slice(0, -1), 'metadata']))?.labels);
    if (podLabels)
      details.podLabels = Object.entries(podLabels)
        .map(([k, v]) => `${k}=${String(v)}`)
        .sort();
    const component = images.map((i) => componentOfImage(ctx, i)).find((c) => c !== undefined);
    ctx.emit('workloads', { id, name, kind, ...(component ? { component } : {}), details, evidence: [ev] });
    const replicasActive = src.activeAt?.(src.lineOf(['spec', 'replicas'])) !== false;
    if (typeof replicas === 'number' && replicasActive) details.replicas = replicas;
    else delete details.replicas;
    if (typeof replicas === 'number' && replicasActive && kind !== 'Job' && kind !== 'CronJob') {
      ctx.emit('scaling', {
        id: idOf.scaling('kubernetes', `${kind}/${name}`),
        name: `${kind}/${name}`,
        category: 'replicas',
        tech: 'kubernetes',
        details: { desired: replicas, workload: id, ...(src.origin ? { origin: src.origin } : {}) },
        evidence: [{ file: src.file, line: src.lineOf(['spec', 'replicas']) }],
      });
    }
    const podSecurity = activeKeys([...podPath, 'securityContext']);
    const hostNamespace = (pod.hostNetwork === true && activeAt([...podPath, 'hostNetwork'])) || (pod.hostPID === true && activeAt([...podPath, 'hostPID']));
    if (hostNamespace) {
      finding('security', {
        id: idOf.security('k8s-host-namespace', `${kind}/${name}`),
        name: `${kind}/${name} shares the node's ${pod.hostNetwork === true ? 'network' : 'process'} namespace`,
        category: 'infrastructure',
        severity: 'medium',
        tech: 'kubernetes',
        details: { rule: 'host-namespace', workload: `${kind}/${name}` },
        evidence: [{ file: src.file, line: src.lineOf([...podPath, pod.hostNetwork === true ? 'hostNetwork' : 'hostPID']) }],
      });
    }
    const calls: PeerCall[] = [];
    containers.forEach((c, i) => {
      const cname = str(c.name) ?? `container-${i}`;
      const image = str(c.image);
      const ports = asArray(c.ports).flatMap((p) => {
        const r = asRecord(p);
        const port = str(r?.containerPort);
        return port ? [`${port}${r?.protocol && r.protocol !== 'TCP' ? '/' + String(r.protocol) : ''}${r?.name ? ` (${String(r.name)})` : ''}`] : [];
      });
      const cpath = [...podPath, 'containers', i];
      // A securityContext behind a Helm condition the chart's values never set is not read.
      const sc = activeKeys([...cpath, 'securityContext']);
      const runAsUser = sc.runAsUser ?? podSecurity.runAsUser;
      const nonRoot = sc.runAsNonRoot ?? podSecurity.runAsNonRoot;
      const user = runAsUser !== undefined ? `uid ${String(runAsUser)}` : nonRoot === true ? 'non-root (runAsNonRoot)' : undefined;
      const readiness = probeSummary(c.readinessProbe);
      const liveness = probeSummary(c.livenessProbe);
      const health = [readiness ? `readiness: ${readiness}` : undefined, liveness ? `liveness: ${liveness}` : undefined].filter(Boolean).join('; ');
      const env = asArray(c.env)
        .map(asRecord)
        .filter((e): e is Record<string, unknown> => !!e);
      const envNames = sortedUnique(env.map((e) => str(e.name)).filter((x): x is string => !!x));
      // Hosts its literal values name (a value behind a Helm condition the chart's values never set is not read).
      asArray(c.env).forEach((raw, j) => {
        const e = asRecord(raw);
        const variable = str(e?.name);
        if (!e || !variable || !activeAt([...cpath, 'env', j])) return;
        calls.push(...peerCallsOf(variable, e.value, src.file, src.lineOf([...cpath, 'env', j])));
      });
      const envFrom = asArray(c.envFrom).flatMap((e) => {
        const r = asRecord(e);
        const cm = str(asRecord(r?.configMapRef)?.name);
        const sec = str(asRecord(r?.secretRef)?.name);
        return [cm ? `ConfigMap/${cm}` : undefined, sec ? `Secret/${sec}` : undefined].filter((x): x is string => !!x);
      });
      const resources = asRecord(c.resources);
      const details: Details = { source: 'kubernetes', workload: `${kind}/${name}`, ...(src.origin ? { origin: src.origin } : {}) };
      if (envNames.length) details.environment = envNames;
      if (envFrom.length) details.envFrom = sortedUnique(envFrom);
      const req = asRecord(resources?.requests);
      const lim = asRecord(resources?.limits);
      if (req)
        details.requests = Object.entries(req)
          .map(([k, v]) => `${k} ${String(v)}`)
          .sort();
      if (lim)
        details.limits = Object.entries(lim)
          .map(([k, v]) => `${k} ${String(v)}`)
          .sort();
      // CPU and memory, typed, for the Scaling section (the lists above stay for the containers table).
      const cpuRequest = str(req?.cpu);
      const memoryRequest = str(req?.memory);
      const cpuLimit = str(lim?.cpu);
      const memoryLimit = str(lim?.memory);
      if (cpuRequest) details.cpuRequest = [cpuRequest];
      if (memoryRequest) details.memoryRequest = [memoryRequest];
      if (cpuLimit) details.cpuLimit = [cpuLimit];
      if (memoryLimit) details.memoryLimit = [memoryLimit];
      if (typeof sc.readOnlyRootFilesystem === 'boolean') details.readOnlyRootFilesystem = sc.readOnlyRootFilesystem;
      if (typeof sc.allowPrivilegeEscalation === 'boolean') details.allowPrivilegeEscalation = sc.allowPrivilegeEscalation;
      const caps = asRecord(sc.capabilities);
      const dropped = asArray(caps?.drop).filter((x): x is string => typeof x === 'string');
      const added = asArray(caps?.add).filter((x): x is string => typeof x === 'string');
      if (dropped.length) details.capabilitiesDropped = sortedUnique(dropped);
      if (added.length) details.capabilitiesAdded = sortedUnique(added);
      const component = image ? componentOfImage(ctx, image) : undefined;
      ctx.emit('containers', {
        id: idOf.container('kubernetes', `${kind}/${name}/${cname}`),
        name: `${name}/${cname}`,
        ...(image ? { image } : {}),
        ...(component ? { component } : {}),
        ports,
        ...(user ? { user } : {}),
        ...(health ? { healthcheck: health } : {}),
        details,
        evidence: [{ file: src.file, line: src.lineOf([...podPath, 'containers', i]) }],
      });
      if (sc.privileged === true) {
        finding('security', {
          id: idOf.security('k8s-privileged', `${kind}/${name}/${cname}`),
          name: `Container ${cname} of ${kind}/${name} runs privileged`,
          category: 'infrastructure',
          severity: 'high',
          tech: 'kubernetes',
          details: { rule: 'privileged-container', workload: `${kind}/${name}` },
          evidence: [{ file: src.file, line: src.lineOf([...cpath, 'securityContext', 'privileged']) }],
        });
      }
      if (runAsUser === 0 || runAsUser === '0') {
        finding('security', {
          id: idOf.security('container-runs-as-root', 'kubernetes', `${kind}/${name}/${cname}`),
          name: `Container ${cname} of ${kind}/${name} runs as root (runAsUser: 0)`,
          category: 'infrastructure',
          severity: 'medium',
          tech: 'kubernetes',
          details: { rule: 'container-runs-as-root', workload: `${kind}/${name}` },
          evidence: [{ file: src.file, line: src.lineOf([...cpath, 'securityContext']) }],
        });
      }
      const leaked = env.filter((e) => typeof e.name === 'string' && looksLikeCommittedSecret(e.name, e.value)).map((e) => String(e.name));
      if (leaked.length) {
        finding('security', {
          id: idOf.security('k8s-committed-secret', `${kind}/${name}/${cname}`),
          name: `Container ${cname} of ${kind}/${name} sets ${sortedUnique(leaked).join(', ')} to literal values (secrets committed to the repository)`,
          category: 'infrastructure',
          severity: 'medium',
          tech: 'kubernetes',
          details: { rule: 'committed-secret', workload: `${kind}/${name}`, variables: sortedUnique(leaked) },
          evidence: [{ file: src.file, line: src.lineOf([...cpath, 'env']) }],
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
            details: { kubernetesWorkloads: [`${kind}/${name}`], images: [image] },
            evidence: [ev],
          });
        }
        const support = supportOfImage(image);
        if (support && support.role !== 'edge') {
          ctx.emit('infrastructure', {
            id: idOf.infra('kubernetes', `${kind}/${name}`),
            name: `${kind}/${name}`,
            type: kind,
            role: support.role,
            provider: 'kubernetes',
            source: 'kubernetes',
            details: { ...base, image, tech: support.tech },
            evidence: [ev],
          });
        }
      }
    });
    if (calls.length) details.calls = calls;
    return;
  }

  switch (kind) {
    case 'Service': {
      const ports = asArray(spec.ports).flatMap((p) => {
        const r = asRecord(p);
        const port = str(r?.port);
        const target = str(r?.targetPort);
        return port ? [target && target !== port ? `${port}→${target}` : port] : [];
      });
      const type = str(spec.type) ?? 'ClusterIP';
      infra(type === 'LoadBalancer' ? 'edge' : 'network', {
        serviceType: type,
        ...(ports.length ? { ports } : {}),
        ...(asRecord(spec.selector)
          ? {
              selector: Object.entries(asRecord(spec.selector)!)
                .map(([k, v]) => `${k}=${String(v)}`)
                .sort(),
            }
          : {}),
      });
      break;
    }
    case 'Ingress': {
      const rules = asArray(spec.rules)
        .map(asRecord)
        .filter((r): r is Record<string, unknown> => !!r);
      const hosts = sortedUnique(rules.map((r) => str(r.host)).filter((x): x is string => !!x && !x.includes(TEMPLATED)));
      const tls = asArray(spec.tls);
      const backends = sortedUnique(
        rules.flatMap((r) =>
          asArray(asRecord(r.http)?.paths).flatMap((p) => {
            const b = asRecord(asRecord(p)?.backend);
            const svc = str(asRecord(b?.service)?.name) ?? str(b?.serviceName);
            return svc && !svc.includes(TEMPLATED) && !svc.includes(TEMPLATED_NAME) ? [svc] : [];
          }),
        ),
      );
      const annotations = asRecord(meta?.annotations) ?? {};
      const cls = str(spec.ingressClassName) ?? str(annotations['kubernetes.io/ingress.class']);
      const details: Details = { tls: tls.length > 0 };
      if (hosts.length) details.hosts = hosts;
      if (backends.length) details.backends = backends;
      if (cls) details.ingressClass = cls;
      const issuer = str(annotations['cert-manager.io/cluster-issuer']) ?? str(annotations['cert-manager.io/issuer']);
      if (issuer) details.certificateIssuer = issuer;
      const protocols = str(annotations['nginx.ingress.kubernetes.io/ssl-protocols']);
      if (protocols) details.tlsProtocols = protocols;
      infra('edge', details);
      if (tls.length === 0) {
        finding('security', {
          id: idOf.security('ingress-without-tls', name),
          name: `Ingress ${name} has no TLS section: traffic${hosts.length ? ` to ${hosts.join(', ')}` : ''} is served over plain HTTP unless TLS ends in front of it`,
          category: 'infrastructure',
          severity: 'low',
          tech: 'kubernetes',
          details: { rule: 'ingress-without-tls', ingress: name },
          evidence: [ev],
        });
      }
      if (protocols && /TLSv1(\.1)?(\s|$)/.test(protocols)) {
        finding('security', {
          id: idOf.security('tls-below-1-2', 'kubernetes', name),
          name: `Ingress ${name} accepts TLS below 1.2 (${protocols})`,
          category: 'infrastructure',
          severity: 'medium',
          tech: 'kubernetes',
          details: { rule: 'tls-below-1-2', ingress: name },
          evidence: [{ file: src.file, line: src.lineOf(['metadata', 'annotations']) }],
        });
      }
      break;
    }
    case 'Gateway':
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'TLSRoute':
    case 'TCPRoute': {
      const details: Details = {};
      const hostnames = strings(spec.hostnames);
      if (hostnames.length) details.hosts = hostnames;
      const parents = asArray(spec.parentRefs)
        .map((p) => str(asRecord(p)?.name))
        .filter((x): x is string => !!x);
      if (parents.length) details.parents = parents;
      const backends = asArray(spec.rules).flatMap((r) =>
        asArray(asRecord(r)?.backendRefs)
          .map((b) => str(asRecord(b)?.name))
          .filter((x): x is string => !!x),
      );
      if (backends.length) details.backends = sortedUnique(backends);
      const listeners = asArray(spec.listeners).map((l) => `${str(asRecord(l)?.protocol) ?? '?'} ${str(asRecord(l)?.port) ?? ''}`.trim());
      if (listeners.length) details.listeners = listeners;
      infra('edge', details);
      break;
    }
    case 'HorizontalPodAutoscaler': {
      const target = asRecord(spec.scaleTargetRef);
      const tKind = str(target?.kind) ?? 'Deployment';
      const tName = str(target?.name) ?? name;
      const policies = hpaPoliciesOf(spec);
      ctx.emit('scaling', {
        id: idOf.scaling('kubernetes', `${tKind}/${tName}`),
        name: `${tKind}/${tName}`,
        category: 'autoscaling',
        tech: 'kubernetes',
        details: {
          hpa: name,
          workload: idOf.workload('kubernetes', `${tKind}/${tName}`),
          ...(spec.minReplicas !== undefined ? { min: spec.minReplicas as number } : {}),
          ...(spec.maxReplicas !== undefined ? { max: spec.maxReplicas as number } : {}),
          ...(policies.length ? { policies } : {}),
          ...(src.origin ? { origin: src.origin } : {}),
          ...(src.extra ?? {}),
        },
        evidence: [ev],
      });
      break;
    }
    case 'ScaledObject': {
      const target = asRecord(spec.scaleTargetRef);
      const tName = str(target?.name) ?? name;
      const tKind = str(target?.kind) ?? 'Deployment';
      const triggers = asArray(spec.triggers)
        .map((t) => str(asRecord(t)?.type))
        .filter((x): x is string => !!x);
      ctx.emit('scaling', {
        id: idOf.scaling('kubernetes', `${tKind}/${tName}`),
        name: `${tKind}/${tName}`,
        category: 'autoscaling',
        tech: 'keda',
        details: {
          workload: idOf.workload('kubernetes', `${tKind}/${tName}`),
          ...(spec.minReplicaCount !== undefined ? { min: spec.minReplicaCount as number } : {}),
          ...(spec.maxReplicaCount !== undefined ? { max: spec.maxReplicaCount as number } : {}),
          policies: triggers.map((trigger) => ({ by: 'trigger', trigger })),
        },
        evidence: [ev],
      });
      break;
    }
    case 'PodDisruptionBudget': {
      const min = spec.minAvailable;
      const max = spec.maxUnavailable;
      const sel = asRecord(asRecord(spec.selector)?.matchLabels);
      const target = sel ? Object.values(sel).map(String).join(', ') : 'selected pods';
      ctx.emit('recovery', {
        id: idOf.recovery('disruption-budget', 'kubernetes', name),
        name: `PodDisruptionBudget ${name}: ${min !== undefined ? `at least ${String(min)} pod(s) of ${target} stay available` : `at most ${String(max)} pod(s) of ${target} unavailable`} during voluntary disruptions`,
        category: 'disruption-budget',
        tech: 'kubernetes',
        details: { ...(min !== undefined ? { minAvailable: String(min) } : {}), ...(max !== undefined ? { maxUnavailable: String(max) } : {}) },
        evidence: [ev],
      });
      infra('compute', { ...(min !== undefined ? { minAvailable: String(min) } : {}), ...(max !== undefined ? { maxUnavailable: String(max) } : {}) });
      break;
    }
    case 'ConfigMap':
      infra('other', {
        keys: Object.keys(asRecord(obj.data) ?? {})
          .concat(Object.keys(asRecord(obj.binaryData) ?? {}))
          .sort(),
      });
      break;
    case 'Secret': {
      // Keys only: values never leave this function.
      const keys = sortedUnique([...Object.keys(asRecord(obj.data) ?? {}), ...Object.keys(asRecord(obj.stringData) ?? {})]);
      const type = str(obj.type) ?? 'Opaque';
      infra('secrets', { keys, secretType: type });
      const hasValues = [...Object.values(asRecord(obj.data) ?? {}), ...Object.values(asRecord(obj.stringData) ?? {})].some(
        (v) => typeof v === 'string' && v.trim() !== '' && !/^\{\{.*\}\}$/.test(v.trim()) && !/^TEMPLATED/.test(v),
      );
      if (hasValues && src.origin?.startsWith('helm') !== true) {
        finding('security', {
          id: idOf.security('k8s-secret-committed', name),
          name: `Secret ${name} is committed with inline values for ${keys.join(', ')} (base64 is an encoding, not encryption)`,
          category: 'infrastructure',
          severity: 'medium',
          tech: 'kubernetes',
          details: { rule: 'committed-secret', secret: name, keys },
          evidence: [{ file: src.file, line: src.lineOf([obj.stringData !== undefined ? 'stringData' : 'data']) }],
        });
      }
      break;
    }
    case 'SealedSecret':
    case 'ExternalSecret':
    case 'SecretProviderClass':
      infra('secrets', { keys: Object.keys(asRecord(asRecord(spec.encryptedData)) ?? {}).sort() });
      break;
    case 'NetworkPolicy': {
      const sel = asRecord(asRecord(spec.podSelector)?.matchLabels);
      infra('network', {
        podSelector: sel
          ? Object.entries(sel)
              .map(([k, v]) => `${k}=${String(v)}`)
              .sort()
          : ['(all pods)'],
        policyTypes: strings(spec.policyTypes),
        ingressRules: asArray(spec.ingress).length,
        egressRules: asArray(spec.egress).length,
      });
      break;
    }
    case 'PersistentVolumeClaim': {
      const storage = str(asRecord(asRecord(spec.resources)?.requests)?.storage);
      infra('data', { ...(storage ? { storage } : {}), ...(str(spec.storageClassName) ? { storageClass: str(spec.storageClassName)! } : {}) });
      break;
    }
    case 'ServiceAccount':
    case 'Role':
    case 'ClusterRole':
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      infra('identity', {});
      break;
    case 'ServiceMonitor':
    case 'PodMonitor':
    case 'PrometheusRule':
      infra('observability', {});
      break;
    case 'Certificate':
    case 'ClusterIssuer':
    case 'Issuer':
      infra('edge', {});
      break;
    default:
      break;
  }
}
