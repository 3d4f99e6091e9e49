/**
 * The Performance and scalability section's view: the Scaling synthesis (one row per deployable
 * unit) and the capacity table: every infrastructure resource that
 * states its size, and that size in words. A resource is sized by the fields its extractor
 * records — instance classes and types, node and machine types, VM sizes and SKUs, a container
 * task's CPU units and memory (`cpu`, `memory`), a function's memory (`memoryMb`), a node count —
 * never by testing its resource type here.
 */
import { compareStrings, sortedEvidence } from '../model/compare.js';
import type { Container, Evidence, Infrastructure, Model, ScalingFact, Workload } from '../model/schema.js';
import { policiesOf } from './view-infrastructure.js';

export interface CapacityRow {
  name: string;
  type: string;
  /** `db.t3.medium; 2 nodes`, `512 CPU units, 1024 MiB`, `256 MB memory`. */
  size: string;
  evidence: Evidence[];
}

/** Fields that name a size, in the order they are shown. */
const SIZE_FIELDS = ['instanceClass', 'instanceType', 'nodeType', 'machineType', 'vmSize', 'sku', 'tier'] as const;
/** Fields that make a resource a sized one (a tier alone does not). */
const SIZED_BY = ['instanceClass', 'instanceType', 'nodeType', 'instanceTypes', 'machineType', 'vmSize', 'sku', 'cpu', 'memoryMb'] as const;

/** A field that is set: not missing, empty, zero or false (a list counts even when empty, as before). */
const present = (v: unknown): boolean => Boolean(v);

export function capacityRows(model: Model): CapacityRow[] {
  const rows: CapacityRow[] = [];
  for (const i of model.infrastructure) {
    const d = i.details;
    if (!d || !SIZED_BY.some((k) => present(d[k]))) continue;
    const size: string[] = [];
    for (const k of SIZE_FIELDS) if (present(d[k]) && (k !== 'tier' || i.role === 'data')) size.push(String(d[k]));
    if (Array.isArray(d.instanceTypes)) size.push(d.instanceTypes.join(', '));
    // A container task's share: CPU units and MiB of memory (ECS task definitions).
    if (present(d.cpu)) size.push(present(d.memory) ? `${d.cpu} CPU units, ${d.memory} MiB` : `${d.cpu} CPU units`);
    // A function's memory (Lambda).
    if (present(d.memoryMb)) size.push(`${d.memoryMb} MB memory`);
    if (present(d.nodes)) size.push(`${d.nodes} nodes`);
    rows.push({ name: i.name, type: i.type, size: size.join('; '), evidence: i.evidence });
  }
  return rows;
}

// ---------------------------------------------------------------- scaling, per deployable unit

/** One cell of a synthesis table: what it says, and where the repository says it (none: not stated). */
export interface SynthesisCell {
  text: string;
  evidence: Evidence[];
}

export interface ScalingUnitRow {
  /** The workload's name and kind: `catalog (Deployment)`. */
  unit: string;
  /** autoscaling, fixed replicas, concurrency limits, or not stated. */
  how: string;
  min: SynthesisCell;
  max: SynthesisCell;
  desired: SynthesisCell;
  /** The metric and target an autoscaler follows. */
  metric: SynthesisCell;
  cpu: SynthesisCell;
  memory: SynthesisCell;
  /**
   * Where min, max, desired and the metric are stated: one scaling fact merges the files that
   * state them (a service's replica count, its autoscaling target and policy), so they are cited together.
   */
  evidence: Evidence[];
  /** The above with where CPU and memory are stated: one Evidence column for the row, each place once. */
  allEvidence: Evidence[];
}

/** A scaling fact no workload of the model runs (node pools, Aurora capacity, a target outside the repository). */
export interface OtherScalingRow {
  fact: ScalingFact;
  how: string;
}

export interface ScalingView {
  /** Units with any min, max, desired, metric, CPU or memory stated. */
  units: ScalingUnitRow[];
  /** Units with none of them stated (`worker (compose service)`): named in a sentence, not a row of `not stated`. */
  silent: string[];
  other: OtherScalingRow[];
}

export const NOT_STATED = 'not stated';
const none = (text = NOT_STATED): SynthesisCell => ({ text, evidence: [] });
const HOW: Record<ScalingFact['category'], string> = { autoscaling: 'autoscaling', replicas: 'fixed replicas', concurrency: 'concurrency limits' };

/** Values of one resource as written; more than one when files that merge into the unit differ. */
const valuesOf = (list: string[] | undefined): string | undefined =>
  list && list.length ? (list.length === 1 ? list[0] : `${list.join(' or ')} (the files that merge into it differ)`) : undefined;

/** `request 250m, limit 500m`; `reservation` for compose, whose word it is. */
function requestLimit(request: string[] | undefined, limit: string[] | undefined, requestWord: string): string | undefined {
  const r = valuesOf(request);
  const l = valuesOf(limit);
  if (r === undefined && l === undefined) return undefined;
  return [r !== undefined ? `${requestWord} ${r}` : undefined, l !== undefined ? `limit ${l}` : 'limit not stated'].filter(Boolean).join(', ');
}

/** CPU and memory of a unit: its containers' requests and limits, a compose service's, an ECS task's size, a function's memory. */
function resourcesOf(w: Workload, containers: Container[], infraById: Map<string, Infrastructure>): { cpu: SynthesisCell; memory: SynthesisCell } {
  const d = w.details ?? {};
  // Kubernetes: per container, named when the pod runs more than one.
  if (containers.length) {
    const cell = (pick: (c: Container) => string | undefined): SynthesisCell => {
      const said = containers.map((c) => ({ c, text: pick(c) })).filter((x): x is { c: Container; text: string } => x.text !== undefined);
      if (!said.length) return none();
      const named = containers.length > 1;
      return {
        text: said.map(({ c, text }) => (named ? `${c.name.slice(c.name.lastIndexOf('/') + 1)}: ${text}` : text)).join('; '),
        evidence: said.flatMap(({ c }) => c.evidence),
      };
    };
    return {
      cpu: cell((c) => requestLimit(c.details?.cpuRequest, c.details?.cpuLimit, 'request')),
      memory: cell((c) => requestLimit(c.details?.memoryRequest, c.details?.memoryLimit, 'request')),
    };
  }
  // Compose deploy.resources.
  const cpu = requestLimit(d.cpuRequest, d.cpuLimit, 'reservation');
  const memory = requestLimit(d.memoryRequest, d.memoryLimit, 'reservation');
  if (cpu !== undefined || memory !== undefined)
    return {
      cpu: cpu !== undefined ? { text: cpu, evidence: w.evidence } : none(),
      memory: memory !== undefined ? { text: memory, evidence: w.evidence } : none(),
    };
  // An ECS service: its task's size, where its task definition (or a CDK construct) states it.
  const task = d.sizedBy !== undefined ? infraById.get(d.sizedBy) : undefined;
  if (task) {
    const td = task.details ?? {};
    if (present(td.memoryMb))
      return {
        cpu: none(w.kind === 'Lambda function' ? 'in proportion to memory' : NOT_STATED),
        memory: { text: `${String(td.memoryMb)} MB`, evidence: task.evidence },
      };
    return {
      cpu: present(td.cpu) ? { text: `${String(td.cpu)} CPU units (task)`, evidence: task.evidence } : none(),
      memory: present(td.memory) ? { text: `${String(td.memory)} MiB (task)`, evidence: task.evidence } : none(),
    };
  }
  // A function: its memory; Lambda gives CPU in proportion to it.
  if (d.memoryMb !== undefined)
    return {
      cpu: none(w.kind === 'Lambda function' ? 'in proportion to memory' : NOT_STATED),
      // The function's definition, not its handler's code (the memory may be the provider's, which the function takes).
      memory: { text: `${d.memoryMb} MB`, evidence: w.evidence.filter((e) => e.file !== d.handlerFile) },
    };
  return { cpu: none(), memory: none() };
}

/**
 * The Scaling synthesis: one row per deployable unit (every workload but those set aside), with the
 * scaling facts that name it (`details.workload`), its replica count, and the CPU and memory its
 * containers, compose service, ECS task or function state. A unit that states none of them is
 * named, not given a row of `not stated`. Scaling facts that name no workload of the model are
 * listed apart.
 */
export function scalingView(model: Model): ScalingView {
  const byWorkload = new Map<string, ScalingFact[]>();
  const workloadIds = new Set(model.deployment.workloads.map((w) => w.id));
  const other: OtherScalingRow[] = [];
  for (const s of model.scaling) {
    const w = s.details?.workload;
    if (w !== undefined && workloadIds.has(w)) byWorkload.set(w, [...(byWorkload.get(w) ?? []), s]);
    else other.push({ fact: s, how: HOW[s.category] ?? s.category });
  }
  const infraById = new Map(model.infrastructure.map((i) => [i.id, i]));
  const containersOf = new Map<string, Container[]>();
  for (const c of model.deployment.containers) {
    const ref = c.details?.source === 'kubernetes' ? c.details.workload : undefined;
    if (ref !== undefined) containersOf.set(ref, [...(containersOf.get(ref) ?? []), c]);
  }
  const units: ScalingUnitRow[] = [];
  for (const w of [...model.deployment.workloads].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id))) {
    const d = w.details ?? {};
    if (d.unit === 'set-aside') continue;
    const facts = byWorkload.get(w.id) ?? [];
    const auto = facts.find((f) => f.category === 'autoscaling');
    const conc = facts.find((f) => f.category === 'concurrency');
    const reps = facts.find((f) => f.category === 'replicas');
    const cell = (f: ScalingFact | undefined, v: unknown, suffix = ''): SynthesisCell | undefined =>
      f && v !== undefined ? { text: `${String(v)}${suffix}`, evidence: f.evidence } : undefined;
    const min = cell(auto, auto?.details?.min) ?? cell(conc, conc?.details?.min, ' (provisioned concurrency)') ?? none();
    const max = cell(auto, auto?.details?.max) ?? cell(conc, conc?.details?.max, ' (reserved concurrency)') ?? none();
    const overrides = [...(auto?.details?.overrides ?? []), ...(reps?.details?.overrides ?? [])];
    const over = overrides.length ? ` (${[...new Set(overrides)].join('; ')})` : '';
    const replicaFact = [auto, reps].find((f) => f?.details?.desired !== undefined);
    const desired =
      cell(replicaFact, replicaFact?.details?.desired, over) ??
      (d.replicas !== undefined ? { text: `${String(d.replicas)}${over}`, evidence: w.evidence } : undefined) ??
      (overrides.length ? { text: `per overlay: ${[...new Set(overrides)].join('; ')}`, evidence: (reps ?? auto)!.evidence } : undefined) ??
      none(auto ? 'set by the autoscaler' : NOT_STATED);
    const policies = auto ? policiesOf(auto.details?.policies) || (auto.details?.metric ?? '') : '';
    const when = auto?.details?.condition ? ` (only when ${auto.details.condition})` : '';
    const metric = auto
      ? policies
        ? { text: `${policies}${when}`, evidence: auto.evidence }
        : none(`${NOT_STATED}${when}`)
      : reps || d.replicas !== undefined
        ? none('none (fixed replicas)')
        : none();
    const how = auto ? HOW.autoscaling : conc ? HOW.concurrency : reps || d.replicas !== undefined ? HOW.replicas : NOT_STATED;
    const ref = `${w.kind}/${w.name}`;
    const { cpu, memory } = resourcesOf(w, d.source === 'kubernetes' ? (containersOf.get(ref) ?? []) : [], infraById);
    const evidence = sortedEvidence([min, max, desired, metric].flatMap((c) => c.evidence));
    const allEvidence = sortedEvidence([...evidence, ...cpu.evidence, ...memory.evidence]);
    units.push({ unit: `${w.name} (${w.kind})`, how, min, max, desired, metric, cpu, memory, evidence, allEvidence });
  }
  const said = (u: ScalingUnitRow) => [u.min, u.max, u.desired, u.metric, u.cpu, u.memory].some((c) => c.evidence.length > 0);
  return { units: units.filter(said), silent: units.filter((u) => !said(u)).map((u) => u.unit), other };
}
