/**
 * Catalogued messaging and workflow technologies imported by production code: the messaging rule
 * names one whose channels archdoc did not find (a Temporal client starting nothing archdoc reads; an amqplib
 * connection whose queue names are computed) rather than saying nothing. Plain string scanning of
 * import specifiers, no regular expression over the file.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Evidence } from '../../src/model/schema.js';
import { LEDGER, PACKAGES } from '../../src/data/tech-catalogue.js';
import { compareStrings } from '../../src/model/compare.js';
import { testFile } from './headlines.js';
import { codeOnly } from '../../src/util/text.js';

/** An imported messaging technology: its catalogue name, the queue techs it yields when read, and where it is imported. */
export interface MessagingImport {
  name: string;
  queues: string[];
  yields: string;
  evidence: Evidence;
}

/** Package specifiers of catalogued technologies of the ledger's messaging category. */
function messagingPackages(): [string, string][] {
  return Object.entries(PACKAGES)
    .filter(([, e]) => LEDGER[e.name]?.category === 'messaging')
    .map(([pkg, e]) => [pkg, e.name] as [string, string])
    .sort((a, b) => compareStrings(a[0], b[0]));
}

/**
 * The line (1-based) of an import of `pkg` (or a subpath) in `text`, if any. `code` is the text
 * with comments and string contents blanked: a specifier's opening quote survives only where it
 * really opens a string in code, so an import quoted in a comment or a string is no import.
 */
function importLine(text: string, code: string, pkg: string): number | undefined {
  for (const q of ["'", '"']) {
    for (const tail of [q, '/']) {
      const needle = q + pkg + tail;
      let at = text.indexOf(needle);
      while (at >= 0) {
        const start = text.lastIndexOf('\n', at) + 1;
        const end = text.indexOf('\n', at);
        const line = text.slice(start, end < 0 ? text.length : end);
        const before = line.slice(0, at - start).trim();
        const isImport =
          code[at] === q &&
          (before.startsWith('import') ||
            before.startsWith('export') ||
            before.startsWith('} from') ||
            before.endsWith('from') ||
            before.endsWith('require(') ||
            before.endsWith('import('));
        if (isImport) {
          let n = 1;
          for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) n++;
          return n;
        }
        at = text.indexOf(needle, at + 1);
      }
    }
  }
  return undefined;
}

/** Each messaging technology imported by a production TypeScript/JavaScript file, at its first import (files in path order). */
export function messagingImports(ctx: AnalyzerContext): MessagingImport[] {
  const pkgs = messagingPackages();
  const found = new Map<string, MessagingImport>();
  const files = [...ctx.typescriptFiles()].filter((f) => !ctx.isSetAside(f) && !testFile(f) && !f.split('/').includes('node_modules')).sort(compareStrings);
  for (const file of files) {
    if (found.size === new Set(pkgs.map(([, n]) => n)).size) break;
    const text = ctx.read(file);
    if (text === undefined) continue;
    let code: string | undefined;
    for (const [pkg, name] of pkgs) {
      if (found.has(name) || !text.includes(pkg)) continue;
      const line = importLine(text, (code ??= codeOnly(text)), pkg);
      if (line === undefined) continue;
      const entry = LEDGER[name]!;
      found.set(name, { name, queues: entry.reads?.queues ?? [], yields: entry.yields, evidence: { file, line } });
    }
  }
  return [...found.values()].sort((a, b) => compareStrings(a.name, b.name));
}

/**
 * Environment variables a hosting platform sets in the deployments it runs, by platform: code that reads
 * them was written to run there (`VERCEL_URL` for a preview's own address). The names the
 * deployment-platform decision uses.
 */
const PLATFORM_VARIABLES: [string, string[]][] = [
  ['Vercel', ['VERCEL_URL', 'VERCEL_ENV', 'NEXT_PUBLIC_VERCEL_URL', 'NEXT_PUBLIC_VERCEL_ENV', 'VERCEL_PROJECT_PRODUCTION_URL', 'VERCEL_BRANCH_URL']],
  ['Netlify', ['NETLIFY', 'DEPLOY_PRIME_URL', 'NETLIFY_SITE_ID']],
  ['Fly.io', ['FLY_APP_NAME', 'FLY_REGION', 'FLY_ALLOC_ID', 'FLY_MACHINE_ID']],
  ['Render', ['RENDER_EXTERNAL_URL', 'RENDER_SERVICE_ID', 'RENDER_EXTERNAL_HOSTNAME']],
  ['Railway', ['RAILWAY_ENVIRONMENT', 'RAILWAY_ENVIRONMENT_NAME', 'RAILWAY_PUBLIC_DOMAIN', 'RAILWAY_STATIC_URL', 'RAILWAY_SERVICE_ID']],
  // With the config variables Heroku's data add-ons set when attached (ClearDB and JawsDB MySQL, Redis To Go).
  ['Heroku', ['HEROKU_APP_NAME', 'HEROKU_SLUG_COMMIT', 'HEROKU_RELEASE_VERSION', 'CLEARDB_DATABASE_URL', 'JAWSDB_URL', 'JAWSDB_MARIA_URL', 'REDISTOGO_URL']],
  ['Google Cloud Run', ['K_SERVICE', 'K_REVISION']],
  ['Cloudflare Pages', ['CF_PAGES', 'CF_PAGES_URL']],
];

/** A platform whose own environment variables production code reads: the names read, the files, the first read. */
export interface PlatformVariables {
  name: string;
  variables: string[];
  files: number;
  evidence: Evidence;
}

/**
 * Whether `text[at…]` is the variable read as a member (`process.env.X`, `env.X`, `env?.X`), in
 * code or in a template's `${…}`, not in a comment.
 */
function readAt(text: string, at: number, name: string): boolean {
  const after = text[at + name.length];
  if (after !== undefined && /[\w$]/.test(after)) return false;
  const before = text.slice(Math.max(0, at - 6), at);
  if (!before.endsWith('env.') && !before.endsWith('env?.') && !destructuredFromEnv(text, at + name.length)) return false;
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const comment = text.indexOf('//', lineStart);
  if (comment >= 0 && comment < at && text[comment - 1] !== ':') return false; // a line comment (not `https://`)
  return text.lastIndexOf('/*', at) <= text.lastIndexOf('*/', at);
}

/**
 * Whether the name ending at `end` is one of a destructuring's names read from the environment:
 * `const { A, B: b, C = 'x' } = process.env` (a bounded forward scan over names, commas, renames and
 * simple defaults to the closing brace, then `= process.env` or `= import.meta.env`).
 */
function destructuredFromEnv(text: string, end: number): boolean {
  let i = end;
  const stop = Math.min(text.length, end + 2000);
  while (i < stop && text[i] !== '}') {
    if (text[i] === '{' || text[i] === ';' || text[i] === '(' || text[i] === ')') return false;
    i++;
  }
  if (i >= stop) return false;
  let j = i + 1;
  while (j < text.length && (text[j] === ' ' || text[j] === '\n' || text[j] === '\r' || text[j] === '\t')) j++;
  if (text[j] !== '=' || text[j + 1] === '=' || text[j + 1] === '>') return false;
  j++;
  while (j < text.length && (text[j] === ' ' || text[j] === '\n' || text[j] === '\r' || text[j] === '\t')) j++;
  return text.startsWith('process.env', j) || text.startsWith('import.meta.env', j);
}

/** Each hosting platform whose own variables production TypeScript/JavaScript code reads (files in path order). */
export function platformVariables(ctx: AnalyzerContext): PlatformVariables[] {
  const found = new Map<string, { variables: Set<string>; files: Set<string>; evidence: Evidence }>();
  const files = [...ctx.typescriptFiles()].filter((f) => !ctx.isSetAside(f) && !testFile(f) && !f.split('/').includes('node_modules')).sort(compareStrings);
  for (const file of files) {
    const text = ctx.read(file);
    if (text === undefined) continue;
    for (const [platform, names] of PLATFORM_VARIABLES) {
      for (const name of names) {
        let at = text.indexOf(name);
        while (at >= 0 && !readAt(text, at, name)) at = text.indexOf(name, at + 1);
        if (at < 0) continue;
        const f = found.get(platform);
        if (f) {
          f.variables.add(name);
          f.files.add(file);
        } else {
          let line = 1;
          for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
          found.set(platform, { variables: new Set([name]), files: new Set([file]), evidence: { file, line } });
        }
      }
    }
  }
  return [...found]
    .map(([name, f]) => ({ name, variables: [...f.variables].sort(compareStrings), files: f.files.size, evidence: f.evidence }))
    .sort((a, b) => compareStrings(a.name, b.name));
}
