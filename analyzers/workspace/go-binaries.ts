/**
 * Go modules that build several programs (issue #22): one go.mod with `cmd/api/main.go` and
 * `cmd/worker/main.go`, or `writer_service/cmd/main.go` beside `reader_service/cmd/main.go`. Each
 * `package main` folder that the repository deploys is a component of its own; the deployable-units
 * pass (deployables.ts) asks this module which program a Dockerfile, a compose service, an image or
 * a Procfile process runs, which files beyond its folder are its code, and what kind it is. A
 * module with one `main` stays one component, as before. Plain scanning of Dockerfiles, compose
 * services and Procfiles; Go imports from the engine's polyglot index; nothing is run.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Component, ComponentKind, Evidence } from '../../src/model/schema.js';
import { compareStrings } from '../../src/model/compare.js';
import { dirOf, isUnder, joinPosix } from '../../src/util/paths.js';

export interface GoBinary {
  /** The `package main` folder. */
  main: string;
  /** The component's folder: the main package's, or the one above a `cmd` folder (`writer/cmd/main.go` → `writer`). */
  folder: string;
  /** The go.mod's folder. */
  module: string;
  /** The `func main()` line. */
  evidence: Evidence;
}

interface GoModule {
  folder: string;
  /** The module path (`github.com/acme/shop`). */
  path: string;
  /** Production Go files by package folder. */
  packages: Map<string, string[]>;
}

/** One `go build`/`go install`/`go run` of a known program: its folder and the file name it is built as. */
interface Build {
  folder: string;
  output: string;
}
interface Stage {
  name?: string;
  /** The stage it is built FROM, when that is an earlier stage. */
  from?: string;
  builds: Build[];
  /** Programs `go run` in its ENTRYPOINT or CMD. */
  goRuns: string[];
  /** Base names of the words of its ENTRYPOINT and CMD (`/usr/local/bin/api` → `api`). */
  runs: string[];
  /** `COPY --from=build /out/api /usr/local/bin/parcel-api`: `parcel-api` → `api`. */
  aliases: Map<string, string>;
}

/** Kubernetes workloads that keep their program running (a Job or CronJob runs it to its end). */
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig']);
/** A main package in one of these folders is named for the folder above it. */
const CMD_FOLDERS = new Set(['cmd']);
const isDockerfile = (base: string) => base === 'dockerfile' || base.endsWith('.dockerfile') || base.startsWith('dockerfile.');
/** The last segment of a path, lower-cased. */
const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1).toLowerCase();

/**
 * Queue consumers in Go, by plain substring search on code lines (the call, with its library's
 * import in the same file): a program that starts no server but runs one of these is a worker.
 */
const CONSUMERS: { call: string; with: string[]; why: string }[] = [
  { call: 'kafka.NewReader(', with: ['"github.com/segmentio/kafka-go"'], why: 'consumes Kafka (kafka-go NewReader)' },
  { call: 'NewConsumerGroup(', with: ['"github.com/IBM/sarama"', '"github.com/Shopify/sarama"'], why: 'consumes Kafka (sarama consumer group)' },
  { call: 'ConsumePartition(', with: ['"github.com/IBM/sarama"', '"github.com/Shopify/sarama"'], why: 'consumes Kafka (sarama ConsumePartition)' },
  { call: 'kafka.NewConsumer(', with: ['"github.com/confluentinc/confluent-kafka-go'], why: 'consumes Kafka (confluent-kafka-go NewConsumer)' },
  { call: '.Consume(', with: ['"github.com/rabbitmq/amqp091-go"', '"github.com/streadway/amqp"'], why: 'consumes RabbitMQ (amqp Consume)' },
  { call: '.QueueSubscribe(', with: ['"github.com/nats-io/nats.go"'], why: 'consumes NATS (QueueSubscribe)' },
  { call: '.Subscribe(', with: ['"github.com/nats-io/nats.go"'], why: 'consumes NATS (Subscribe)' },
  { call: 'asynq.NewServer(', with: ['"github.com/hibiken/asynq"'], why: 'runs asynq task handlers (asynq.NewServer)' },
  { call: '.ReceiveMessage(', with: ['/service/sqs"'], why: 'consumes Amazon SQS (ReceiveMessage)' },
  { call: '.Receive(', with: ['"cloud.google.com/go/pubsub'], why: 'consumes Google Cloud Pub/Sub (Receive)' },
];

/** The first code line (not a `//` comment) of `text` holding `call`, 1-based; 0 when none. */
function codeLine(text: string, call: string): number {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes(call) && !l.trimStart().startsWith('//'));
  return at + 1;
}

/** A Go file's `func main()` line when it is in package main; 0 otherwise. */
function mainLine(text: string): number {
  if (!text.includes('package main') || !text.includes('func main(')) return 0;
  const lines = text.split('\n');
  const pkg = lines.some((l) => {
    const t = l.trim();
    return t === 'package main' || t.startsWith('package main ') || t.startsWith('package main//');
  });
  return pkg ? lines.findIndex((l) => l.startsWith('func main(')) + 1 : 0;
}

/** The module path of a go.mod (`module github.com/acme/shop`). */
function modulePath(text: string): string | undefined {
  for (const l of text.split('\n')) {
    const t = l.trim();
    if (t.startsWith('module ') || t.startsWith('module\t')) return t.slice('module'.length).trim().replace(/^"|"$/g, '') || undefined;
  }
  return undefined;
}

/** Shell words with quotes, brackets and commas of an exec form taken as spaces: `["go", "build"]` → `go build`. */
function words(text: string): string[] {
  let s = '';
  for (const ch of text) s += ch === '"' || ch === "'" || ch === '[' || ch === ']' || ch === ',' ? ' ' : ch;
  return s.split(/\s+/).filter((w) => w !== '');
}

const COMMAND_ENDS = new Set(['&&', '||', ';', '|']);

export class GoBinaries {
  readonly binaries: GoBinary[] = [];
  /** Files of Go packages outside every program's folder that only one program imports (directly or through its packages): that program's code. */
  readonly attached = new Map<string, string>();
  private readonly modules: GoModule[] = [];
  private readonly byMain = new Map<string, GoBinary>();
  /** Main packages that are their module's own component (at its root). */
  private readonly moduleMains = new Set<string>();
  private readonly byFolder = new Map<string, GoBinary>();
  private readonly dockerfiles = new Map<string, Stage[]>();
  /** Per program's folder: how many of its import statements name its module's shared packages, and the first. */
  private readonly sharedImports = new Map<string, { module: string; count: number; evidence: Evidence }>();
  /** Lower-cased names a program is run by (its folders' names, the names it is built and copied as) → its folders. */
  private readonly named = new Map<string, Set<string>>();

  constructor(private readonly ctx: AnalyzerContext) {
    const mods = new Map<string, GoModule>();
    for (const f of ctx.files) {
      if (baseName(f) !== 'go.mod' || ctx.isSetAside(f)) continue;
      const path = modulePath(ctx.read(f) ?? '');
      if (path) mods.set(dirOf(f), { folder: dirOf(f), path, packages: new Map() });
    }
    if (mods.size === 0) return;
    const folders = [...mods.keys()].sort((a, b) => b.length - a.length);
    const mains = new Map<string, Map<string, Evidence>>();
    for (const f of ctx.files) {
      if (!f.endsWith('.go') || f.endsWith('_test.go') || ctx.isSetAside(f)) continue;
      const at = folders.find((m) => isUnder(f, m));
      if (at === undefined) continue;
      const mod = mods.get(at)!;
      const pkg = dirOf(f);
      const files = mod.packages.get(pkg);
      if (files) files.push(f);
      else mod.packages.set(pkg, [f]);
      const line = mainLine(ctx.read(f) ?? '');
      if (line > 0) {
        const m = mains.get(at) ?? new Map<string, Evidence>();
        if (!m.has(pkg)) m.set(pkg, { file: f, line });
        mains.set(at, m);
      }
    }
    for (const [at, m] of [...mains].sort((a, b) => compareStrings(a[0], b[0]))) {
      // One program is the module itself, as before.
      if (m.size < 2) continue;
      const mod = mods.get(at)!;
      this.modules.push(mod);
      const target = (main: string) => (CMD_FOLDERS.has(baseName(main)) && dirOf(main) !== at ? dirOf(main) : main);
      const taken = new Map<string, number>();
      for (const main of m.keys()) taken.set(target(main), (taken.get(target(main)) ?? 0) + 1);
      for (const [main, evidence] of [...m].sort((a, b) => compareStrings(a[0], b[0]))) {
        // Two programs in one folder above `cmd` keep their own folders.
        const folder = taken.get(target(main))! > 1 ? main : target(main);
        // A program at the module's root is the module's component.
        if (folder === at) {
          this.moduleMains.add(main);
          continue;
        }
        const b: GoBinary = { main, folder, module: at, evidence };
        this.binaries.push(b);
        this.byMain.set(main, b);
        this.byFolder.set(folder, b);
        this.name(baseName(main), folder);
        this.name(baseName(folder), folder);
      }
      this.attach(mod);
    }
    if (this.binaries.length === 0) return;
    for (const f of ctx.files) if (isDockerfile(baseName(f)) && !ctx.isSetAside(f)) this.readDockerfile(f);
  }

  private name(n: string, folder: string): void {
    if (n === '' || CMD_FOLDERS.has(n)) return;
    this.named.set(n, (this.named.get(n) ?? new Set()).add(folder));
  }

  /** The program run by this name, when exactly one is. */
  private byName(n: string): string | undefined {
    const folders = this.named.get(n.toLowerCase());
    return folders?.size === 1 ? [...folders][0] : undefined;
  }

  /** Lower-cased names that name exactly one program (for images a Kubernetes workload runs), with its folder. */
  names(): [string, string][] {
    return [...this.named]
      .filter(([, f]) => f.size === 1)
      .map(([n, f]) => [n, [...f][0]!] as [string, string])
      .sort((a, b) => compareStrings(a[0], b[0]));
  }

  /**
   * Packages of the module outside every program's folder that exactly one program reaches through
   * its imports: their files are that program's. Shared packages stay with the module.
   */
  private attach(mod: GoModule): void {
    const imports = new Map<string, string[]>();
    /** Each file's import statements of the module's other packages. */
    const statements: { file: string; line: number; target: string }[] = [];
    for (const [pkg, files] of mod.packages) {
      const out = new Set<string>();
      for (const file of files) {
        const text = this.ctx.read(file);
        if (text === undefined || !text.includes(mod.path)) continue;
        for (const i of this.ctx.polyglotIndex(file, 'go', text).imports) {
          const target =
            i.module === mod.path ? mod.folder : i.module.startsWith(mod.path + '/') ? joinPosix(mod.folder, i.module.slice(mod.path.length + 1)) : undefined;
          if (target === undefined || target === pkg || !mod.packages.has(target)) continue;
          out.add(target);
          statements.push({ file, line: i.line, target });
        }
      }
      imports.set(pkg, [...out]);
    }
    const own = this.binaries.filter((b) => b.module === mod.folder);
    const reachedBy = new Map<string, Set<string>>();
    for (const b of own) {
      const seen = new Set<string>([b.main]);
      const queue = [b.main];
      while (queue.length > 0) {
        for (const next of imports.get(queue.pop()!) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          queue.push(next);
          reachedBy.set(next, (reachedBy.get(next) ?? new Set()).add(b.folder));
        }
      }
    }
    const to = new Map<string, string>();
    for (const [pkg, by] of reachedBy) if (by.size === 1 && !own.some((b) => isUnder(pkg, b.folder))) to.set(pkg, [...by][0]!);
    // The package's folder, with what its Go code embeds or describes (a swag-generated swagger.json).
    if (to.size > 0) for (const f of this.ctx.files) if (to.has(dirOf(f))) this.attached.set(f, to.get(dirOf(f))!);
    // A program's code that imports a package it does not own depends on the module's shared code.
    const ownedBy = (pkg: string) => to.get(pkg) ?? own.find((b) => isUnder(pkg, b.folder))?.folder;
    for (const st of statements.sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line)) {
      const from = ownedBy(dirOf(st.file));
      if (from === undefined || ownedBy(st.target) !== undefined) continue;
      const had = this.sharedImports.get(from);
      if (had) had.count++;
      else this.sharedImports.set(from, { module: mod.folder, count: 1, evidence: { file: st.file, line: st.line } });
    }
  }

  /** Programs a path written in a build or run command names (`./cmd/api`, `cmd/api/main.go`, `./cmd/...`, the import path), read from `base`. */
  private resolve(word: string, from: string[]): GoBinary[] {
    if (word.startsWith('-') || word.includes('$')) return [];
    // An import path (`github.com/acme/shop/cmd/api`) is read from its module's folder.
    const mod = this.modules.find((m) => word === m.path || word.startsWith(m.path + '/'));
    const bases = mod ? [mod.folder] : from;
    let w = mod ? (word === mod.path ? '.' : word.slice(mod.path.length + 1)) : word;
    const all = w.endsWith('/...');
    if (all) w = w.slice(0, -4);
    if (w.endsWith('.go')) w = dirOf(w);
    const out = new Set<GoBinary>();
    for (const base of bases) {
      const path = joinPosix(base, w);
      if (path.startsWith('..')) continue;
      // `go build ./...` builds the module's own program too: none of the others alone.
      if (all && [...this.moduleMains].some((m) => isUnder(m, path))) return [];
      if (all) for (const b of this.binaries) if (isUnder(b.main, path)) out.add(b);
      const b = this.byMain.get(path);
      if (b) out.add(b);
    }
    return [...out];
  }

  /** The programs one `go build|install|run` command builds, from the words after it. */
  private builds(ws: string[], bases: string[]): Build[] {
    let output: string | undefined;
    const found: { b: GoBinary; word: string }[] = [];
    for (let i = 0; i < ws.length && !COMMAND_ENDS.has(ws[i]!); i++) {
      const ends = ws[i]!.endsWith(';');
      const w = ends ? ws[i]!.slice(0, -1) : ws[i]!;
      if (w === '-o') output = ws[++i];
      else if (w.startsWith('-o=')) output = w.slice(3);
      else for (const b of this.resolve(w, bases)) found.push({ b, word: w });
      if (ends) break;
    }
    const one = found.length === 1 && output !== undefined && !output.endsWith('/');
    return found.map(({ b, word }) => ({
      folder: b.folder,
      // `go build -o /out/api ./cmd/api` → `api`; `go build cmd/main.go` → `main`; `go build ./cmd/api` → `api`.
      output: one ? baseName(output!) : word.endsWith('.go') ? baseName(word).slice(0, -3) : baseName(b.main),
    }));
  }

  /** Every `go build|install|run` in a run of words. */
  private buildsIn(ws: string[], bases: string[], runs?: string[]): Build[] {
    const out: Build[] = [];
    for (let i = 0; i + 1 < ws.length; i++) {
      if (ws[i] !== 'go' || (ws[i + 1] !== 'build' && ws[i + 1] !== 'install' && ws[i + 1] !== 'run')) continue;
      const found = this.builds(ws.slice(i + 2), bases);
      if (ws[i + 1] === 'run' && runs) runs.push(...found.map((b) => b.folder));
      out.push(...found);
    }
    return out;
  }

  private readDockerfile(file: string): void {
    const text = this.ctx.read(file);
    if (text === undefined || !text.includes('go ')) return;
    const bases = [...new Set([...this.modules.map((m) => m.folder), dirOf(file), '.'])];
    const stages: Stage[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      // A continued instruction: its lines joined once (re-trimming the joined text at each line was quadratic).
      let line = lines[i]!.trimEnd();
      const parts: string[] = [];
      while (line.endsWith('\\') && i + 1 < lines.length) {
        parts.push(line.slice(0, -1));
        line = lines[++i]!.trimEnd();
      }
      parts.push(line);
      const ins = parts.join(' ');
      const ws = words(ins);
      const op = ws[0]?.toUpperCase();
      if (op === 'FROM') {
        const as = ws.findIndex((w) => w.toUpperCase() === 'AS');
        const image = ws
          .slice(1)
          .find((w) => !w.startsWith('--'))
          ?.toLowerCase();
        stages.push({
          name: as > 0 ? ws[as + 1]?.toLowerCase() : undefined,
          from: stages.some((s) => s.name === image) ? image : undefined,
          builds: [],
          goRuns: [],
          runs: [],
          aliases: new Map(),
        });
        continue;
      }
      const stage = stages[stages.length - 1];
      if (!stage || ws.length < 2) continue;
      if (op === 'RUN') stage.builds.push(...this.buildsIn(ws, bases));
      else if (op === 'ENTRYPOINT' || op === 'CMD') {
        stage.builds.push(...this.buildsIn(ws, bases, stage.goRuns));
        // `--command=./main` (CompileDaemon) names the program too.
        for (const w of ws.slice(1)) stage.runs.push(baseName(w.slice(w.indexOf('=') + 1)));
      } else if (op === 'COPY' && ws.length >= 3) {
        const [src, dest] = [ws[ws.length - 2]!, ws[ws.length - 1]!];
        if (!dest.endsWith('/') && baseName(src) !== baseName(dest)) stage.aliases.set(baseName(dest), baseName(src));
      }
    }
    if (stages.some((s) => s.builds.length > 0)) this.dockerfiles.set(file, stages);
    for (const s of stages) {
      for (const b of s.builds) this.name(b.output, b.folder);
      for (const [alias, src] of s.aliases) if (this.byName(src)) this.name(alias, this.byName(src)!);
    }
  }

  /** The program a stage runs: the one its ENTRYPOINT/CMD (or its base stage's) names, else the one it builds. */
  private stageProgram(stages: Stage[], stage: Stage): string | undefined {
    const outputs = new Map<string, Set<string>>();
    for (const s of stages) for (const b of s.builds) outputs.set(b.output, (outputs.get(b.output) ?? new Set()).add(b.folder));
    for (let s: Stage | undefined = stage; s; s = s.from ? stages.find((x) => x.name === s!.from) : undefined) {
      const run = new Set(s.goRuns);
      for (const n of s.runs) {
        const built = outputs.get(stage.aliases.get(n) ?? s.aliases.get(n) ?? n);
        if (built?.size === 1) run.add([...built][0]!);
      }
      if (run.size === 1) return [...run][0];
      if (run.size > 1) return undefined;
    }
    const own = new Set(stage.builds.map((b) => b.folder));
    if (own.size === 1) return [...own][0];
    // A Dockerfile that builds one program only.
    const all = new Set(stages.flatMap((s) => s.builds.map((b) => b.folder)));
    return all.size === 1 ? [...all][0] : undefined;
  }

  /** The program a Dockerfile's image runs (its final stage, or `target`), when it builds one of a module's several programs. */
  dockerfileBinary(file: string, target?: string): string | undefined {
    const stages = this.dockerfiles.get(file);
    if (!stages || stages.length === 0) return undefined;
    const stage = target === undefined ? stages[stages.length - 1]! : stages.find((s) => s.name === target.toLowerCase());
    return stage ? this.stageProgram(stages, stage) : undefined;
  }

  /**
   * The program a compose service runs: its `command`/`entrypoint` (a program's name or `go run`),
   * else its build's `target` stage or the Dockerfile it builds.
   */
  serviceBinary(name: string, composeFile: string | undefined, dockerfile: string | undefined): string | undefined {
    if (this.binaries.length === 0) return undefined;
    let target: string | undefined;
    if (composeFile !== undefined) {
      const y = this.ctx.yaml(composeFile);
      for (const doc of y?.documents ?? []) {
        const root = y!.toJS(doc) as { services?: Record<string, unknown> } | undefined;
        const svc = root && typeof root === 'object' && root.services && typeof root.services === 'object' ? root.services[name] : undefined;
        if (!svc || typeof svc !== 'object') continue;
        const s = svc as Record<string, unknown>;
        const build = s.build as Record<string, unknown> | undefined;
        if (build && typeof build === 'object' && typeof build.target === 'string') target = build.target;
        for (const key of ['entrypoint', 'command']) {
          const v = s[key];
          const ws = typeof v === 'string' ? words(v) : Array.isArray(v) ? v.filter((x) => typeof x === 'string').flatMap(words) : [];
          const runs: string[] = [];
          this.buildsIn(ws, [...this.modules.map((m) => m.folder), dirOf(composeFile)], runs);
          if (runs.length === 1) return runs[0];
          const program = ws[0] === 'go' ? undefined : ws[0] && this.byName(baseName(ws[0]));
          if (program) return program;
        }
      }
    }
    return dockerfile === undefined ? undefined : this.dockerfileBinary(dockerfile, target);
  }

  /** Procfile processes that run a program: `worker: ./bin/worker`, `web: go run ./cmd/api`. */
  procfileProcesses(): { name: string; folder: string; evidence: Evidence }[] {
    const out: { name: string; folder: string; evidence: Evidence }[] = [];
    if (this.binaries.length === 0) return out;
    for (const file of this.ctx.files) {
      if (baseName(file) !== 'procfile' || this.ctx.isSetAside(file)) continue;
      const bases = this.modules.filter((m) => isUnder(m.folder, dirOf(file))).map((m) => m.folder);
      if (bases.length === 0) continue;
      const lines = (this.ctx.read(file) ?? '').split('\n');
      lines.forEach((l, i) => {
        const colon = l.indexOf(':');
        if (colon <= 0 || l.trimStart().startsWith('#')) return;
        const ws = words(l.slice(colon + 1));
        const runs: string[] = [];
        this.buildsIn(ws, bases, runs);
        const folder = runs.length === 1 ? runs[0] : ws[0] && ws[0] !== 'go' ? this.byName(baseName(ws[0])) : undefined;
        if (folder) out.push({ name: l.slice(0, colon).trim(), folder, evidence: { file, line: i + 1 } });
      });
    }
    return out;
  }

  /** The program's dependency on its module's component (`component`: the id of a folder's component), when it imports the module's shared packages. */
  dependsOn(folder: string, component: (folder: string) => string | undefined): Component['dependsOn'] {
    const shared = this.sharedImports.get(folder);
    const target = shared && component(shared.module);
    return shared && target ? [{ target, kind: 'import', count: shared.count, evidence: [shared.evidence] }] : [];
  }

  /**
   * Whether `folder` is a program that is the only one of its module among the deployed folders:
   * then the module stays one component and what deploys the program deploys it.
   */
  deployedAlone(folder: string, deployed: ReadonlyMap<string, unknown>): boolean {
    const b = this.byFolder.get(folder);
    return b !== undefined && this.binaries.filter((x) => x.module === b.module && deployed.has(x.folder)).length < 2;
  }

  /** The `func main()` line of the program whose component is `folder`, as evidence. */
  mainOf(folder: string): Evidence[] {
    const b = this.byFolder.get(folder);
    return b ? [b.evidence] : [];
  }

  /**
   * A program's kind once no server start or route was found in its code (deployables.ts tries
   * those first): a queue consumer is a worker; with no port, and no Kubernetes workload that keeps
   * it running, a command-line program. A
   * module whose programs are components is a library of their shared packages.
   */
  kind(
    c: Component,
    at: { isNew: boolean; deployed: boolean; ports: boolean; runBy: readonly string[]; files: readonly string[]; isComponent: (folder: string) => boolean },
  ): { kind: ComponentKind; why: string; evidence?: Evidence } | undefined {
    const b = this.byFolder.get(c.path);
    if (b && at.isNew) {
      for (const file of at.files) {
        if (!file.endsWith('.go')) continue;
        const text = this.ctx.read(file);
        if (text === undefined) continue;
        for (const k of CONSUMERS) {
          if (!text.includes(k.call) || !k.with.some((w) => text.includes(w))) continue;
          const line = codeLine(text, k.call);
          if (line > 0) return { kind: 'worker', why: `${k.why}; starts no server`, evidence: { file, line } };
        }
      }
      // Kept running by Kubernetes: the worker rule that follows says so.
      if (!at.ports && !at.runBy.some((k) => LONG_RUNNING.has(k)))
        return { kind: 'cli', why: 'a Go program (package main) that starts no server and consumes no queue', evidence: b.evidence };
      return undefined;
    }
    if (b || c.kind !== 'library' || at.deployed) return undefined;
    const split = this.binaries.filter((x) => x.module === c.path && at.isComponent(x.folder));
    if (split.length === 0) return undefined;
    return {
      kind: 'library',
      why: `a Go module whose ${split.length === 1 ? 'program is a component of its own' : `${split.length} programs are components of their own`} (${split.map((x) => x.folder).join(', ')}); its shared packages are compiled into ${split.length === 1 ? 'it' : 'them'}`,
    };
  }
}
