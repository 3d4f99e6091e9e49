/**
 * Every Mermaid diagram archdoc draws is built here, from the model; templates only place them
 * with `{{ diagram("kind", arg) }}`. Adding a diagram is adding a builder file and one line below.
 */
import { createHash } from 'node:crypto';
import type { Model } from '../model/schema.js';
import { fence, inlineText, noteLines, type Diagram } from './mermaid.js';
import { budgetOf, guardDiagram, tabulateEdgeless } from './budget.js';
import { highLevel } from './high-level.js';
import { components } from './components.js';
import { authFlow } from './auth-flow.js';
import { messageFlow } from './message-flow.js';
import { er } from './er.js';
import { state } from './state.js';
import { sequence } from './sequence.js';
import { network } from './network.js';
import { pipeline } from './pipeline.js';

export interface DiagramOptions {
  maxNodes: number;
  maxEdges: number;
  /** Character budget per diagram (default 20,000; GitHub refuses 50,000). */
  maxChars?: number;
  /** 'svg': reference docs/diagrams/<id>.svg and keep the Mermaid source folded below it. */
  render?: 'mermaid' | 'svg';
}

export type DiagramBuilder = (model: Model, arg: unknown, opts: DiagramOptions) => Diagram | undefined;

export const diagramBuilders: Record<string, DiagramBuilder> = {
  'high-level': highLevel,
  'message-flow': messageFlow,
  components,
  'auth-flow': authFlow,
  er,
  state,
  sequence,
  network,
  pipeline,
};

/** Readable names of diagram kinds (alt text of rendered images). */
const TITLES: Record<string, string> = {
  'high-level': 'High-level architecture',
  'message-flow': 'Message flow',
  components: 'Component dependencies',
  'auth-flow': 'Authentication flow',
  er: 'Entity-relationship',
  state: 'State machine',
  sequence: 'Data flow',
  network: 'Network architecture',
  pipeline: 'CI/CD pipeline',
};

/**
 * File name (without extension) of a rendered diagram: the kind, then a readable slug and a short
 * hash of the argument and of the part (so two arguments never share a file).
 */
export function diagramFileId(kind: string, arg: unknown, part?: string): string {
  const slug = (v: string) =>
    v
      .toLowerCase()
      .replace(/^[a-z-]+:/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) +
    '-' +
    createHash('sha1').update(v).digest('hex').slice(0, 6);
  let id = kind.replace(/[^a-z0-9-]+/gi, '-');
  if (arg !== undefined && arg !== null && arg !== '') id += '-' + slug(String(arg));
  if (part !== undefined) id += '-' + slug(part);
  return id;
}

/** In SVG mode: an image reference with the Mermaid source folded under it (the source stays reviewable). */
function svgBlock(d: Diagram, id: string, alt: string): string {
  const src = '```mermaid\n' + d.code.replace(/\n+$/, '') + '\n```';
  return `![${alt.replace(/[[\]]/g, '')}](diagrams/${id}.svg)\n\n<details><summary>Mermaid source</summary>\n\n${src}\n\n</details>`;
}

function present(kind: string, arg: unknown, d: Diagram, opts: DiagramOptions): string {
  if (opts.render !== 'svg') return fence(d);
  const one = (x: Diagram, id: string, alt: string) => (x.table ?? svgBlock(x, id, alt)) + (x.notes.length > 0 ? '\n\n' + noteLines(x.notes) : '');
  let out = one(d, diagramFileId(kind, arg), TITLES[kind] ?? `${kind} diagram`);
  for (const p of d.parts ?? []) {
    out += `\n\n**${inlineText(p.title)}**\n\n${one(p.diagram, diagramFileId(kind, arg, p.key), p.title)}`;
  }
  return out;
}

/** Build a diagram and fence it for Markdown; '' when there is nothing to draw. */
export function renderDiagram(kind: string, model: Model, arg: unknown, opts: DiagramOptions): string {
  const builder = diagramBuilders[kind];
  if (!builder) throw new Error(`unknown diagram kind "${kind}"`);
  const d = builder(model, arg, opts);
  if (!d) return '';
  const what = TITLES[kind] ?? kind;
  return present(kind, arg, tabulateEdgeless(guardDiagram(d, what, budgetOf(opts)), what), opts);
}

/** Build without fencing (tests parse the Mermaid source). */
export function buildDiagram(kind: string, model: Model, arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const builder = diagramBuilders[kind];
  if (!builder) throw new Error(`unknown diagram kind "${kind}"`);
  return builder(model, arg, opts);
}
