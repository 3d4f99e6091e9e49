/**
 * workspace: the system's components, one per workspace package (or the root package), with a
 * kind inferred from evidence and the dependencies declared between workspace packages.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { isTestFile } from '../../src/analyzer/context.js';
import type { Component, ComponentKind, Evidence } from '../../src/model/schema.js';
import type { WorkspacePackage } from '../../src/pipeline/workspace.js';
import { codeOnly, jsonKeyLine } from '../../src/util/text.js';

const FRONTEND_DEPS = [
  'next',
  'react-scripts',
  'vite',
  '@angular/core',
  'vue',
  'nuxt',
  'svelte',
  '@sveltejs/kit',
  'astro',
  'gatsby',
  '@remix-run/react',
  'expo',
  'react-native',
];
const WORKER_DEPS = ['bullmq', 'bull', 'kafkajs', 'amqplib', '@aws-sdk/client-sqs', 'bee-queue', 'agenda', 'pg-boss', 'node-cron', '@nestjs/bullmq', '@nestjs/bull', '@nestjs/schedule'];

/**
 * A code pattern that marks a component's kind, with `need`: strings without spaces of which one
 * appears in every match, so a file holding none of them is passed over without blanking its
 * comments and strings (the blanking only turns characters into spaces).
 */
interface Pattern {
  re: RegExp;
  need: string[];
  why: string;
}
/** Code that shows a long-running server (the strongest evidence of a service). */
const LISTEN_PATTERNS: Pattern[] = [
  { re: /NestFactory\.create(?:Microservice)?\s*[<(]/, need: ['NestFactory'], why: 'creates a NestJS application' },
  { re: /\b(?:app|server|fastify|application|httpServer|api)\s*\.\s*listen\s*\(/, need: ['listen'], why: 'listens for connections' },
  // Arguments capped in length (no parentheses, so short in practice): `createServer(` repeated
  // without a `)` would otherwise rescan to the end from each one.
  { re: /\bcreateServer\s*\([^)]{0,2000}\)\s*\.\s*listen\s*\(/, need: ['createServer'], why: 'listens for connections' },
  { re: /\bserve\s*\(\s*\{\s*fetch\s*:/, need: ['serve'], why: 'serves HTTP (Hono node server)' },
  { re: /\bBun\.serve\s*\(/, need: ['Bun.serve'], why: 'serves HTTP (Bun.serve)' },
];
const WORKER_PATTERNS: Pattern[] = [
  // One run of spaces before the type arguments or the call (two in a row backtrack quadratically);
  // type arguments capped in length, as for createServer above.
  { re: /new\s+Worker\s*(?:<[^>()]{0,2000}>\s*)?\(\s*['"`A-Za-z_]/, need: ['Worker'], why: 'starts a queue worker' },
  { re: /@Processor\s*\(/, need: ['@Processor'], why: 'declares a queue processor' },
  { re: /\bconsumer\s*\.\s*run\s*\(/, need: ['consumer'], why: 'runs a Kafka consumer' },
  { re: /\.consume\s*\(\s*['"`A-Za-z_]/, need: ['consume'], why: 'consumes a message queue' },
  { re: /\bcron\.schedule\s*\(|@Cron\s*\(/, need: ['cron.schedule', '@Cron'], why: 'runs scheduled jobs' },
];
const FUNCTION_PATTERNS: Pattern[] = [
  { re: /export\s+(?:const|async\s+function|function)\s+handler\b/, need: ['handler'], why: 'exports a serverless handler' },
];

function firstMatch(
  ctx: AnalyzerContext,
  files: readonly string[],
  patterns: Pattern[],
): { evidence: Evidence; why: string } | undefined {
  for (const file of files) {
    const raw = ctx.read(file);
    if (raw === undefined) continue;
    const live = patterns.filter((p) => p.need.some((s) => raw.includes(s)));
    if (live.length === 0) continue;
    // Only code counts: a pattern named in a comment or a string is not evidence.
    const text = codeOnly(raw);
    for (const { re, why } of live) {
      const m = re.exec(text);
      if (m) {
        const line = text.slice(0, m.index).split('\n').length;
        return { evidence: { file, line }, why };
      }
    }
  }
  return undefined;
}

function inferKind(
  ctx: AnalyzerContext,
  pkg: WorkspacePackage,
  sources: readonly string[],
): { kind: ComponentKind; why: string; evidence?: Evidence } {
  const deps = pkg.dependencies;
  const manifestText = pkg.manifestFile ? ctx.read(pkg.manifestFile) : undefined;
  const manifestLine = (key: string, parent?: string) =>
    pkg.manifestFile && manifestText ? { file: pkg.manifestFile, line: jsonKeyLine(manifestText, key, parent) } : undefined;
  const listen = firstMatch(ctx, sources, LISTEN_PATTERNS);
  const frontendDep = FRONTEND_DEPS.find((d) => deps.has(d) && deps.get(d)!.field !== 'peerDependencies');
  if (frontendDep && !listen) {
    return { kind: 'frontend', why: `depends on ${frontendDep}`, evidence: manifestLine(frontendDep, deps.get(frontendDep)!.field) };
  }
  if (listen) return { kind: 'service', why: listen.why, evidence: listen.evidence };
  if (WORKER_DEPS.some((d) => deps.has(d))) {
    const worker = firstMatch(ctx, sources, WORKER_PATTERNS);
    if (worker) return { kind: 'worker', why: worker.why, evidence: worker.evidence };
  }
  const fn = deps.has('@types/aws-lambda') || deps.has('aws-lambda') || ctx.has(`${pkg.path === '.' ? '' : pkg.path + '/'}serverless.yml`)
    ? firstMatch(ctx, sources, FUNCTION_PATTERNS)
    : undefined;
  if (fn) return { kind: 'function', why: fn.why, evidence: fn.evidence };
  if (pkg.manifest.bin !== undefined) return { kind: 'cli', why: 'declares a `bin` entry', evidence: manifestLine('bin') };
  if (pkg.projectType === 'application') {
    return { kind: 'service', why: 'Nx application project', evidence: pkg.projectFile ? { file: pkg.projectFile, line: 1 } : undefined };
  }
  return { kind: 'library', why: 'no server, worker, frontend or command-line entry point found' };
}

export default defineAnalyzer({
  meta: {
    name: 'workspace',
    description: 'Components from package.json, npm/yarn/pnpm workspaces, Lerna and Nx projects',
    produces: ['components'],
  },
  analyze(ctx) {
    const packages = ctx.workspace.packages;
    const byName = new Map(packages.map((p) => [p.name, p]));
    // Sources owned by each package and not by a deeper one, grouped in one pass over the files.
    const owned = new Map<string, string[]>();
    for (const f of ctx.typescriptFiles()) {
      if (isTestFile(f)) continue;
      const id = ctx.componentOf(f);
      if (id === undefined) continue;
      const list = owned.get(id);
      if (list) list.push(f);
      else owned.set(id, [f]);
    }
    for (const pkg of packages) {
      const sources = owned.get(pkg.componentId) ?? [];
      const { kind, why, evidence } = inferKind(ctx, pkg, sources);
      const dependsOn: Component['dependsOn'] = [];
      for (const [dep, info] of pkg.dependencies) {
        const target = byName.get(dep);
        if (!target || target === pkg) continue;
        dependsOn.push({
          target: target.componentId,
          kind: 'package',
          evidence: pkg.manifestFile ? [{ file: pkg.manifestFile, line: info.line }] : [],
        });
      }
      const m = pkg.manifest;
      const component: Component = {
        id: pkg.componentId,
        name: pkg.name,
        kind,
        path: pkg.path,
        kindReason: why,
        tech: [],
        dependsOn,
        evidence: [...pkg.evidence, ...(evidence ? [evidence] : [])],
      };
      if (typeof m.name === 'string') component.packageName = m.name;
      if (typeof m.version === 'string') component.version = m.version;
      if (typeof m.description === 'string' && m.description.trim() !== '') component.description = m.description.trim();
      ctx.emit('components', component);
    }
  },
});
