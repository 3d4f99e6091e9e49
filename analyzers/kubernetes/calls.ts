/**
 * Calls between Kubernetes workloads: a container whose environment names a Service
 * (`http://catalog:8080`, `catalog.shop.svc.cluster.local:8080`, `catalog.shop:8080`) calls the
 * component of the workloads that Service selects.
 */
import { sortedUnique } from '../../src/model/compare.js';
import type { PeerCall } from '../../src/model/details.js';
import type { Model } from '../../src/model/schema.js';
import { addPeerCall } from '../../src/analysis/peer-calls.js';
import { dataStoreOfImage, supportOfImage } from '../../src/data/images.js';

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

/** Whether a workload runs a component of the repository, rather than a database or support image. */
function runsComponent(w: Workload): boolean {
  if (!w.component) return false;
  const images = (w.details?.images as string[] | undefined) ?? [];
  return !images.some((i) => dataStoreOfImage(i) || supportOfImage(i));
}

const labelsOf = (w: Workload) => new Set((w.details?.podLabels as string[] | undefined) ?? []);

export function linkKubernetesCalls(model: Model): void {
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
  for (const w of workloads) {
    const calls = (w.details?.calls as PeerCall[] | undefined) ?? [];
    if (calls.length === 0 || !runsComponent(w)) continue;
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
          .filter((t) => t !== w && runsComponent(t))
          .map((t) => t.component!),
      );
      // A Service in front of two components says nothing about which one is called.
      if (targets.length !== 1) continue;
      addPeerCall(model, w.component!, targets[0]!, call);
    }
  }
}
