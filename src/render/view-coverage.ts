/**
 * Coverage views for the templates: per section, the technologies that are present but that no
 * analyzer reads (so the section is incomplete), what was read and how much, and the code in
 * other languages that was not analysed. Derived from `model.coverage` (and the queues, counted once across languages).
 */
import { languageOfFile } from '../data/languages.js';
import { compareStrings } from '../model/compare.js';
import type { CoverageTech, Evidence, Model } from '../model/schema.js';

type Category = CoverageTech['category'];

/** What a technology yields, as the document names it. */
const YIELDS: Record<string, { one: string; many: string }> = {
  routes: { one: 'route', many: 'routes' },
  procedures: { one: 'procedure', many: 'procedures' },
  operations: { one: 'operation', many: 'operations' },
  rpcs: { one: 'RPC', many: 'RPCs' },
  entities: { one: 'model', many: 'models' },
  tables: { one: 'table', many: 'tables' },
  stores: { one: 'store', many: 'stores' },
  queues: { one: 'queue', many: 'queues' },
  workflows: { one: 'workflow', many: 'workflows and activities' },
  resources: { one: 'resource', many: 'resources' },
  telemetry: { one: 'telemetry fact', many: 'telemetry facts' },
  authentication: { one: 'authentication fact', many: 'authentication facts' },
};

/** What the reader should conclude about the section when a technology of its category is unread. */
const CONSEQUENCE: Record<Category, string> = {
  api: 'the API inventory is incomplete',
  graphql: 'the API inventory is incomplete',
  data: 'the data stores and entities listed are incomplete',
  messaging: 'the message flow is incomplete',
  infrastructure: 'the infrastructure listed is incomplete',
  observability: 'the monitoring described is incomplete',
  identity: 'the authentication described is incomplete',
};

/** Where each category is covered in the document, for the Analysis notes. */
const SECTION: Record<Category, string> = {
  api: 'the API inventory',
  graphql: 'the API inventory',
  data: 'Data architecture',
  messaging: 'Data flow',
  infrastructure: 'Deployment',
  observability: 'Monitoring and observability',
  identity: 'Security architecture',
};

export interface UnreadTech {
  name: string;
  /** Component paths when it is a dependency of components, else the folders of its files. */
  where: string[];
  /** True when components depend on it (a manifest names it); false when files show it. */
  dependency: boolean;
  /** What is not read, e.g. "procedures". */
  what: string;
  consequence: string;
  section: string;
  evidence: Evidence[];
}

export interface LanguageRow {
  name: string;
  files: number;
  /** Up to five folders, most files first. */
  folders: string[];
  /** Folders beyond those five. */
  moreFolders: number;
  folderCount: number;
  evidence: Evidence[];
  /** When its HTTP routes are read: the endpoints found in its files. */
  routes?: number;
  /** The ORM entities read from its files. */
  entities: number;
  /** The queues whose ends were read in its files. */
  queues: number;
  /** What of it is read, for a language whose routes are: "HTTP routes, database entities and message queues". */
  readWhat: string;
  /** What that found: "12 routes, 3 entities and 1 queue". */
  foundWhat: string;
}

export interface CoverageView {
  /** Present but unread technologies, per document category key (api, data, messaging, …). */
  unread: Record<string, UnreadTech[]>;
  /** Every unread technology, for the Analysis notes. */
  allUnread: UnreadTech[];
  /** Read technologies with what was found: "Express (12 routes)", "Kysely (0 found)". */
  read: { name: string; found: string }[];
  languages: LanguageRow[];
  /** Languages of which only HTTP routes are read, and their routes found; languages not read at all. */
  routedLanguages: LanguageRow[];
  routesFound: number;
  entitiesFound: number;
  /** What of those languages is read and what was found, over all of them. */
  readWhat: string;
  foundWhat: string;
  unroutedLanguages: LanguageRow[];
  /** "Go and Python" when code in other languages is present, else empty. */
  otherLanguages: string;
}

/** "a", "a and b", "a, b and c". */
export function listPhrase(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What of a partly analysed language is read (routes always; entities and queues where some were found) and what was found. */
function readAndFound(routes: number, entities: number, queues: number): { readWhat: string; foundWhat: string } {
  const what = ['HTTP routes'];
  const found = [`${routes} ${routes === 1 ? 'route' : 'routes'}`];
  if (entities > 0) {
    what.push('database entities');
    found.push(`${entities} ${entities === 1 ? 'entity' : 'entities'}`);
  }
  if (queues > 0) {
    what.push('message queues');
    found.push(`${queues} ${queues === 1 ? 'queue' : 'queues'}`);
  }
  return { readWhat: listPhrase(what), foundWhat: listPhrase(found) };
}

export function coverageView(model: Model): CoverageView {
  const technologies = model.coverage?.technologies ?? [];
  const unread: Record<string, UnreadTech[]> = { api: [], graphql: [], data: [], messaging: [], infrastructure: [], observability: [], identity: [] };
  const allUnread: UnreadTech[] = [];
  // One line per technology name (the catalogue may list one name under several packages).
  const seen = new Set<string>();
  for (const t of technologies) {
    if (t.status !== 'unread' || seen.has(t.name)) continue;
    seen.add(t.name);
    const row: UnreadTech = {
      name: t.name,
      where: t.paths,
      dependency: t.components.length > 0,
      what: YIELDS[t.yields]?.many ?? t.yields,
      consequence: CONSEQUENCE[t.category],
      section: SECTION[t.category],
      evidence: t.evidence,
    };
    unread[t.category]!.push(row);
    allUnread.push(row);
  }
  allUnread.sort((a, b) => compareStrings(a.section, b.section) || compareStrings(a.name, b.name));
  const readNames = new Set<string>();
  const read = technologies
    .filter((t) => t.status === 'read' && !readNames.has(t.name) && readNames.add(t.name))
    .map((t) => {
      const y = YIELDS[t.yields] ?? { one: t.yields, many: t.yields };
      return { name: t.name, found: t.facts === 0 ? '0 found' : `${t.facts} ${t.facts === 1 ? y.one : y.many}` };
    })
    .sort((a, b) => compareStrings(a.name.toLowerCase(), b.name.toLowerCase()) || compareStrings(a.name, b.name));
  const languages = (model.coverage?.languages ?? []).map((l) => ({
    name: l.name,
    files: l.files,
    folders: l.folders.slice(0, 5).map((f) => f.path),
    moreFolders: Math.max(0, l.folders.length - 5),
    folderCount: l.folders.length,
    evidence: l.evidence,
    ...(l.routes !== undefined ? { routes: l.routes } : {}),
    entities: l.entities ?? 0,
    queues: l.queues ?? 0,
    ...readAndFound(l.routes ?? 0, l.entities ?? 0, l.queues ?? 0),
  }));
  const routedLanguages = languages.filter((l) => l.routes !== undefined);
  const routedNames = new Set(routedLanguages.map((l) => l.name));
  const sum = (f: (l: LanguageRow) => number) => routedLanguages.reduce((n, l) => n + f(l), 0);
  return {
    unread,
    allUnread,
    read,
    languages,
    routedLanguages,
    routesFound: sum((l) => l.routes ?? 0),
    entitiesFound: sum((l) => l.entities),
    // A queue with ends in two of those languages is one queue.
    ...readAndFound(
      sum((l) => l.routes ?? 0),
      sum((l) => l.entities),
      model.queues.filter((q) => q.evidence.some((e) => routedNames.has(languageOfFile(e.file) ?? ''))).length,
    ),
    unroutedLanguages: languages.filter((l) => l.routes === undefined),
    otherLanguages: listPhrase(languages.map((l) => l.name)),
  };
}
