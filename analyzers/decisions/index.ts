/**
 * decisions: the key design decisions the evidence shows — architecture style, each service's
 * internal pattern, primary database, ORM, messaging, deployment platform, authentication, API
 * style, monorepo tool, infrastructure-as-code tool — each stated with its evidence, linked to
 * the architecture decision records (ADRs) that concern it. Rationale, alternatives and
 * trade-offs are left to people (human blocks in the document).
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { Decision, DecisionBasis, Evidence, Model } from '../../src/model/schema.js';
import { compareStrings, sortedEvidence } from '../../src/model/compare.js';
import { ADR_PATH, parseAdr } from '../../src/analysis/adr-files.js';
import { detectModules, detectPattern } from './patterns.js';
import {
  apiStyleHeadline,
  authenticationHeadline,
  list,
  messagingHeadline,
  platformHeadline,
  primaryDatabaseHeadline,
  styleHeadline,
  type Headline,
  type ImportedMessaging,
  type PlatformVariablesRead,
} from './headlines.js';
import { messagingImports, platformVariables } from './imports.js';
import { idOf } from '../../src/model/ids.js';

function firstEvidence(facts: { evidence: Evidence[] }[], max = 4): Evidence[] {
  return sortedEvidence(facts.flatMap((f) => f.evidence.slice(0, 1))).slice(0, max);
}

/** Decisions derived from the merged model. */
export function deriveDecisions(model: Model, imported: readonly ImportedMessaging[] = [], platformVars: readonly PlatformVariablesRead[] = []): Decision[] {
  const out: Decision[] = [];
  const add = (topic: string, name: string, basis: DecisionBasis, decision: string, evidence: Evidence[], details?: Decision['details']) => {
    if (evidence.length === 0) return;
    const d: Decision = { id: idOf.decision(topic), name, topic, basis, decision, evidence: sortedEvidence(evidence) };
    if (details && Object.keys(details).length > 0) d.details = details;
    out.push(d);
  };
  const headline = (topic: string, name: string, h: Headline | undefined) => {
    if (h) add(topic, name, h.basis, h.decision, h.evidence, h.details);
  };
  const comps = model.components;
  headline('architecture-style', 'Architecture style', styleHeadline(model));
  headline('primary-database', 'Primary database', primaryDatabaseHeadline(model));

  const byCategory = (cats: string[]) => model.techStack.filter((t) => cats.includes(t.category));
  const orms = byCategory(['orm', 'query-builder']).filter((t) => !/CLI$/.test(t.name));
  if (orms.length > 0) {
    const libraries = [...new Set(orms.map((t) => t.name))];
    add('orm', 'Data access', { rule: 'orm', libraries }, list(libraries), firstEvidence(orms));
  }

  headline('messaging', 'Messaging technology', messagingHeadline(model, imported));
  headline('deployment-platform', 'Deployment platform', platformHeadline(model, platformVars));
  headline('authentication', 'Authentication mechanism', authenticationHeadline(model));
  headline('api-style', 'API style', apiStyleHeadline(model));

  // Only a declared workspace or monorepo tool is named: nested package.json files found without
  // one (a Lambda's own manifest beside a CDK app) are separate packages, not a monorepo's.
  const mono = byCategory(['monorepo']);
  if (mono.length > 0 && comps.length > 1) {
    const workspaces = mono.filter((t) => t.name.endsWith(' workspaces'));
    const tools = [...workspaces, ...mono.filter((t) => !workspaces.includes(t))].map((t) => t.name);
    add('monorepo-tool', 'Monorepo tooling', { rule: 'monorepo-tool', packages: comps.length }, list(tools), firstEvidence(mono));
  }

  const iac = byCategory(['iac']);
  const tools = [...new Set(iac.map((t) => t.name))];
  if (iac.length > 0) add('iac-tool', 'Infrastructure as code', { rule: 'iac-tool', tools }, list(tools), firstEvidence(iac));
  return out;
}

/** ADRs about a decision: explicit (`decision:` or a tag naming the topic) or by naming what was decided. */
function linkAdrs(model: Model): void {
  const adrs = model.documents.filter((d) => d.kind === 'adr');
  for (const d of model.decisions) {
    const words = d.decision
      .split(/,\s*|(?<!\s)\s+and\s+|(?<!\s)\s+with\s+|(?:(?<!\s)\s+)?\(|\)/)
      .map((w) => w.trim())
      .filter((w) => w.length >= 3 && !/^(a|an|the|small|set|of|services)$/i.test(w));
    const linked = adrs.filter((a) => {
      const det = a.details ?? {};
      const tags = Array.isArray(det.tags) ? det.tags : [];
      if (det.decision === d.topic || tags.includes(d.topic)) return true;
      if (d.topic === 'internal-pattern') return false;
      return words.some((w) => new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(a.name));
    });
    if (linked.length) d.adrs = linked.map((a) => a.id).sort(compareStrings);
  }
}

export default defineAnalyzer({
  meta: {
    name: 'decisions',
    description: 'Key design decisions shown by the evidence, internal patterns of services, and the ADRs about them',
    produces: ['decisions', 'documents'],
    consumes: [
      'components',
      'endpoints',
      'schemas',
      'dataStores',
      'queues',
      'infrastructure',
      'workloads',
      'containers',
      'pipelines',
      'security',
      'techStack',
      'decisions',
      'documents',
      'components.settled',
      'security.linked',
      'queues.joined',
      'components.rpc',
      'techStack.components',
    ],
    amends: ['decisions'],
    reads: ['documentation'],
  },
  analyze(ctx) {
    // ADRs: index them (number, title, status, date) on the documents analyzer's entries.
    for (const file of ctx.filesMatching(ADR_PATH)) {
      if (/(^|\/)(node_modules|fixtures|test|tests)\//.test(file) || /(^|\/)(README|index|template)\.md$/i.test(file)) continue;
      const text = ctx.read(file);
      if (text === undefined) continue;
      const adr = parseAdr(file, text);
      if (!adr) continue;
      const details: Record<string, string | number | string[]> = {};
      if (adr.number !== undefined) details.number = adr.number;
      if (adr.status) details.status = adr.status;
      if (adr.date) details.date = adr.date;
      if (adr.tags.length) details.tags = adr.tags;
      if (adr.decision) details.decision = adr.decision;
      ctx.emit('documents', { id: idOf.document(file), name: adr.title, kind: 'adr', details, evidence: [{ file, line: adr.line }] });
    }
    // Internal pattern of each deployable component, from folders and import direction.
    const byComponent = new Map<string, { file: string; text: string }[]>();
    for (const file of ctx.typescriptFiles()) {
      if (ctx.isSetAside(file)) continue;
      const comp = ctx.componentOf(file);
      if (!comp) continue;
      const text = ctx.read(file);
      if (text === undefined) continue;
      byComponent.set(comp, [...(byComponent.get(comp) ?? []), { file, text }]);
    }
    for (const pkg of ctx.workspace.packages) {
      const files = byComponent.get(pkg.componentId);
      if (!files) continue;
      const found = detectPattern(files);
      if (!found) continue;
      const breaches = found.breaches.map((b) => `${b.from}:${b.line} (${b.fromLayer}) imports ${b.to} (${b.toLayer})`);
      // Module folders with their own layers (bounded contexts): the style rule reads them.
      const modules = detectModules(files.map((f) => f.file));
      ctx.emit('decisions', {
        id: idOf.decision('internal-pattern', pkg.path),
        name: `Internal pattern of ${pkg.name}`,
        topic: 'internal-pattern',
        component: pkg.componentId,
        basis: { rule: 'internal-pattern', folders: found.folders, imports: found.imports, breaches: found.breaches.length },
        decision: found.name,
        details: { pattern: found.pattern, breaches, ...(modules.length >= 2 ? { modules } : {}) },
        evidence: [...found.evidence, ...found.breaches.slice(0, 3).map((b) => ({ file: b.from, line: b.line }))],
      });
    }
  },
  link(model, ctx) {
    const derived = deriveDecisions(model, messagingImports(ctx), platformVariables(ctx));
    const byId = new Map(model.decisions.map((d) => [d.id, d]));
    for (const d of derived) if (!byId.has(d.id)) model.decisions.push(d);
    model.decisions.sort((a, b) => compareStrings(a.id, b.id));
    linkAdrs(model);
  },
});
