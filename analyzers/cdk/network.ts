/**
 * Where each construct of a CDK app sits in the network and whom it sends traffic to, for the
 * network diagram (in the shared vocabulary: `subnet`, `connectsTo`). A construct refers to the
 * constructs its props name, however nested (`vpc`, `environment: { TABLE: table.tableName }`,
 * `securityGroups: [sg]`); a queue, topic or bus to the functions it feeds; an API to the functions
 * its routes integrate. A construct given a VPC (or a cluster or security group in one) sits in the
 * subnets its `vpcSubnets` select:
 * `SubnetType.PUBLIC` public, any other private, as CDK places functions, databases and services by
 * default; a load balancer is public when `internetFacing: true`.
 */
import { referencedResources } from '../../src/analysis/iac-references.js';
import { connectByRank, type NetworkNode } from '../../src/data/iac-network.js';
import { networkRank } from '../../src/data/cloud-resources.js';
import { idOf } from '../../src/model/ids.js';
import type { Details } from '../../src/model/schema.js';
import type { App, Resource } from './app.js';
import { terraformTypeOfConstruct } from './constructs.js';
import { propOf, type Links } from './links.js';

/** The subnet tier a construct given a VPC sits in. */
function tierOf(app: App, r: Resource): 'public' | 'private' {
  const props = r.site.props;
  const facing = propOf(app, r.scopes, props, 'internetFacing');
  if (facing?.value.k === 'bool' && facing.value.v) return 'public';
  const selection = propOf(app, r.scopes, props, 'vpcSubnets');
  const o = selection ? app.ev.objectIn([selection.scope], selection.value) : undefined;
  const type = o && Object.hasOwn(o.props, 'subnetType') ? o.props.subnetType : undefined;
  return type?.k === 'ref' && type.path.endsWith('.PUBLIC') ? 'public' : 'private';
}

/** The network details of each construct, by its resource key. */
export function networkOf(app: App, links: Links): Map<string, Details> {
  const refs = new Map<string, string[]>();
  const add = (from: string, to: string) => refs.set(from, [...(refs.get(from) ?? []), to]);
  for (const r of app.resources) for (const x of referencedResources(app.ev, r.scopes, r.site.props)) add(r.key, x.key);
  for (const [channel, fns] of links.consumers) for (const fn of fns) add(channel, fn);
  for (const route of links.routes) if (route.fn) add(route.api.key, route.fn.key);
  const typeOf = (r: Resource | undefined) => (r ? terraformTypeOfConstruct(r.site.type) : undefined);
  const nodes: NetworkNode[] = app.resources.map((r) => {
    const type = typeOf(r) ?? '';
    const own = refs.get(r.key) ?? [];
    const details: Details = {};
    // Given the VPC, or a cluster or security group in it (`cluster: new Cluster(this, 'C', { vpc })`).
    const inVpc = (k: string, depth: number): boolean =>
      typeOf(app.ev.resources.get(k)) === 'aws_vpc' || (depth === 0 && (refs.get(k) ?? []).some((k2) => inVpc(k2, 1)));
    if (networkRank(type) !== undefined && own.some((k) => inVpc(k, 0))) details.subnet = tierOf(app, r);
    return { key: r.key, id: idOf.infra('cdk', r.path), type, refs: own, details };
  });
  connectByRank(nodes);
  return new Map(nodes.map((n) => [n.key, n.details]));
}
