/**
 * decisions: the key design decisions the evidence shows — architecture style, each service's
 * internal pattern, primary database, ORM, messaging, deployment platform, authentication, API
 * style, monorepo tool, infrastructure-as-code tool — each stated with its evidence, linked to
 * the architecture decision records (ADRs) that concern it. Rationale, alternatives and
 * trade-offs are left to people (human blocks in the document).
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import { isTestFile } from '../../src/analyzer/context.js';
import type { Decision, Evidence, Model } from '../../src/model/schema.js';
import { compareStrings, sortedEvidence } from '../../src/model/compare.js';
import { ADR_PATH, parseAdr } from './adr-files.js';
import { detectPattern } from './patterns.js';

const DEPLOYABLE = new Set(['service', 'worker', 'function']);
/** Dockerfiles of development environments: `.gitpod.Dockerfile`, `.devcontainer/`. */
const DEV_ENVIRONMENT = /(^|\/)(\.gitpod\.Dockerfile$|\.devcontainer\/)/;

function list(names: string[]): string {
  const u = [...new Set(names)];
  return u.length <= 1 ? (u[0] ?? '') : `${u.slice(0, -1).join(', ')} and ${u[u.length - 1]}`;
}

function firstEvidence(facts: { evidence: Evidence[] }[], max = 4): Evidence[] {
  return sortedEvidence(facts.flatMap((f) => f.evidence.slice(0, 1))).slice(0, max);
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Decisions derived from the merged model. */
export function deriveDecisions(model: Model): Decision[] {
  const out: Decision[] = [];
  const add = (topic: string, name: string, context: string, decision: string, evidence: Evidence[], details?: Decision['details']) => {
    if (evidence.length === 0) return;
    const d: Decision = { id: `decision:${topic}`, name, topic, context, decision, evidence: sortedEvidence(evidence) };
    if (details) d.details = details;
    out.push(d);
  };
  const comps = model.components;
  const services = comps.filter((c) => c.kind === 'service');
  const workers = comps.filter((c) => c.kind === 'worker');
  const functions = comps.filter((c) => c.kind === 'function');
  const queues = model.queues;
  const deployables = comps.filter((c) => DEPLOYABLE.has(c.kind));

  // Architecture style.
  if (deployables.length > 0) {
    const styles: string[] = [];
    if (functions.length > 0 && services.length === 0) styles.push('Serverless');
    else if (services.length >= 3 || deployables.length >= 4) styles.push('Microservices');
    else if (services.length + workers.length >= 2) styles.push('A small set of services');
    else if (comps.filter((c) => c.kind === 'library').length >= 3) styles.push('Modular monolith');
    else styles.push('Monolith');
    if (queues.length > 0 && (workers.length > 0 || queues.some((q) => q.consumers.length > 0))) styles.push('event-driven messaging');
    add(
      'architecture-style',
      'Architecture style',
      `The repository has ${plural(services.length, 'service')}, ${plural(workers.length, 'worker')}, ${plural(functions.length, 'serverless function')}, ${plural(comps.filter((c) => c.kind === 'library').length, 'shared library', 'shared libraries')} and ${plural(queues.length, 'message channel')}.`,
      styles.join(', with '),
      firstEvidence([...deployables, ...queues], 6),
      { services: services.length, workers: workers.length, functions: functions.length, queues: queues.length },
    );
  }

  // Primary database: the relational or document store used by the most components.
  const stores = model.dataStores.filter((d) => d.kind !== 'cache' && d.kind !== 'object' && d.kind !== 'search');
  if (stores.length > 0) {
    const primary = [...stores].sort((a, b) => b.usedBy.length - a.usedBy.length || compareStrings(a.id, b.id))[0]!;
    const others = stores.filter((s) => s !== primary).map((s) => s.name);
    add(
      'primary-database',
      'Primary database',
      `${plural(stores.length, 'database')} detected${others.length ? ` (also ${list(others)})` : ''}; ${primary.name} is used by ${plural(primary.usedBy.length, 'component')}.`,
      primary.name,
      primary.evidence.slice(0, 4),
    );
  }

  const byCategory = (cats: string[]) => model.techStack.filter((t) => cats.includes(t.category));
  const orms = byCategory(['orm', 'query-builder']).filter((t) => !/CLI$/.test(t.name));
  if (orms.length > 0) {
    add('orm', 'Data access', `Data-access libraries in the manifests: ${list(orms.map((t) => t.name))}.`, list(orms.map((t) => t.name)), firstEvidence(orms));
  }

  if (queues.length > 0) {
    const techs = [...new Set(queues.map((q) => q.tech))].sort(compareStrings);
    add('messaging', 'Messaging technology', `${plural(queues.length, 'message channel')} across ${list(techs)}.`, list(techs), firstEvidence(queues));
  }

  // Deployment platform.
  const platforms: { name: string; evidence: Evidence[] }[] = [];
  const kinds = (re: RegExp) => [...model.deployment.workloads, ...model.infrastructure.map((i) => ({ ...i, kind: i.type }))].filter((w) => re.test(w.kind));
  const k8s = kinds(/^(Deployment|StatefulSet|DaemonSet|CronJob|Job)$|kubernetes|helm/i);
  if (k8s.length) platforms.push({ name: 'Kubernetes', evidence: firstEvidence(k8s) });
  const ecs = kinds(/aws_ecs_service|aws_ecs_task_definition/);
  if (ecs.length) platforms.push({ name: 'AWS ECS', evidence: firstEvidence(ecs) });
  const lambda = kinds(/aws_lambda_function|Lambda|serverless/i);
  if (lambda.length || functions.length) platforms.push({ name: 'AWS Lambda (serverless)', evidence: firstEvidence([...lambda, ...functions]) });
  const run = kinds(/google_cloud_run|azurerm_(linux_)?web_app|azurerm_app_service/);
  if (run.length) platforms.push({ name: 'Managed container platform', evidence: firstEvidence(run) });
  // Compose is the platform only where it runs the repository's own code (a service built from
  // it); a compose file of registry images alone (a database, a broker) is local infrastructure.
  const composeBuilt = model.deployment.workloads.filter((w) => w.kind === 'compose service' && w.details?.build !== undefined);
  if (platforms.length === 0 && composeBuilt.length > 0) platforms.push({ name: 'Docker Compose', evidence: firstEvidence(composeBuilt) });
  // An image built from a Dockerfile says how the code is packaged, not where it runs.
  // Dev-environment images (Gitpod, dev containers) are the developers' tools, not the system's.
  const images = model.deployment.containers.filter((c) => c.details?.source !== 'compose' && !c.evidence.some((e) => DEV_ENVIRONMENT.test(e.file)));
  if (platforms.length === 0 && images.length > 0) {
    add(
      'deployment-platform',
      'Deployment platform',
      `${images.length === 1 ? 'An image is built from a Dockerfile' : `${images.length} images are built from Dockerfiles`}, but nothing in the repository says where ${images.length === 1 ? 'it runs' : 'they run'}: no orchestrator, cloud function or container service, and no compose service built from the repository.`,
      'Undetermined',
      firstEvidence(images),
    );
  }
  if (platforms.length > 0) {
    add(
      'deployment-platform',
      'Deployment platform',
      `Deployment configuration found: ${plural(model.deployment.workloads.length, 'workload')}, ${plural(model.deployment.containers.length, 'container image')}, ${plural(model.infrastructure.length, 'infrastructure resource')}.`,
      list(platforms.map((p) => p.name)),
      platforms.flatMap((p) => p.evidence),
    );
  }

  // Mechanisms only: the routes that authenticate and the traced flow are not mechanisms.
  const auth = model.security.filter((s) => s.category === 'authentication' && !/^security:auth-(route|flow)/.test(s.id));
  if (auth.length > 0) {
    add('authentication', 'Authentication mechanism', `${plural(auth.length, 'authentication mechanism')} found in code and configuration.`, list(auth.map((a) => a.tech ?? a.name)), firstEvidence(auth));
  }

  const protocols = [...new Set(model.endpoints.map((e) => e.protocol))].sort(compareStrings);
  if (protocols.length > 0) {
    const names: Record<string, string> = { http: 'REST over HTTP', graphql: 'GraphQL', grpc: 'gRPC', websocket: 'WebSockets' };
    const counts = protocols.map((p) => `${model.endpoints.filter((e) => e.protocol === p).length} ${names[p] ?? p}`);
    add('api-style', 'API style', `Endpoints by protocol: ${counts.join(', ')}.`, list(protocols.map((p) => names[p] ?? p)), firstEvidence(model.endpoints));
  }

  const mono = byCategory(['monorepo']);
  if (mono.length > 0 || comps.length > 1) {
    const tools = mono.map((t) => t.name);
    const pm = byCategory(['package-manager']).map((t) => t.name);
    const ev = firstEvidence([...mono, ...byCategory(['package-manager'])]);
    if (ev.length && comps.length > 1) {
      add('monorepo-tool', 'Monorepo tooling', `${plural(comps.length, 'package')} in one repository.`, list([...pm.map((p) => `${p} workspaces`), ...tools]), ev);
    }
  }

  const iac = byCategory(['iac']);
  if (iac.length > 0) add('iac-tool', 'Infrastructure as code', `Infrastructure definitions in the repository: ${list(iac.map((t) => t.name))}.`, list(iac.map((t) => t.name)), firstEvidence(iac));
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
      ctx.emit('documents', { id: `document:${file}`, name: adr.title, kind: 'adr', details, evidence: [{ file, line: adr.line }] });
    }
    // Internal pattern of each deployable component, from folders and import direction.
    const byComponent = new Map<string, { file: string; text: string }[]>();
    for (const file of ctx.typescriptFiles()) {
      if (isTestFile(file)) continue;
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
      ctx.emit('decisions', {
        id: `decision:internal-pattern:${pkg.path}`,
        name: `Internal pattern of ${pkg.name}`,
        topic: 'internal-pattern',
        component: pkg.componentId,
        context: `Folders: ${found.counts.join(', ')}; ${plural(found.imports, 'import')} between layers, ${plural(found.breaches.length, 'against the pattern', 'against the pattern')}.`,
        decision: found.name,
        details: { pattern: found.pattern, breaches },
        evidence: [...found.evidence, ...found.breaches.slice(0, 3).map((b) => ({ file: b.from, line: b.line }))],
      });
    }
  },
  link(model) {
    const derived = deriveDecisions(model);
    const byId = new Map(model.decisions.map((d) => [d.id, d]));
    for (const d of derived) if (!byId.has(d.id)) model.decisions.push(d);
    model.decisions.sort((a, b) => compareStrings(a.id, b.id));
    linkAdrs(model);
  },
});
