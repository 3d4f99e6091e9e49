/**
 * `archdoc init`: shows what it found in the repository, asks the reader's needs (in a terminal
 * only: depth, audience, focus areas, detailed diagrams, decisions as ADRs, infrastructure
 * analysis), writes a commented archdoc.config.ts with the answers, and adds the `docs` and
 * `docs:check` npm scripts. Every question has a flag; `--yes` takes the defaults; nothing is
 * asked when stdin is not a terminal or CI is set. It never overwrites a config without --force.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Io } from '../pipeline/run.js';
import { CONFIG_NAMES, findProjectRoot, resolveConfig } from '../config/load.js';
import { AUDIENCES, DEPTHS, FOCUS_AREAS } from '../config/profile.js';
import type { Audience, Depth, FocusArea } from '../config/schema.js';
import { ArchdocError, EXIT } from '../util/errors.js';
import { writeAtomic } from '../pipeline/write.js';
import { readConfined } from '../util/safe-fs.js';
import { terminalPrompts } from './prompts.js';
import { printable } from '../util/terminal.js';

export const INFRA_ANALYZERS = ['terraform', 'compose', 'dockerfile', 'kubernetes', 'serverless', 'ci'];

export interface InitFlags {
  root?: string;
  yes?: boolean;
  force?: boolean;
  depth?: string;
  audience?: string;
  focus?: string;
  diagrams?: boolean;
  adrs?: boolean;
  infra?: boolean;
}

interface Answers {
  depth: Depth;
  audience: Audience;
  focus: FocusArea[];
  diagrams: boolean;
  adrs: boolean;
  infra: boolean;
}

const DEPTH_NAMES: Record<Depth, string> = {
  quick: 'Quick reference (one to two pages)',
  standard: 'Standard (every section, details for services and workers)',
  comprehensive: 'Comprehensive (everything, plus a page per component)',
};
const AUDIENCE_NAMES: Record<Audience, string> = {
  technical: 'Technical team',
  product: 'Product team',
  'customer-success': 'Customer success',
  mixed: 'Mixed audience',
};
const FOCUS_NAMES: Record<FocusArea, string> = {
  overview: 'System overview',
  'data-flow': 'Data flow',
  security: 'Security',
  performance: 'Performance',
  deployment: 'Deployment',
  all: 'All',
};

/** A one-line summary of what is in the repository, read without running any analyzer. */
export async function detectSummary(root: string): Promise<string> {
  const config = resolveConfig({}, { cwd: root, root });
  const { listWorkspacePackages } = await import('../pipeline/workspace-list.js');
  const { discover } = await import('../pipeline/discover.js');
  const files = discover({ root, include: [], exclude: [] }).files;
  const found: string[] = [];
  const packages = listWorkspacePackages(config).filter((p) => p.path !== '.');
  if (packages.length > 0) found.push(`${packages.length} workspace package${packages.length === 1 ? '' : 's'}`);
  const ts = files.filter((f) => /\.[cm]?tsx?$/.test(f)).length;
  if (ts > 0) found.push(`${ts} TypeScript file${ts === 1 ? '' : 's'}`);
  const signals: [RegExp, string][] = [
    [/\.tf$/, 'Terraform'],
    [/(^|\/)schema\.prisma$|\.prisma$/, 'Prisma'],
    [/(^|\/)Dockerfile/, 'Dockerfiles'],
    [/(^|\/)(docker-)?compose[^/]*\.ya?ml$/, 'docker-compose'],
    [/(^|\/)Chart\.yaml$/, 'Helm'],
    [/(^|\/)(openapi|swagger)[^/]*\.(ya?ml|json)$/i, 'OpenAPI'],
    [/^\.github\/workflows\//, 'GitHub Actions'],
    [/(^|\/)(adr|adrs|decisions)\/[^/]+\.md$/, 'decision records'],
  ];
  for (const [re, name] of signals) if (files.some((f) => re.test(f))) found.push(name);
  return found.length ? `found ${found.join(', ')}` : 'found no source files yet';
}

function pick<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new ArchdocError(`${flag} must be one of ${allowed.join(', ')}, not "${value}"`, EXIT.usage);
  return value as T;
}

async function answer(io: Io, flags: InitFlags): Promise<Answers> {
  const given = {
    depth: pick(flags.depth, DEPTHS, '--depth'),
    audience: pick(flags.audience, AUDIENCES, '--audience'),
    focus: flags.focus?.split(',').map((f) => pick(f.trim(), FOCUS_AREAS, '--focus')!),
  };
  const ask = io.interactive && !flags.yes;
  const p = io.prompts ?? terminalPrompts;
  const depth =
    given.depth ??
    (ask
      ? await p.select(
          'Documentation depth',
          DEPTHS.map((d) => ({ value: d, name: DEPTH_NAMES[d] })),
          'standard',
        )
      : 'standard');
  const audience =
    given.audience ??
    (ask
      ? await p.select(
          'Target audience',
          AUDIENCES.map((a) => ({ value: a, name: AUDIENCE_NAMES[a] })),
          'technical',
        )
      : 'technical');
  let focus =
    given.focus ??
    (ask
      ? await p.checkbox(
          'Focus areas',
          FOCUS_AREAS.map((f) => ({ value: f, name: FOCUS_NAMES[f], checked: f === 'all' })),
        )
      : ['all']);
  if (focus.length === 0) focus = ['all'];
  const diagrams = flags.diagrams ?? (ask ? await p.confirm('Include detailed diagrams?', true) : true);
  const adrs = flags.adrs ?? (ask ? await p.confirm('Present design decisions as ADRs?', true) : true);
  const infra = flags.infra ?? (ask ? await p.confirm('Analyse infrastructure code (Terraform, Kubernetes, Docker, CI)?', true) : true);
  return { depth, audience, focus: focus as FocusArea[], diagrams, adrs, infra };
}

export function configText(a: Answers): string {
  const infra = a.infra
    ? ''
    : `\n  // Infrastructure code is not analysed (archdoc init --no-infra).\n  analyzers: { ${INFRA_ANALYZERS.map((n) => `${n}: false`).join(', ')} },\n`;
  return `import { defineConfig } from 'archdoc';

// archdoc.config.ts — what \`npx archdoc\` documents and how. Every key is optional.
export default defineConfig({
  // Where the document is written, relative to this file.
  output: 'docs/ARCHITECTURE.md',

  // Extra paths to leave out (gitignore-style patterns; .gitignore is always honoured).
  exclude: ['**/fixtures/**'],

  // Tests, examples, e2e and benchmark packages, generator templates, vendored and generated code
  // are set aside from the facts by their role; correct a role here (glob → role; the last wins).
  // roles: { 'examples/reference-app/**': 'production', 'legacy/**': 'vendored' },

  // Shown in the Document information table.
  document: {
    status: 'Draft',
    // lastUpdated: '2026-01-31',
    // owner: 'Platform team',
    // stakeholders: [{ role: 'Engineering lead', name: 'A. Person' }],
  },

  // Who the document is for. depth: 'quick' | 'standard' | 'comprehensive';
  // audience: 'technical' | 'product' | 'customer-success' | 'mixed';
  // focus: 'overview' | 'data-flow' | 'security' | 'performance' | 'deployment' | 'all'.
  depth: '${a.depth}',
  audience: '${a.audience}',
  focus: [${a.focus.map((f) => `'${f}'`).join(', ')}],

  // Detailed diagrams (component, ER, sequence, network, pipeline) besides the high-level one.
  diagrams: { detailed: ${a.diagrams} },

  // Key design decisions as ADR-style entries with blocks for the rationale (false: a compact table).
  adrs: ${a.adrs},
${infra}
  // Give analyzers options or turn them off: analyzers: { 'tech-stack': false },
  // Add your own: plugins: [myAnalyzer],
});
`;
}

/** The default config text (every question answered with its default). */
export const CONFIG_TEMPLATE = configText({ depth: 'standard', audience: 'technical', focus: ['all'], diagrams: true, adrs: true, infra: true });

/** The project folder at or above the current one (see findProjectRoot), said when it is not the current one. */
export function projectRootSaid(io: Io): string {
  const found = findProjectRoot(io.cwd);
  if (found.root !== io.cwd)
    io.stderr(`archdoc: using ${printable(path.relative(io.cwd, found.root))} as the root (it holds ${found.marker}); --root chooses another\n`);
  return found.root;
}

export async function runInit(io: Io, flags: InitFlags): Promise<number> {
  const root = flags.root !== undefined ? path.resolve(io.cwd, flags.root) : projectRootSaid(io);
  const existing = CONFIG_NAMES.map((n) => path.join(root, n)).find((p) => fs.existsSync(p));
  if (existing && !flags.force) {
    io.stderr(`archdoc: ${path.basename(existing)} already exists; leaving it as it is (--force overwrites it)\n`);
  } else {
    io.stderr(`archdoc: ${await detectSummary(root)}\n`);
    const answers = await answer(io, flags);
    writeAtomic(path.join(root, 'archdoc.config.ts'), configText(answers), { boundary: root, name: 'archdoc.config.ts' });
    io.stderr(`archdoc: wrote archdoc.config.ts (depth ${answers.depth}, audience ${answers.audience}, focus ${answers.focus.join(', ')})\n`);
  }
  const manifestPath = path.join(root, 'package.json');
  if (!fs.existsSync(manifestPath)) {
    io.stderr('archdoc: no package.json here, so no scripts were added; run `npx archdoc` directly\n');
    return EXIT.ok;
  }
  let raw: string;
  let manifest: unknown;
  try {
    // Through links only while they stay inside the root, and only a regular file.
    raw = readConfined(manifestPath, root, 'package.json') ?? '';
  } catch (e) {
    io.stderr(`archdoc: package.json could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); add the scripts by hand\n`);
    return EXIT.usage;
  }
  try {
    manifest = JSON.parse(raw);
  } catch (e) {
    io.stderr(`archdoc: package.json is not valid JSON (${(e as Error).message}); add the scripts by hand\n`);
    return EXIT.usage;
  }
  // Only an object with an object of scripts (or none) can take them; anything else is left as it is.
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(manifest)) {
    io.stderr('archdoc: package.json does not hold a JSON object, so no scripts were added; add them by hand\n');
    return EXIT.usage;
  }
  if (manifest.scripts !== undefined && !isObject(manifest.scripts)) {
    io.stderr('archdoc: "scripts" in package.json is not an object, so no scripts were added; add them by hand\n');
    return EXIT.usage;
  }
  // Spaces and tabs only: `\s+` would rescan a long run of blank lines from each of its line starts.
  const indent = /^([ \t]+)"/m.exec(raw)?.[1] ?? '  ';
  const scripts = manifest.scripts ?? {};
  const added: string[] = [];
  if (!scripts.docs) {
    scripts.docs = 'archdoc generate';
    added.push('docs');
  }
  if (!scripts['docs:check']) {
    scripts['docs:check'] = 'archdoc check';
    added.push('docs:check');
  }
  if (added.length > 0) {
    manifest.scripts = scripts;
    writeAtomic(manifestPath, JSON.stringify(manifest, null, indent) + (raw.endsWith('\n') ? '\n' : ''), { boundary: root, name: 'package.json' });
    io.stderr(`archdoc: added npm script(s) ${added.join(', ')} to package.json\n`);
  }
  io.stderr('archdoc: next, run `npm run docs` to write docs/ARCHITECTURE.md\n');
  return EXIT.ok;
}
