/**
 * The Performance and scalability section's capacity table: every infrastructure resource that
 * states its size, and that size in words. A resource is sized by the fields its extractor
 * records — instance classes and types, node and machine types, VM sizes and SKUs, a container
 * task's CPU units and memory (`cpu`, `memory`), a function's memory (`memoryMb`), a node count —
 * never by testing its resource type here.
 */
import type { Evidence, Model } from '../model/schema.js';

export interface CapacityRow {
  name: string;
  type: string;
  /** `db.t3.medium; 2 nodes`, `512 CPU units, 1024 MiB`, `256 MB memory`. */
  size: string;
  evidence: Evidence[];
}

/** Fields that name a size, in the order they are shown. */
const SIZE_FIELDS = ['instanceClass', 'instanceType', 'nodeType', 'machineType', 'vmSize', 'sku', 'tier'] as const;
/** Fields that make a resource a sized one (a tier alone does not). */
const SIZED_BY = ['instanceClass', 'instanceType', 'nodeType', 'instanceTypes', 'machineType', 'vmSize', 'sku', 'cpu', 'memoryMb'] as const;

/** A field that is set: not missing, empty, zero or false (a list counts even when empty, as before). */
const present = (v: unknown): boolean => Boolean(v);

export function capacityRows(model: Model): CapacityRow[] {
  const rows: CapacityRow[] = [];
  for (const i of model.infrastructure) {
    const d = i.details;
    if (!d || !SIZED_BY.some((k) => present(d[k]))) continue;
    const size: string[] = [];
    for (const k of SIZE_FIELDS) if (present(d[k]) && (k !== 'tier' || i.role === 'data')) size.push(String(d[k]));
    if (Array.isArray(d.instanceTypes)) size.push(d.instanceTypes.join(', '));
    // A container task's share: CPU units and MiB of memory (ECS task definitions).
    if (present(d.cpu)) size.push(present(d.memory) ? `${d.cpu} CPU units, ${d.memory} MiB` : `${d.cpu} CPU units`);
    // A function's memory (Lambda).
    if (present(d.memoryMb)) size.push(`${d.memoryMb} MB memory`);
    if (present(d.nodes)) size.push(`${d.nodes} nodes`);
    rows.push({ name: i.name, type: i.type, size: size.join('; '), evidence: i.evidence });
  }
  return rows;
}
