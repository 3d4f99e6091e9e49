/**
 * What a resource rule works on: one block of a root (a resource or a module) and the sink for
 * the facts it emits (findings, recovery, scaling, data stores, queues). The rules live in
 * resources/, one file per concern, each a table keyed by resource type.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { DataStore, Details, Evidence, Infrastructure, RecoveryFact, ScalingFact } from '../../src/model/schema.js';
import type { InfraStatement } from '../../src/model/infra-statements.js';
import { attributeLine } from './hcl-blocks.js';
import { literalName, show } from './values.js';
import { idOf } from '../../src/model/ids.js';

/** `envs/prod/aws_s3_bucket.assets`: an address or file name within its root; the repository root's are bare. */
export function inRoot(dir: string, name: string): string {
  return dir === '.' ? name : `${dir}/${name}`;
}

export interface Block {
  kind: 'resource' | 'module';
  file: string;
  dir: string;
  type: string;
  name: string;
  /** `aws_db_instance.main` or `module.vpc`. */
  address: string;
  id: string;
  body: Record<string, unknown>;
  line: number;
  endLine: number;
  lines: readonly string[];
  /** Addresses of resources and modules this block refers to (same root only). */
  refs: string[];
  role: Infrastructure['role'];
  details: Details;
}

/**
 * What a rule observed, as data: the statement (src/model/infra-statements.ts) with the setting,
 * value and other details it concerns. The document words it; the model holds no sentence.
 */
export type Said = { statement: InfraStatement } & Details;

export class Out {
  constructor(
    readonly ctx: AnalyzerContext,
    /** Every block of the same root, by address. */
    readonly blocks: Map<string, Block>,
    /** The root's locals whose value is a plain string (no interpolation), by name. */
    readonly locals: ReadonlyMap<string, string> = new Map(),
  ) {}

  /**
   * A string with each `${local.name}` replaced by that local's plain-string value; undefined when
   * any other interpolation (a variable, a resource attribute, a function) is left.
   */
  resolved(v: unknown): string | undefined {
    if (typeof v !== 'string') return undefined;
    let s = '';
    let i = 0;
    for (let at = v.indexOf('${'); at >= 0; at = v.indexOf('${', i)) {
      const end = v.indexOf('}', at);
      const name = end < 0 ? '' : v.slice(at + 2, end).trim();
      const value = name.startsWith('local.') ? this.locals.get(name.slice('local.'.length)) : undefined;
      if (value === undefined) return undefined;
      s += v.slice(i, at) + value;
      i = end + 1;
    }
    return s + v.slice(i);
  }

  ev(b: Block, attr?: string | RegExp): Evidence {
    return { file: b.file, line: attr ? attributeLine(b.lines, b, attr) : b.line };
  }

  /** A block this one refers to, of one of the given types. */
  ref(b: Block, ...types: string[]): Block | undefined {
    const refs = b.refs.map((r) => this.blocks.get(r)).filter((t): t is Block => t !== undefined);
    if (types.length === 0) return refs[0];
    for (const type of types) {
      const hit = refs.find((t) => t.type === type);
      if (hit) return hit;
    }
    return undefined;
  }

  /** A finding about `b`, named by its address; what it says is `said` (worded by the document). */
  security(b: Block, rule: string, severity: 'info' | 'low' | 'medium' | 'high', said: Said, attr?: string | RegExp, details: Details = {}): void {
    this.ctx.emit('security', {
      id: idOf.security(rule, inRoot(b.dir, b.address)),
      name: b.address,
      category: 'infrastructure',
      severity,
      tech: 'terraform',
      details: { rule, resource: b.address, ...said, ...details },
      evidence: [this.ev(b, attr)],
    });
  }

  /** A recovery safeguard of `b`, named by its address. */
  recovery(b: Block, category: RecoveryFact['category'], said: Said, attr?: string, details: Details = {}): void {
    this.ctx.emit('recovery', {
      id: idOf.recovery(category, inRoot(b.dir, b.address)),
      name: b.address,
      category,
      tech: 'terraform',
      details: { resource: b.address, store: b.id, ...said, ...details },
      evidence: [this.ev(b, attr)],
    });
  }

  /** Scaling facts wait for `flush()`, so autoscaling facts lead when they merge with a replica count. */
  readonly pendingScaling: ScalingFact[] = [];

  flush(): void {
    const ranked = [...this.pendingScaling.filter((f) => f.category === 'autoscaling'), ...this.pendingScaling.filter((f) => f.category !== 'autoscaling')];
    for (const f of ranked) this.ctx.emit('scaling', f);
    this.pendingScaling.length = 0;
  }

  scaling(target: Block, category: ScalingFact['category'], said: Said, details: Details, evidence: Evidence): void {
    this.pendingScaling.push({
      id: idOf.scaling(inRoot(target.dir, target.address)),
      name: target.address,
      category,
      tech: 'terraform',
      details: { resource: target.address, ...said, ...details, ...(workloadOf(target) ? { workload: workloadOf(target)! } : {}) },
      evidence: [evidence],
    });
  }

  dataStore(b: Block, tech: string, name: string, kind: DataStore['kind'], details: Details = {}): void {
    this.ctx.emit('dataStores', {
      id: idOf.datastore(tech),
      name,
      tech,
      kind,
      usedBy: [],
      details: { provisionedBy: [b.address], ...details },
      evidence: [this.ev(b)],
    });
  }

  queue(b: Block, queueName: string, tech: string, details: Details = {}): void {
    this.ctx.emit('queues', {
      id: idOf.queue(queueName),
      name: queueName,
      tech,
      producers: [],
      consumers: [],
      details: { provisionedBy: [b.address], ...details },
      evidence: [this.ev(b)],
    });
  }
}

/** Set a detail to a value as shown in the document, unless it is empty. */
export function set(d: Details, key: string, v: unknown): void {
  const s = show(v);
  if (s !== undefined && s !== '') d[key] = s;
}

/** The details among `keys` that are set. */
export function pick(d: Details, keys: string[]): Details {
  const outD: Details = {};
  for (const k of keys) if (d[k] !== undefined) outD[k] = d[k]!;
  return outD;
}

/** What a rule is given: the sink, the block, and the block's details, body and type. */
export interface RuleInput {
  out: Out;
  b: Block;
  /** `b.details`, which the rule fills. */
  d: Details;
  /** `b.body`, the block's attributes as hcl2json gives them. */
  body: Record<string, unknown>;
  type: string;
}

/** Describes one resource type: fills `b.details` and emits the facts it finds. */
export type Rule = (input: RuleInput) => void;

/** Rules keyed by resource type. */
export type Rules = Readonly<Record<string, Rule>>;

/** The workload a scaled resource is (ECS services and Lambda functions, with the ids resources/compute.ts gives them). */
function workloadOf(b: Block): string | undefined {
  if (b.kind !== 'resource') return undefined;
  if (b.type === 'aws_ecs_service') return idOf.workload('ecs', b.name);
  if (b.type === 'aws_lambda_function') return idOf.workload('lambda', literalName(b.body.function_name) ?? b.name);
  return undefined;
}
