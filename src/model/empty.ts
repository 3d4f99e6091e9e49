import { SCHEMA_VERSION, type Model } from './schema.js';

/** A model with no facts: what a run that read nothing would produce, and a base for tests. */
export function emptyModel(over: Partial<Model> = {}): Model {
  return {
    schemaVersion: SCHEMA_VERSION,
    system: { name: '', evidence: [] },
    components: [],
    endpoints: [],
    schemas: [],
    dataStores: [],
    queues: [],
    externalServices: [],
    infrastructure: [],
    deployment: { environments: [], pipelines: [], containers: [], workloads: [] },
    observability: [],
    security: [],
    scaling: [],
    recovery: [],
    techStack: [],
    decisions: [],
    documents: [],
    warnings: [],
    ...over,
  };
}
