/**
 * The names a build file gives the unit of code in its folder, for linking an image that a compose
 * service or a Kubernetes workload runs (built elsewhere: a Maven profile, Jib, a CI job) to the
 * folder it is built from: a Maven project's `artifactId` and Jib's target image, a Go module
 * path's last segment, a .csproj's name, and the folder's own name. Plain scanning, no XML parser.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Evidence } from '../../src/model/schema.js';
import { dirOf } from '../../src/util/paths.js';
import { lineAt } from '../../src/util/text.js';
import { LANGUAGE_MANIFESTS } from '../../src/data/languages.js';

export interface ModuleName {
  name: string;
  folder: string;
  evidence: Evidence;
}

/** The text between `<tag>` and `</tag>` from `from`, or undefined. */
function element(text: string, tag: string, from = 0): { value: string; at: number } | undefined {
  const open = text.indexOf(`<${tag}>`, from);
  if (open < 0) return undefined;
  const start = open + tag.length + 2;
  const close = text.indexOf(`</${tag}>`, start);
  return close < 0 ? undefined : { value: text.slice(start, close).trim(), at: open };
}

/** `text` with each range from `open` to `close` blanked (same length, so offsets keep their lines). */
function blank(text: string, open: string, close: string): string {
  let out = text;
  for (let i = out.indexOf(open); i >= 0; i = out.indexOf(open, i + 1)) {
    const end = out.indexOf(close, i);
    if (end < 0) break;
    out = out.slice(0, i) + out.slice(i, end).replace(/[^\n]/g, ' ') + out.slice(end);
  }
  return out;
}
const blankElement = (text: string, tag: string) => blank(text, `<${tag}>`, `</${tag}>`);

/** Lower-cased names of a pom.xml: the project's artifactId (not its parent's) and Jib's `<to><image>`. */
function pomNames(text: string): { name: string; at: number }[] {
  const code = blank(text, '<!--', '-->');
  // The project's own artifactId: not its parent's, its dependencies' or its plugins'.
  const own = ['parent', 'dependencyManagement', 'dependencies', 'plugins', 'pluginManagement'].reduce(blankElement, code);
  const out: { name: string; at: number }[] = [];
  const artifact = element(own, 'artifactId');
  if (artifact && !artifact.value.includes('${')) out.push({ name: artifact.value.toLowerCase(), at: artifact.at });
  // Jib's target image (`<to><image>…</image></to>`).
  const to = element(code, 'to');
  const image = to ? element(code, 'image', to.at) : undefined;
  if (image && image.value !== '') {
    // `${docker.image.prefix}/orders` names `orders`; a name that is all templating names nothing.
    const last = image.value.slice(image.value.lastIndexOf('/') + 1);
    const bare = last.includes(':') ? last.slice(0, last.indexOf(':')) : last;
    if (bare !== '' && !bare.includes('${')) out.push({ name: bare.toLowerCase(), at: image.at });
  }
  return out;
}

/** A go.mod's module path, last segment (a `/vN` major-version suffix skipped). */
function goModuleName(text: string): { name: string; at: number } | undefined {
  const at = text.startsWith('module ') ? 0 : text.indexOf('\nmodule ') + 1;
  if (at <= 0 && !text.startsWith('module ')) return undefined;
  const end = text.indexOf('\n', at);
  const path = text
    .slice(at + 'module '.length, end < 0 ? undefined : end)
    .trim()
    .replace(/^"|"$/g, '');
  const parts = path.split('/').filter((p) => p !== '');
  while (parts.length > 1 && /^v\d{1,4}$/.test(parts[parts.length - 1]!)) parts.pop();
  const name = parts.pop();
  return name ? { name: name.toLowerCase(), at } : undefined;
}

/** Every folder holding a build file in another language than TypeScript or JavaScript, with the names it is known by. */
export function moduleNames(ctx: AnalyzerContext): ModuleName[] {
  const out: ModuleName[] = [];
  for (const file of ctx.files) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const isProject = base.endsWith('.csproj') || base.endsWith('.fsproj');
    if (!LANGUAGE_MANIFESTS.has(base) && !isProject) continue;
    if (ctx.isSetAside(file)) continue;
    const folder = dirOf(file);
    const text = ctx.read(file) ?? '';
    const add = (name: string, at: number) => out.push({ name, folder, evidence: { file, line: lineAt(text, at) } });
    if (base === 'pom.xml') for (const n of pomNames(text)) add(n.name, n.at);
    if (base === 'go.mod') {
      const m = goModuleName(text);
      if (m) add(m.name, m.at);
    }
    if (isProject) add(base.slice(0, base.lastIndexOf('.')).toLowerCase(), 0);
    if (folder !== '.') add(folder.slice(folder.lastIndexOf('/') + 1).toLowerCase(), 0);
  }
  return out;
}
