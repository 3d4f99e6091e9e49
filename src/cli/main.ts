/**
 * The `archdoc` command line. Thin: parse flags, load config, call the pipeline, map the result
 * to an exit code. Everything is reachable in-process through `main(argv, io)`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { findProjectRoot, loadConfig, loadTargets, type ResolvedConfig } from '../config/load.js';
import { AUDIENCES, DEPTHS } from '../config/schema.js';
import { runCheck, runGenerate, runModel, targetInputs, type Io } from '../pipeline/run.js';
import { ArchdocError, EXIT } from '../util/errors.js';
import { archdocVersion } from '../util/package.js';
import { printable } from '../util/terminal.js';
import { runInit, type InitFlags } from './init.js';
import { EXPORT_TARGETS, exportTargetNames } from '../export/registry.js';

interface CommonFlags {
  target?: string;
  root?: string;
  config?: string;
  out?: string;
  depth?: string;
  audience?: string;
  focus?: string;
  quiet?: boolean;
  verbose?: boolean;
  strict?: boolean;
}

function common(cmd: Command, withOut = true): Command {
  cmd
    .option('--root <dir>', 'repository to analyse (default: the current directory)')
    .option('--config <file>', 'configuration file (default: archdoc.config.* in the root)')
    .option('--quiet', 'print nothing but errors')
    .option('--verbose', 'print every warning and each analyzer’s timing')
    .option('--strict', 'exit 1 when there is any warning')
    .addOption(new Option('--depth <depth>', 'how much to document (overrides the config)').choices(DEPTHS))
    .addOption(new Option('--audience <audience>', 'who reads it (overrides the config)').choices(AUDIENCES))
    .option('--focus <areas>', 'comma-separated: overview, data-flow, security, performance, deployment, all');
  if (withOut) {
    cmd
      .option('--out <file>', 'document to write or check (default: docs/ARCHITECTURE.md under the root)')
      .option('--target <name>', 'only this target of the config (default: every target)');
  }
  return cmd;
}

function loadOptions(flags: CommonFlags, io: Io) {
  return {
    cwd: io.cwd,
    start: flags.root === undefined && flags.config === undefined ? projectRoot(io, flags.quiet) : undefined,
    root: flags.root,
    config: flags.config,
    out: flags.out,
    depth: flags.depth,
    audience: flags.audience,
    focus: flags.focus,
    target: flags.target,
  };
}

/** The nearest project folder at or above the current one, said on stderr when it is not the current one. */
function projectRoot(io: Io, quiet?: boolean): string {
  const found = findProjectRoot(io.cwd);
  if (found.root !== io.cwd && !quiet) {
    io.stderr(`archdoc: using ${printable(path.relative(io.cwd, found.root))} as the root (it holds ${found.marker}); --root chooses another\n`);
  }
  return found.root;
}

async function configFor(flags: CommonFlags, io: Io): Promise<ResolvedConfig> {
  return loadConfig(loadOptions(flags, io));
}

async function targetsFor(flags: CommonFlags, io: Io): Promise<ResolvedConfig[]> {
  return loadTargets(loadOptions(flags, io));
}

/** A message that may quote repository text: its own lines kept, each one printable. */
function printableLines(message: string): string {
  return message.split('\n').map(printable).join('\n');
}

/** Edit distance between two short words (insertions, deletions, substitutions, swaps). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * A first word that names no command. `generate` is the default command, so without this check
 * `archdoc chekc` would be read as generate with a stray argument.
 */
function unknownCommand(word: string, commands: readonly string[]): ArchdocError {
  const shown = printable(word.slice(0, 60));
  const near = commands.map((c) => ({ c, d: distance(word.slice(0, 60).toLowerCase(), c) })).sort((x, y) => x.d - y.d)[0];
  const hint = near && near.d <= Math.max(2, Math.floor(near.c.length / 3)) ? ` Did you mean \`archdoc ${near.c}\`?` : '';
  return new ArchdocError(`unknown command "${shown}".${hint} Commands: ${commands.join(', ')} (archdoc --help).`, EXIT.usage);
}

/** Options that take a value (`--root DIR`): the word after them is the value, not a command. */
const VALUE_OPTIONS = new Set([
  '--root',
  '--config',
  '--out',
  '--target',
  '--depth',
  '--audience',
  '--focus',
  '--format',
  '--max-todos',
  '--render',
  '--dir',
  '--status',
  '--date',
  '--supersedes',
  '--output',
]);

/**
 * The arguments with the command first: `archdoc --verbose check` is `archdoc check --verbose`
 * (otherwise the default command would take `check` as a stray argument). The first bare word
 * that is no option's value is the command; an unknown one is left first, to be reported.
 */
function commandFirst(argv: string[], commands: readonly string[]): string[] {
  if (argv.length === 0 || !argv[0]!.startsWith('-')) return argv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv;
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    // A bare word: the command (or a misspelt one), moved to the front.
    if (commands.includes(a) || a === 'help' || i > 0) return [a, ...argv.slice(0, i), ...argv.slice(i + 1)];
  }
  return argv;
}

/** Run the CLI; resolves to the exit code (never calls process.exit). */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('archdoc')
    .description('Architecture documentation generated from the code, with human-written parts kept across regenerations.')
    .version(archdocVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(archdoc --help lists the commands and options)');

  common(program.command('generate', { isDefault: true }).description('analyse the repository and write the document'))
    .option('--dry-run', 'print the diff against the existing document and write nothing')
    .option('--force', 'overwrite an existing file that archdoc did not generate')
    .option('--interactive', 'show the diff and ask before writing (never asks outside a terminal or in CI)')
    .addOption(
      new Option('--render <format>', 'diagrams as Mermaid (default) or also as SVG files under docs/diagrams (needs Chromium)').choices(['mermaid', 'svg']),
    )
    .action(async (flags: CommonFlags & { dryRun?: boolean; force?: boolean; render?: 'mermaid' | 'svg' }) => {
      // `--out -`: the document on stdout, nothing written.
      const toStdout = flags.out === '-';
      if (toStdout) flags = { ...flags, out: undefined };
      exitCode = await runGenerate(await targetsFor(flags, io), io, { ...flags, toStdout });
    });

  common(program.command('check').description('exit 1 with a diff when the document no longer matches the code'))
    .option('--todos', 'list human blocks that still hold their TODO placeholder')
    .addOption(
      new Option('--max-todos <n>', 'fail when more than n human blocks are unfilled').argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new ArchdocError(`--max-todos takes a whole number, not "${v}"`, EXIT.usage);
        return n;
      }),
    )
    .option('--changed <files...>', 'only check the targets containing these files (as pre-commit passes staged files)')
    .addOption(
      new Option('--format <format>', 'how to report: text, github (annotations, job summary, `stale` output), json, or sarif (SARIF 2.1.0 for code scanning)')
        .choices(['text', 'github', 'json', 'sarif'])
        .default('text'),
    )
    .option('--no-cache', 'analyse even when nothing changed since the last run')
    .option('--exact', 'also fail when only evidence line numbers, patch versions or the project version moved')
    .action(
      async (
        flags: CommonFlags & {
          todos?: boolean;
          maxTodos?: number;
          changed?: string[];
          format?: 'text' | 'github' | 'json' | 'sarif';
          cache?: boolean;
          exact?: boolean;
        },
      ) => {
        if (flags.out === '-') throw new ArchdocError('check compares a document on disk: --out - (stdout) is for generate', EXIT.usage);
        exitCode = await runCheck(await targetsFor(flags, io), io, { ...flags, noCache: flags.cache === false });
      },
    );

  const adr = program.command('adr').description('architecture decision records');
  adr
    .command('new <title>')
    .description('write the next numbered ADR (docs/adr/NNNN-title.md) from the ADR template')
    .option('--root <dir>', 'repository (default: the current directory)')
    .option('--dir <dir>', 'ADR directory (default: an existing docs/adr, doc/adr, docs/decisions… else docs/adr)')
    .option('--status <status>', 'Proposed (default), Accepted, Deprecated or Superseded')
    .option('--date <yyyy-mm-dd>', 'the date to record (default: today)')
    .option('--supersedes <n>', 'mark ADR number n as superseded by the new one')
    .action(async (title: string, flags: { root?: string; dir?: string; status?: string; date?: string; supersedes?: string }) => {
      const { runAdrNew } = await import('./adr.js');
      exitCode = await runAdrNew(io, title, flags);
    });

  program
    .command('inputs')
    .description('print the input globs of a target, one per line (for Nx or Turborepo task inputs)')
    .option('--root <dir>', 'repository (default: the current directory)')
    .option('--config <file>', 'configuration file')
    .option('--target <name>', 'the target (default: every target)')
    .action(async (flags: CommonFlags) => {
      for (const t of await targetsFor(flags, io)) {
        if (!flags.target) io.stdout(`# ${t.target}\n`);
        for (const line of targetInputs(t)) io.stdout(line + '\n');
      }
    });

  common(program.command('model').description('print the architecture model'), false)
    .option('--json', 'print the model as JSON on stdout (the default and only format)')
    .action(async (flags: CommonFlags) => {
      exitCode = await runModel(await configFor(flags, io), io, flags);
    });

  program
    .command('export')
    .argument('<target>', `what to export: ${exportTargetNames().join(', ')}`)
    .description(
      `write the architecture in another tool's format (${exportTargetNames()
        .map((t) => `${t}: ${EXPORT_TARGETS[t]!.description}`)
        .join('; ')})`,
    )
    .option('--root <dir>', 'repository to analyse (default: the current directory)')
    .option('--config <file>', 'configuration file (default: archdoc.config.* in the root)')
    .option('--output <dir>', "directory to write to (default: the config's exports.<target>.output, else the target's default)")
    .option('--quiet', 'print nothing but errors')
    .option('--verbose', 'print each phase’s timing')
    .action(async (target: string, flags: CommonFlags & { output?: string }) => {
      const { runExport } = await import('../export/run.js');
      exitCode = await runExport(target, await configFor(flags, io), io, flags);
    });

  program
    .command('init')
    .description('ask what the document is for, write archdoc.config.ts, and add "docs" and "docs:check" scripts to package.json')
    .option('--root <dir>', 'repository to set up (default: the current directory)')
    .option('--yes', 'accept the defaults without asking')
    .option('--force', 'overwrite an existing archdoc.config.ts')
    .option('--depth <depth>', 'quick | standard | comprehensive')
    .option('--audience <audience>', 'technical | product | customer-success | mixed')
    .option('--focus <areas>', 'comma-separated: overview, data-flow, security, performance, deployment, all')
    .option('--diagrams', 'include detailed diagrams (default)')
    .option('--no-diagrams', 'only the high-level diagram')
    .option('--adrs', 'present design decisions as ADRs (default)')
    .option('--no-adrs', 'design decisions as a compact table')
    .option('--infra', 'analyse infrastructure code (default)')
    .option('--no-infra', 'do not analyse Terraform, Kubernetes, Docker, serverless or CI files')
    .action(async (flags: InitFlags) => {
      const root = path.resolve(io.cwd, flags.root ?? '.');
      if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new ArchdocError(`--root ${flags.root ?? '.'} is not a directory`, EXIT.usage);
      exitCode = await runInit(io, flags);
    });

  try {
    const commands = program.commands.map((c) => c.name());
    argv = commandFirst(argv, commands);
    const first = argv[0];
    if (first !== undefined && !first.startsWith('-') && first !== 'help' && !commands.includes(first)) throw unknownCommand(first, commands);
    if (first === 'help' && argv[1] !== undefined && !argv[1].startsWith('-') && !commands.includes(argv[1])) throw unknownCommand(argv[1], commands);
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    // Ctrl-C at a question: the person chose to stop; no stack trace, the shell's code for SIGINT.
    if ((e as Error)?.name === 'ExitPromptError') return EXIT.interrupted;
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof ArchdocError) {
      io.stderr(`archdoc: ${printableLines(e.message)}\n`);
      return e.exitCode;
    }
    io.stderr(`archdoc: unexpected error: ${printableLines(String((e as Error)?.stack ?? e))}\n`);
    return EXIT.usage;
  }
  return exitCode;
}
