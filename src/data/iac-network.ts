/**
 * Where the resources of infrastructure code sit in the network and whom they send traffic to,
 * from the references between them: the details the network diagram draws (`primary`, `subnet`,
 * `connectsTo`), for analyzers that read resources with references (Terraform, CloudFormation, CDK).
 * Types are Terraform's (src/data/cloud-resources.ts maps other spellings onto them).
 */
import { compareStrings } from '../model/compare.js';
import type { Details } from '../model/schema.js';
import { networkRank } from './cloud-resources.js';

export interface NetworkNode {
  /** The name references use (a logical id, an address). */
  key: string;
  /** The infrastructure fact's id. */
  id: string;
  /** The Terraform type it corresponds to. */
  type: string;
  /** Keys of the nodes it refers to. */
  refs: readonly string[];
  /** Its details, completed here: a subnet's own `subnet` tier is given. */
  details: Details;
}

/** Resources that only wire things together: traffic is never traced through them. Shared with the terraform analyzer. */
export const HUB =
  /^(aws_vpc|aws_subnet|aws_ecs_cluster|aws_iam_|aws_kms_|aws_cloudwatch_log_group|aws_route|aws_internet_gateway|aws_eip|aws_acm_certificate|aws_service_discovery|google_compute_network|google_compute_subnetwork|google_service_account|azurerm_resource_group|azurerm_virtual_network|azurerm_subnet|azurerm_key_vault)/;

/** Each drawn resource sits in the tier of the subnets it refers to, directly or through a subnet group; a replica where its source does. */
export function placeInSubnets(nodes: readonly NetworkNode[]): void {
  const known = new Map(nodes.map((n) => [n.key, n]));
  const tierOf = (n: NetworkNode) => (typeof n.details.subnet === 'string' ? n.details.subnet : undefined);
  // Sources before replicas, so a replica can take its source's tier.
  const replica = (n: NetworkNode) => Number(n.refs.some((r) => known.get(r)?.type === n.type));
  for (const n of [...nodes].sort((a, b) => replica(a) - replica(b))) {
    if (networkRank(n.type) === undefined || n.details.subnet !== undefined) continue;
    const tiers = new Set<string>();
    const visit = (m: NetworkNode, depth: number) => {
      for (const r of m.refs) {
        const t = known.get(r);
        if (!t) continue;
        if (t.type === 'aws_subnet' && tierOf(t)) tiers.add(tierOf(t)!);
        else if (depth === 0 && t.type.endsWith('subnet_group')) visit(t, 1);
      }
    };
    visit(n, 0);
    if (tiers.size === 1) n.details.subnet = [...tiers][0]!;
    else if (tiers.has('private')) n.details.subnet = 'private';
    else {
      const twin = n.refs.map((r) => known.get(r)).find((t) => t?.type === n.type && tierOf(t));
      if (twin) n.details.subnet = tierOf(twin)!;
    }
  }
}

/**
 * Each drawn resource sends traffic to the drawn resources of a higher rank it reaches through
 * references (either way), at most three steps away and never through a hub. The rank and the
 * hubs are the types' (`networkRank`, `HUB`) unless a source knows better (the terraform analyzer
 * ranks its module calls too).
 */
export function connectByRank(
  nodes: readonly NetworkNode[],
  rankOf: (n: NetworkNode) => number | undefined = (n) => networkRank(n.type),
  isHub: (n: NetworkNode) => boolean = (n) => HUB.test(n.type),
): void {
  const known = new Map(nodes.map((n) => [n.key, n]));
  const adjacency = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    let s = adjacency.get(a);
    if (!s) adjacency.set(a, (s = new Set()));
    s.add(b);
  };
  for (const n of nodes)
    for (const r of n.refs) {
      link(n.key, r);
      link(r, n.key);
    }
  for (const n of nodes) {
    const r0 = rankOf(n);
    if (r0 === undefined) continue;
    const seen = new Set([n.key]);
    let frontier = [n.key];
    const targets = new Set<string>();
    for (let depth = 0; depth < 3 && frontier.length; depth++) {
      const next: string[] = [];
      for (const a of frontier) {
        for (const k of adjacency.get(a) ?? []) {
          if (seen.has(k)) continue;
          seen.add(k);
          const m = known.get(k);
          if (!m) continue;
          const r = rankOf(m);
          if (r !== undefined) {
            if (r > r0) targets.add(m.id);
            continue;
          }
          if (!isHub(m)) next.push(k);
        }
      }
      frontier = next;
    }
    if (targets.size) n.details.connectsTo = [...targets].sort(compareStrings);
  }
}
