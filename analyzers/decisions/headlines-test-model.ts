/** For the headline tests: an empty model with the given collections, workloads and containers. */
import { emptyModel } from '../../src/model/empty.js';
import type { Model } from '../../src/model/schema.js';

export function headlineModel(over: Partial<Model> & { workloads?: Model['deployment']['workloads']; containers?: Model['deployment']['containers'] }): Model {
  const { workloads = [], containers = [], ...rest } = over;
  const m = emptyModel(rest);
  m.deployment.workloads = workloads;
  m.deployment.containers = containers;
  return m;
}
