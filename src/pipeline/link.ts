/**
 * Linking: facts that belong to a component but were emitted without one get it from their first
 * piece of evidence; references to components that do not exist are dropped, so the model never
 * points at nothing.
 */
import { sortedUnique } from '../model/compare.js';
import type { Model } from '../model/schema.js';

type WithComponent = { component?: string; evidence: { file: string }[] };

export function link(model: Model, componentOfFile: (file: string) => string | undefined): void {
  const ids = new Set(model.components.map((c) => c.id));
  const assign = (facts: WithComponent[]) => {
    for (const f of facts) {
      if (f.component && ids.has(f.component)) continue;
      const first = f.evidence[0];
      const found = first ? componentOfFile(first.file) : undefined;
      f.component = found && ids.has(found) ? found : undefined;
      if (f.component === undefined) delete f.component;
    }
  };
  // An rpc whose serving code was found (or not found) is not attributed by its .proto's folder.
  assign(model.endpoints.filter((e) => e.servedAt === undefined));
  assign(model.schemas);
  assign(model.deployment.containers);
  assign(model.deployment.workloads);
  assign(model.observability);
  assign(model.security);
  const known = (list: string[]) => sortedUnique(list.filter((id) => ids.has(id)));
  for (const c of model.components) {
    c.dependsOn = c.dependsOn.filter((d) => ids.has(d.target) && d.target !== c.id);
  }
  for (const q of model.queues) {
    q.producers = known(q.producers);
    q.consumers = known(q.consumers);
  }
  for (const s of model.dataStores) s.usedBy = known(s.usedBy);
  for (const s of model.externalServices) s.usedBy = known(s.usedBy);
  for (const t of model.techStack) t.usedBy = known(t.usedBy);
  const byComponent = new Map(model.components.map((c) => [c.id, c]));
  for (const t of model.techStack) for (const id of t.usedBy) byComponent.get(id)?.tech.push(t.id);
  for (const c of model.components) c.tech = sortedUnique(c.tech);
}
