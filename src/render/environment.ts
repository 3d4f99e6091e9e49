/**
 * The Nunjucks environment: autoescape on, with Markdown's escape rather than HTML's (every
 * `{{ … }}` output is repository text made inert, see escape.ts), undefined variables are errors
 * (a template typo fails the tests), and explicit filters for table cells, code spans, evidence
 * links and Mermaid, which return safe Markdown. Users' template directories come first, so any
 * partial can be overridden.
 */
import path from 'node:path';
import nunjucks from 'nunjucks';
import type { Evidence, Model } from '../model/schema.js';
import { parseId, queueAddress } from '../model/ids.js';
import { participantLookup } from '../model/lookup.js';
import { renderDiagram, type DiagramOptions } from '../diagrams/index.js';
import { formatBlock, todo } from './blocks.js';
import { builtinTemplatesDir } from '../util/package.js';
import { COMPILE_OPTIONS, TemplateLoader } from './loader.js';
import { cell, code, href, markdownText, safe } from './escape.js';
import { healthcheckOf, policiesOf, rolloutOf, statementOf } from './view-infrastructure.js';

export { cell, code } from './escape.js';

/** Quality attributes a target can measure, in the order documents list them. */
const TARGET_KINDS = [
  { kind: 'availability', title: 'Availability' },
  { kind: 'latency', title: 'Latency' },
  { kind: 'error-rate', title: 'Error rate' },
  { kind: 'throughput', title: 'Throughput' },
  { kind: 'success-rate', title: 'Check success rate' },
];

export interface RenderContext {
  model: Model;
  /** POSIX path from the output document's directory to the repository root ('' when the same). */
  linkBase: string;
  diagrams: DiagramOptions;
  templatesDir?: string;
  /** false: only the high-level diagram is drawn. */
  detailedDiagrams?: boolean;
  /** 'appendix': evidence becomes numbered footnotes listed by `evidenceNotes()` (no code paths in body text). */
  evidenceMode?: 'inline' | 'appendix';
}

/** A Markdown link to a file (and line) of the repository, as safe Markdown. */
export function evidenceLink(e: Evidence, linkBase: string): string {
  const target = href(linkBase === '' ? e.file : `${linkBase}/${e.file}`);
  const text = markdownText(e.line > 0 ? `${e.file}:${e.line}` : e.file);
  return safe(`[${text}](${e.line > 0 ? `${target}#L${e.line}` : target})`);
}

export function createEnvironment(ctx: RenderContext): nunjucks.Environment {
  const dirs = [ctx.templatesDir, builtinTemplatesDir()].filter((d): d is string => !!d).map((d) => path.resolve(d));
  const env = new nunjucks.Environment(new TemplateLoader(dirs) as unknown as nunjucks.ILoader, { autoescape: true, ...COMPILE_OPTIONS });
  // Filters and tests by their own names only, never a name every object inherits (`| constructor`,
  // `| __lookupGetter__`): with the lookups of loader.ts, hardening, not a sandbox.
  const lookups = env as unknown as Record<'getFilter' | 'getTest', (name: string) => unknown> & Record<'filters' | 'tests', object>;
  for (const [get, table, what] of [
    ['getFilter', 'filters', 'filter'],
    ['getTest', 'tests', 'test'],
  ] as const) {
    const original = lookups[get].bind(env);
    lookups[get] = (name) => {
      if (!Object.hasOwn(lookups[table], name)) throw new Error(`${what} not found: ${name}`);
      return original(name);
    };
  }
  const byId = new Map(ctx.model.components.map((c) => [c.id, c]));
  // Footnotes for appendix mode, numbered in order of first use (deterministic: rendering is sequential).
  const notes = new Map<string, { n: number; e: Evidence }>();
  const ref = (e: Evidence): string => {
    const key = `${e.file}\u0000${e.line}`;
    let note = notes.get(key);
    if (!note) notes.set(key, (note = { n: notes.size + 1, e: { file: e.file, line: e.line } }));
    return safe(`[^e${note.n}]`);
  };
  const link = (e: Evidence): string => (ctx.evidenceMode === 'appendix' ? ref(e) : evidenceLink(e, ctx.linkBase));
  env.addFilter('demote', (text: unknown) => safe(demoteHeadings(String(text ?? ''))));
  env.addFilter('cell', cell);
  env.addFilter('code', code);
  env.addFilter('ev', (list: Evidence[] | undefined, max = 3) => {
    if (!list || list.length === 0) return '—';
    const shown = list.slice(0, max).map(link);
    if (ctx.evidenceMode === 'appendix') return safe(shown.join(''));
    return safe(shown.join(', ') + (list.length > max ? ` (+${list.length - max} more)` : ''));
  });
  env.addFilter('evOne', (list: Evidence[] | undefined) => (list && list[0] ? link(list[0]) : '—'));
  env.addGlobal('evidenceNotes', () => [...notes.values()].map(({ n, e }) => safe(`[^e${n}]: ${evidenceLink(e, ctx.linkBase)}`)));
  const lookup = participantLookup(ctx.model);
  /** How a flow participant is named in prose (safe Markdown): a component, data store or external service by name, a queue as `queue name`. */
  const participant = (id: string): string => {
    const p = lookup(id);
    if (p.kind === 'queue') return safe(`queue ${code(p.fact?.name ?? p.key)}`);
    const byKey = p.kind === 'component' || p.kind === 'datastore' || p.kind === 'external';
    return safe(markdownText(p.fact?.name ?? (byKey ? p.key : id)));
  };
  env.addFilter('participant', participant);
  /** A security, recovery or scaling fact in words: its statement (view-infrastructure.ts), else its name. */
  env.addFilter('statement', statementOf);
  /** Typed infrastructure values in words (view-infrastructure.ts): a rollout, a scaling fact's policies, a container's health check. */
  env.addFilter('rollout', rolloutOf);
  env.addFilter('policies', policiesOf);
  env.addFilter('healthcheck', healthcheckOf);
  /** A fact id without its kind (`postgresql` for `datastore:postgresql`): templates never take ids apart themselves. */
  env.addFilter('idKey', (id: string) => parseId(id)?.key ?? id);
  /** Where a queue's address comes from: `name`, `environment` or `in-process`. */
  env.addFilter('queueAddress', (q: { id: string }) => queueAddress(q.id));
  /**
   * What a flow reaches besides its own component, named, at most `max` of them: a flow through a
   * shared queue can reach hundreds of components, and a line naming them all helps no reader.
   */
  env.addFilter('reaches', (flow: { participants: string[]; component: string }, max = 12) => {
    const others = flow.participants.filter((p) => p !== flow.component);
    const shown = others.slice(0, max).map(participant);
    return safe(others.length > max ? `${shown.join(', ')} and ${others.length - max} more` : shown.join(', '));
  });
  /** Link to a repository file (no line), relative to the output document. */
  env.addFilter('docLink', (file: string) => safe(href(ctx.linkBase === '' ? file : `${ctx.linkBase}/${file}`)));
  env.addFilter('factName', (id: string) => lookup(id).fact?.name ?? id);
  env.addFilter('cite', (list: Evidence[] | undefined) => {
    if (!list || list.length === 0) return '';
    return ctx.evidenceMode === 'appendix' ? link(list[0]!) : safe(` (${link(list[0]!)})`);
  });
  env.addFilter('whereNot', <T extends Record<string, unknown>>(list: T[] | undefined, key: string, value: unknown) =>
    (list ?? []).filter((x) => x[key] !== value),
  );
  env.addFilter('matching', <T extends Record<string, unknown>>(list: T[] | undefined, key: string, pattern: string, flags = '') => {
    const re = new RegExp(pattern, flags);
    return (list ?? []).filter((x) => typeof x[key] === 'string' && re.test(x[key] as string));
  });
  env.addFilter('where', <T extends Record<string, unknown>>(list: T[] | undefined, key: string, value: unknown) =>
    (list ?? []).filter((x) => x[key] === value),
  );
  /**
   * Targets (SLOs, load-test thresholds, alert thresholds) among observability facts, ordered by
   * quality attribute; `kinds` keeps only those attributes. Order within a kind is the model's.
   */
  env.addFilter('targets', (list: Model['observability'] | undefined, kinds?: string[]) => {
    const order = TARGET_KINDS.map((k) => k.kind);
    const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
    return (list ?? [])
      .flatMap((o) => (o.details?.target !== undefined && o.details.targetKind !== undefined ? [{ o, kind: o.details.targetKind }] : []))
      .filter(({ kind }) => !kinds || kinds.includes(kind))
      .map(({ o, kind }, i) => ({ o, i, r: rank(kind) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.o);
  });
  env.addFilter('attribute', (kind: string) => TARGET_KINDS.find((k) => k.kind === kind)?.title ?? kind);
  env.addFilter('at', (e: Evidence | undefined) => (e ? link({ file: e.file, line: e.line }) : '—'));
  env.addFilter('compName', (id: string | undefined) => (id ? (byId.get(id)?.name ?? id) : '—'));
  env.addFilter('compNames', (ids: string[] | undefined) => (ids && ids.length > 0 ? ids.map((id) => byId.get(id)?.name ?? id).join(', ') : '—'));
  env.addFilter('plural', (n: number, one: string, many?: string) => `${n} ${n === 1 ? one : (many ?? one + 's')}`);
  env.addFilter('anchor', (text: string) =>
    String(text)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .trim()
      .replace(/\s/g, '-'),
  );
  env.addGlobal('human', (id: string, placeholder: string) => safe(formatBlock(id, todo(markdownText(placeholder)))));
  /** A human block whose initial content is given whole (it should start with _TODO so it counts as unfilled). */
  env.addGlobal('humanBlock', (id: string, content: string) => safe(formatBlock(id, content)));
  // Mermaid labels are escaped by the diagram builders (diagrams/mermaid.ts).
  env.addGlobal('diagram', (kind: string, arg?: unknown) =>
    // Without detailed diagrams only the high-level picture is drawn.
    safe(ctx.detailedDiagrams === false && kind !== 'high-level' ? '' : renderDiagram(kind, ctx.model, arg, ctx.diagrams)),
  );
  return env;
}

/**
 * A section put under another heading (the arc42 layout): each Markdown heading one level down,
 * up to level six, outside fenced code (a Mermaid diagram, a shell command). Human-block markers
 * and the rest of the text are kept as they are.
 */
export function demoteHeadings(text: string): string {
  let fence: string | undefined;
  return text
    .split('\n')
    .map((line) => {
      const t = line.trimStart();
      const mark = t.startsWith('```') ? '```' : t.startsWith('~~~') ? '~~~' : undefined;
      if (mark) {
        if (fence === undefined) fence = mark;
        else if (mark === fence) fence = undefined;
        return line;
      }
      if (fence !== undefined || !line.startsWith('#')) return line;
      let n = 0;
      while (line[n] === '#') n++;
      return n < 6 && line[n] === ' ' ? `#${line}` : line;
    })
    .join('\n');
}
