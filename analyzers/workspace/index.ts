/**
 * workspace: the system's components, one per workspace package (or the root package), with a
 * kind inferred from evidence and the dependencies declared between workspace packages.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Component, ComponentKind, Evidence } from '../../src/model/schema.js';
import type { WorkspacePackage } from '../../src/analyzer/workspace.js';
import { dirOf } from '../../src/util/paths.js';
import { codeOnly, findLine, jsonKeyLine } from '../../src/util/text.js';
import { languageOfFile } from '../../src/data/languages.js';
import { linkDeployables } from './deployables.js';
import { meaningfulDescription } from '../../src/analysis/descriptions.js';

/**
 * Front ends. A bundler or UI library alone is not one (vite in a library's devDependencies builds
 * it); it takes an `index.html` the bundler serves. A page framework takes its pages or routes
 * folder. Mobile apps take their app.json.
 */
const BUNDLERS = [
  'vite',
  'react-scripts',
  'parcel',
  '@angular/core',
  '@vue/cli-service',
  'webpack-dev-server',
  'vue',
  'svelte',
  'solid-js',
  'preact',
  'react-dom',
];
const INDEX_HTML = ['index.html', 'public/index.html', 'src/index.html'];
const PAGE_FRAMEWORKS: [dep: string, dirs: string[]][] = [
  ['next', ['pages', 'app', 'src/pages', 'src/app']],
  ['@remix-run/react', ['app/routes', 'app/root.tsx', 'app/root.jsx']],
  ['@react-router/dev', ['app/routes', 'app/root.tsx', 'app/root.jsx']],
  ['@tanstack/react-start', ['src/routes', 'app/routes']],
  ['@tanstack/start', ['src/routes', 'app/routes']],
  ['nuxt', ['pages', 'app.vue', 'app/pages', 'nuxt.config.ts', 'nuxt.config.js']],
  ['@sveltejs/kit', ['src/routes']],
  ['astro', ['src/pages']],
  ['gatsby', ['src/pages']],
  ['expo', ['app.json', 'app.config.ts', 'app.config.js', 'app']],
  ['react-native', ['app.json']],
];
const WORKER_DEPS = [
  '@temporalio/worker',
  '@nestjs/microservices',
  'bullmq',
  'bull',
  'kafkajs',
  'amqplib',
  '@aws-sdk/client-sqs',
  'bee-queue',
  'agenda',
  'pg-boss',
  'node-cron',
  '@nestjs/bullmq',
  '@nestjs/bull',
  '@nestjs/schedule',
];

/**
 * A code pattern that marks a component's kind, with `need`: strings without spaces of which one
 * appears in every match, so a file holding none of them is passed over without blanking its
 * comments and strings (the blanking only turns characters into spaces).
 */
interface Pattern {
  re: RegExp;
  need: string[];
  why: string;
  /** Packages one of which the component must depend on for the pattern to count (`consume(` is amqplib's only there: a rate limiter has one too). */
  deps?: string[];
}
/** Code that shows a long-running server (the strongest evidence of a service). */
const LISTEN_PATTERNS: Pattern[] = [
  { re: /NestFactory\.create\s*[<(]/, need: ['NestFactory'], why: 'creates a NestJS application' },
  // A NestJS microservice over TCP or gRPC listens on a port; over a broker it consumes (see WORKER_PATTERNS).
  { re: /\btransport\s*:\s*Transport\.(?:TCP|GRPC)\b/, need: ['Transport.TCP', 'Transport.GRPC'], why: 'serves a NestJS microservice on a port' },
  { re: /\.\s*addService\s*\(/, need: ['addService'], why: 'serves gRPC (addService)' },
  { re: /\.\s*bindAsync\s*\(/, need: ['bindAsync'], why: 'serves gRPC (bindAsync)' },
  { re: /\b(?:app|server|fastify|application|httpServer|api)\s*\.\s*listen\s*\(/, need: ['listen'], why: 'listens for connections' },
  // Arguments capped in length (no parentheses, so short in practice): `createServer(` repeated
  // without a `)` would otherwise rescan to the end from each one.
  { re: /\bcreateServer\s*\([^)]{0,2000}\)\s*\.\s*listen\s*\(/, need: ['createServer'], why: 'listens for connections' },
  { re: /\bserve\s*\(\s*\{\s*fetch\s*:/, need: ['serve'], why: 'serves HTTP (Hono node server)' },
  { re: /\bBun\.serve\s*\(/, need: ['Bun.serve'], why: 'serves HTTP (Bun.serve)' },
  { re: /\bDeno\.serve\s*\(/, need: ['Deno.serve'], why: 'serves HTTP (Deno.serve)' },
  // Elysia starts its server at the end of a chain (`new Elysia().use(…).post(…).listen(3000)`).
  { re: /\.\s*listen\s*\(/, need: ['listen'], why: 'serves HTTP (Elysia listen)', deps: ['elysia'] },
  // ws: `new WebSocketServer({ port: 8080 })` listens on its own port (options capped in length).
  { re: /\bnew\s+(?:\w{1,40}\.)?WebSocketServer\s*\(\s*\{[^{}]{0,400}\bport\s*:/, need: ['WebSocketServer'], why: 'serves WebSockets on a port (ws)' },
];
const WORKER_PATTERNS: Pattern[] = [
  { re: /\bWorker\s*\.\s*create\s*\(/, need: ['Worker'], why: 'runs a Temporal worker (Worker.create)' },
  // One run of spaces before the type arguments or the call (two in a row backtrack quadratically);
  // type arguments capped in length, as for createServer above.
  { re: /new\s+Worker\s*(?:<[^>()]{0,2000}>\s*)?\(\s*['"`A-Za-z_]/, need: ['Worker'], why: 'starts a queue worker' },
  { re: /@Processor\s*\(/, need: ['@Processor'], why: 'declares a queue processor' },
  { re: /\bconsumer\s*\.\s*run\s*\(/, need: ['consumer'], why: 'runs a Kafka consumer' },
  { re: /\.consume\s*\(\s*['"`A-Za-z_]/, need: ['consume'], why: 'consumes a message queue', deps: ['amqplib', 'amqp-connection-manager'] },
  { re: /\bcron\.schedule\s*\(|@Cron\s*\(/, need: ['cron.schedule', '@Cron'], why: 'runs scheduled jobs' },
];
/**
 * A NestJS microservice on a message broker: it calls `app.listen()`, but to consume, not to
 * accept connections; a worker unless the same package creates an HTTP application too.
 */
const BROKER_PATTERNS: Pattern[] = [
  {
    re: /\btransport\s*:\s*Transport\.(?:KAFKA|RMQ|NATS|REDIS|MQTT)\b/,
    need: ['Transport.'],
    why: 'consumes a message broker (NestJS microservice, no HTTP application)',
  },
];
const HTTP_APP_PATTERNS: Pattern[] = [LISTEN_PATTERNS[0]!];
/** A NestJS microservice that answers request/reply messages serves its callers (RPCs), whatever the transport. */
const REPLY_PATTERNS: Pattern[] = [
  { re: /@MessagePattern\s*\(/, need: ['@MessagePattern'], why: 'answers request/reply messages over a message broker (NestJS @MessagePattern)' },
];

/** The patterns that count for a package with these dependencies. */
const forDeps = (patterns: Pattern[], deps: ReadonlyMap<string, unknown>): Pattern[] => patterns.filter((p) => !p.deps || p.deps.some((d) => deps.has(d)));
const workerPatterns = (deps: ReadonlyMap<string, unknown>): Pattern[] => forDeps(WORKER_PATTERNS, deps);

/** Lambda functions constructed by a CDK app. */
const CDK_FUNCTION_PATTERNS: Pattern[] = [
  {
    re: /new\s+(?:\w{1,40}\.)?(?:NodejsFunction|DockerImageFunction|PythonFunction|GoFunction)\s*\(/,
    need: ['Function'],
    why: 'a CDK app that defines Lambda functions',
  },
  { re: /new\s+(?:lambda|aws_lambda|awsLambda)\.Function\s*\(/, need: ['Function'], why: 'a CDK app that defines Lambda functions' },
];
const FUNCTION_PATTERNS: Pattern[] = [
  { re: /export\s+(?:const|async\s+function|function)\s+handler\b/, need: ['handler'], why: 'exports a serverless handler' },
];

function firstMatch(ctx: AnalyzerContext, files: readonly string[], patterns: Pattern[]): { evidence: Evidence; why: string } | undefined {
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

/**
 * Bun serves the default export of the module it runs when that export has `fetch` (a Hono or
 * Elysia app, `{ port, fetch }`): a package on one of them whose script runs a file with Bun
 * (`bun run --hot src/index.ts`, `bun src/index.ts`; not `bun build` or `bun test`) that exports a default.
 */
function bunServed(ctx: AnalyzerContext, pkg: WorkspacePackage, sources: readonly string[]): { evidence: Evidence; why: string } | undefined {
  if (!pkg.dependencies.has('hono') && !pkg.dependencies.has('elysia')) return undefined;
  const scripts = pkg.manifest.scripts && typeof pkg.manifest.scripts === 'object' ? Object.values(pkg.manifest.scripts as Record<string, unknown>) : [];
  for (const script of scripts) {
    if (typeof script !== 'string') continue;
    const words = script.split(' ').filter((w) => w !== '');
    let i = words.indexOf('bun') + 1;
    if (i === 0) continue;
    if (words[i] === 'run') i++;
    while (words[i]?.startsWith('-')) i++;
    const entry = words[i];
    if (!entry || !/\.[cm]?[jt]sx?$/.test(entry)) continue;
    const file = pkg.path === '.' ? entry.replace(/^\.\//, '') : `${pkg.path}/${entry.replace(/^\.\//, '')}`;
    const raw = sources.includes(file) ? ctx.read(file) : undefined;
    if (raw === undefined || !raw.includes('default')) continue;
    const text = codeOnly(raw);
    const m = /\bexport\s+default\b/.exec(text);
    if (m) return { evidence: { file, line: text.slice(0, m.index).split('\n').length }, why: 'serves HTTP (its default export, run by Bun)' };
  }
  return undefined;
}

/** Whether `rel` (a file or folder under the package) exists among the discovered files. */
type Exists = (rel: string) => boolean;

/**
 * The kind from the package's own code and manifest (the link phase adds how it is deployed:
 * see deployables.ts and the README for the whole rule, in order).
 */
function inferKind(
  ctx: AnalyzerContext,
  pkg: WorkspacePackage,
  sources: readonly string[],
  exists: Exists,
): { kind: ComponentKind; why: string; evidence?: Evidence; consumes?: { evidence: Evidence; why: string } } {
  const deps = pkg.dependencies;
  const manifestText = pkg.manifestFile ? ctx.read(pkg.manifestFile) : undefined;
  const manifestLine = (key: string, parent?: string) =>
    pkg.manifestFile && manifestText ? { file: pkg.manifestFile, line: jsonKeyLine(manifestText, key, parent) } : undefined;
  const depLine = (d: string) => manifestLine(d, deps.get(d)!.field);
  const at = (rel: string) => (pkg.path === '.' ? rel : `${pkg.path}/${rel}`);
  const uses = (d: string) => deps.has(d) && deps.get(d)!.field !== 'peerDependencies';

  // A CDK app (cdk.json beside its manifest) deploys: its Lambda functions, or else infrastructure.
  if (exists(at('cdk.json'))) {
    const fn = firstMatch(ctx, sources, CDK_FUNCTION_PATTERNS);
    if (fn) return { kind: 'function', why: fn.why, evidence: fn.evidence };
    return { kind: 'infrastructure', why: 'a CDK app (cdk.json) that defines no Lambda function', evidence: { file: at('cdk.json'), line: 1 } };
  }
  // A Cloudflare Worker: a wrangler configuration with its entry point (`main`).
  const wrangler = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'].map(at).find((f) => exists(f));
  if (wrangler) {
    const text = ctx.read(wrangler) ?? '';
    const line = findLine(text, /^\s{0,8}"?main"?\s{0,8}[=:]/m);
    if (line > 0) return { kind: 'function', why: 'a Cloudflare Worker (wrangler `main`)', evidence: { file: wrangler, line } };
    // Without `main` (older wrangler, or a build that names the entry), still a Worker, unless it configures Pages.
    const name = findLine(text, /^\s{0,8}"?name"?\s{0,8}[=:]/m);
    if (!text.includes('pages_build_output_dir') && sources.length > 0) {
      return { kind: 'function', why: 'a Cloudflare Worker (wrangler configuration)', evidence: { file: wrangler, line: Math.max(name, 1) } };
    }
  }
  // A Pulumi or CDK for Terraform program: the package is the infrastructure it defines.
  const iac = ['@pulumi/pulumi', 'cdktf'].find((d) => uses(d));
  const listenPatterns = forDeps(LISTEN_PATTERNS, deps);
  if (iac && !firstMatch(ctx, sources, listenPatterns)) {
    return { kind: 'infrastructure', why: `defines infrastructure (${iac === 'cdktf' ? 'CDK for Terraform' : 'Pulumi'} program)`, evidence: depLine(iac) };
  }
  const broker = deps.has('@nestjs/microservices') ? firstMatch(ctx, sources, BROKER_PATTERNS) : undefined;
  if (broker && !firstMatch(ctx, sources, HTTP_APP_PATTERNS)) {
    const replies = firstMatch(ctx, sources, REPLY_PATTERNS);
    if (replies) return { kind: 'service', why: replies.why, evidence: broker.evidence };
    return { kind: 'worker', why: broker.why, evidence: broker.evidence };
  }
  const listen = firstMatch(ctx, sources, listenPatterns) ?? bunServed(ctx, pkg, sources);
  if (listen) {
    // A listener that also consumes: the link phase makes it a worker when its endpoints are only probes.
    const consumes = WORKER_DEPS.some((d) => deps.has(d)) ? firstMatch(ctx, sources, workerPatterns(deps)) : undefined;
    return { kind: 'service', why: listen.why, evidence: listen.evidence, ...(consumes ? { consumes } : {}) };
  }
  if (WORKER_DEPS.some((d) => deps.has(d))) {
    const worker = firstMatch(ctx, sources, workerPatterns(deps));
    if (worker) return { kind: 'worker', why: worker.why, evidence: worker.evidence };
  }
  for (const [dep, dirs] of PAGE_FRAMEWORKS) {
    if (!uses(dep)) continue;
    const dir = dirs.find((d) => exists(at(d)));
    if (dir) return { kind: 'frontend', why: `depends on ${dep} and has ${dir}`, evidence: depLine(dep) };
  }
  const bundler = BUNDLERS.find(uses);
  const html = INDEX_HTML.find((h) => exists(at(h)));
  if (bundler && html) return { kind: 'frontend', why: `depends on ${bundler} and has ${html}`, evidence: depLine(bundler) };
  // An exported handler with Lambda typings is a function only where something wires it (the
  // link phase); here it says so.
  const lambdaTyped = deps.has('@types/aws-lambda') || deps.has('aws-lambda') || exists(at('serverless.yml'));
  const fn = lambdaTyped ? firstMatch(ctx, sources, FUNCTION_PATTERNS) : undefined;
  if (fn && exists(at('serverless.yml'))) return { kind: 'function', why: `${fn.why} (serverless.yml)`, evidence: fn.evidence };
  // Packaged for Lambda: a build script that zips it.
  const scripts = pkg.manifest.scripts && typeof pkg.manifest.scripts === 'object' ? Object.entries(pkg.manifest.scripts as Record<string, unknown>) : [];
  const zip = fn ? scripts.find(([, v]) => typeof v === 'string' && (v.includes('.zip') || v.startsWith('zip ') || v.includes(' zip '))) : undefined;
  if (fn && zip)
    return { kind: 'function', why: `${fn.why}, packaged as a .zip by its \`${zip[0]}\` script`, evidence: manifestLine(zip[0], 'scripts') ?? fn.evidence };
  if (pkg.manifest.bin !== undefined) return { kind: 'cli', why: 'declares a `bin` entry', evidence: manifestLine('bin') };
  if (pkg.projectType === 'application') {
    const nest = pkg.projectFile === 'nest-cli.json';
    return {
      kind: 'service',
      why: nest ? 'Nest CLI application project' : 'Nx application project',
      evidence: pkg.projectFile ? (nest ? pkg.evidence[0] : { file: pkg.projectFile, line: 1 }) : undefined,
    };
  }
  if (fn) return { kind: 'library', why: `${fn.why}, but nothing in the repository wires it to a function`, evidence: fn.evidence };
  return { kind: 'library', why: 'no server, worker, frontend or command-line entry point found' };
}

/** Source that is not a programming language's but is code of the system: components, schemas, queries, scripts, pages. */
const OTHER_CODE = ['.vue', '.svelte', '.astro', '.sql', '.prisma', '.graphql', '.proto', '.sh', '.html'];
/** Code of any language, or a container image, by file name (configuration and documents are not). */
function isCodeOrImage(base: string): boolean {
  return base === 'dockerfile' || base.endsWith('.dockerfile') || languageOfFile(base) !== undefined || OTHER_CODE.some((e) => base.endsWith(e));
}

export default defineAnalyzer({
  meta: {
    name: 'workspace',
    description: 'Components from package.json, npm/yarn/pnpm workspaces, Lerna and Nx projects',
    produces: ['components'],
    consumes: ['components', 'endpoints', 'schemas', 'dataStores', 'queues', 'infrastructure', 'workloads', 'containers', 'observability', 'security'],
    provides: ['components.settled'],
    amends: ['components', 'endpoints', 'schemas', 'containers', 'workloads', 'queues', 'observability', 'security'],
  },
  analyze(ctx) {
    const packages = ctx.workspace.packages;
    const byName = new Map(packages.map((p) => [p.name, p]));
    // Sources owned by each package and not by a deeper one, grouped in one pass over the files.
    const owned = new Map<string, string[]>();
    for (const f of ctx.typescriptFiles()) {
      if (ctx.isSetAside(f)) continue;
      const id = ctx.componentOf(f);
      if (id === undefined) continue;
      const list = owned.get(id);
      if (list) list.push(f);
      else owned.set(id, [f]);
    }
    // Every folder and file, so a package's pages folder or index.html is one lookup.
    const paths = new Set<string>();
    for (const f of ctx.files) {
      paths.add(f);
      for (let d = dirOf(f); d !== '.' && !paths.has(d); d = dirOf(d)) paths.add(d);
    }
    const exists: Exists = (rel) => paths.has(rel);
    // Packages of configuration only (a shared tsconfig, a GitHub action's YAML): no code of any
    // language, no Dockerfile, no command: no component, and no dependency on one.
    const withCode = new Set(owned.keys());
    for (const f of ctx.files) {
      const base = f.slice(f.lastIndexOf('/') + 1).toLowerCase();
      if (!isCodeOrImage(base)) continue;
      const id = ctx.componentOf(f);
      if (id !== undefined) withCode.add(id);
    }
    const configOnly = new Set(packages.filter((p) => p.path !== '.' && !withCode.has(p.componentId) && p.manifest.bin === undefined).map((p) => p.name));
    for (const pkg of packages) {
      if (configOnly.has(pkg.name)) continue;
      const sources = owned.get(pkg.componentId) ?? [];
      const { kind, why, evidence, consumes } = inferKind(ctx, pkg, sources, exists);
      const dependsOn: Component['dependsOn'] = [];
      for (const [dep, info] of pkg.dependencies) {
        if (configOnly.has(dep)) continue;
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
      // Read by the link phase (deployables.ts), which removes it.
      if (consumes) component.details = { consumes: consumes.why, consumesAt: `${consumes.evidence.file}:${consumes.evidence.line}` };
      if (typeof m.name === 'string') component.packageName = m.name;
      if (typeof m.version === 'string') component.version = m.version;
      const description = meaningfulDescription(m.description, [pkg.name, pkg.path.split('/').pop()!]);
      if (description) {
        component.description = description;
        // Quoted from the manifest: its `description` line is the evidence.
        const manifest = pkg.manifestFile ? ctx.read(pkg.manifestFile) : undefined;
        if (pkg.manifestFile)
          component.descriptionFrom = { source: 'manifest', evidence: { file: pkg.manifestFile, line: manifest ? jsonKeyLine(manifest, 'description') : 0 } };
      }
      ctx.emit('components', component);
    }
  },
  link(model, ctx) {
    linkDeployables(model, ctx);
    ctx.provide('components.settled', model.components);
  },
});
