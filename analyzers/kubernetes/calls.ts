/**
 * Calls between Kubernetes workloads: a container whose environment names a Service
 * (`http://catalog:8080`, `catalog.shop.svc.cluster.local:8080`, `catalog.shop:8080`) calls the
 * component of the workloads that Service selects.
 */
import { sortedUnique } from '../../src/model/compare.js';
import type { PeerCall } from '../../src/model/details.js';
import type { Model } from '../../src/model/schema.js';
import { addPeerCall } from '../../src/analysis/peer-calls.js';
import { componentOfImage, dataStoreOfImage, imageRepository, supportOfImage } from '../../src/data/images.js';
import { componentNamed } from '../../src/model/lookup.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';

type Workload = Model['deployment']['workloads'][number];

/** The Service name and namespace a host names: `name`, `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local`. */
export function serviceOfHost(host: string): { name: string; namespace?: string } | undefined {
  const labels = host.split('.');
  if (labels.length === 1) return { name: host };
  const [name, namespace, ...rest] = labels;
  const suffix = rest.join('.');
  if (suffix === '' || suffix === 'svc' || suffix === 'svc.cluster.local') return { name: name!, namespace: namespace! };
  return undefined;
}

/**
 * The component a workload runs, as its images (or else its name) say: the component an image is
 * named for, when none of them is a data store or support image; not the component whose folder
 * merely holds the manifest.
 */
function runComponent(model: Model, ctx: AnalyzerContext, w: Workload): string | undefined {
  const images = (w.details?.images as string[] | undefined) ?? [];
  if (images.length === 0 || images.some((i) => dataStoreOfImage(i) || supportOfImage(i))) return undefined;
  return (
    images.map((i) => componentOfImage(ctx, i) ?? componentNamed(model, imageRepository(i).base)).find((c) => c !== undefined) ?? componentNamed(model, w.name)
  );
}

const labelsOf = (w: Workload) => new Set((w.details?.podLabels as string[] | undefined) ?? []);

export function linkKubernetesCalls(model: Model, ctx: AnalyzerContext): void {
  const workloads = model.deployment.workloads.filter((w) => w.details?.source === 'kubernetes');
  if (!workloads.some((w) => ((w.details?.calls as PeerCall[] | undefined) ?? []).length > 0)) return;
  const services = model.infrastructure.filter((i) => i.source === 'kubernetes' && i.type === 'Service');
  /** The workloads a Service selects: every selector label among their pod labels, in its namespace when both say one. */
  const selected = (svc: (typeof services)[number]): Workload[] => {
    const selector = (svc.details?.selector as string[] | undefined) ?? [];
    if (selector.length === 0) return [];
    const ns = svc.details?.namespace;
    return workloads.filter((w) => {
      const labels = labelsOf(w);
      return selector.every((l) => labels.has(l)) && (ns === undefined || w.details?.namespace === undefined || w.details.namespace === ns);
    });
  };
  const runs = new Map(workloads.map((w) => [w, runComponent(model, ctx, w)]));
  for (const w of workloads) {
    const calls = (w.details?.calls as PeerCall[] | undefined) ?? [];
    const from = runs.get(w);
    if (calls.length === 0 || !from) continue;
    for (const call of calls) {
      const ref = serviceOfHost(call.host);
      if (!ref) continue;
      const ns = ref.namespace ?? (w.details?.namespace as string | undefined);
      const named = services.filter(
        (s) => s.name === `Service/${ref.name}` && (ns === undefined || s.details?.namespace === undefined || s.details.namespace === ns),
      );
      const targets = sortedUnique(
        named
          .flatMap(selected)
          .filter((t) => t !== w)
          .map((t) => runs.get(t))
          .filter((c): c is string => c !== undefined),
      );
      // A Service in front of two components says nothing about which one is called.
      if (targets.length !== 1) continue;
      addPeerCall(model, from, targets[0]!, call);
    }
  }
}
