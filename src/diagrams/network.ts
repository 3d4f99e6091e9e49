/**
 * Network architecture: `graph LR` of the infrastructure that infrastructure code (Terraform,
 * CDK, Pulumi, SST, CDK for Terraform, CloudFormation and SAM) marks as architectural
 * (`details.primary`): edge services, then the VPC with public and private subnets (resources
 * placed by the subnets they reference, `details.subnet`), then compute, data and messaging
 * outside any subnet. Edges follow `details.connectsTo` (traffic from edge towards data). Each
 * resource is named by the Terraform type it corresponds to (`details.terraformType`, else its
 * own). One diagram per Terraform root or other source; with a Terraform root directory as
 * argument, only that root.
 */
import type { Infrastructure, Model } from '../model/schema.js';
import { compareStrings } from '../model/compare.js';
import { cutTrailing } from '../util/linear-scan.js';
import { node, nodeId, label, type Diagram, type Shape } from './mermaid.js';
import type { DiagramOptions } from './index.js';

const FRIENDLY: [RegExp, string][] = [
  [/^aws_cloudfront_distribution$/, 'CloudFront'],
  [/^aws_wafv2_web_acl|^aws_waf/, 'WAF'],
  [/^aws_(lb|alb)$/, 'load balancer'],
  [/^aws_elb$/, 'classic load balancer'],
  [/^aws_api_gateway_rest_api|^aws_apigatewayv2_api/, 'API Gateway'],
  [/^aws_route53_zone$/, 'Route 53 zone'],
  [/^aws_nat_gateway$/, 'NAT gateway'],
  [/^aws_ecs_service$/, 'ECS service'],
  [/^aws_eks_cluster$/, 'EKS cluster'],
  [/^aws_eks_node_group$/, 'EKS node group'],
  [/^aws_lambda_function$/, 'Lambda'],
  [/^aws_instance$/, 'EC2 instance'],
  [/^aws_autoscaling_group$/, 'Auto Scaling group'],
  [/^aws_db_instance$/, 'RDS'],
  [/^aws_rds_cluster$/, 'Aurora'],
  [/^aws_elasticache_/, 'ElastiCache'],
  [/^aws_s3_bucket$/, 'S3 bucket'],
  [/^aws_dynamodb_table$/, 'DynamoDB'],
  [/^aws_sqs_queue$/, 'SQS'],
  [/^aws_sns_topic$/, 'SNS'],
  [/^aws_cloudwatch_event_bus$/, 'EventBridge bus'],
  [/^aws_msk_/, 'MSK'],
  [/^aws_opensearch_domain|^aws_elasticsearch_domain/, 'OpenSearch'],
  [/^google_cloud_run/, 'Cloud Run'],
  [/^google_container_cluster$/, 'GKE'],
  [/^google_sql_database_instance$/, 'Cloud SQL'],
  [/^google_storage_bucket$/, 'GCS bucket'],
  [/^google_pubsub_/, 'Pub/Sub'],
  [/^google_redis_instance$/, 'Memorystore'],
  [/^azurerm_kubernetes_cluster$/, 'AKS'],
  [/^azurerm_(linux_|windows_)?(web_app|app_service)$/, 'App Service'],
  [/^azurerm_postgresql/, 'Azure PostgreSQL'],
  [/^azurerm_storage_account$/, 'Storage account'],
  [/^azurerm_servicebus/, 'Service Bus'],
  [/^azurerm_application_gateway$/, 'Application Gateway'],
];

/** `cloudposse/rds-cluster/aws` or `git::https://…/terraform-aws-rds.git?ref=1` → `rds-cluster`. */
function moduleName(source: string): string {
  // The query, fragment and `//subdir` cut as `/[?#].*$/` and `/\/\/.*$/` would, without trying every `?` or `/`.
  const s = cutTrailing(cutTrailing(source.replace(/^git::/, ''), ['?', '#']).replace(/\.git$/, ''), ['//']);
  if (/^\.\.?(\/|$)/.test(s))
    return (
      s
        .split('/')
        .filter((x) => x !== '..' && x !== '.')
        .pop() ?? 'local'
    );
  const parts = s.split('/').filter(Boolean);
  const registry = parts.length === 3 && !s.includes(':') ? parts[1]! : (parts[parts.length - 1] ?? s);
  return registry.replace(/^terraform-(aws|google|azurerm)-/, '');
}

/** The Terraform type a resource corresponds to: the vocabulary every source's resources are drawn in. */
function typeOf(f: Infrastructure): string {
  return typeof f.details?.terraformType === 'string' ? f.details.terraformType : f.type;
}

function friendly(f: Infrastructure): string {
  if (f.type === 'module') return `${moduleName(String(f.details?.source ?? ''))} module`;
  const type = typeOf(f);
  for (const [re, name] of FRIENDLY) if (re.test(type)) return name;
  return f.type;
}

/** How the diagram names the infrastructure code a part is drawn from. */
const SOURCES: Record<string, string> = {
  terraform: 'Terraform',
  cdk: 'AWS CDK',
  cdktf: 'CDK for Terraform',
  pulumi: 'Pulumi',
  sst: 'SST',
  sam: 'AWS SAM',
  cloudformation: 'CloudFormation',
  serverless: 'Serverless Framework',
};

interface Part {
  source: string;
  /** A Terraform root, or the template or service the resources are declared in. */
  place: string;
  nodes: Infrastructure[];
}

function partTitle(p: Part): string {
  if (p.source === 'terraform') return `Terraform root ${p.place === '.' ? '(repository root)' : p.place}`;
  const by = SOURCES[p.source] ?? p.source;
  return p.place ? `${by} ${p.place}` : by;
}

function shapeOf(f: Infrastructure): Shape {
  if (f.role === 'data') return 'db';
  if (f.role === 'messaging') return 'queue';
  if (f.role === 'edge') return 'round';
  return 'box';
}

const MAX_PARTS = 12;

/** A resource's group in the diagram: its subnet, else its role's column. */
function groupOf(n: Infrastructure): string {
  const subnet = typeof n.details?.subnet === 'string' ? n.details.subnet : undefined;
  if (subnet === 'public') return 'Public subnets';
  if (subnet === 'private') return 'Private subnets';
  if (n.role === 'edge') return 'Edge';
  if (n.role === 'data') return 'Data';
  if (n.role === 'messaging') return 'Messaging';
  return 'Compute';
}

/** A resource's name without its Terraform type (`aws_lb.api` → `api`). */
function shortName(n: Infrastructure): string {
  return n.name.replace(/^([a-z0-9]+_[a-z0-9_]+|module)\./, '');
}

/** The architectural resources by Terraform root or other source, largest first; `connected` when a reference joins two of them. */
function partsOf(model: Model, root: string | undefined): (Part & { connected: boolean })[] {
  const all = model.infrastructure.filter((f) => f.details?.primary === true && (!root || (f.source === 'terraform' && f.details?.root === root)));
  const byPart = new Map<string, Part>();
  for (const f of all) {
    const source = f.source ?? 'other';
    const place = String(f.details?.root ?? (source === 'terraform' ? '.' : (f.details?.service ?? '')));
    const key = `${source}:${place}`;
    const part = byPart.get(key) ?? { source, place, nodes: [] };
    part.nodes.push(f);
    byPart.set(key, part);
  }
  return [...byPart.values()]
    .sort((a, b) => b.nodes.length - a.nodes.length || compareStrings(partKey(a), partKey(b)))
    .map((p) => {
      const ids = new Set(p.nodes.map((n) => n.id));
      const connected = p.nodes.some((n) => (Array.isArray(n.details?.connectsTo) ? n.details.connectsTo : []).some((t) => t !== n.id && ids.has(t)));
      return { ...p, connected };
    });
}

const partKey = (p: Part) => (p.source === 'terraform' ? p.place : `${p.source}:${p.place}`);

/** One architectural resource of a root (or other source) in which no reference joins two resources: listed, not drawn. */
export interface UnconnectedResource {
  /** `terraform/lib/eks`, or `Serverless Framework orders-notifier` for other sources. */
  root: string;
  /** `terraform`, `cloudformation`, `serverless`… */
  source: string;
  resource: string;
  group: string;
  kind: string;
  evidence: Infrastructure['evidence'];
}

/**
 * The resources of the roots the network diagram does not draw: a root whose architectural
 * resources have no connection between them would be boxes and no arrow, so they are listed in
 * one table instead, by root, then group, then name.
 */
export function unconnectedResources(model: Model): UnconnectedResource[] {
  const rows: UnconnectedResource[] = [];
  for (const p of partsOf(model, undefined)) {
    if (p.connected) continue;
    const root = p.source === 'terraform' ? (p.place === '.' ? '(repository root)' : p.place) : partTitle(p);
    for (const n of p.nodes) rows.push({ root, source: p.source, resource: shortName(n), group: groupOf(n), kind: friendly(n), evidence: n.evidence });
  }
  return rows.sort(
    (a, b) => compareStrings(a.root, b.root) || compareStrings(a.group, b.group) || compareStrings(a.resource, b.resource) || compareStrings(a.kind, b.kind),
  );
}

export function network(model: Model, arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const root = typeof arg === 'string' ? arg : undefined;
  const all = partsOf(model, root);
  // Only roots with connections are drawn (the others are listed by unconnectedResources); a
  // single root asked for by name is drawn whatever it holds.
  const parts = root ? all : all.filter((p) => p.connected);
  if (parts.length === 0) return undefined;
  // One diagram per Terraform root or other source (and its template or service): the largest first, the others folded below it.
  const [first, ...rest] = parts;
  const main = draw(first!.nodes, opts, first!.source);
  if (rest.length === 0) return main;
  const terraformOnly = parts.every((p) => p.source === 'terraform');
  const where = terraformOnly ? `Terraform root ${first!.place === '.' ? 'at the repository root' : first!.place}` : `Drawn from ${partTitle(first!)}`;
  const others = terraformOnly ? `other root${rest.length === 1 ? '' : 's'}` : `other source${rest.length === 1 ? '' : 's'} of infrastructure code`;
  main.notes.unshift(
    `${where}; ${rest.length} ${others} with connected resources ${rest.length > MAX_PARTS ? `(the ${MAX_PARTS} largest are drawn below)` : rest.length === 1 ? 'is drawn below' : 'are drawn below'}.`,
  );
  main.parts = rest.slice(0, MAX_PARTS).map((p) => ({ key: partKey(p), title: partTitle(p), diagram: draw(p.nodes, opts, p.source) }));
  return main;
}

/** A box of the diagram: one resource, or past the node budget all resources of one kind in one group. */
interface Box {
  id: string;
  text: string;
  shape: Shape;
  group: string;
}

function draw(input: Infrastructure[], opts: DiagramOptions, source: string): Diagram {
  const nodes = [...input].sort((a, b) => compareStrings(a.id, b.id));
  const notes: string[] = [];
  // Two resources can read alike (a name given twice): show where each is declared when they would.
  const plain = (n: Infrastructure) => `${shortName(n)} · ${friendly(n)}`;
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(plain(n), (counts.get(plain(n)) ?? 0) + 1);
  const text = (n: Infrastructure) => `${plain(n)}${(counts.get(plain(n)) ?? 0) > 1 ? ` (${String(n.details?.root ?? n.id)})` : ''}`;

  // Past the node budget, resources of one kind in one group become one box with their count,
  // the largest kinds first, until the boxes fit.
  const kindKey = (n: Infrastructure) => `${groupOf(n)}|${friendly(n)}`;
  const byKind = new Map<string, Infrastructure[]>();
  for (const n of nodes) byKind.set(kindKey(n), [...(byKind.get(kindKey(n)) ?? []), n]);
  const folded = new Set<string>();
  let boxes = nodes.length;
  if (boxes > opts.maxNodes) {
    const kinds = [...byKind.entries()].filter(([, m]) => m.length > 1).sort((a, b) => b[1].length - a[1].length || compareStrings(a[0], b[0]));
    for (const [k, members] of kinds) {
      if (boxes <= opts.maxNodes) break;
      folded.add(k);
      boxes -= members.length - 1;
    }
  }
  const boxOf = new Map<string, Box>();
  const drawn: Box[] = [];
  for (const n of nodes) {
    const k = kindKey(n);
    if (folded.has(k)) {
      const members = byKind.get(k)!;
      const id = nodeId(`net:kind:${k}`);
      let box = drawn.find((b) => b.id === id);
      if (!box) {
        box = { id, text: `${members.length} × ${friendly(n)}`, shape: shapeOf(n), group: groupOf(n) };
        drawn.push(box);
      }
      boxOf.set(n.id, box);
    } else {
      const box = { id: nodeId(n.id), text: text(n), shape: shapeOf(n), group: groupOf(n) };
      drawn.push(box);
      boxOf.set(n.id, box);
    }
  }
  if (folded.size > 0) {
    const list = [...folded].sort(compareStrings).map((k) => `${byKind.get(k)!.length} × ${k.split('|')[1]}`);
    notes.push(
      `Over the ${opts.maxNodes}-node budget, resources of one kind in one group are drawn as one box with their count (${list.join(', ')}); the infrastructure inventory lists every one.`,
    );
  }
  // Still over the budget when every kind is folded: the boxes past it are not drawn.
  let shown = drawn;
  if (drawn.length > opts.maxNodes) {
    const order = ['Edge', 'Public subnets', 'Private subnets', 'Compute', 'Data', 'Messaging'];
    shown = [...drawn].sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group) || compareStrings(a.id, b.id)).slice(0, opts.maxNodes);
    notes.push(
      `${drawn.length - opts.maxNodes} of ${drawn.length} boxes are not drawn (over the ${opts.maxNodes}-node budget); the infrastructure inventory lists every resource.`,
    );
  }
  const visible = new Set(shown.map((b) => b.id));
  const line = (b: Box, indent: string) => `${indent}${node(b.id, b.text, b.shape)}`;

  const lines = ['graph LR'];
  for (const [key, title] of [
    ['edge', 'Edge'],
    ['compute', 'Compute'],
    ['data', 'Data'],
    ['messaging', 'Messaging'],
  ] as const) {
    const members = shown.filter((b) => b.group === title);
    if (members.length === 0) continue;
    lines.push(`  subgraph ${nodeId('net:' + key)}[${label(title)}]`);
    for (const b of members) lines.push(line(b, '    '));
    lines.push('  end');
  }
  const pub = shown.filter((b) => b.group === 'Public subnets');
  const priv = shown.filter((b) => b.group === 'Private subnets');
  if (pub.length || priv.length) {
    lines.push(`  subgraph ${nodeId('net:vpc')}[${label('VPC')}]`);
    if (pub.length) {
      lines.push(`    subgraph ${nodeId('net:public')}[${label('Public subnets')}]`);
      for (const b of pub) lines.push(line(b, '      '));
      lines.push('    end');
    }
    if (priv.length) {
      lines.push(`    subgraph ${nodeId('net:private')}[${label('Private subnets')}]`);
      for (const b of priv) lines.push(line(b, '      '));
      lines.push('    end');
    }
    lines.push('  end');
  }
  const edges: string[] = [];
  const seen = new Set<string>();
  const incoming = new Set<string>();
  for (const n of nodes) {
    const from = boxOf.get(n.id)!;
    const to = Array.isArray(n.details?.connectsTo) ? n.details.connectsTo : [];
    for (const t of to) {
      const target = boxOf.get(t);
      if (!target) continue;
      incoming.add(t);
      if (target === from || !visible.has(from.id) || !visible.has(target.id)) continue;
      const edge = `  ${from.id} --> ${target.id}`;
      if (seen.has(edge)) continue;
      seen.add(edge);
      edges.push(edge);
    }
  }
  // The internet reaches the entry points: edge services nothing else routes to.
  const entryBoxes: string[] = [];
  for (const n of nodes) {
    if (n.role !== 'edge' || incoming.has(n.id) || n.details?.internal === true || typeOf(n) === 'aws_wafv2_web_acl') continue;
    const b = boxOf.get(n.id)!;
    if (visible.has(b.id) && !entryBoxes.includes(b.id)) entryBoxes.push(b.id);
  }
  for (const id of entryBoxes) edges.unshift(`  internet --> ${id}`);
  if (entryBoxes.length > 0) lines.splice(1, 0, `  internet([${label('Internet')}])`);
  if (edges.length > opts.maxEdges) {
    notes.push(`${edges.length - opts.maxEdges} of ${edges.length} connections are not drawn (over the ${opts.maxEdges}-edge budget).`);
  }
  lines.push(...edges.slice(0, opts.maxEdges));
  if (shown.length > 1 && edges.length === 0) {
    notes.push(`No connections between these resources could be read from the ${SOURCES[source] ?? source} references.`);
  }
  return { code: lines.join('\n'), notes };
}
