/**
 * The commands' work, free of argument parsing: generate, check and model, each taking a resolved
 * config and an Io, and returning an exit code. The CLI and the tests call these directly.
 */
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { Model } from '../model/schema.js';
import { isUnfilled, parseBlocks } from '../render/blocks.js';
import { renderDocument } from '../render/document.js';
import { EXIT } from '../util/errors.js';
import { toPosix } from '../util/paths.js';
import { analyse, type PhaseTiming } from './analyse.js';
import { plan, unifiedDiff, writeAtomic } from './write.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  isTTY?: boolean;
}

export interface Verbosity {
  quiet?: boolean;
  verbose?: boolean;
  strict?: boolean;
}

function displayPath(io: Io, file: string): string {
  const rel = toPosix(path.relative(io.cwd, file));
  return rel === '' ? '.' : rel.startsWith('..') ? toPosix(file) : rel;
}

async function analyseAndRender(config: ResolvedConfig, io: Io, v: Verbosity): Promise<{ model: Model; text: string }> {
  const onPhase = (t: PhaseTiming) => {
    if (v.quiet) return;
    if (!v.verbose && t.phase.startsWith('analyzer ')) return;
    io.stderr(`archdoc: ${t.phase}: ${t.detail} (${t.ms} ms)\n`);
  };
  const result = await analyse(config, { onPhase });
  const start = performance.now();
  const text = renderDocument(result.model, config);
  onPhase({ phase: 'render', ms: Math.round(performance.now() - start), detail: `${text.split('\n').length} lines` });
  reportWarnings(result.model, io, v);
  return { model: result.model, text };
}

function reportWarnings(model: Model, io: Io, v: Verbosity): void {
  if (v.quiet || model.warnings.length === 0) return;
  const limit = v.verbose ? Infinity : 10;
  io.stderr(`archdoc: ${model.warnings.length} warning${model.warnings.length === 1 ? '' : 's'}\n`);
  for (const w of model.warnings.slice(0, limit)) {
    io.stderr(`  warning ${w.file}${w.line > 0 ? `:${w.line}` : ''}: ${w.message} [${w.analyzer}]\n`);
  }
  if (model.warnings.length > limit) io.stderr(`  … ${model.warnings.length - limit} more (--verbose lists all)\n`);
}

function strictExit(model: Model, v: Verbosity, io: Io): number {
  if (v.strict && model.warnings.length > 0) {
    io.stderr(`archdoc: --strict: ${model.warnings.length} warning(s) count as failure\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

export interface GenerateOptions extends Verbosity {
  dryRun?: boolean;
  force?: boolean;
}

export async function runGenerate(config: ResolvedConfig, io: Io, opts: GenerateOptions = {}): Promise<number> {
  const { model, text } = await analyseAndRender(config, io, opts);
  const name = displayPath(io, config.output);
  const p = plan(text, config.output, { force: opts.force, displayName: name });
  if (opts.dryRun) {
    if (p.fresh) io.stderr(`archdoc: ${name} is up to date; nothing would change\n`);
    else io.stdout(unifiedDiff(name, p.existing ?? '', p.text));
    return strictExit(model, opts, io);
  }
  if (p.fresh) {
    if (!opts.quiet) io.stderr(`archdoc: ${name} is up to date\n`);
  } else {
    writeAtomic(config.output, p.text);
    if (!opts.quiet) io.stderr(`archdoc: wrote ${name}\n`);
  }
  if (p.orphans.length > 0 && !opts.quiet) {
    io.stderr(`archdoc: ${p.orphans.length} human block(s) no longer have a place and were kept under "Orphaned notes": ${p.orphans.join(', ')}\n`);
  }
  return strictExit(model, opts, io);
}

export interface CheckOptions extends Verbosity {
  todos?: boolean;
  maxTodos?: number;
}

export async function runCheck(config: ResolvedConfig, io: Io, opts: CheckOptions = {}): Promise<number> {
  const { model, text } = await analyseAndRender(config, io, opts);
  const name = displayPath(io, config.output);
  const p = plan(text, config.output, { displayName: name });
  let code: number = EXIT.ok;
  if (p.existing === undefined) {
    io.stderr(`archdoc: ${name} does not exist. Run \`npm run docs\` (archdoc generate) to create it.\n`);
    code = EXIT.failed;
  } else if (!p.fresh) {
    io.stdout(unifiedDiff(name, p.existing, p.text));
    io.stderr(`archdoc: ${name} is out of date with the code. Run \`npm run docs\` (archdoc generate) and commit the result.\n`);
    code = EXIT.failed;
  } else if (!opts.quiet) {
    io.stderr(`archdoc: ${name} is up to date\n`);
  }
  if (opts.todos || opts.maxTodos !== undefined) {
    const blocks = parseBlocks(p.text, name);
    const open = blocks.filter((b) => isUnfilled(b.content));
    io.stdout(`${open.length} of ${blocks.length} human blocks still to fill in${open.length ? ':' : '.'}\n`);
    for (const b of open) io.stdout(`  ${name}: ${b.id}\n`);
    if (opts.maxTodos !== undefined && open.length > opts.maxTodos) {
      io.stderr(`archdoc: ${open.length} unfilled human blocks is more than the allowed ${opts.maxTodos}\n`);
      code = EXIT.failed;
    }
  }
  return code === EXIT.ok ? strictExit(model, opts, io) : code;
}

export async function runModel(config: ResolvedConfig, io: Io, opts: Verbosity = {}): Promise<number> {
  const result = await analyse(config, {
    onPhase: (t) => {
      if (opts.verbose) io.stderr(`archdoc: ${t.phase}: ${t.detail} (${t.ms} ms)\n`);
    },
  });
  reportWarnings(result.model, io, { ...opts, quiet: opts.quiet ?? !opts.verbose });
  io.stdout(JSON.stringify(result.model, null, 2) + '\n');
  return strictExit(result.model, opts, io);
}
