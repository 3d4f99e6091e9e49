/**
 * What analyzers see: the discovered files, cached reads, shared parsed forms (parsed YAML with
 * line numbers, parsed JSON), the workspace, module resolution, and `emit`/`warn`. Every file is
 * read at most once per run, whichever analyzers ask. Scripts reach the built-in analyzers as
 * indexes, through the file pass (src/pipeline/analyse.ts); a plugin may still parse one
 * (`sourceFile`), for itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type ts from './typescript.cjs';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { ResolvedConfig } from '../config/load.js';
import type { CollectionName, FactCollections, Warning } from '../model/schema.js';
import { lineAt, normaliseText } from '../util/text.js';
import type { Workspace, WorkspacePackage } from './workspace.js';
import { ModuleResolver } from './resolve.js';
import type { FileRole, RoleMap } from '../pipeline/roles.js';
import { pluginFactProblem } from './plugin-facts.js';
import { parseScript, type FileNote } from './parse-script.js';
import { indexPolyglot, type PolyglotIndex } from '../analysis/polyglot/index-source.js';
import type { PolyglotLanguage } from '../analysis/polyglot/lex.js';
import type { ProductName, Products } from './products.js';
import { jsonTooDeep, MAX_NESTING, MAX_YAML_TEXT_NESTING, valueTooDeep, yamlNodeTooDeep, yamlTooDeep } from '../util/nesting.js';

export interface YamlFile {
  documents: Document.Parsed[];
  lineCounter: LineCounter;
  /** 1-based line of a node's start offset. */
  line(offset: number): number;
  /** Plain JavaScript value of a document; undefined (with a warning) for alias bombs. */
  toJS(doc: Document.Parsed): unknown;
}

export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

type AskKind = 'read' | 'json' | 'yaml' | 'tree' | 'memo';

/** Shared, per-run state behind every analyzer's context. */
export class SharedState {
  private readonly texts = new Map<string, string | null>();
  private readonly jsons = new Map<string, unknown>();
  private readonly yamls = new Map<string, YamlFile | null>();
  /** Files that cannot be analysed as trees (nested too deeply, or the parser failed): never parsed again. */
  private readonly unparsable = new Set<string>();
  /** Files whose parse warnings were given (a script indexed, or parsed by a plugin, warns once). */
  private readonly parseWarned = new Set<string>();
  private readonly owners = new Map<string, WorkspacePackage | null>();
  /** Each package by its path (built on first use). */
  private packagePaths: Map<string, WorkspacePackage> | undefined;
  readonly warnings: Warning[] = [];
  /** The file most recently asked for (read or parsed): where an analyzer that fails as a whole was, as far as is known. */
  lastFile: string | undefined;
  readonly facts = new Map<CollectionName, unknown[]>();
  /** Registry position of the analyzer behind each fact (parallel to `facts`). */
  private readonly factRanks = new Map<CollectionName, number[]>();
  /**
   * Registry position of each analyzer, set by the pipeline. Facts merge, and warnings raised by
   * shared machinery are credited, as if analyzers ran in registry order (some run early).
   */
  ranks = new Map<string, number>();
  /** Warnings raised by shared machinery (reading, parsing, a memoised value), to credit at the end. */
  private readonly sharedWarnings: { kind: AskKind; key: string; warning: Warning }[] = [];
  /** Per kind and key (a file, or a memo's name), the analyzer earliest in registry order that asked. */
  private readonly firstAsker = new Map<AskKind, Map<string, string>>();
  private attributionOpen = true;
  private readonly memos = new Map<string, unknown>();
  /** Named products, each with the registry position of the analyzer that provided it. */
  private readonly products = new Map<string, { analyzer: string; rank: number; value: unknown }[]>();
  /** Every discovered file, whatever its role. */
  readonly allFiles: readonly string[];
  private roleMap: RoleMap | undefined;
  /** The files each set of roles sees (production first), by the roles' names joined. */
  private readonly views = new Map<string, { files: string[]; set: Set<string>; scripts: string[] }>();
  private production!: { files: string[]; set: Set<string>; scripts: string[] };
  readonly stats = { read: 0, parsedYaml: 0 };
  private ws: Workspace = { tools: [], patterns: [], evidence: [], packages: [], isMonorepo: false };
  /** Set by the pipeline right after construction (workspace detection reads through this state). */
  get workspace(): Workspace {
    return this.ws;
  }
  set workspace(w: Workspace) {
    this.ws = w;
    this.owners.clear();
    this.packagePaths = undefined;
    this.memos.delete('modules');
  }

  constructor(
    readonly root: string,
    files: readonly string[],
    readonly config: ResolvedConfig,
  ) {
    this.allFiles = files;
    this.production = this.makeView(files);
  }

  private makeView(files: readonly string[]): { files: string[]; set: Set<string>; scripts: string[] } {
    return { files: [...files], set: new Set(files), scripts: files.filter((f) => TS_EXTENSIONS.some((e) => f.endsWith(e)) && !f.endsWith('.d.ts')) };
  }

  /**
   * Gives every file its role (src/pipeline/roles.ts): from now on analyzers see production files,
   * plus the roles their meta `reads`. Before this (workspace detection) every file is seen.
   */
  setRoles(map: RoleMap): void {
    this.roleMap = map;
    this.views.clear();
    this.production = this.makeView(this.allFiles.filter((f) => map.roleOf(f) === 'production'));
    this.memos.delete('modules');
  }

  get roles(): RoleMap | undefined {
    return this.roleMap;
  }

  roleOf(file: string): FileRole {
    return this.roleMap?.roleOf(file) ?? 'production';
  }

  /** The files seen by an analyzer that reads these roles besides production. */
  view(reads: readonly FileRole[] = []): { files: readonly string[]; set: ReadonlySet<string>; scripts: readonly string[] } {
    const extra = reads.filter((r) => r !== 'production');
    if (extra.length === 0 || !this.roleMap) return this.production;
    const key = [...new Set(extra)].sort().join(',');
    let v = this.views.get(key);
    if (!v) {
      const wanted = new Set<FileRole>(['production', ...extra]);
      this.views.set(key, (v = this.makeView(this.allFiles.filter((f) => wanted.has(this.roleMap!.roleOf(f))))));
    }
    return v;
  }

  /** Production files (every file before roles are set), sorted. */
  get files(): readonly string[] {
    return this.production.files;
  }
  get fileSet(): ReadonlySet<string> {
    return this.production.set;
  }

  /** Every file some analyzer asked to read (the inputs of this run), sorted. */
  readFiles(): string[] {
    return [...this.texts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  warn(w: Warning): void {
    // Raised by a memo's machinery after the analyzers (a link phase): credited now.
    if (!this.attributionOpen && w.analyzer.startsWith('#')) w.analyzer = this.creditFor('memo', w.analyzer.slice(1)) ?? w.analyzer;
    this.warnings.push(w);
  }

  /** A warning about reading `w.file` as `kind` (read, json, yaml, tree): credited like `asked` says. */
  private readerWarn(kind: AskKind, w: Warning): void {
    this.sharedWarnings.push({ kind, key: w.file, warning: w });
    this.warn(w);
  }

  /**
   * `analyzer` asks for `key` as `kind`. A warning raised by reading, parsing or computing it is
   * credited to the earliest analyzer in registry order that asked: the one that reads it first
   * when analyzers run in registry order, whatever order they really ran in. Shared machinery
   * (`memo`) asks under a name starting with `#`, which never wins.
   */
  private asked(kind: AskKind, key: string, analyzer: string): void {
    if (kind !== 'memo') this.lastFile = key;
    if (!this.attributionOpen) return;
    let asks = this.firstAsker.get(kind);
    if (!asks) this.firstAsker.set(kind, (asks = new Map()));
    const best = asks.get(key);
    if (best === undefined || this.rankOf(analyzer) < this.rankOf(best)) asks.set(key, analyzer);
  }

  private rankOf(analyzer: string): number {
    return this.ranks.get(analyzer) ?? (analyzer.startsWith('#') ? Infinity : -1);
  }

  private creditFor(kind: AskKind, key: string): string | undefined {
    const who = this.firstAsker.get(kind)?.get(key);
    // Machinery that was asked only by other machinery: credit whoever asked for that.
    return who?.startsWith('#') ? this.creditFor('memo', who.slice(1)) : who;
  }

  /** Every analyzer has run: warnings raised by shared machinery are credited; link phases change nothing. */
  closeAttribution(): void {
    if (!this.attributionOpen) return;
    this.attributionOpen = false;
    for (const { kind, key, warning } of this.sharedWarnings) warning.analyzer = this.creditFor(kind, key) ?? warning.analyzer;
    for (const w of this.warnings) if (w.analyzer.startsWith('#')) w.analyzer = this.creditFor('memo', w.analyzer.slice(1)) ?? w.analyzer;
  }

  /**
   * A value of the shared machinery computed once per run (the module resolver); analyzers hand
   * values to each other as products instead (`provide`/`consume`). It is computed, and reads
   * files, as `#key`; its warnings are credited to the earliest analyzer in registry order that
   * asked for it.
   */
  memo<T>(key: string, analyzer: string, compute: (ctx: AnalyzerContext) => T): T {
    this.asked('memo', key, analyzer);
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute(new AnalyzerContext(this, `#${key}`, {}));
    this.memos.set(key, value);
    return value;
  }

  read(file: string, analyzer: string): string | undefined {
    this.asked('read', file, analyzer);
    const hit = this.texts.get(file);
    if (hit !== undefined) return hit ?? undefined;
    let text: string | null = null;
    const abs = path.join(this.root, file);
    try {
      const st = fs.statSync(abs);
      if (st.size > this.config.maxFileSize) {
        this.readerWarn('read', {
          file,
          line: 0,
          analyzer,
          message: `file skipped: ${st.size} bytes is over the ${this.config.maxFileSize}-byte limit (maxFileSize)`,
        });
      } else {
        const buf = fs.readFileSync(abs);
        if (buf.subarray(0, 8192).includes(0)) {
          this.readerWarn('read', { file, line: 0, analyzer, message: 'file skipped: binary content (NUL byte)' });
        } else {
          text = normaliseText(
            decodeUtf8(buf, (line) =>
              this.readerWarn('read', {
                file,
                line,
                analyzer,
                message: 'not valid UTF-8: read with replacement characters (facts from this file may be incomplete)',
              }),
            ),
          );
          this.stats.read++;
        }
      }
    } catch (e) {
      this.readerWarn('read', {
        file,
        line: 0,
        analyzer,
        message: `file could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      });
    }
    this.texts.set(file, text);
    return text ?? undefined;
  }

  json(file: string, analyzer: string): unknown {
    this.asked('json', file, analyzer);
    if (this.jsons.has(file)) return this.jsons.get(file);
    const text = this.read(file, analyzer);
    let value: unknown;
    const deep = text === undefined ? undefined : jsonTooDeep(text);
    if (deep !== undefined) {
      this.readerWarn('json', { file, line: lineAt(text!, deep), analyzer, message: `file skipped: nesting deeper than ${MAX_NESTING} levels; not parsed` });
    } else if (text !== undefined) {
      try {
        value = JSON.parse(text);
      } catch (e) {
        const { message, line } = describeJsonError((e as Error).message, text);
        this.readerWarn('json', { file, line, analyzer, message: `invalid JSON: ${message}` });
      }
    }
    this.jsons.set(file, value);
    return value;
  }

  yaml(file: string, analyzer: string): YamlFile | undefined {
    this.asked('yaml', file, analyzer);
    const hit = this.yamls.get(file);
    if (hit !== undefined) return hit ?? undefined;
    const text = this.read(file, analyzer);
    let result: YamlFile | null = null;
    const deep = text === undefined ? undefined : yamlTooDeep(text);
    if (deep !== undefined) {
      this.readerWarn('yaml', {
        file,
        line: lineAt(text!, deep),
        analyzer,
        message: `file skipped: nesting deeper than ${MAX_YAML_TEXT_NESTING} levels; not parsed`,
      });
    } else if (text !== undefined) {
      const lineCounter = new LineCounter();
      try {
        const documents = parseAllDocuments(text, {
          lineCounter,
          prettyErrors: false,
          // `<<: *defaults` merge keys, as compose files and CI configurations use them.
          merge: true,
        });
        const list = Array.isArray(documents) ? documents : [];
        // A duplicate key is reported but keeps its document (the later value wins, as in most
        // YAML readers); any other error drops the document it is in.
        const fatal = (d: Document.Parsed) => d.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
        const firstError = list.flatMap((d) => d.errors)[0];
        if (firstError) {
          const line = lineCounter.linePos(firstError.pos[0]).line;
          const what = firstError.code === 'DUPLICATE_KEY' ? 'duplicate key' : 'invalid YAML';
          const why = /Maximum call stack/.test(firstError.message) ? 'nested too deeply to parse' : firstError.message.split('\n')[0];
          this.readerWarn('yaml', { file, line, analyzer, message: `${what}: ${why}` });
        }
        const good = list.filter((d) => {
          if (fatal(d).length > 0) return false;
          // Analyzers walk documents recursively: one nested too deeply is left out.
          const at = yamlNodeTooDeep(d);
          if (at === undefined) return true;
          this.readerWarn('yaml', {
            file,
            line: lineCounter.linePos(at).line,
            analyzer,
            message: `document skipped: nesting deeper than ${MAX_NESTING} levels`,
          });
          return false;
        });
        const warnOnce = (e: Error) => this.readerWarn('yaml', { file, line: 1, analyzer, message: `YAML could not be expanded: ${e.message}` });
        result = {
          documents: good,
          lineCounter,
          line: (o) => lineCounter.linePos(o).line,
          toJS: (doc) => {
            try {
              // maxAliasCount bounds "billion laughs" alias bombs; aliases can also nest a value deeper than its text.
              const value: unknown = doc.toJS({ maxAliasCount: 100 });
              if (valueTooDeep(value)) throw new Error(`aliases nest it deeper than ${MAX_NESTING} levels`);
              return value;
            } catch (e) {
              warnOnce(e as Error);
              return undefined;
            }
          },
        };
        this.stats.parsedYaml++;
      } catch (e) {
        this.readerWarn('yaml', { file, line: 1, analyzer, message: `invalid YAML: ${(e as Error).message}` });
      }
    }
    this.yamls.set(file, result);
    return result ?? undefined;
  }

  /**
   * A plugin's own parse of a script (parent pointers, no type checker; `fileName` is the
   * repo-relative path with a leading slash), made on each call and kept by no one: built-in
   * analyzers read scripts' indexes instead, and no tree outlives the caller's use of it. A file
   * that cannot be analysed as a tree is not parsed again.
   */
  sourceFile(file: string, analyzer: string): ts.SourceFile | undefined {
    this.asked('tree', file, analyzer);
    if (this.unparsable.has(file)) return undefined;
    const text = this.read(file, analyzer);
    const parsed = text === undefined ? undefined : parseScript(requireTypeScript(), file, text);
    if (parsed) this.noteParse(file, analyzer, parsed.notes);
    if (!parsed?.sf) this.unparsable.add(file);
    return parsed?.sf;
  }

  /**
   * `analyzer` takes a script's parse, made here or elsewhere (an index built on the main thread,
   * on a worker, or taken from the cache): the parse's warnings are given once per file and run,
   * credited as a parse's are.
   */
  noteParse(file: string, analyzer: string, notes: readonly FileNote[]): void {
    this.asked('tree', file, analyzer);
    if (this.parseWarned.has(file)) return;
    this.parseWarned.add(file);
    for (const n of notes) this.readerWarn('tree', { file, line: n.line, analyzer, message: n.message });
  }

  /**
   * The workspace package owning a file (the deepest containing it), memoised per file. Found by
   * looking the file's directories up, deepest first, among the packages' paths: a few lookups per
   * file whatever the number of packages (testing every package made this files × packages).
   */
  packageOf(file: string): WorkspacePackage | undefined {
    const hit = this.owners.get(file);
    if (hit !== undefined) return hit ?? undefined;
    if (!this.packagePaths) {
      this.packagePaths = new Map();
      // Two packages at one path: the first listed owns its files.
      for (const p of this.workspace.packages) if (!this.packagePaths.has(p.path)) this.packagePaths.set(p.path, p);
    }
    let p: WorkspacePackage | undefined;
    for (let dir = file; p === undefined; ) {
      p = this.packagePaths.get(dir);
      const slash = dir.lastIndexOf('/');
      if (slash < 0) break;
      dir = dir.slice(0, slash);
    }
    // Else the root package, if there is one.
    p ??= this.packagePaths.get('') ?? this.packagePaths.get('.');
    this.owners.set(file, p ?? null);
    return p;
  }

  /** The run's module resolver (built on first use, after workspace detection). */
  modules(ctx: AnalyzerContext): ModuleResolver {
    return this.memo('modules', ctx.analyzer, (own) => new ModuleResolver(own));
  }

  /** Production TypeScript and JavaScript sources (no .d.ts), sorted. */
  typescriptFiles(): readonly string[] {
    return this.production.scripts;
  }

  provide(name: string, value: unknown, analyzer: string): void {
    const list = this.products.get(name) ?? [];
    if (list.some((p) => p.analyzer === analyzer)) throw new Error(`${analyzer} provided ${name} twice`);
    list.push({ analyzer, rank: this.rankOf(analyzer), value });
    this.products.set(
      name,
      list.sort((a, b) => a.rank - b.rank),
    );
  }

  /** The values provided under `name` so far, in registry order of their providers. */
  provided(name: string): unknown[] {
    return (this.products.get(name) ?? []).map((p) => p.value);
  }

  emit(collection: CollectionName, fact: unknown, analyzer: string): void {
    if (this.config.plugins.some((p) => p.meta.name === analyzer)) {
      const problem = pluginFactProblem(collection, fact);
      if (problem) {
        this.warn({ file: '.', line: 0, analyzer, message: `plugin ${analyzer} emitted a malformed ${String(collection)} fact, left out: ${problem}` });
        return;
      }
    }
    let list = this.facts.get(collection);
    let ranks = this.factRanks.get(collection);
    if (!list || !ranks) {
      this.facts.set(collection, (list = []));
      this.factRanks.set(collection, (ranks = []));
    }
    list.push(fact);
    ranks.push(this.ranks.get(analyzer) ?? -1);
  }

  /**
   * Keeps only the facts `keep` accepts, each told the registry position of the analyzer that
   * emitted it (the evidence guard after analysis).
   */
  filterFacts(collection: CollectionName, keep: (fact: unknown, rank: number) => boolean): void {
    const list = this.facts.get(collection) ?? [];
    const ranks = this.factRanks.get(collection) ?? [];
    const facts: unknown[] = [];
    const kept: number[] = [];
    list.forEach((fact, i) => {
      if (!keep(fact, ranks[i]!)) return;
      facts.push(fact);
      kept.push(ranks[i]!);
    });
    this.facts.set(collection, facts);
    this.factRanks.set(collection, kept);
  }

  /** The facts of a collection in registry order of the analyzers that emitted them (each analyzer's in its own order). */
  factsOf(collection: CollectionName): unknown[] {
    const list = this.facts.get(collection) ?? [];
    const ranks = this.factRanks.get(collection) ?? [];
    if (ranks.every((r, i) => i === 0 || ranks[i - 1]! <= r)) return list;
    return list
      .map((fact, i) => ({ fact, rank: ranks[i]! }))
      .sort((a, b) => a.rank - b.rank)
      .map((x) => x.fact);
  }
}

/**
 * A JSON.parse error as a message and a line. V8 quotes the text around some errors
 * (`Unexpected token 'h', ..."password": hunter2"...`): that quote is replaced by its line, so a
 * secret next to a syntax error never reaches a warning.
 */
function describeJsonError(msg: string, text: string): { message: string; line: number } {
  const quoted = /^(Unexpected token '[\s\S]*?'), (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(msg);
  if (quoted) {
    const [, head, lead, body] = quoted as unknown as [string, string, string | undefined, string];
    const token = /'([\s\S]*)'/.exec(head)?.[1] ?? '';
    const at = text.indexOf(body);
    const pos = at < 0 ? 0 : at + (lead ? 10 : Math.max(0, body.indexOf(token)));
    return { message: `${head} in JSON`, line: lineAt(text, pos) };
  }
  if (/^Unexpected end of JSON input/.test(msg)) return { message: msg, line: lineAt(text, text.length) };
  const pos = /position (\d+)/.exec(msg);
  const lineMatch = /line (\d+)/.exec(msg);
  return { message: msg, line: lineMatch ? Number(lineMatch[1]) : pos ? lineAt(text, Number(pos[1])) : 1 };
}

export { MAX_SYNTAX_DEPTH } from './parse-script.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode UTF-8; invalid bytes become U+FFFD and `onInvalid` gets the 1-based line of the first. */
function decodeUtf8(buf: Buffer, onInvalid: (line: number) => void): string {
  try {
    return strictUtf8.decode(buf);
  } catch {
    const text = buf.toString('utf8');
    onInvalid(lineAt(text, Math.max(0, text.indexOf('\uFFFD'))));
    return text;
  }
}

let tsModule: typeof ts | undefined;
function requireTypeScript(): typeof ts {
  if (!tsModule) throw new Error('TypeScript not loaded: call loadTypeScript() first');
  return tsModule;
}
/**
 * The TypeScript compiler API (ts-morph's), for the shared state. The built-in analyzers import the
 * same shim, so by the time a run starts it is already loaded; this only hands it over.
 */
export async function loadTypeScript(): Promise<void> {
  tsModule ??= (await import('./typescript.cjs')).default;
}

/** The view one analyzer has of the shared state. */
export class AnalyzerContext {
  constructor(
    private readonly shared: SharedState,
    readonly analyzer: string,
    readonly options: Record<string, unknown>,
    /** Roles this analyzer reads besides production (its meta `reads`). */
    readonly reads: readonly FileRole[] = [],
    /** The products its meta declares it provides and consumes. */
    private readonly declared: { provides?: readonly string[]; consumes?: readonly string[] } = {},
  ) {}

  private ownState: { value: unknown } | undefined;

  private get seen(): { files: readonly string[]; set: ReadonlySet<string>; scripts: readonly string[] } {
    return this.shared.view(this.reads);
  }

  /** Absolute root. Use only for file system access; never put it in a fact. */
  get root(): string {
    return this.shared.root;
  }
  get config(): ResolvedConfig {
    return this.shared.config;
  }
  get workspace(): Workspace {
    return this.shared.workspace;
  }
  /**
   * The discovered files this analyzer sees, repo-relative POSIX, sorted: production files, plus
   * those of the roles its meta `reads` (tests, examples, documentation … are set aside otherwise).
   */
  get files(): readonly string[] {
    return this.seen.files;
  }
  has(file: string): boolean {
    return this.seen.set.has(file);
  }
  /** Seen files whose path matches. */
  filesMatching(test: RegExp | ((file: string) => boolean)): string[] {
    const fn = typeof test === 'function' ? test : (f: string) => test.test(f);
    return this.seen.files.filter(fn);
  }
  /** Seen TypeScript and JavaScript sources (no .d.ts), sorted. */
  typescriptFiles(): readonly string[] {
    return this.seen.scripts;
  }
  /** The role of a discovered file (src/pipeline/roles.ts); 'production' for anything else. */
  roleOf(file: string): FileRole {
    return this.shared.roleOf(file);
  }
  /** True for a file that is not production (a test, an example, a template, documentation …). */
  isSetAside(file: string): boolean {
    return this.shared.roleOf(file) !== 'production';
  }
  /** Text with LF endings and no BOM; undefined (with a warning) when unreadable, binary or too big. */
  read(file: string): string | undefined {
    return this.shared.read(file, this.analyzer);
  }
  /** Parsed JSON; undefined (with a warning naming the line) when invalid. */
  json(file: string): unknown {
    return this.shared.json(file, this.analyzer);
  }
  /** Parsed YAML documents with a line counter; broken documents are dropped with a warning. */
  yaml(file: string): YamlFile | undefined {
    return this.shared.yaml(file, this.analyzer);
  }
  /**
   * For plugins: the syntax tree of a script (TypeScript compiler nodes with parent pointers, no
   * type checker), parsed on each call and kept by no one. Built-in analyzers never parse: they
   * read each script's index in the file pass (`scan` with `visitIndex`).
   */
  sourceFile(file: string): ts.SourceFile | undefined {
    return this.shared.sourceFile(file, this.analyzer);
  }
  /**
   * The discovered file an import specifier refers to: relative paths, tsconfig `paths` and
   * `baseUrl`, package `imports` (#), and workspace packages by name (their source entry or
   * subpath). Undefined for installed packages, built-ins and misses. One resolver per run.
   */
  resolveImport(from: string, specifier: string): string | undefined {
    return this.shared.modules(this).resolve(from, specifier);
  }
  /** The workspace package a bare specifier names (`@acme/shared/x` → `@acme/shared`). */
  packageNamed(specifier: string): WorkspacePackage | undefined {
    return this.shared.modules(this).packageNamed(specifier);
  }
  /** Component id owning a file: the deepest workspace package containing it. */
  componentOf(file: string): string | undefined {
    return this.shared.packageOf(file)?.componentId;
  }
  packageOf(file: string): WorkspacePackage | undefined {
    return this.shared.packageOf(file);
  }
  /**
   * The engine's index of a file in another language (src/analysis/polyglot), built once per run
   * and shared by every analyzer that reads it (routes, entities, code facts).
   */
  polyglotIndex(file: string, language: PolyglotLanguage, text: string): PolyglotIndex {
    const cache = this.shared.memo('polyglot-indexes', this.analyzer, () => new Map<string, PolyglotIndex>());
    let ix = cache.get(file);
    if (!ix) {
      ix = indexPolyglot(file, text, language);
      cache.set(file, ix);
    }
    return ix;
  }
  /** True when any manifest in the repository depends on `pkg` (any dependency field). */
  dependsOn(pkg: string): boolean {
    return this.shared.workspace.packages.some((p) => p.dependencies.has(pkg));
  }
  emit<K extends CollectionName>(collection: K, fact: FactCollections[K]): void {
    this.shared.emit(collection, fact, this.analyzer);
  }
  /**
   * Hands a named product (src/analyzer/products.ts) to the analyzers that consume it; the meta
   * must list it under `provides`. Once per run and analyzer.
   */
  provide<K extends ProductName>(name: K, value: Products[K]): void {
    if (!this.declared.provides?.includes(name)) throw new Error(`${this.analyzer} provides ${name} without declaring it (meta.provides)`);
    this.shared.provide(name, value, this.analyzer);
  }
  /**
   * A named product: the value of each analyzer that provided it, in registry order (none when its
   * providers did not apply, or failed). The meta must list it under `consumes`, which makes this
   * analyzer run after its providers.
   */
  consume<K extends ProductName>(name: K): Products[K][] {
    if (!this.declared.consumes?.includes(name)) throw new Error(`${this.analyzer} consumes ${name} without declaring it (meta.consumes)`);
    return this.shared.provided(name) as Products[K][];
  }
  /**
   * This analyzer's own state for the run, made by `init` on first use: what its analyse phase
   * (or file pass) keeps for its link phase, which gets the same context. Never a module-level map.
   */
  state<T>(init: () => T): T {
    this.ownState ??= { value: init() };
    return this.ownState.value as T;
  }
  warn(file: string, line: number, message: string): void {
    this.shared.warn({ file, line, message, analyzer: this.analyzer });
  }
}
