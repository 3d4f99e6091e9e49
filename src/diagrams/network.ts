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

export function network(model: Model, arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const root = typeof arg === 'string' ? arg : undefined;
  const all = model.infrastructure.filter((f) => f.details?.primary === true && (!root || (f.source === 'terraform' && f.details?.root === root)));
  if (all.length === 0) return undefined;
  // One diagram per Terraform root or other source (and its template or service): the largest first, the others folded below it.
  const byPart = new Map<string, Part>();
  for (const f of all) {
    const source = f.source ?? 'other';
    const place = String(f.details?.root ?? (source === 'terraform' ? '.' : (f.details?.service ?? '')));
    const key = `${source}:${place}`;
    const part = byPart.get(key) ?? { source, place, nodes: [] };
    part.nodes.push(f);
    byPart.set(key, part);
  }
  const key = (p: Part) => (p.source === 'terraform' ? p.place : `${p.source}:${p.place}`);
  const parts = [...byPart.values()].sort((a, b) => b.nodes.length - a.nodes.length || compareStrings(key(a), key(b)));
  const [first, ...rest] = parts;
  const main = draw(first!.nodes, opts, first!.source);
  if (rest.length === 0) return main;
  const terraformOnly = parts.every((p) => p.source === 'terraform');
  const where = terraformOnly ? `Terraform root ${first!.place === '.' ? 'at the repository root' : first!.place}` : `Drawn from ${partTitle(first!)}`;
  const others = terraformOnly ? `other root${rest.length === 1 ? '' : 's'}` : `other source${rest.length === 1 ? '' : 's'} of infrastructure code`;
  main.notes.unshift(
    `${where}; ${rest.length} ${others} with architectural resources ${rest.length > MAX_PARTS ? `(the ${MAX_PARTS} largest are drawn below)` : rest.length === 1 ? 'is drawn below' : 'are drawn below'}.`,
  );
  main.parts = rest.slice(0, MAX_PARTS).map((p) => ({ key: key(p), title: partTitle(p), diagram: draw(p.nodes, opts, p.source) }));
  return main;
}

function draw(input: Infrastructure[], opts: DiagramOptions, source: string): Diagram {
  let nodes = input;
  const notes: string[] = [];
  const roleOrder = ['edge', 'network', 'compute', 'data', 'messaging'];
  const rank = (f: Infrastructure) => roleOrder.indexOf(f.role) + (f.details?.connectsTo ? 0 : 0.5);
  if (nodes.length > opts.maxNodes) {
    const sorted = [...nodes].sort((a, b) => rank(a) - rank(b) || compareStrings(a.id, b.id));
    notes.push(
      `${nodes.length - opts.maxNodes} of ${nodes.length} resources are not drawn (over the ${opts.maxNodes}-node budget); the infrastructure inventory lists every one.`,
    );
    nodes = sorted.slice(0, opts.maxNodes);
  }
  nodes.sort((a, b) => compareStrings(a.id, b.id));
  const ids = new Set(nodes.map((n) => n.id));
  // Two resources can read alike (a name given twice): show where each is declared when they would.
  const plain = (n: Infrastructure) => `${n.name.replace(/^([a-z0-9]+_[a-z0-9_]+|module)\./, '')} · ${friendly(n)}`;
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(plain(n), (counts.get(plain(n)) ?? 0) + 1);
  const text = (n: Infrastructure) => `${plain(n)}${(counts.get(plain(n)) ?? 0) > 1 ? ` (${String(n.details?.root ?? n.id)})` : ''}`;
  const line = (n: Infrastructure, indent: string) => `${indent}${node(nodeId(n.id), text(n), shapeOf(n))}`;

  const tier = (n: Infrastructure) => (typeof n.details?.subnet === 'string' ? n.details.subnet : undefined);
  const groups: { key: string; title: string; members: Infrastructure[] }[] = [
    { key: 'edge', title: 'Edge', members: nodes.filter((n) => n.role === 'edge' && !tier(n)) },
    {
      key: 'compute',
      title: 'Compute',
      members: nodes.filter(
        (n) =>
          !tier(n) &&
          (n.role === 'compute' || n.role === 'network' || n.role === 'other' || n.role === 'identity' || n.role === 'secrets' || n.role === 'observability'),
      ),
    },
    { key: 'data', title: 'Data', members: nodes.filter((n) => !tier(n) && n.role === 'data') },
    { key: 'messaging', title: 'Messaging', members: nodes.filter((n) => !tier(n) && n.role === 'messaging') },
  ];
  const pub = nodes.filter((n) => tier(n) === 'public');
  const priv = nodes.filter((n) => tier(n) === 'private');

  const lines = ['graph LR'];
  for (const g of groups) {
    if (g.members.length === 0) continue;
    lines.push(`  subgraph ${nodeId('net:' + g.key)}[${label(g.title)}]`);
    for (const n of g.members) lines.push(line(n, '    '));
    lines.push('  end');
  }
  if (pub.length || priv.length) {
    lines.push(`  subgraph ${nodeId('net:vpc')}[${label('VPC')}]`);
    if (pub.length) {
      lines.push(`    subgraph ${nodeId('net:public')}[${label('Public subnets')}]`);
      for (const n of pub) lines.push(line(n, '      '));
      lines.push('    end');
    }
    if (priv.length) {
      lines.push(`    subgraph ${nodeId('net:private')}[${label('Private subnets')}]`);
      for (const n of priv) lines.push(line(n, '      '));
      lines.push('    end');
    }
    lines.push('  end');
  }
  const edges: string[] = [];
  const incoming = new Set<string>();
  for (const n of nodes) {
    const to = Array.isArray(n.details?.connectsTo) ? n.details.connectsTo : [];
    for (const t of to) {
      if (!ids.has(t)) continue;
      edges.push(`  ${nodeId(n.id)} --> ${nodeId(t)}`);
      incoming.add(t);
    }
  }
  // The internet reaches the entry points: edge services nothing else routes to.
  const entries = nodes.filter((n) => n.role === 'edge' && !incoming.has(n.id) && n.details?.internal !== true && typeOf(n) !== 'aws_wafv2_web_acl');
  for (const e of entries) edges.unshift(`  internet --> ${nodeId(e.id)}`);
  if (entries.length > 0) lines.splice(1, 0, `  internet([${label('Internet')}])`);
  if (edges.length > opts.maxEdges) {
    notes.push(`${edges.length - opts.maxEdges} of ${edges.length} connections are not drawn (over the ${opts.maxEdges}-edge budget).`);
  }
  lines.push(...edges.slice(0, opts.maxEdges));
  if (nodes.length > 1 && edges.length === 0) {
    notes.push(`No connections between these resources could be read from the ${SOURCES[source] ?? source} references.`);
  }
  return { code: lines.join('\n'), notes };
}
