/**
 * terraform: Terraform / OpenTofu roots and modules (`*.tf`, `*.tf.json`, `terragrunt.hcl`).
 * Resources are classified into roles and described (TLS, encryption, exposure, multi-AZ,
 * backups, replicas, versioning, autoscaling, retention, instance classes); data stores and
 * queues they provision, infrastructure security findings, recovery and scaling facts follow.
 * Variable defaults, tfvars values and secret-looking attributes are never read into the model.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { roleOf } from '../../src/data/cloud-resources.js';
import { connectByRank, HUB, type NetworkNode } from '../../src/data/iac-network.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import type { Details } from '../../src/model/schema.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { MAX_NESTING } from '../../src/util/nesting.js';
import { jsonKeyLine, lineAt } from '../../src/util/text.js';
import { canonicalEnvironment, isEnvironmentName } from '../../src/data/environments.js';
import { describe } from './extract.js';
import { Out, inRoot, type Block } from './out.js';
import { idOf } from '../../src/model/ids.js';
import { describeModule } from './resources/modules.js';
import { roleOfModule, primaryRank, providerOf } from './classify.js';
import { blockKey, hclTooDeep, hclTooManyTemplateMarks, scanBlocks, type HclBlock } from './hcl-blocks.js';
import { HCL_PARSE_TIMEOUT_MS, HclParser, HclParserStopped } from './hcl-worker.js';
import { allStrings, literalName, many, one, show, showString } from './values.js';

const TF = /\.tf$/;
const TF_JSON = /\.tf\.json$/;
const TERRAGRUNT = /(^|\/)terragrunt\.hcl$/;
const TFVARS = /\.tfvars(\.json)?$/;

/**
 * Longest HCL file given to hcl2json. Its WebAssembly memory grows with the text and is never
 * given back (measured: 2 MiB took 590 MiB to 1.2 GiB, 512 KiB 260-420 MiB, 256 KiB 180-260 MiB
 * and under 4 s); hand-written Terraform files are a few kilobytes.
 */
const MAX_HCL_CHARS = 256 * 1024;

/**
 * Most `$` and `%` characters that open no interpolation one HCL file may hold. hcl2json slows
 * down far faster than linearly on them (4,096 in one string take up to a few tenths of a second,
 * 8,192 up to seconds); a shell script in a heredoc has a few hundred.
 */
const MAX_TEMPLATE_MARKS = 4096;

interface Root {
  dir: string;
  files: string[];
  blocks: Block[];
  variables: { name: string; file: string; line: number; sensitive: boolean }[];
  outputs: string[];
  dataSources: string[];
  providers: string[];
  backend?: string;
  requiredVersion?: string;
  locals: number;
  /** Locals whose value is a plain string, by name (Lambda handlers name their module through them). */
  localStrings: Map<string, string>;
}

function errorLine(message: string, file: string): number | undefined {
  const m =
    new RegExp(
      `${file
        .split('/')
        .pop()!
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+),`,
    ).exec(message) ?? /:(\d+),\d+-\d+:/.exec(message);
  return m ? Number(m[1]) : undefined;
}

function cleanError(message: string): string {
  const m = /:\d+,\d+-\d+: ([^;\]]+)/.exec(message);
  return (m ? m[1]! : message).trim();
}

/** Parse one HCL file; on a syntax error, warn with its line and keep every block that parses alone. */
async function parseHcl(
  ctx: AnalyzerContext,
  parser: HclParser,
  file: string,
  text: string,
  blocks: HclBlock[],
): Promise<{ doc: Record<string, unknown>; blockOf: (k: string) => HclBlock | undefined }[]> {
  const byKey = new Map<string, HclBlock[]>();
  for (const b of blocks) {
    const k = blockKey(b.keyword, b.labels);
    byKey.set(k, [...(byKey.get(k) ?? []), b]);
  }
  const lookup = () => {
    const used = new Map<string, number>();
    return (k: string) => {
      const list = byKey.get(k);
      if (!list) return undefined;
      const i = used.get(k) ?? 0;
      used.set(k, i + 1);
      return list[Math.min(i, list.length - 1)];
    };
  };
  if (text.length > MAX_HCL_CHARS) {
    ctx.warn(file, 1, `${text.length} characters is over the ${MAX_HCL_CHARS}-character limit for HCL; not parsed`);
    return [];
  }
  const deep = hclTooDeep(text, MAX_NESTING);
  if (deep !== undefined) {
    ctx.warn(file, lineAt(text, deep), `nesting deeper than ${MAX_NESTING} levels; not parsed`);
    return [];
  }
  const marks = hclTooManyTemplateMarks(text, MAX_TEMPLATE_MARKS);
  if (marks !== undefined) {
    ctx.warn(
      file,
      lineAt(text, marks),
      `more than ${MAX_TEMPLATE_MARKS} '$' and '%' characters that open no interpolation, which the HCL parser is very slow on; not parsed`,
    );
    return [];
  }
  const budget = parser.budget();
  const parse = (name: string, hcl: string) => parser.parse(name, hcl, budget);
  let firstError = '';
  try {
    const doc = await parse(file, text);
    return [{ doc, blockOf: lookup() }];
  } catch (e) {
    if (e instanceof HclParserStopped) return notParsed(ctx, file, e);
    firstError = (e as Error).message;
  }
  let warned = false;
  const results: { doc: Record<string, unknown>; blockOf: (k: string) => HclBlock | undefined }[] = [];
  for (const b of blocks) {
    if (!b.closed) {
      ctx.warn(file, b.line, `invalid HCL: block ${blockKey(b.keyword, b.labels)} is never closed; it is skipped and the other blocks are still read`);
      warned = true;
      continue;
    }
    // Pad with newlines so positions in any error message stay those of the file.
    const padded = '\n'.repeat(b.line - 1) + text.slice(b.start, b.end);
    try {
      const doc = await parse(file, padded);
      results.push({ doc, blockOf: () => b });
    } catch (e) {
      if (e instanceof HclParserStopped) return notParsed(ctx, file, e);
      const message = (e as Error).message;
      ctx.warn(
        file,
        errorLine(message, file) ?? b.line,
        `invalid HCL in block ${blockKey(b.keyword, b.labels)}: ${cleanError(message)}; the block is skipped and the other blocks are still read`,
      );
      warned = true;
    }
  }
  if (!warned) ctx.warn(file, errorLine(firstError, file) ?? 1, `invalid HCL: ${cleanError(firstError)}`);
  return results;
}

/** The parser was stopped on this file (too slow) or stopped by itself: nothing of the file is kept. */
function notParsed(ctx: AnalyzerContext, file: string, e: HclParserStopped): [] {
  ctx.warn(file, 1, `Terraform file not parsed: ${e.message}`);
  return [];
}

/** The analyzer's `parseTimeoutMs` option: a positive number of milliseconds, or the default. */
function parseTimeout(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : HCL_PARSE_TIMEOUT_MS;
}

const REF = /\b(module\.[A-Za-z0-9_-]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*)/g;

function references(body: unknown, self: string, known: Map<string, Block>): string[] {
  const found = new Set<string>();
  for (const s of allStrings(body)) {
    if (!s.includes('${') && !s.includes('.')) continue;
    for (const m of s.matchAll(REF)) {
      const addr = m[1]!;
      if (addr !== self && known.has(addr) && !s.slice(Math.max(0, m.index! - 5), m.index!).endsWith('data.')) found.add(addr);
    }
  }
  return [...found].sort(compareStrings);
}

function placeTier(b: Block, known: Map<string, Block>): void {
  if (b.details.subnet !== undefined) return;
  const strings = allStrings(b.body).join('\n');
  if (/module\.[A-Za-z0-9_-]+\.public_subnets/.test(strings)) {
    b.details.subnet = 'public';
    return;
  }
  if (/module\.[A-Za-z0-9_-]+\.(private|database|intra|elasticache|redshift)_subnets/.test(strings)) {
    b.details.subnet = 'private';
    return;
  }
  const tiers = new Set<string>();
  const visit = (blk: Block, depth: number) => {
    for (const r of blk.refs) {
      const t = known.get(r);
      if (!t) continue;
      if (t.type === 'aws_subnet' && typeof t.details.subnet === 'string') tiers.add(t.details.subnet);
      else if (depth === 0 && /subnet_group$/.test(t.type)) visit(t, 1);
    }
  };
  visit(b, 0);
  if (tiers.size === 1) b.details.subnet = [...tiers][0]!;
  else if (tiers.has('private')) b.details.subnet = 'private';
  else {
    // A replica sits where its source does.
    const twin = b.refs.map((r) => known.get(r)).find((t) => t?.type === b.type && typeof t.details.subnet === 'string');
    if (twin) b.details.subnet = twin.details.subnet!;
  }
}

/** Whom each drawn block sends traffic to (`connectsTo`), by the shared rule; its rank is set on it (module calls have one too), and a network module is a hub. */
function connect(blocks: Block[], known: Map<string, Block>): void {
  const nodes = blocks.map((b) => ({ key: b.address, id: b.id, type: b.type, refs: b.refs, details: b.details }));
  const rank = (n: NetworkNode) => {
    const r = known.get(n.key)?.details.rank;
    return typeof r === 'number' ? r : undefined;
  };
  const hub = (n: NetworkNode) => {
    const blk = known.get(n.key);
    return HUB.test(n.type) || (blk?.kind === 'module' && blk.role === 'network');
  };
  connectByRank(nodes, rank, hub);
}

function rootName(dir: string): string {
  return dir === '.' ? 'repository root' : dir;
}

export default defineAnalyzer({
  meta: {
    name: 'terraform',
    description: 'Terraform/OpenTofu resources, modules and roots: roles, security posture, recovery and scaling settings',
    produces: ['infrastructure', 'security', 'recovery', 'scaling', 'dataStores', 'queues', 'workloads', 'containers', 'environments'],
  },
  applies: (ctx) => ctx.files.some((f) => TF.test(f) || TF_JSON.test(f) || TERRAGRUNT.test(f)),
  async analyze(ctx) {
    const tfFiles = ctx.files.filter((f) => TF.test(f) || TF_JSON.test(f));
    const roots = new Map<string, Root>();
    const rootOf = (dir: string) => {
      let r = roots.get(dir);
      if (!r)
        roots.set(dir, (r = { dir, files: [], blocks: [], variables: [], outputs: [], dataSources: [], providers: [], locals: 0, localStrings: new Map() }));
      return r;
    };
    // hcl2json runs in a worker, started only when a file needs it and ended once every file is read.
    const parser = new HclParser(parseTimeout(ctx.options.parseTimeoutMs));

    // One file at a time: whatever goes wrong in one is a warning on it, and the others are still read.
    const readTfFile = async (file: string): Promise<void> => {
      const text = ctx.read(file);
      if (text === undefined) return;
      const root = rootOf(dirOf(file));
      root.files.push(file);
      const lines = text.split('\n');
      let parsed: { doc: Record<string, unknown>; blockOf: (k: string) => HclBlock | undefined }[] = [];
      if (TF_JSON.test(file)) {
        const doc = ctx.json(file);
        if (doc && typeof doc === 'object') {
          parsed = [
            {
              doc: doc as Record<string, unknown>,
              blockOf: (k) => {
                const parts = k.split('.');
                const line = jsonKeyLine(text, parts[parts.length - 1]!, parts.length > 2 ? parts[parts.length - 2] : parts[0]);
                return { keyword: parts[0]!, labels: parts.slice(1), line: Math.max(line, 1), endLine: Math.max(line, 1), start: 0, end: 0, closed: true };
              },
            },
          ];
        }
      } else {
        parsed = await parseHcl(ctx, parser, file, text, scanBlocks(text));
      }
      for (const { doc, blockOf } of parsed) {
        const resources = (doc.resource ?? {}) as Record<string, Record<string, unknown>>;
        for (const type of Object.keys(resources).sort(compareStrings)) {
          const byName = resources[type] ?? {};
          for (const name of Object.keys(byName).sort(compareStrings)) {
            const body = one(byName[name]) ?? {};
            const hb = blockOf(blockKey('resource', [type, name]));
            const address = `${type}.${name}`;
            root.blocks.push({
              kind: 'resource',
              file,
              dir: root.dir,
              type,
              name,
              address,
              id: idOf.infra(inRoot(root.dir, address)),
              body,
              line: hb?.line ?? 1,
              endLine: hb?.endLine ?? lines.length,
              lines,
              refs: [],
              role: roleOf(type),
              details: {},
            });
          }
        }
        const modules = (doc.module ?? {}) as Record<string, unknown>;
        for (const name of Object.keys(modules).sort(compareStrings)) {
          const body = one(modules[name]) ?? {};
          const hb = blockOf(blockKey('module', [name]));
          const source = typeof body.source === 'string' ? body.source.replace(/\/\/[^/@\s]+@/, '//') : '';
          const details: Details = { source };
          if (typeof body.version === 'string') details.version = body.version;
          if (/^\.\.?(\/|$)/.test(source)) details.localSource = joinPosix(root.dir, source);
          root.blocks.push({
            kind: 'module',
            file,
            dir: root.dir,
            type: 'module',
            name,
            address: `module.${name}`,
            id: idOf.infra(inRoot(root.dir, `module.${name}`)),
            body,
            line: hb?.line ?? 1,
            endLine: hb?.endLine ?? lines.length,
            lines,
            refs: [],
            role: roleOfModule(source),
            details,
          });
        }
        const data = (doc.data ?? {}) as Record<string, Record<string, unknown>>;
        for (const type of Object.keys(data)) for (const name of Object.keys(data[type] ?? {})) root.dataSources.push(`data.${type}.${name}`);
        const variables = (doc.variable ?? {}) as Record<string, unknown>;
        for (const name of Object.keys(variables)) {
          const hb = blockOf(blockKey('variable', [name]));
          root.variables.push({ name, file, line: hb?.line ?? 1, sensitive: one(variables[name])?.sensitive === true });
        }
        root.outputs.push(...Object.keys((doc.output ?? {}) as Record<string, unknown>));
        root.providers.push(...Object.keys((doc.provider ?? {}) as Record<string, unknown>));
        root.locals += many(doc.locals).reduce((n, l) => n + Object.keys(l).length, 0);
        for (const l of many(doc.locals)) {
          for (const [k, v] of Object.entries(l)) if (typeof v === 'string' && !v.includes('${')) root.localStrings.set(k, v);
        }
        const tfBlock = one(doc.terraform);
        if (tfBlock) {
          const backend = one(tfBlock.backend);
          if (backend) root.backend = Object.keys(backend)[0];
          if (tfBlock.cloud !== undefined) root.backend = 'terraform cloud';
          if (typeof tfBlock.required_version === 'string') root.requiredVersion = tfBlock.required_version;
          const req = one(tfBlock.required_providers);
          if (req) root.providers.push(...Object.keys(req));
        }
      }
    };
    try {
      for (const file of tfFiles) {
        try {
          await readTfFile(file);
        } catch (e) {
          ctx.warn(file, 0, `could not be read as Terraform: ${(e as Error).message}; facts from this file may be incomplete`);
        }
      }

      // Terragrunt roots: the module they deploy and the environment their path names.
      for (const file of ctx.files.filter((f) => TERRAGRUNT.test(f))) {
        const text = ctx.read(file);
        if (text === undefined) continue;
        const parsed = await parseHcl(ctx, parser, file, text, scanBlocks(text));
        const root = rootOf(dirOf(file));
        root.files.push(file);
        for (const { doc } of parsed) {
          const source = showString(one(doc.terraform)?.source);
          if (source) root.backend ??= undefined;
          if (source) (root as Root & { terragruntSource?: string }).terragruntSource = source.replace(/\/\/[^/@\s]+@/, '//');
        }
      }
    } finally {
      await parser.close();
    }

    const environments = new Map<string, { name: string; file: string; line: number }[]>();
    for (const root of [...roots.values()].sort((a, b) => compareStrings(a.dir, b.dir))) {
      const known = new Map(root.blocks.map((b) => [b.address, b]));
      const out = new Out(ctx, known, root.localStrings);
      for (const b of root.blocks) {
        b.refs = references(b.body, b.address, known);
        const c = b.body.count;
        if (c !== undefined) b.details.count = show(c)!;
        if (b.body.for_each !== undefined) b.details.forEach = true;
      }
      for (const b of root.blocks) {
        try {
          if (b.kind === 'module') describeModule(out, b);
          else describe(out, b);
        } catch (e) {
          ctx.warn(b.file, b.line, `${b.address} could not be described: ${(e as Error).message}; its facts may be incomplete`);
        }
      }
      out.flush();
      // Sources before replicas, so a replica can take its source's subnet.
      const ordered = [...root.blocks].sort(
        (a, b) => Number(a.refs.some((r) => known.get(r)?.type === a.type)) - Number(b.refs.some((r) => known.get(r)?.type === b.type)),
      );
      for (const b of ordered) {
        const rank = b.kind === 'module' ? ({ edge: 3, compute: 5, data: 6, messaging: 6 } as Record<string, number>)[b.role] : primaryRank(b.type);
        if (rank !== undefined) b.details.rank = rank;
        if (rank !== undefined) placeTier(b, known);
      }
      connect(root.blocks, known);
      for (const b of root.blocks) {
        const details = { ...b.details };
        if (details.rank !== undefined) {
          details.primary = true;
          delete details.rank;
        }
        if (b.refs.length) details.references = b.refs;
        ctx.emit('infrastructure', {
          id: b.id,
          name: b.address,
          type: b.kind === 'module' ? 'module' : b.type,
          role: b.role,
          provider: b.kind === 'module' ? undefined : providerOf(b.type),
          source: 'terraform',
          details: { root: root.dir, ...details },
          evidence: [{ file: b.file, line: b.line }],
        });
      }
      // The root itself: what it declares, names only.
      const details: Details = {
        files: root.files.length,
        resources: root.blocks.filter((b) => b.kind === 'resource').length,
        modules: root.blocks
          .filter((b) => b.kind === 'module')
          .map((b) => b.name)
          .sort(compareStrings),
        variables: sortedUnique(root.variables.map((v) => v.name)),
        outputs: sortedUnique(root.outputs),
        providers: sortedUnique(root.providers),
      };
      const sensitive = sortedUnique(root.variables.filter((v) => v.sensitive).map((v) => v.name));
      if (sensitive.length) details.sensitiveVariables = sensitive;
      if (root.dataSources.length) details.dataSources = sortedUnique(root.dataSources);
      if (root.backend) details.stateBackend = root.backend;
      if (root.requiredVersion) details.requiredVersion = root.requiredVersion;
      const tg = (root as Root & { terragruntSource?: string }).terragruntSource;
      if (tg) details.terragruntSource = tg;
      const tfvars = ctx.files.filter((f) => TFVARS.test(f) && dirOf(f) === root.dir);
      if (tfvars.length) details.tfvarsFiles = tfvars;
      ctx.emit('infrastructure', {
        id: idOf.infra(inRoot(root.dir, 'terraform')),
        name: `Terraform ${/(^|\/)modules?\//.test(root.dir) ? 'module' : 'root'} ${rootName(root.dir)}`,
        type: tg ? 'terragrunt-root' : /(^|\/)modules?\//.test(root.dir) ? 'terraform-module' : 'terraform-root',
        role: 'other',
        source: 'terraform',
        details,
        evidence: [{ file: root.files[0]!, line: 1 }],
      });
      // Environments named by the root's path (envs/production, live/staging/…) or its tfvars files.
      const segs = root.dir.split('/');
      const envSeg = segs.find((s) => isEnvironmentName(s));
      const candidates = envSeg ? [envSeg] : tfvars.map((f) => f.split('/').pop()!.replace(TFVARS, '')).filter(isEnvironmentName);
      for (const c of candidates) {
        const name = canonicalEnvironment(c);
        if (!name) continue;
        const file = envSeg ? root.files[0]! : tfvars.find((f) => f.split('/').pop()!.startsWith(c))!;
        environments.set(name, [...(environments.get(name) ?? []), { name, file, line: envSeg ? 1 : 0 }]);
      }
    }
    for (const [name, evs] of environments) {
      ctx.emit('environments', {
        id: idOf.environment(name),
        name,
        details: { terraform: sortedUnique(evs.map((e) => dirOf(e.file))) },
        evidence: evs.map((e) => ({ file: e.file, line: e.line })),
      });
    }
  },
});

export { literalName };
