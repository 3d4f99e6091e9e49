/**
 * Every Mermaid diagram archdoc draws is built here, from the model; templates only place them
 * with `{{ diagram("kind", arg) }}`. Adding a diagram is adding a builder file and one line below.
 */
import type { Model } from '../model/schema.js';
import { fence, type Diagram } from './mermaid.js';
import { highLevel } from './high-level.js';
import { messageFlow } from './message-flow.js';

export interface DiagramOptions {
  maxNodes: number;
  maxEdges: number;
}

export type DiagramBuilder = (model: Model, arg: unknown, opts: DiagramOptions) => Diagram | undefined;

export const diagramBuilders: Record<string, DiagramBuilder> = {
  'high-level': highLevel,
  'message-flow': messageFlow,
};

/** Build a diagram and fence it for Markdown; '' when there is nothing to draw. */
export function renderDiagram(kind: string, model: Model, arg: unknown, opts: DiagramOptions): string {
  const builder = diagramBuilders[kind];
  if (!builder) throw new Error(`unknown diagram kind "${kind}"`);
  const d = builder(model, arg, opts);
  return d ? fence(d) : '';
}

/** Build without fencing (tests parse the Mermaid source). */
export function buildDiagram(kind: string, model: Model, arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const builder = diagramBuilders[kind];
  if (!builder) throw new Error(`unknown diagram kind "${kind}"`);
  return builder(model, arg, opts);
}
