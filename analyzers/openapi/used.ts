/**
 * Whether something in the repository uses an API description: a production file other than the
 * description names it by its file name — a package.json script that validates or bundles it
 * (`../../docs/openapi.json`), a SAM template or Makefile (`swagger/api.yaml`), a code generator's
 * configuration (`openapi.yml` in a pom.xml), a Terraform `file()` call (`api.yml`), the server
 * that reads or writes it (`swagger.json`). A description nothing names is a description only
 * (the RealWorld spec copied beside the code, a contract next to a Postman collection). Plain
 * scanning of text files; no regular expression runs on their text. The config's `roles` can say
 * a description is the served API (`'api/openapi.yaml': production`).
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Spec } from '../../src/analysis/openapi.js';
import { matchesGlob } from '../../src/util/glob.js';

/** Extensions of files that may name a description: code, configuration, infrastructure, scripts, pages. */
const TEXT_EXTENSIONS = new Set(
  (
    'ts tsx mts cts js jsx mjs cjs json yaml yml toml xml properties ini cfg conf env tf hcl sh bash mk ' +
    'py go java kt kts gradle groovy scala cs csproj fs php rb rs ex exs html'
  ).split(' '),
);
/** Files without such an extension that often name one (build and run descriptions). */
const TEXT_NAMES = new Set(['makefile', 'dockerfile', 'procfile', 'jenkinsfile', 'justfile', 'taskfile', 'containerfile']);

function isTextFile(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  if (TEXT_NAMES.has(base) || base.startsWith('dockerfile.') || base.endsWith('.dockerfile') || base.startsWith('.env')) return true;
  const dot = base.lastIndexOf('.');
  return dot > 0 && TEXT_EXTENSIONS.has(base.slice(dot + 1));
}

/** A character that continues a file name (`myopenapi.json`, `openapi.json5`, `old-openapi.json`). */
function continuesName(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '-' || c === '$');
}

/** Whether `text` names `name` as a whole file name (after a path separator, a quote, a space…). */
export function namesFile(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    if (!continuesName(before) && before !== '.' && !continuesName(text[at + name.length])) return true;
  }
  return false;
}

/**
 * The descriptions (by file) some production file names; the descriptions' own files (their
 * `$ref`ed parts too) do not count. Where several descriptions share a file name (one
 * `openapi.yml` per service), a file names one when it gives its folder too (`cart/openapi.yml`)
 * or lies in that folder (the service's own Makefile).
 */
export function usedSpecs(ctx: AnalyzerContext, specs: readonly Spec[]): Set<string> {
  // The config's `roles` naming a description production says it is the served API.
  const declared = Object.entries(ctx.config.roles ?? {})
    .filter(([, role]) => role === 'production')
    .map(([glob]) => glob);
  const used = new Set(specs.map((s) => s.file).filter((f) => declared.some((g) => matchesGlob(f, g))));
  const baseOf = (f: string) => f.slice(f.lastIndexOf('/') + 1);
  const wanted = specs.map((s) => {
    const name = baseOf(s.file);
    const dir = s.file.includes('/') ? s.file.slice(0, s.file.lastIndexOf('/')) : '';
    const shared = specs.some((o) => o.file !== s.file && baseOf(o.file) === name);
    return {
      file: s.file,
      name,
      dir,
      withFolder: shared && dir ? `${baseOf(dir)}/${name}` : undefined,
      own: new Set([s.file, ...s.operations.map((o) => o.file), ...s.securitySchemes.map((x) => x.file)]),
    };
  });
  for (const file of ctx.files) {
    if (used.size === wanted.length) break;
    if (!isTextFile(file)) continue;
    const pending = wanted.filter((w) => !used.has(w.file) && !w.own.has(file));
    if (pending.length === 0) continue;
    const text = ctx.read(file);
    if (!text) continue;
    for (const w of pending) {
      const near = w.dir === '' || file.startsWith(`${w.dir}/`);
      if (w.withFolder && !near ? namesFile(text, w.withFolder) : namesFile(text, w.name)) used.add(w.file);
    }
  }
  return used;
}
