/**
 * What the security rules share: the fact collector, the run's state (routes, limiters, token
 * issuances… gathered from every file and settled once all are read), one file as the rules see
 * it, and the shape of a rule set. The rules themselves live one concern per file.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { FactCollector } from '../../src/analyzer/facts.js';
import type { Evidence, SecurityFact } from '../../src/model/schema.js';
import type { Clues, ClueString } from '../../src/analysis/clues.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import type { Call as SiteCall, ClassSite, RuleSites } from '../../src/analysis/sites.js';

/** One fact per id from fragments, for the security collection. */
export class Collector extends FactCollector<SecurityFact> {}

export interface RouteSeen {
  method: string;
  path: string;
  file: string;
  line: number;
  component?: string;
  /** Rate limited at the route (middleware argument, @Throttle, ThrottlerGuard). */
  limited: boolean;
  /** Router variable the route was declared on (`authRouter.post(...)`), for mount prefixes. */
  owner?: string;
  /** Declared in a NestJS controller (the application's global prefix applies). */
  nest?: boolean;
}

/** `app.use('/auth', authRouter)`: a router from `file` (exported as `exported`) served under a prefix. */
export interface Mount {
  prefix: string;
  file: string;
  exported: string;
  limited: boolean;
  /** Where the mount itself is declared, and on which router variable (for nested mounts). */
  inFile: string;
  owner?: string;
}

export interface Limiter {
  /** Variable the limiter was assigned to, when any. */
  name?: string;
  file: string;
  line: number;
}

export interface GuardDecorator {
  file: string;
  line: number;
  component?: string;
  guards: string[];
  /** Other decorators it applies (`applyDecorators(RequiresScope('x'))`), followed at the end. */
  applies: string[];
}

export interface RunState {
  c: Collector;
  routes: RouteSeen[];
  limiters: Map<string, Limiter>;
  /** Components with a limiter applied to every route. */
  globalLimit: Set<string>;
  /** Path prefixes with a limiter applied. */
  prefixLimit: { component?: string; prefix: string }[];
  mounts: Mount[];
  /** NestJS `app.setGlobalPrefix('api')` per component. */
  globalPrefix: Map<string, string>;
  /** Files where a limiter library is used without a visible mount (rate-limiter-flexible). */
  limiterFiles: Set<string>;
  /** Every token issuance and password check, in reading order (the flow picks those nearest its login route). */
  tokenIssues: { file: string; line: number; lib: string; detail?: string }[];
  passwordChecks: { file: string; line: number; lib: string }[];
  secretEnvs: Map<string, Evidence[]>;
  /** Installed versions from the root lockfile, read when first needed. */
  locked?: Map<string, string>;
  /** Custom decorators declared as `applyDecorators(UseGuards(…), OtherDecorator(…))`, by name. */
  guardDecorators: Map<string, GuardDecorator[]>;
  /** Decorators used on controller classes and methods, matched with `guardDecorators` at the end. */
  decoratorUses: { name: string; where: string; file: string; line: number; component?: string; imported: boolean }[];
}

export function runState(): RunState {
  return {
    c: new Collector(),
    routes: [],
    limiters: new Map(),
    globalLimit: new Set(),
    prefixLimit: [],
    mounts: [],
    globalPrefix: new Map(),
    limiterFiles: new Set(),
    secretEnvs: new Map(),
    tokenIssues: [],
    passwordChecks: [],
    guardDecorators: new Map(),
    decoratorUses: [],
  };
}

/**
 * One source file as the rules see it: its index, with its option readings (`sites`,
 * src/analysis/sites.ts) and its clues (`clues`, src/analysis/clues.ts: string literals, environment
 * reads, provider objects, class heritage and decorator compositions, each placed among the sites).
 */
export interface SiteScope {
  ctx: AnalyzerContext;
  st: RunState;
  c: Collector;
  file: string;
  index: FileIndex;
  sites: RuleSites;
  clues: Clues;
  component?: string;
  /** `{ component }` to spread into a fact, or nothing when the file belongs to no component. */
  comp: { component?: string };
}

/**
 * A set of rules over one file's index, called in the order the rule sets are listed in index.ts:
 * each import, then each site (call, `new`, class) and clue (string, environment read, provider
 * object) in the order one walk of the file meets them (`i` is the site's index), then the file.
 * Every hook is optional.
 */
export interface SiteRules {
  onImport?(s: SiteScope, module: string, at: Evidence): void;
  onCall?(s: SiteScope, call: SiteCall, i: number): void;
  onNew?(s: SiteScope, call: SiteCall, i: number): void;
  onClass?(s: SiteScope, cls: ClassSite, i: number): void;
  onString?(s: SiteScope, str: ClueString): void;
  onEnv?(s: SiteScope, read: Clues['env'][number]): void;
  onProvider?(s: SiteScope, p: Clues['providers'][number]): void;
  /** After the sites, over the file's top-level declarations. */
  onFile?(s: SiteScope): void;
}

/** Evidence at a site or a reading of the file. */
export function at(s: SiteScope, where: { line: number }): Evidence {
  return { file: s.file, line: where.line };
}

export function recordSecretEnv(st: RunState, name: string | undefined, e: Evidence): void {
  if (!name) return;
  const list = st.secretEnvs.get(name) ?? [];
  list.push(e);
  st.secretEnvs.set(name, list);
}

export function joinPath(prefix: string, path: string): string {
  const p = `/${prefix}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return p;
}

/** Milliseconds in words a reader can scan: 900000 → "15 min". */
export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms >= 3_600_000) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000} min`;
  if (ms % 1000 === 0 && ms >= 1000) return `${ms / 1000} s`;
  return `${ms} ms`;
}
