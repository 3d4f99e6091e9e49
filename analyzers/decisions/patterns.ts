/**
 * Internal patterns of a component from its folder structure and the direction of its relative
 * imports: layered (controllers → services → repositories), clean/hexagonal (domain, application,
 * infrastructure; ports and adapters) and CQRS (commands and queries). Imports against the
 * pattern's direction are reported as breaches with their line.
 */
import type { Evidence } from '../../src/model/schema.js';
import { compareStrings } from '../../src/model/compare.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { LineIndex } from '../../src/util/text.js';

export type Layer = 'presentation' | 'application' | 'domain' | 'infrastructure';

const LAYER_DIRS: [RegExp, Layer][] = [
  [/^(controllers?|routes?|routers?|resolvers?|handlers?|endpoints?|presentation|interfaces|http|web|api)$/i, 'presentation'],
  [/^(services?|use-?cases?|usecases|application|app-services|commands?|queries?)$/i, 'application'],
  [/^(domain|entities|entity|models?|aggregates?|core)$/i, 'domain'],
  [/^(repositories|repository|repos?|infrastructure|infra|adapters?|persistence|db|database|data-access|dal|gateways?|ports?)$/i, 'infrastructure'],
];
const FILE_SUFFIX: [RegExp, Layer][] = [
  [/\.(controller|route|routes|router|resolver|handler)\.[cm]?[jt]sx?$/, 'presentation'],
  [/\.(service|use-?case|command|query)\.[cm]?[jt]sx?$/, 'application'],
  [/\.(entity|model|aggregate|value-object)\.[cm]?[jt]sx?$/, 'domain'],
  [/\.(repository|repo|adapter|gateway)\.[cm]?[jt]sx?$/, 'infrastructure'],
];

/** The layer of a file, from its name suffix first, then from the nearest matching folder. */
export function layerOf(file: string): Layer | undefined {
  for (const [re, layer] of FILE_SUFFIX) if (re.test(file)) return layer;
  const segs = file.split('/').slice(0, -1).reverse();
  for (const seg of segs) for (const [re, layer] of LAYER_DIRS) if (re.test(seg)) return layer;
  return undefined;
}

/** Which layers may not import which, per pattern. */
const FORBIDDEN: Record<string, [Layer, Layer][]> = {
  layered: [
    ['application', 'presentation'],
    ['infrastructure', 'presentation'],
    ['domain', 'presentation'],
    ['infrastructure', 'application'],
  ],
  clean: [
    ['domain', 'application'],
    ['domain', 'infrastructure'],
    ['domain', 'presentation'],
    ['application', 'infrastructure'],
    ['application', 'presentation'],
  ],
};

export interface PatternFinding {
  pattern: 'layered' | 'clean' | 'cqrs';
  name: string;
  /** Up to six layer folders with their file counts, most files first: `{ name: 'controllers', count: 4 }`. */
  folders: { name: string; count: number }[];
  evidence: Evidence[];
  breaches: { from: string; line: number; to: string; fromLayer: Layer; toLayer: Layer }[];
  imports: number;
}

const IMPORT =
  /^[^\S\n\r\u2028\u2029]*(?:import|export)\b[^'"\n]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|^[^\S\n\r\u2028\u2029]*import\s*['"](\.{1,2}\/[^'"]+)['"]|require\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm;

export function detectPattern(files: { file: string; text: string }[]): PatternFinding | undefined {
  const byLayer = new Map<Layer, string[]>();
  const folders = new Map<string, number>();
  for (const { file } of files) {
    const layer = layerOf(file);
    if (!layer) continue;
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), file]);
    const folder = dirOf(file).split('/').pop() ?? '';
    folders.set(folder, (folders.get(folder) ?? 0) + 1);
  }
  const has = (l: Layer) => (byLayer.get(l)?.length ?? 0) > 0;
  const names = files.map((f) => f.file);
  const cqrs =
    names.some((f) => /(^|\/)commands?\//i.test(f) || /\.command\.[cm]?[jt]s$/.test(f)) &&
    names.some((f) => /(^|\/)quer(y|ies)\//i.test(f) || /\.query\.[cm]?[jt]s$/.test(f));
  let pattern: PatternFinding['pattern'] | undefined;
  let name = '';
  // Clean or hexagonal architecture names its rings: domain and application beside
  // infrastructure, or ports beside adapters.
  const dirNames = new Set(
    names.flatMap((f) =>
      f
        .split('/')
        .slice(0, -1)
        .map((s) => s.toLowerCase()),
    ),
  );
  const clean =
    (dirNames.has('domain') && dirNames.has('application') && (dirNames.has('infrastructure') || dirNames.has('adapters'))) ||
    (dirNames.has('ports') && dirNames.has('adapters'));
  if (clean) {
    pattern = 'clean';
    name = dirNames.has('ports') ? 'Hexagonal (ports and adapters)' : 'Clean architecture (domain, application, infrastructure)';
  } else if (has('presentation') && has('application') && (has('infrastructure') || has('domain'))) {
    pattern = 'layered';
    name = 'Layered (controllers or routes → services → repositories)';
  } else if (cqrs) {
    pattern = 'cqrs';
    name = 'Command and query separation (CQRS)';
  }
  if (!pattern) return undefined;
  if (cqrs && pattern !== 'cqrs') name += ', with command and query separation (CQRS)';
  const counted = [...folders.entries()]
    .filter(([f]) => f !== '')
    .sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))
    .slice(0, 6)
    .map(([name, count]) => ({ name, count }));
  const evidence: Evidence[] = (['presentation', 'application', 'domain', 'infrastructure'] as Layer[])
    .filter(has)
    .map((l) => ({ file: byLayer.get(l)!.sort(compareStrings)[0]!, line: 0 }));
  const breaches: PatternFinding['breaches'] = [];
  let imports = 0;
  const forbidden = FORBIDDEN[pattern === 'cqrs' ? 'layered' : pattern]!;
  for (const { file, text } of files) {
    const fromLayer = layerOf(file);
    if (!fromLayer) continue;
    let lines: LineIndex | undefined;
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      const target = joinPosix(dirOf(file), spec);
      const toLayer = layerOf(target + (/\.[a-z]+$/.test(target) ? '' : '.ts'));
      if (!toLayer || toLayer === fromLayer) continue;
      imports++;
      if (forbidden.some(([a, b]) => a === fromLayer && b === toLayer)) {
        breaches.push({ from: file, line: (lines ??= new LineIndex(text)).line(m.index), to: target, fromLayer, toLayer });
      }
    }
  }
  return { pattern, name, folders: counted, evidence, breaches, imports };
}

const MODULE_PARENTS = new Set(['modules', 'contexts', 'bounded-contexts', 'domains']);
/** A module's own domain model: `domain/` or `aggregates/` (entities/ and models/ are as often a feature folder's ORM classes). */
const DOMAIN_MODEL_DIR = /^(domain|aggregates?)$/i;

/**
 * Module folders with their own layers: `src/modules/<name>/` (or `contexts/`, `bounded-contexts/`,
 * `domains/`) whose own subfolders name at least two different layers, one of them its own domain
 * model (`domain/` or `aggregates/`, beside infra/, useCases/…): each is a bounded context with its own
 * model inside one deployable. Feature folders of controllers and services only (a layered app
 * split by feature) are not. Sorted paths.
 */
export function detectModules(files: readonly string[]): string[] {
  const layers = new Map<string, Set<Layer>>();
  const modelled = new Set<string>();
  for (const file of files) {
    const segs = file.split('/');
    for (let k = 0; k + 3 < segs.length; k++) {
      if (!MODULE_PARENTS.has(segs[k]!)) continue;
      const sub = segs[k + 2]!;
      const layer = LAYER_DIRS.find(([re]) => re.test(sub))?.[1];
      if (!layer) continue;
      const module = segs.slice(0, k + 2).join('/');
      let set = layers.get(module);
      if (!set) layers.set(module, (set = new Set()));
      set.add(layer);
      if (DOMAIN_MODEL_DIR.test(sub)) modelled.add(module);
    }
  }
  return [...layers.entries()]
    .filter(([m, s]) => s.size >= 2 && modelled.has(m))
    .map(([m]) => m)
    .sort(compareStrings);
}
