/**
 * Values of environment variables as the repository declares them, for channel names only:
 * `.env`-style files (`.env`, `.env.example`, `.env.sample`, …) and compose `environment:` entries.
 * A file's nearest `.env*` (its folder, then each parent) wins; then a compose service whose build
 * context holds the file; then a value every declaration in the repository agrees on, counting
 * the string literals infrastructure code hands a function or container in an `environment: { … }`
 * object (CDK, Pulumi, cdktf). Names that look secret, and values that carry credentials or
 * interpolation, are never read.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import type { Opt } from '../../src/analysis/sites.js';
import { compareStrings } from '../../src/model/compare.js';
import { isTest, type Loc } from './values.js';

const ENV_FILE = /(^|\/)\.env(\.(example|sample|template|defaults|dist|local|development|dev))?$/;
const COMPOSE_FILE = /(^|\/)(docker-compose|compose)([.-][\w.-]+)?\.ya?ml$/;
/** Variable names whose values are never read, whatever they hold. */
const SECRET_NAME = /PASS|SECRET|TOKEN|KEY|PRIVATE|CREDENTIAL|AUTH|DSN/i;
/** …unless the name says it names a channel (`RABBIT_MQ_AUTH_QUEUE`, an auth service's queue). */
const CHANNEL_NAME = /(QUEUE|TOPIC|EXCHANGE|SUBJECT|STREAM|CHANNEL)(_NAME)?$/i;

function secretName(name: string): boolean {
  return SECRET_NAME.test(name) && !CHANNEL_NAME.test(name);
}
/** A channel name: no spaces, no interpolation, no URL credentials, bounded length. */
const USABLE = /^[\w.:/@*#>-]{1,200}$/;

interface Declared {
  value: string;
  at: Loc;
}

export interface EnvValue {
  value: string;
  at: Loc;
}

export class ConfigValues {
  private byDir?: Map<string, Map<string, Declared>>;
  private compose?: { context: string; env: Map<string, Declared> }[];
  private everywhere?: Map<string, Declared[]>;

  constructor(
    private readonly ctx: Pick<AnalyzerContext, 'files' | 'read' | 'yaml'>,
    /** Script indexes, for `environment: { … }` objects written in infrastructure code. */
    private readonly indexes?: ReadonlyMap<string, FileIndex>,
  ) {}

  /** The value `name` has for code in `file`, when the repository declares one. */
  lookup(name: string, file: string): EnvValue | undefined {
    if (secretName(name)) return undefined;
    this.index();
    let dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    for (;;) {
      const hit = this.byDir!.get(dir)?.get(name);
      if (hit) return hit;
      if (dir === '') break;
      dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
    }
    const near = this.compose!.filter((c) => c.context !== '' && (file === c.context || file.startsWith(c.context + '/'))).flatMap(
      (c) => c.env.get(name) ?? [],
    );
    if (near.length && near.every((d) => d.value === near[0]!.value)) return near[0];
    const all = this.everywhere!.get(name) ?? [];
    if (all.length && all.every((d) => d.value === all[0]!.value)) return all[0];
    return undefined;
  }

  private index(): void {
    if (this.byDir) return;
    this.byDir = new Map();
    this.compose = [];
    this.everywhere = new Map();
    const remember = (name: string, d: Declared) => {
      if (!this.everywhere!.has(name)) this.everywhere!.set(name, []);
      this.everywhere!.get(name)!.push(d);
    };
    const files = [...this.ctx.files].sort(compareStrings);
    for (const file of files) {
      if (!ENV_FILE.test(file)) continue;
      const text = this.ctx.read(file);
      if (!text) continue;
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
      const vars = this.byDir.get(dir) ?? new Map<string, Declared>();
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim();
        if (!line || line.startsWith('#')) continue;
        const eq = line.indexOf('=');
        if (eq <= 0) continue;
        const name = line
          .slice(0, eq)
          .replace(/^export\s+/, '')
          .trim();
        const value = unquote(line.slice(eq + 1).trim());
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || secretName(name) || !usable(value)) continue;
        const d = { value, at: { file, line: i + 1 } };
        // `.env` before `.env.example` in one folder: the sorted order puts `.env` first.
        if (!vars.has(name)) vars.set(name, d);
        remember(name, d);
      }
      this.byDir.set(dir, vars);
    }
    for (const file of files) {
      if (!COMPOSE_FILE.test(file)) continue;
      const y = this.ctx.yaml(file);
      const doc = y?.documents[0];
      if (!y || !doc) continue;
      const services = doc.get('services', true) as { items?: { key: { value?: unknown }; value: unknown }[] } | undefined;
      const base = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
      for (const item of services?.items ?? []) {
        const svc = item.value as { get?: (k: string, keep?: boolean) => unknown } | null;
        if (!svc?.get) continue;
        const build = svc.get('build', true) as { value?: unknown; get?: (k: string) => unknown } | undefined;
        const ctxDir = typeof build?.value === 'string' ? build.value : typeof build?.get === 'function' ? build.get('context') : undefined;
        const context = typeof ctxDir === 'string' ? joinPath(base, ctxDir) : '';
        const env = new Map<string, Declared>();
        const envNode = svc.get('environment', true) as
          | { items?: { key?: { value?: unknown }; value?: { value?: unknown; range?: number[] } | null; range?: number[] }[] }
          | undefined;
        for (const e of envNode?.items ?? []) {
          let name: string | undefined;
          let value: unknown;
          let offset: number | undefined;
          if (e.key !== undefined) {
            name = typeof e.key?.value === 'string' ? e.key.value : undefined;
            value = e.value?.value;
            offset = e.value?.range?.[0];
          } else {
            const raw = (e as { value?: unknown }).value;
            if (typeof raw !== 'string' || !raw.includes('=')) continue;
            name = raw.slice(0, raw.indexOf('='));
            value = raw.slice(raw.indexOf('=') + 1);
            offset = e.range?.[0];
          }
          if (!name || secretName(name) || (typeof value !== 'string' && typeof value !== 'number')) continue;
          const v = String(value);
          if (!usable(v)) continue;
          const d = { value: v, at: { file, line: offset !== undefined ? y.line(offset) : 1 } };
          env.set(name, d);
          remember(name, d);
        }
        this.compose.push({ context, env });
      }
    }
    for (const [file, idx] of [...(this.indexes ?? [])].sort((a, b) => compareStrings(a[0], b[0]))) {
      if (isTest(file)) continue;
      for (const site of idx.sites.sites) {
        const opts = site.k === 'vars' ? site.objects.map((o) => o.v) : site.k === 'class' ? [] : site.args;
        for (const o of opts) codeEnvironment(o, 0, (name, d) => remember(name, { ...d, at: { file, line: d.at.line } }));
      }
    }
  }
}

/** The literal entries of every `environment: { NAME: 'value' }` object within an option reading. */
function codeEnvironment(o: Opt, depth: number, found: (name: string, d: Declared) => void): void {
  if (depth > 8) return;
  for (const p of o.obj ?? []) {
    if (!p.v) continue;
    if (p.key === 'environment' && p.v.obj) {
      for (const e of p.v.obj)
        if (e.key && /^[A-Z][A-Z0-9_]*$/.test(e.key) && !secretName(e.key) && e.v?.str !== undefined && usable(e.v.str))
          found(e.key, { value: e.v.str, at: { file: '', line: e.line } });
    } else codeEnvironment(p.v, depth + 1, found);
  }
  for (const a of o.arr ?? []) codeEnvironment(a, depth + 1, found);
}

/** Never a value with credentials in it (`amqp://user:pass@host`). */
function usable(v: string): boolean {
  return USABLE.test(v) && !(v.includes('://') && v.includes('@'));
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  const hash = v.indexOf(' #');
  return hash >= 0 ? v.slice(0, hash).trim() : v;
}

/** `a/b` + `./c` → `a/b/c`; `..` steps up; the repository root is ''. */
function joinPath(base: string, rel: string): string {
  const parts = base ? base.split('/') : [];
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}
