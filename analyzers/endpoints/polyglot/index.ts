/**
 * HTTP routes written in other languages than TypeScript: each language's files that may declare
 * routes are indexed by the engine (src/analysis/polyglot) and read by that language's rules, one
 * module per language. A file too large or too deep to read whole is read as far as it goes, with
 * a warning.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import { LANGUAGE_MANIFESTS } from '../../../src/data/languages.js';
import type { PolyglotIndex } from '../../../src/analysis/polyglot/index-source.js';
import { MAX_TOKENS, type PolyglotLanguage, polyglotLanguageOf } from '../../../src/analysis/polyglot/lex.js';
import type { Found } from '../types.js';
import { dotnetEndpoints, dotnetWants } from './dotnet.js';
import { goEndpoints, goWants } from './go.js';
import { jvmEndpoints, jvmWants } from './jvm.js';
import { phpEndpoints, phpWants } from './php.js';
import { Program } from './program.js';
import { pythonEndpoints, pythonWants } from './python.js';

interface LanguageRules {
  languages: readonly PolyglotLanguage[];
  /** A cheap test on a file's text: whether it may declare routes. */
  wants(text: string): boolean;
  /** The context reads what lies outside the language's files (a Spring module's application.properties). */
  endpoints(program: Program, ctx: AnalyzerContext): Found[];
}

const RULES: readonly LanguageRules[] = [
  { languages: ['python'], wants: pythonWants, endpoints: pythonEndpoints },
  { languages: ['go'], wants: goWants, endpoints: goEndpoints },
  { languages: ['java', 'kotlin'], wants: jvmWants, endpoints: jvmEndpoints },
  { languages: ['csharp'], wants: dotnetWants, endpoints: dotnetEndpoints },
  { languages: ['php'], wants: phpWants, endpoints: phpEndpoints },
];

/** Files larger than this are not read for routes (generated code, vendored bundles). */
const MAX_BYTES = 1_000_000;

export function polyglotEndpoints(ctx: AnalyzerContext): Found[] {
  const byLanguage = new Map<PolyglotLanguage, PolyglotIndex[]>();
  const files = ctx.filesMatching((f) => {
    const lang = polyglotLanguageOf(f);
    return lang !== undefined && RULES.some((r) => r.languages.includes(lang)) && !ctx.isSetAside(f);
  });
  // A language's files are all indexed once one of them may declare routes: prefixes and paths live in
  // modules that name no framework (a settings module, a package's constants).
  const texts = new Map<string, { language: PolyglotLanguage; text: string }>();
  const wanted = new Set<PolyglotLanguage>();
  for (const file of files) {
    const language = polyglotLanguageOf(file)!;
    const text = ctx.read(file);
    if (text === undefined) continue;
    if (text.length > MAX_BYTES) {
      ctx.warn(file, 0, `${file} is larger than ${MAX_BYTES / 1_000_000} MB and is not read for routes`);
      continue;
    }
    texts.set(file, { language, text });
    if (!wanted.has(language) && RULES.find((r) => r.languages.includes(language))!.wants(text)) wanted.add(language);
  }
  for (const [file, { language, text }] of texts) {
    if (!wanted.has(language)) continue;
    const ix = ctx.polyglotIndex(file, language, text);
    if (ix.truncated) ctx.warn(file, 0, `${file} is too long to read whole for routes: its first ${MAX_TOKENS.toLocaleString('en-GB')} tokens were read`);
    const list = byLanguage.get(language) ?? [];
    list.push(ix);
    byLanguage.set(language, list);
  }
  const out: Found[] = [];
  for (const rules of RULES) {
    const indexes = rules.languages.flatMap((l) => byLanguage.get(l) ?? []);
    if (!indexes.length) continue;
    out.push(...rules.endpoints(new Program(indexes), ctx));
  }
  const manifestDirs = new Set<string>();
  for (const f of ctx.files) {
    const base = f.slice(f.lastIndexOf('/') + 1);
    if (LANGUAGE_MANIFESTS.has(base) || base.endsWith('.csproj') || base === 'package.json' || base === 'Dockerfile' || base.endsWith('requirements.in'))
      manifestDirs.add(dirOf(f));
  }
  // A route in a unit of code that no workspace package owns (the root package owns every file only as a fallback).
  for (const f of out) {
    const pkg = ctx.packageOf(f.file);
    const unit = unitOf(f.file, manifestDirs);
    if (!pkg || ((pkg.path === '.' || pkg.path === '') && unit !== '.')) f.unit = unit;
  }
  return out;
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '.' : file.slice(0, i);
}

/** The nearest folder with a build file or a Dockerfile, else the file's own folder. */
function unitOf(file: string, manifestDirs: ReadonlySet<string>): string {
  for (let dir = dirOf(file); dir !== '.'; dir = dirOf(dir)) if (manifestDirs.has(dir)) return dir;
  return manifestDirs.has('.') ? '.' : dirOf(file);
}
