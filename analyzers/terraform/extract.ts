/**
 * What each resource tells the document: TLS policies, encryption, public exposure, multi-AZ,
 * backups, replicas, versioning, autoscaling, log retention and instance classes. Only
 * whitelisted attributes are read, so passwords, variable defaults and secret values never reach
 * the model.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { DataStore, Details, Evidence, Infrastructure, ScalingFact } from '../../src/model/schema.js';
import { componentOfImage, looksLikeCommittedSecret } from '../compose/shared.js';
import { attributeLine } from './hcl-blocks.js';
import { at, isExpression, isFalse, isTrue, literalName, many, num, one, show, showString } from './values.js';

export interface Block {
  kind: 'resource' | 'module';
  file: string;
  dir: string;
  type: string;
  name: string;
  /** `aws_db_instance.main` or `module.vpc`. */
  address: string;
  id: string;
  body: Record<string, unknown>;
  line: number;
  endLine: number;
  lines: readonly string[];
  /** Addresses of resources and modules this block refers to (same root only). */
  refs: string[];
  role: Infrastructure['role'];
  details: Details;
}

export class Out {
  constructor(
    readonly ctx: AnalyzerContext,
    /** Every block of the same root, by address. */
    readonly blocks: Map<string, Block>,
  ) {}

  ev(b: Block, attr?: string | RegExp): Evidence {
    return { file: b.file, line: attr ? attributeLine(b.lines, b, attr) : b.line };
  }

  /** A block this one refers to, of one of the given types. */
  ref(b: Block, ...types: string[]): Block | undefined {
    const refs = b.refs.map((r) => this.blocks.get(r)).filter((t): t is Block => t !== undefined);
    if (types.length === 0) return refs[0];
    for (const type of types) {
      const hit = refs.find((t) => t.type === type);
      if (hit) return hit;
    }
    return undefined;
  }

  security(b: Block, rule: string, severity: 'info' | 'low' | 'medium' | 'high', name: string, attr?: string | RegExp, details: Details = {}): void {
    this.ctx.emit('security', {
      id: `security:${rule}:${b.dir === '.' ? '' : b.dir + '/'}${b.address}`,
      name,
      category: 'infrastructure',
      severity,
      tech: 'terraform',
      details: { rule, resource: b.address, ...details },
      evidence: [this.ev(b, attr)],
    });
  }

  recovery(b: Block, category: string, name: string, attr?: string, details: Details = {}): void {
    this.ctx.emit('recovery', {
      id: `recovery:${category}:${b.dir === '.' ? '' : b.dir + '/'}${b.address}`,
      name,
      category,
      tech: 'terraform',
      details: { resource: b.address, ...details },
      evidence: [this.ev(b, attr)],
    });
  }

  /** Scaling facts wait for `flush()`, so autoscaling facts lead when they merge with a replica count. */
  readonly pendingScaling: ScalingFact[] = [];

  flush(): void {
    const ranked = [...this.pendingScaling.filter((f) => f.category === 'autoscaling'), ...this.pendingScaling.filter((f) => f.category !== 'autoscaling')];
    for (const f of ranked) this.ctx.emit('scaling', f);
    this.pendingScaling.length = 0;
  }

  scaling(target: Block, category: string, name: string, details: Details, evidence: Evidence): void {
    this.pendingScaling.push({
      id: `scaling:${target.dir === '.' ? '' : target.dir + '/'}${target.address}`,
      name,
      category,
      tech: 'terraform',
      details: { resource: target.address, ...details },
      evidence: [evidence],
    });
  }

  dataStore(b: Block, tech: string, name: string, kind: DataStore['kind'], details: Details = {}): void {
    this.ctx.emit('dataStores', {
      id: `datastore:${tech}`,
      name,
      tech,
      kind,
      usedBy: [],
      details: { provisionedBy: [b.address], ...details },
      evidence: [this.ev(b)],
    });
  }

  queue(b: Block, queueName: string, tech: string, details: Details = {}): void {
    this.ctx.emit('queues', {
      id: `queue:${queueName}`,
      name: queueName,
      tech,
      producers: [],
      consumers: [],
      details: { provisionedBy: [b.address], ...details },
      evidence: [this.ev(b)],
    });
  }
}

function set(d: Details, key: string, v: unknown): void {
  const s = show(v);
  if (s !== undefined && s !== '') d[key] = s;
}

const DB_PORTS: Record<number, string> = {
  5432: 'PostgreSQL',
  3306: 'MySQL',
  1433: 'SQL Server',
  1521: 'Oracle',
  27017: 'MongoDB',
  6379: 'Redis',
  11211: 'Memcached',
  9200: 'Elasticsearch',
  9042: 'Cassandra',
  5439: 'Redshift',
  9092: 'Kafka',
  5672: 'RabbitMQ',
};
const ADMIN_PORTS: Record<number, string> = { 22: 'SSH', 3389: 'RDP' };
interface IngressRule {
  from?: number;
  to?: number;
  all?: boolean;
  open: boolean;
  attr: string;
}
const OPEN_CIDR_LINE = /0\.0\.0\.0\/0|::\/0|"\*"|"Internet"/;
const OPEN = new Set(['0.0.0.0/0', '::/0', '*', 'Internet', 'internet', 'Any', 'any']);

/** Ingress open to the internet on database or administration ports. */
function checkOpenIngress(out: Out, b: Block, rules: IngressRule[]): void {
  const exposed = new Set<string>();
  let allPorts = false;
  let attr: string | RegExp = 'ingress';
  for (const r of rules) {
    if (!r.open) continue;
    if (r.all || (r.from === 0 && (r.to === 0 || r.to === 65535)) || (r.from === -1 && r.to === -1)) {
      allPorts = true;
      attr = OPEN_CIDR_LINE;
      continue;
    }
    if (r.from === undefined) continue;
    const to = r.to ?? r.from;
    for (const [port, what] of Object.entries({ ...DB_PORTS, ...ADMIN_PORTS })) {
      const p = Number(port);
      if (p >= r.from && p <= to) {
        exposed.add(`${p} (${what})`);
        attr = OPEN_CIDR_LINE;
      }
    }
  }
  if (allPorts) {
    out.security(b, 'ingress-open-all-ports', 'high', `${b.address} allows inbound traffic on every port from anywhere (0.0.0.0/0)`, attr);
  }
  if (exposed.size > 0) {
    const list = [...exposed].sort();
    const db = list.some((p) => DB_PORTS[Number(p.split(' ')[0])]);
    out.security(
      b,
      db ? 'ingress-open-database-port' : 'ingress-open-admin-port',
      'high',
      `${b.address} allows inbound traffic from anywhere (0.0.0.0/0) on ${list.join(', ')}`,
      attr,
      { ports: list },
    );
  }
}

function cidrsOpen(v: unknown): boolean {
  const list = Array.isArray(v) ? v : [v];
  return list.some((x) => typeof x === 'string' && OPEN.has(x.trim()));
}

const OLD_ELB_POLICY = /^ELBSecurityPolicy-(2015-05|2016-08|TLS-1-0-2015-04|TLS-1-1-2017-01|FS-2018-06|FS-1-1-2019-08|TLS13-1-0-2021-06|TLS13-1-1-2021-06)$/;

function tlsBelow12(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  return /^(TLS_?1_?[01]|TLS1_[01]|1\.[01]|TLSv1(\.1)?(_\d{4})?|TLSv1|SSLv3|TLS_1_0|TLS_1_1)$/i.test(v.trim());
}

const ENGINE_TECH: [RegExp, string, string][] = [
  [/postgres/i, 'postgresql', 'PostgreSQL'],
  [/mariadb/i, 'mariadb', 'MariaDB'],
  [/mysql/i, 'mysql', 'MySQL'],
  [/sqlserver|mssql/i, 'sqlserver', 'SQL Server'],
  [/oracle/i, 'oracle', 'Oracle Database'],
];

function engineTech(engine: unknown, fallback?: [string, string]): [string, string] | undefined {
  if (typeof engine === 'string' && !isExpression(engine)) {
    for (const [re, tech, name] of ENGINE_TECH) if (re.test(engine)) return [tech, name];
  }
  return fallback;
}

/** Describe one block: fill `b.details` and emit its findings, recovery, scaling and data facts. */
export function describe(out: Out, b: Block): void {
  const d = b.details;
  const body = b.body;
  const t = b.type;
  const sev = out;

  // Settings common to many providers.
  for (const k of ['min_tls_version', 'minimum_tls_version', 'minimal_tls_version', 'tls_version', 'ssl_minimal_tls_version_enforced']) {
    const v = body[k];
    if (v === undefined) continue;
    set(d, 'minTlsVersion', v);
    if (tlsBelow12(v)) sev.security(b, 'tls-below-1-2', 'medium', `${b.address} accepts TLS versions below 1.2 (${k} = ${String(show(v))})`, k);
  }

  switch (t) {
    // ------------------------------------------------------------------ network
    case 'aws_subnet': {
      set(d, 'cidr', body.cidr_block);
      set(d, 'availabilityZone', body.availability_zone);
      const tagName = String(show(at(body, 'tags', 'Name')) ?? '') + ' ' + b.name;
      if (isTrue(body.map_public_ip_on_launch) || /public/i.test(tagName)) d.subnet = 'public';
      else if (/private|app|db|data|isolated|intra/i.test(tagName)) d.subnet = 'private';
      break;
    }
    case 'aws_vpc':
      set(d, 'cidr', body.cidr_block);
      break;
    case 'aws_security_group': {
      const rules = many(body.ingress).map((r) => ({
        from: num(r.from_port),
        to: num(r.to_port),
        all: r.protocol === '-1' || r.protocol === 'all',
        open: cidrsOpen(r.cidr_blocks) || cidrsOpen(r.ipv6_cidr_blocks),
        attr: 'ingress',
      }));
      checkOpenIngress(out, b, rules);
      if (rules.length) d.ingressRules = rules.length;
      break;
    }
    case 'aws_security_group_rule':
      if (body.type === 'ingress') {
        checkOpenIngress(out, b, [
          { from: num(body.from_port), to: num(body.to_port), all: body.protocol === '-1', open: cidrsOpen(body.cidr_blocks) || cidrsOpen(body.ipv6_cidr_blocks), attr: 'cidr_blocks' },
        ]);
      }
      break;
    case 'aws_vpc_security_group_ingress_rule':
      checkOpenIngress(out, b, [
        { from: num(body.from_port), to: num(body.to_port), all: body.ip_protocol === '-1', open: cidrsOpen(body.cidr_ipv4) || cidrsOpen(body.cidr_ipv6), attr: 'cidr_ipv4' },
      ]);
      break;
    case 'google_compute_firewall': {
      const open = cidrsOpen(body.source_ranges) && (body.direction === undefined || body.direction === 'INGRESS');
      const rules = many(body.allow).flatMap((a): IngressRule[] => {
        const ports = Array.isArray(a.ports) ? a.ports.map(String) : [];
        if (ports.length === 0) return [{ all: true, open, attr: 'source_ranges' }];
        return ports.map((p) => {
          const [from, to] = p.split('-').map(Number);
          return { from, to: to ?? from, open, attr: 'source_ranges' };
        });
      });
      checkOpenIngress(out, b, rules);
      break;
    }
    case 'azurerm_network_security_rule':
    case 'azurerm_network_security_group': {
      const list = t === 'azurerm_network_security_rule' ? [body] : many(body.security_rule);
      const rules = list
        .filter((r) => String(r.direction ?? 'Inbound') === 'Inbound' && String(r.access ?? 'Allow') === 'Allow')
        .flatMap((r): IngressRule[] => {
          const open = cidrsOpen(r.source_address_prefix) || cidrsOpen(r.source_address_prefixes);
          const ranges = [r.destination_port_range, ...(Array.isArray(r.destination_port_ranges) ? r.destination_port_ranges : [])].filter((x) => x !== undefined).map(String);
          return ranges.map((p) => (p === '*' ? { all: true, open, attr: 'source_address_prefix' } : { from: Number(p.split('-')[0]), to: Number(p.split('-')[1] ?? p.split('-')[0]), open, attr: 'source_address_prefix' }));
        });
      checkOpenIngress(out, b, rules);
      break;
    }

    // ------------------------------------------------------------------ edge
    case 'aws_lb':
    case 'aws_alb':
      set(d, 'loadBalancerType', body.load_balancer_type ?? 'application');
      if (body.internal !== undefined) d.internal = show(body.internal)!;
      d.subnet = isTrue(body.internal) ? 'private' : 'public';
      if (isFalse(body.drop_invalid_header_fields) || body.drop_invalid_header_fields === undefined) {
        /* a hardening option; not reported, to keep findings about real exposure */
      }
      break;
    case 'aws_lb_listener':
    case 'aws_alb_listener': {
      set(d, 'port', body.port);
      set(d, 'protocol', body.protocol);
      set(d, 'tlsPolicy', body.ssl_policy);
      const action = one(body.default_action);
      set(d, 'defaultAction', action?.type);
      const proto = String(body.protocol ?? '').toUpperCase();
      if (typeof body.ssl_policy === 'string' && OLD_ELB_POLICY.test(body.ssl_policy)) {
        sev.security(b, 'tls-below-1-2', 'medium', `${b.address} uses TLS policy ${body.ssl_policy}, which still accepts TLS 1.0 or 1.1`, 'ssl_policy');
      }
      if (proto === 'HTTP' && action?.type !== 'redirect') {
        sev.security(b, 'plain-http-listener', 'low', `${b.address} serves plain HTTP on port ${String(show(body.port) ?? '?')} without redirecting to HTTPS`, 'protocol');
      }
      if (action?.type === 'redirect') d.redirect = String(show(at(action, 'redirect', 'protocol')) ?? 'yes');
      break;
    }
    case 'aws_cloudfront_distribution': {
      const cert = one(body.viewer_certificate);
      set(d, 'minimumProtocolVersion', cert?.minimum_protocol_version);
      set(d, 'priceClass', body.price_class);
      set(d, 'viewerProtocolPolicy', at(body, 'default_cache_behavior', 'viewer_protocol_policy'));
      d.origins = many(body.origin).length;
      if (body.web_acl_id !== undefined) d.waf = true;
      if (tlsBelow12(cert?.minimum_protocol_version)) {
        sev.security(b, 'tls-below-1-2', 'medium', `${b.address} accepts viewer TLS below 1.2 (${String(cert?.minimum_protocol_version)})`, 'minimum_protocol_version');
      }
      if (at(body, 'default_cache_behavior', 'viewer_protocol_policy') === 'allow-all') {
        sev.security(b, 'plain-http-cdn', 'low', `${b.address} serves viewers over plain HTTP (viewer_protocol_policy = allow-all)`, 'viewer_protocol_policy');
      }
      break;
    }
    case 'aws_wafv2_web_acl': {
      set(d, 'scope', body.scope);
      const rules = many(body.rule);
      d.rules = rules.length;
      const managed = rules.map((r) => showString(at(r, 'statement', 'managed_rule_group_statement', 'name'))).filter((x): x is string => !!x);
      if (managed.length) d.managedRuleGroups = managed;
      if (rules.some((r) => at(r, 'statement', 'rate_based_statement') !== undefined)) d.rateLimiting = true;
      break;
    }
    case 'google_compute_ssl_policy':
      set(d, 'minTlsVersion', body.min_tls_version);
      set(d, 'profile', body.profile);
      break;
    case 'aws_api_gateway_stage':
    case 'aws_apigatewayv2_stage':
      set(d, 'stage', body.stage_name ?? body.name);
      break;

    // ------------------------------------------------------------------ compute
    case 'aws_ecs_service': {
      set(d, 'desiredCount', body.desired_count);
      set(d, 'launchType', body.launch_type);
      const controller = String(show(at(body, 'deployment_controller', 'type')) ?? 'ECS');
      d.deploymentStrategy = controller === 'CODE_DEPLOY' ? 'blue/green (CodeDeploy)' : controller === 'EXTERNAL' ? 'external controller' : 'rolling update';
      set(d, 'minimumHealthyPercent', body.deployment_minimum_healthy_percent);
      set(d, 'maximumPercent', body.deployment_maximum_percent);
      const breaker = one(body.deployment_circuit_breaker);
      if (breaker) d.circuitBreakerRollback = isTrue(breaker.rollback);
      const cp = many(body.capacity_provider_strategy).map((c) => showString(c.capacity_provider)).filter((x): x is string => !!x);
      if (cp.length) d.capacityProviders = cp;
      if (isTrue(at(body, 'network_configuration', 'assign_public_ip'))) d.publicIp = true;
      if (num(body.desired_count) !== undefined) {
        out.scaling(b, 'replicas', b.address, { desired: num(body.desired_count)! }, out.ev(b, 'desired_count'));
      }
      const workloadId = `workload:ecs:${b.name}`;
      out.ctx.emit('workloads', {
        id: workloadId,
        name: String(literalName(body.name) ?? b.name),
        kind: 'ECS service',
        details: {
          source: 'terraform',
          resource: b.address,
          ...(d.desiredCount !== undefined ? { replicas: d.desiredCount } : {}),
          strategy: d.deploymentStrategy,
          ...(d.launchType !== undefined ? { launchType: d.launchType } : {}),
        },
        evidence: [out.ev(b)],
      });
      break;
    }
    case 'aws_ecs_task_definition': {
      set(d, 'cpu', body.cpu);
      set(d, 'memory', body.memory);
      set(d, 'networkMode', body.network_mode);
      const compat = body.requires_compatibilities;
      if (Array.isArray(compat)) d.compatibilities = compat.map(String);
      taskContainers(out, b);
      break;
    }
    case 'aws_ecs_cluster': {
      const insights = many(body.setting).find((s) => s.name === 'containerInsights');
      if (insights) set(d, 'containerInsights', insights.value);
      break;
    }
    case 'aws_lambda_function': {
      set(d, 'runtime', body.runtime);
      set(d, 'handler', body.handler);
      set(d, 'memoryMb', body.memory_size);
      set(d, 'timeoutSeconds', body.timeout);
      set(d, 'reservedConcurrency', body.reserved_concurrent_executions);
      set(d, 'packageType', body.package_type);
      const vars = one(at(body, 'environment'))?.variables;
      const rec = one(vars);
      if (rec) {
        d.environment = Object.keys(rec).sort();
        for (const [k, v] of Object.entries(rec)) {
          if (!isExpression(v) && looksLikeCommittedSecret(k, v)) {
            sev.security(b, `committed-secret-${k.toLowerCase()}`, 'high', `${b.address} sets ${k} to a literal value in its environment (a secret committed to the repository)`, k);
          }
        }
      }
      out.ctx.emit('workloads', {
        id: `workload:lambda:${literalName(body.function_name) ?? b.name}`,
        name: String(literalName(body.function_name) ?? b.name),
        kind: 'Lambda function',
        details: { source: 'terraform', resource: b.address, ...(d.runtime !== undefined ? { runtime: d.runtime } : {}) },
        evidence: [out.ev(b)],
      });
      if (body.reserved_concurrent_executions !== undefined) {
        out.scaling(b, 'concurrency', `${b.address}: reserved concurrency`, { max: show(body.reserved_concurrent_executions)! }, out.ev(b, 'reserved_concurrent_executions'));
      }
      break;
    }
    case 'aws_lambda_provisioned_concurrency_config': {
      const fn = out.ref(b, 'aws_lambda_function');
      if (fn) out.scaling(fn, 'concurrency', `${fn.address}: provisioned concurrency`, { min: show(body.provisioned_concurrent_executions)! }, out.ev(b));
      break;
    }
    case 'aws_instance':
      set(d, 'instanceType', body.instance_type);
      if (isTrue(body.associate_public_ip_address)) d.subnet = 'public';
      break;
    case 'aws_launch_template':
      set(d, 'instanceType', body.instance_type);
      break;
    case 'aws_autoscaling_group': {
      set(d, 'min', body.min_size);
      set(d, 'max', body.max_size);
      set(d, 'desired', body.desired_capacity);
      out.scaling(b, 'autoscaling', `${b.address} (EC2 Auto Scaling group)`, pick(d, ['min', 'max', 'desired']), out.ev(b, 'max_size'));
      break;
    }
    case 'aws_autoscaling_policy': {
      const asg = out.ref(b, 'aws_autoscaling_group');
      const cfg = one(body.target_tracking_configuration);
      if (asg && cfg) {
        const metric = showString(at(cfg, 'predefined_metric_specification', 'predefined_metric_type')) ?? 'custom metric';
        out.scaling(asg, 'autoscaling', `${asg.address} (EC2 Auto Scaling group)`, { policies: [`${metric} target ${String(show(cfg.target_value) ?? '?')}`] }, out.ev(b));
      }
      break;
    }
    case 'aws_appautoscaling_target': {
      const target = out.ref(b, 'aws_ecs_service', 'aws_dynamodb_table', 'aws_rds_cluster', 'aws_lambda_alias') ?? b;
      set(d, 'min', body.min_capacity);
      set(d, 'max', body.max_capacity);
      set(d, 'dimension', body.scalable_dimension);
      out.scaling(target, 'autoscaling', `${target.address}${target === b ? '' : ` (${dimensionLabel(body.scalable_dimension)})`}`, { ...pick(d, ['min', 'max']), ...(d.dimension !== undefined ? { dimension: d.dimension } : {}) }, out.ev(b, 'max_capacity'));
      break;
    }
    case 'aws_appautoscaling_policy': {
      const tgt = out.ref(b, 'aws_appautoscaling_target');
      const target = (tgt && out.ref(tgt, 'aws_ecs_service', 'aws_dynamodb_table', 'aws_rds_cluster', 'aws_lambda_alias')) ?? tgt;
      const cfg = one(body.target_tracking_scaling_policy_configuration);
      if (target && cfg) {
        const metric =
          showString(at(cfg, 'predefined_metric_specification', 'predefined_metric_type')) ??
          showString(at(cfg, 'customized_metric_specification', 'metric_name')) ??
          'custom metric';
        out.scaling(target, 'autoscaling', target.address, { policies: [`${metric} target ${String(show(cfg.target_value) ?? '?')}`] }, out.ev(b));
      } else if (target) {
        out.scaling(target, 'autoscaling', target.address, { policies: [`${String(show(body.policy_type) ?? 'step')} scaling`] }, out.ev(b));
      }
      break;
    }
    case 'aws_eks_node_group': {
      const sc = one(body.scaling_config);
      set(d, 'min', sc?.min_size);
      set(d, 'max', sc?.max_size);
      set(d, 'desired', sc?.desired_size);
      if (Array.isArray(body.instance_types)) d.instanceTypes = body.instance_types.map(String);
      if (sc) out.scaling(b, 'autoscaling', `${b.address} (EKS node group)`, pick(d, ['min', 'max', 'desired']), out.ev(b, 'scaling_config'));
      break;
    }
    case 'aws_eks_cluster':
      set(d, 'version', body.version);
      if (isTrue(at(body, 'vpc_config', 'endpoint_public_access')) || at(body, 'vpc_config', 'endpoint_public_access') === undefined) {
        d.publicEndpoint = true;
      }
      break;
    case 'google_cloud_run_v2_service': {
      const s = one(at(body, 'template', 'scaling'));
      if (s) {
        set(d, 'min', s.min_instance_count);
        set(d, 'max', s.max_instance_count);
        out.scaling(b, 'autoscaling', `${b.address} (Cloud Run)`, pick(d, ['min', 'max']), out.ev(b, 'scaling'));
      }
      set(d, 'ingress', body.ingress);
      break;
    }
    case 'google_container_node_pool': {
      const a = one(body.autoscaling);
      set(d, 'machineType', at(body, 'node_config', 'machine_type'));
      if (a) {
        set(d, 'min', a.min_node_count ?? a.total_min_node_count);
        set(d, 'max', a.max_node_count ?? a.total_max_node_count);
        out.scaling(b, 'autoscaling', `${b.address} (GKE node pool)`, pick(d, ['min', 'max']), out.ev(b, 'autoscaling'));
      }
      break;
    }
    case 'azurerm_kubernetes_cluster': {
      const pool = one(body.default_node_pool);
      set(d, 'vmSize', pool?.vm_size);
      if (pool && (isTrue(pool.enable_auto_scaling) || isTrue(pool.auto_scaling_enabled))) {
        set(d, 'min', pool.min_count);
        set(d, 'max', pool.max_count);
        out.scaling(b, 'autoscaling', `${b.address} (AKS default node pool)`, pick(d, ['min', 'max']), out.ev(b, 'default_node_pool'));
      }
      break;
    }
    case 'azurerm_monitor_autoscale_setting': {
      const cap = one(at(body, 'profile', 'capacity'));
      const target = out.ref(b) ?? b;
      if (cap) out.scaling(target, 'autoscaling', `${target.address} (Azure autoscale)`, { min: show(cap.minimum) ?? '?', max: show(cap.maximum) ?? '?', desired: show(cap.default) ?? '?' }, out.ev(b, 'capacity'));
      break;
    }

    // ------------------------------------------------------------------ data
    case 'aws_db_instance': {
      const tech = engineTech(body.engine, ['postgresql', 'Relational database']);
      rdsCommon(out, b, 'instance_class');
      set(d, 'allocatedStorageGb', body.allocated_storage);
      set(d, 'maxAllocatedStorageGb', body.max_allocated_storage);
      const source = out.ref(b, 'aws_db_instance');
      if (body.replicate_source_db !== undefined) {
        d.replicaOf = source?.address ?? String(show(body.replicate_source_db));
        out.recovery(source ?? b, 'read-replica', `${source?.address ?? b.address} has a read replica (${b.address})`, 'replicate_source_db', { replica: b.address });
      }
      if (tech && body.replicate_source_db === undefined) out.dataStore(b, tech[0], tech[1], 'relational', dsDetails(d, ['engineVersion', 'instanceClass', 'multiAz']));
      break;
    }
    case 'aws_rds_cluster': {
      const tech = engineTech(body.engine, ['mysql', 'MySQL']);
      rdsCommon(out, b, 'db_cluster_instance_class');
      set(d, 'engineMode', body.engine_mode);
      const sv2 = one(body.serverlessv2_scaling_configuration);
      if (sv2) out.scaling(b, 'autoscaling', `${b.address} (Aurora Serverless v2 capacity units)`, { min: show(sv2.min_capacity) ?? '?', max: show(sv2.max_capacity) ?? '?', metric: 'ACU' }, out.ev(b, 'serverlessv2_scaling_configuration'));
      if (body.global_cluster_identifier !== undefined) out.recovery(b, 'multi-region', `${b.address} is a member of an Aurora global database`, 'global_cluster_identifier');
      if (tech) out.dataStore(b, tech[0], tech[1], 'relational', dsDetails(d, ['engineVersion', 'instanceClass']));
      break;
    }
    case 'aws_rds_cluster_instance': {
      set(d, 'instanceClass', body.instance_class);
      const cluster = out.ref(b, 'aws_rds_cluster');
      const count = num(body.count);
      if (cluster && count !== undefined && count > 1) {
        out.recovery(cluster, 'read-replica', `${cluster.address} runs ${count} instances (one writer and ${count - 1} reader${count - 1 === 1 ? '' : 's'})`, undefined, { instances: count });
      }
      if (isTrue(body.publicly_accessible)) sev.security(b, 'database-publicly-accessible', 'high', `${b.address} is publicly accessible from the internet`, 'publicly_accessible');
      break;
    }
    case 'aws_elasticache_replication_group':
    case 'aws_elasticache_cluster':
    case 'aws_elasticache_serverless_cache':
    case 'aws_memorydb_cluster': {
      const engine = String(show(body.engine) ?? 'redis');
      set(d, 'engine', engine);
      set(d, 'engineVersion', body.engine_version);
      set(d, 'nodeType', body.node_type);
      const replicas = num(body.num_cache_clusters) ?? num(body.replicas_per_node_group) ?? num(body.num_cache_nodes) ?? num(body.num_replicas_per_shard);
      if (replicas !== undefined) d.nodes = replicas;
      set(d, 'shards', body.num_node_groups ?? body.num_shards);
      const failover = isTrue(body.automatic_failover_enabled);
      const multiAz = isTrue(body.multi_az_enabled);
      if (failover) d.automaticFailover = true;
      if (multiAz) {
        d.multiAz = true;
        out.recovery(b, 'multi-az', `${b.address} spreads nodes across availability zones with automatic failover`, 'multi_az_enabled');
      } else if (failover && replicas !== undefined && replicas > 1) {
        out.recovery(b, 'replica', `${b.address} keeps ${replicas - 1} replica node${replicas - 1 === 1 ? '' : 's'} with automatic failover`, 'automatic_failover_enabled');
      }
      const snap = num(body.snapshot_retention_limit);
      if (snap !== undefined) {
        d.snapshotRetentionDays = snap;
        if (snap > 0) out.recovery(b, 'backup', `${b.address}: daily snapshots kept ${snap} day${snap === 1 ? '' : 's'}`, 'snapshot_retention_limit', { retentionDays: snap });
      }
      if (t === 'aws_elasticache_replication_group' || t === 'aws_memorydb_cluster') {
        if (body.at_rest_encryption_enabled !== undefined) d.encryptedAtRest = show(body.at_rest_encryption_enabled)!;
        if (body.transit_encryption_enabled !== undefined) d.encryptedInTransit = show(body.transit_encryption_enabled)!;
        if (t === 'aws_elasticache_replication_group' && !isTrue(body.transit_encryption_enabled) && !isExpression(body.transit_encryption_enabled)) {
          sev.security(b, 'cache-no-transit-encryption', 'medium', `${b.address} does not encrypt traffic in transit (transit_encryption_enabled is not true)`, body.transit_encryption_enabled === undefined ? undefined : 'transit_encryption_enabled');
        }
        if (t === 'aws_elasticache_replication_group' && !isTrue(body.at_rest_encryption_enabled) && !isExpression(body.at_rest_encryption_enabled)) {
          sev.security(b, 'cache-not-encrypted-at-rest', 'medium', `${b.address} does not encrypt data at rest (at_rest_encryption_enabled is not true)`, body.at_rest_encryption_enabled === undefined ? undefined : 'at_rest_encryption_enabled');
        }
      }
      const tech = /memcached/i.test(engine) ? ['memcached', 'Memcached'] : /valkey/i.test(engine) ? ['valkey', 'Valkey'] : ['redis', 'Redis'];
      out.dataStore(b, tech[0]!, tech[1]!, 'cache', dsDetails(d, ['nodeType']));
      break;
    }
    case 'aws_dynamodb_table': {
      set(d, 'tableName', literalName(body.name));
      set(d, 'billingMode', body.billing_mode ?? 'PROVISIONED');
      set(d, 'hashKey', body.hash_key);
      set(d, 'rangeKey', body.range_key);
      if (isTrue(at(body, 'point_in_time_recovery', 'enabled'))) {
        d.pointInTimeRecovery = true;
        out.recovery(b, 'point-in-time-recovery', `${b.address}: point-in-time recovery enabled (restore to any second in the last 35 days)`, 'point_in_time_recovery');
      }
      const replicas = many(body.replica).map((r) => showString(r.region_name)).filter((x): x is string => !!x);
      if (replicas.length) {
        d.replicaRegions = replicas;
        out.recovery(b, 'multi-region', `${b.address} is a global table replicated to ${replicas.join(', ')}`, 'replica', { regions: replicas });
      }
      if (isTrue(body.stream_enabled)) d.stream = String(show(body.stream_view_type) ?? 'enabled');
      if (isTrue(body.deletion_protection_enabled)) out.recovery(b, 'deletion-protection', `${b.address}: deletion protection enabled`, 'deletion_protection_enabled');
      out.dataStore(b, 'dynamodb', 'Amazon DynamoDB', 'key-value', { tables: [String(literalName(body.name) ?? b.name)] });
      break;
    }
    case 'aws_s3_bucket': {
      const bucket = showString(body.bucket) ?? showString(body.bucket_prefix) ?? b.name;
      d.bucket = bucket;
      // Inline (provider v3) settings.
      if (isTrue(at(body, 'versioning', 'enabled'))) bucketVersioning(out, b, b, 'versioning');
      const acl = body.acl;
      if (acl === 'public-read' || acl === 'public-read-write') publicBucket(out, b, b, `ACL ${acl}`, 'acl');
      if (body.replication_configuration !== undefined) out.recovery(b, 'replication', `${b.address}: objects replicated to another bucket`, 'replication_configuration');
      out.dataStore(b, 's3', 'Amazon S3', 'object', { buckets: [bucket] });
      break;
    }
    case 'aws_s3_bucket_versioning': {
      const bucket = out.ref(b, 'aws_s3_bucket');
      const status = at(body, 'versioning_configuration', 'status');
      set(d, 'status', status);
      if (bucket && status === 'Enabled') bucketVersioning(out, bucket, b, 'status');
      break;
    }
    case 'aws_s3_bucket_public_access_block': {
      const keys = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      const off = keys.filter((k) => isFalse(body[k]));
      const bucket = out.ref(b, 'aws_s3_bucket') ?? b;
      if (off.length === 0 && keys.every((k) => isTrue(body[k]))) {
        bucket.details.publicAccessBlocked = true;
      } else if (off.length > 0) {
        publicBucket(out, bucket, b, `public access block disabled (${off.join(', ')} = false)`, off[0]!);
      }
      break;
    }
    case 'aws_s3_bucket_acl': {
      const bucket = out.ref(b, 'aws_s3_bucket') ?? b;
      if (body.acl === 'public-read' || body.acl === 'public-read-write') publicBucket(out, bucket, b, `ACL ${body.acl}`, 'acl');
      break;
    }
    case 'aws_s3_bucket_policy': {
      const text = typeof body.policy === 'string' ? body.policy : '';
      if (/"?Principal"?\s*[=:]\s*"\*"/.test(text) || /"AWS"\s*[=:]\s*"\*"/.test(text)) {
        const bucket = out.ref(b, 'aws_s3_bucket') ?? b;
        if (!/Condition/.test(text)) publicBucket(out, bucket, b, 'a bucket policy that grants access to everyone (Principal "*")', 'policy');
      }
      break;
    }
    case 'aws_s3_bucket_server_side_encryption_configuration': {
      const algo = at(body, 'rule', 'apply_server_side_encryption_by_default', 'sse_algorithm');
      const bucket = out.ref(b, 'aws_s3_bucket');
      if (bucket && algo !== undefined) bucket.details.encryption = String(show(algo));
      break;
    }
    case 'aws_s3_bucket_replication_configuration': {
      const bucket = out.ref(b, 'aws_s3_bucket') ?? b;
      out.recovery(bucket, 'replication', `${bucket.address}: objects replicated to another bucket`, undefined, { configuredBy: b.address });
      break;
    }
    case 'aws_s3_bucket_lifecycle_configuration': {
      const bucket = out.ref(b, 'aws_s3_bucket');
      if (bucket) bucket.details.lifecycleRules = many(body.rule).length;
      break;
    }
    case 'aws_opensearch_domain':
    case 'aws_elasticsearch_domain': {
      set(d, 'engineVersion', body.engine_version ?? body.elasticsearch_version);
      const cluster = one(body.cluster_config);
      set(d, 'instanceType', cluster?.instance_type);
      set(d, 'instanceCount', cluster?.instance_count);
      if (isTrue(cluster?.zone_awareness_enabled)) out.recovery(b, 'multi-az', `${b.address} spreads nodes across availability zones`, 'zone_awareness_enabled');
      if (isTrue(at(body, 'encrypt_at_rest', 'enabled'))) d.encryptedAtRest = true;
      set(d, 'tlsPolicy', at(body, 'domain_endpoint_options', 'tls_security_policy'));
      const pol = at(body, 'domain_endpoint_options', 'tls_security_policy');
      if (typeof pol === 'string' && /TLS-1-0/.test(pol)) sev.security(b, 'tls-below-1-2', 'medium', `${b.address} uses TLS policy ${pol}, which accepts TLS 1.0`, 'tls_security_policy');
      out.dataStore(b, t === 'aws_opensearch_domain' ? 'opensearch' : 'elasticsearch', t === 'aws_opensearch_domain' ? 'OpenSearch' : 'Elasticsearch', 'search', dsDetails(d, ['instanceType']));
      break;
    }
    case 'aws_docdb_cluster':
      rdsCommon(out, b, 'db_cluster_instance_class');
      out.dataStore(b, 'mongodb', 'MongoDB', 'document', { service: 'Amazon DocumentDB' });
      break;
    case 'aws_backup_plan': {
      const rules = many(body.rule);
      for (const r of rules) {
        const days = num(at(r, 'lifecycle', 'delete_after'));
        out.recovery(b, 'backup', `${b.address}: AWS Backup rule ${String(show(r.rule_name) ?? '')}${r.schedule !== undefined ? ` on ${String(show(r.schedule))}` : ''}${days !== undefined ? `, kept ${days} days` : ''}`.trim(), 'rule', {
          ...(days !== undefined ? { retentionDays: days } : {}),
          ...(r.copy_action !== undefined ? { copiedElsewhere: true } : {}),
        });
      }
      break;
    }
    case 'google_sql_database_instance': {
      set(d, 'databaseVersion', body.database_version);
      const s = one(body.settings);
      set(d, 'tier', s?.tier);
      set(d, 'availabilityType', s?.availability_type);
      if (s?.availability_type === 'REGIONAL') out.recovery(b, 'multi-az', `${b.address} is regional (high availability across zones)`, 'availability_type');
      const bk = one(s?.backup_configuration);
      if (bk && isTrue(bk.enabled)) {
        const days = num(at(bk, 'backup_retention_settings', 'retained_backups'));
        out.recovery(b, 'backup', `${b.address}: automated backups enabled${days !== undefined ? ` (${days} kept)` : ''}`, 'backup_configuration');
      }
      if (bk && isTrue(bk.point_in_time_recovery_enabled)) out.recovery(b, 'point-in-time-recovery', `${b.address}: point-in-time recovery enabled`, 'point_in_time_recovery_enabled');
      if (isTrue(body.deletion_protection)) out.recovery(b, 'deletion-protection', `${b.address}: deletion protection enabled`, 'deletion_protection');
      if (body.master_instance_name !== undefined) out.recovery(out.ref(b, 'google_sql_database_instance') ?? b, 'read-replica', `${b.address} is a read replica`, 'master_instance_name');
      const ip = one(s?.ip_configuration);
      if (ip && many(ip.authorized_networks).some((n) => cidrsOpen(n.value))) {
        sev.security(b, 'database-publicly-accessible', 'high', `${b.address} authorises connections from anywhere (0.0.0.0/0)`, 'authorized_networks');
      }
      const tech = engineTech(body.database_version);
      if (tech) out.dataStore(b, tech[0], tech[1], 'relational', dsDetails(d, ['tier']));
      break;
    }
    case 'google_storage_bucket': {
      d.bucket = literalName(body.name) ?? b.name;
      set(d, 'location', body.location);
      if (isTrue(at(body, 'versioning', 'enabled'))) out.recovery(b, 'versioning', `${b.address}: object versioning enabled`, 'versioning');
      out.dataStore(b, 'gcs', 'Google Cloud Storage', 'object', { buckets: [String(d.bucket)] });
      break;
    }
    case 'google_storage_bucket_iam_member':
    case 'google_storage_bucket_iam_binding': {
      const members = [body.member, ...(Array.isArray(body.members) ? body.members : [])];
      if (members.some((m) => m === 'allUsers' || m === 'allAuthenticatedUsers')) {
        const bucket = out.ref(b, 'google_storage_bucket') ?? b;
        sev.security(bucket, 'public-bucket', 'high', `${bucket.address} is readable by anyone (${b.address} grants allUsers)`, undefined);
      }
      break;
    }
    case 'google_redis_instance':
      set(d, 'tier', body.tier);
      set(d, 'memoryGb', body.memory_size_gb);
      if (body.tier === 'STANDARD_HA') out.recovery(b, 'replica', `${b.address} runs with a standby replica (STANDARD_HA)`, 'tier');
      out.dataStore(b, 'redis', 'Redis', 'cache', dsDetails(d, ['tier']));
      break;
    case 'azurerm_postgresql_flexible_server':
    case 'azurerm_mysql_flexible_server':
    case 'azurerm_postgresql_server':
    case 'azurerm_mysql_server': {
      set(d, 'sku', body.sku_name);
      set(d, 'version', body.version);
      const days = num(body.backup_retention_days);
      if (days !== undefined) out.recovery(b, 'backup', `${b.address}: backups kept ${days} days`, 'backup_retention_days', { retentionDays: days });
      if (isTrue(body.geo_redundant_backup_enabled)) out.recovery(b, 'multi-region', `${b.address}: geo-redundant backups`, 'geo_redundant_backup_enabled');
      const ha = one(body.high_availability);
      if (ha?.mode !== undefined) out.recovery(b, 'multi-az', `${b.address}: high availability (${String(show(ha.mode))})`, 'high_availability');
      if (isTrue(body.public_network_access_enabled)) sev.security(b, 'database-publicly-accessible', 'high', `${b.address} accepts connections from public networks`, 'public_network_access_enabled');
      if (isFalse(body.ssl_enforcement_enabled)) sev.security(b, 'database-no-tls', 'high', `${b.address} does not enforce TLS connections`, 'ssl_enforcement_enabled');
      const pg = t.includes('postgresql');
      out.dataStore(b, pg ? 'postgresql' : 'mysql', pg ? 'PostgreSQL' : 'MySQL', 'relational', dsDetails(d, ['sku']));
      break;
    }
    case 'azurerm_storage_account': {
      set(d, 'replication', body.account_replication_type);
      const rep = String(body.account_replication_type ?? '');
      if (/GRS|GZRS/.test(rep)) out.recovery(b, 'multi-region', `${b.address}: geo-redundant storage (${rep})`, 'account_replication_type');
      else if (/ZRS/.test(rep)) out.recovery(b, 'multi-az', `${b.address}: zone-redundant storage (ZRS)`, 'account_replication_type');
      if (isFalse(body.enable_https_traffic_only) || isFalse(body.https_traffic_only_enabled)) sev.security(b, 'plain-http-storage', 'medium', `${b.address} accepts plain HTTP traffic`, 'enable_https_traffic_only');
      if (isTrue(body.allow_nested_items_to_be_public) || isTrue(body.allow_blob_public_access)) sev.security(b, 'public-bucket', 'high', `${b.address} allows public blob access`, 'allow_nested_items_to_be_public');
      out.dataStore(b, 'azure-storage', 'Azure Storage', 'object', {});
      break;
    }
    case 'azurerm_cosmosdb_account': {
      const locations = many(body.geo_location).length;
      if (locations > 1) out.recovery(b, 'multi-region', `${b.address} replicates to ${locations} regions`, 'geo_location');
      set(d, 'consistency', at(body, 'consistency_policy', 'consistency_level'));
      out.dataStore(b, 'cosmosdb', 'Cosmos DB', 'document', {});
      break;
    }
    case 'azurerm_redis_cache':
      set(d, 'sku', body.sku_name);
      if (isTrue(body.enable_non_ssl_port) || isTrue(body.non_ssl_port_enabled)) sev.security(b, 'cache-no-transit-encryption', 'medium', `${b.address} opens the non-TLS port`, 'enable_non_ssl_port');
      out.dataStore(b, 'redis', 'Redis', 'cache', dsDetails(d, ['sku']));
      break;
    case 'azurerm_mssql_database': {
      set(d, 'sku', body.sku_name);
      const days = num(at(body, 'short_term_retention_policy', 'retention_days'));
      if (days !== undefined) out.recovery(b, 'point-in-time-recovery', `${b.address}: point-in-time restore within ${days} days`, 'short_term_retention_policy');
      if (isTrue(body.zone_redundant)) out.recovery(b, 'multi-az', `${b.address}: zone redundant`, 'zone_redundant');
      out.dataStore(b, 'sqlserver', 'SQL Server', 'relational', dsDetails(d, ['sku']));
      break;
    }

    // ------------------------------------------------------------------ messaging
    case 'aws_sqs_queue': {
      const name = literalName(body.name) ?? literalName(body.name_prefix) ?? b.name.replace(/_/g, '-');
      set(d, 'queueName', name);
      if (isTrue(body.fifo_queue)) d.fifo = true;
      set(d, 'retentionSeconds', body.message_retention_seconds);
      set(d, 'visibilityTimeoutSeconds', body.visibility_timeout_seconds);
      const dlq = out.ref(b, 'aws_sqs_queue');
      if (body.redrive_policy !== undefined && dlq) d.deadLetterQueue = String(literalName(dlq.body.name) ?? dlq.name.replace(/_/g, '-'));
      if (isTrue(body.sqs_managed_sse_enabled) || body.kms_master_key_id !== undefined) d.encrypted = true;
      out.queue(b, name, 'Amazon SQS', pick(d, ['fifo', 'retentionSeconds', 'visibilityTimeoutSeconds', 'deadLetterQueue']));
      break;
    }
    case 'aws_sns_topic': {
      const name = literalName(body.name) ?? literalName(body.name_prefix) ?? b.name.replace(/_/g, '-');
      set(d, 'topicName', name);
      if (isTrue(body.fifo_topic)) d.fifo = true;
      out.queue(b, name, 'Amazon SNS', { kind: 'topic', ...pick(d, ['fifo']) });
      break;
    }
    case 'aws_msk_cluster':
    case 'aws_msk_serverless_cluster': {
      const name = literalName(body.cluster_name) ?? b.name.replace(/_/g, '-');
      set(d, 'kafkaVersion', body.kafka_version);
      set(d, 'brokers', body.number_of_broker_nodes);
      set(d, 'instanceType', at(body, 'broker_node_group_info', 'instance_type'));
      const clientBroker = at(body, 'encryption_info', 'encryption_in_transit', 'client_broker');
      if (clientBroker === 'PLAINTEXT' || clientBroker === 'TLS_PLAINTEXT') {
        sev.security(b, 'kafka-plaintext', 'medium', `${b.address} allows plaintext client connections (client_broker = ${clientBroker})`, 'client_broker');
      }
      out.queue(b, name, 'Kafka', { kind: 'Kafka cluster (Amazon MSK)', ...pick(d, ['kafkaVersion', 'brokers']) });
      break;
    }
    case 'aws_kinesis_stream':
      set(d, 'shards', body.shard_count);
      set(d, 'retentionHours', body.retention_period);
      out.queue(b, literalName(body.name) ?? b.name.replace(/_/g, '-'), 'Amazon Kinesis', pick(d, ['shards', 'retentionHours']));
      break;
    case 'aws_mq_broker':
      set(d, 'engine', body.engine_type);
      set(d, 'deploymentMode', body.deployment_mode);
      if (isTrue(body.publicly_accessible)) sev.security(b, 'broker-publicly-accessible', 'high', `${b.address} is publicly accessible`, 'publicly_accessible');
      if (String(body.deployment_mode ?? '').includes('MULTI_AZ') || String(body.deployment_mode ?? '').includes('CLUSTER_MULTI_AZ')) out.recovery(b, 'multi-az', `${b.address} runs across availability zones (${String(body.deployment_mode)})`, 'deployment_mode');
      break;
    case 'google_pubsub_topic':
      out.queue(b, literalName(body.name) ?? b.name.replace(/_/g, '-'), 'Google Pub/Sub', { kind: 'topic' });
      break;
    case 'google_pubsub_subscription':
      set(d, 'ackDeadlineSeconds', body.ack_deadline_seconds);
      if (body.dead_letter_policy !== undefined) d.deadLetter = true;
      break;
    case 'azurerm_servicebus_queue':
    case 'azurerm_servicebus_topic':
      out.queue(b, literalName(body.name) ?? b.name.replace(/_/g, '-'), 'Azure Service Bus', { kind: t.endsWith('topic') ? 'topic' : 'queue' });
      break;
    case 'azurerm_eventhub':
      out.queue(b, literalName(body.name) ?? b.name.replace(/_/g, '-'), 'Azure Event Hubs', { partitions: show(body.partition_count) ?? '?' });
      break;

    // ------------------------------------------------------------------ secrets, observability
    case 'aws_kms_key':
      if (body.enable_key_rotation !== undefined) d.keyRotation = show(body.enable_key_rotation)!;
      set(d, 'deletionWindowDays', body.deletion_window_in_days);
      break;
    case 'aws_secretsmanager_secret':
      set(d, 'secretName', body.name);
      set(d, 'recoveryWindowDays', body.recovery_window_in_days);
      if (body.kms_key_id !== undefined) d.customerManagedKey = true;
      break;
    case 'aws_secretsmanager_secret_rotation':
      set(d, 'rotationDays', at(body, 'rotation_rules', 'automatically_after_days'));
      break;
    case 'aws_ssm_parameter':
      set(d, 'parameterType', body.type);
      if ((body.type === 'String' || body.type === 'StringList') && /(password|passwd|secret|token|api_?key|private_?key)/i.test(`${b.name} ${String(literalName(body.name) ?? '')}`)) {
        sev.security(b, 'plaintext-parameter', 'medium', `${b.address} stores a secret-sounding parameter as ${String(show(body.type) ?? 'String')} rather than SecureString`, 'type');
      }
      break;
    case 'aws_cloudwatch_log_group': {
      const days = num(body.retention_in_days);
      if (days !== undefined) d.retentionDays = days;
      else if (body.retention_in_days === undefined) d.retentionDays = 'never expires';
      else set(d, 'retentionDays', body.retention_in_days);
      if (body.kms_key_id !== undefined) d.encrypted = true;
      break;
    }
    case 'aws_cloudwatch_metric_alarm':
      set(d, 'metric', body.metric_name);
      set(d, 'namespace', body.namespace);
      set(d, 'threshold', body.threshold);
      set(d, 'comparison', body.comparison_operator);
      break;
    case 'datadog_monitor':
      set(d, 'monitorType', body.type);
      set(d, 'monitorName', literalName(body.name));
      break;
    default:
      break;
  }
}

/** RDS and Aurora: instance class, multi-AZ, encryption, exposure, backups. */
function rdsCommon(out: Out, b: Block, classAttr: string): void {
  const d = b.details;
  const body = b.body;
  set(d, 'engine', body.engine);
  set(d, 'engineVersion', body.engine_version);
  set(d, 'instanceClass', body[classAttr]);
  if (body.multi_az !== undefined) d.multiAz = show(body.multi_az)!;
  if (isTrue(body.multi_az)) out.recovery(b, 'multi-az', `${b.address} runs a standby in a second availability zone (Multi-AZ)`, 'multi_az');
  if (Array.isArray(body.availability_zones) && body.availability_zones.length > 1) {
    out.recovery(b, 'multi-az', `${b.address} spans ${body.availability_zones.length} availability zones`, 'availability_zones');
  }
  if (body.storage_encrypted !== undefined) d.encryptedAtRest = show(body.storage_encrypted)!;
  const replica = body.replicate_source_db !== undefined;
  if (!replica && !isTrue(body.storage_encrypted) && !isExpression(body.storage_encrypted) && body.kms_key_id === undefined) {
    out.security(b, 'database-not-encrypted-at-rest', 'medium', `${b.address} does not encrypt storage at rest (storage_encrypted is not true)`, body.storage_encrypted === undefined ? undefined : 'storage_encrypted');
  }
  if (isTrue(body.publicly_accessible)) {
    d.publiclyAccessible = true;
    out.security(b, 'database-publicly-accessible', 'high', `${b.address} is publicly accessible from the internet (publicly_accessible = true)`, 'publicly_accessible');
  }
  const retention = num(body.backup_retention_period);
  if (retention !== undefined) d.backupRetentionDays = retention;
  else if (body.backup_retention_period !== undefined) set(d, 'backupRetentionDays', body.backup_retention_period);
  if (retention !== undefined && retention > 0) {
    out.recovery(b, 'backup', `${b.address}: automated daily backups kept ${retention} day${retention === 1 ? '' : 's'}`, 'backup_retention_period', { retentionDays: retention });
    out.recovery(b, 'point-in-time-recovery', `${b.address}: point-in-time restore to any second within the ${retention}-day backup window`, 'backup_retention_period', { windowDays: retention });
  } else if (retention === 0) {
    out.security(b, 'database-backups-disabled', 'medium', `${b.address} has automated backups disabled (backup_retention_period = 0)`, 'backup_retention_period');
  } else if (body.backup_retention_period !== undefined) {
    out.recovery(b, 'backup', `${b.address}: automated backups kept for ${String(show(body.backup_retention_period))} days`, 'backup_retention_period');
  }
  set(d, 'backupWindow', body.preferred_backup_window);
  if (isTrue(body.deletion_protection)) {
    d.deletionProtection = true;
    out.recovery(b, 'deletion-protection', `${b.address}: deletion protection enabled`, 'deletion_protection');
  }
  if (isFalse(body.skip_final_snapshot) || (body.skip_final_snapshot === undefined && !replica)) {
    out.recovery(b, 'final-snapshot', `${b.address}: a final snapshot is taken before deletion`, body.skip_final_snapshot === undefined ? undefined : 'skip_final_snapshot');
  }
  if (body.performance_insights_enabled !== undefined) d.performanceInsights = show(body.performance_insights_enabled)!;
}

function bucketVersioning(out: Out, bucket: Block, by: Block, attr: string): void {
  bucket.details.versioning = true;
  out.ctx.emit('recovery', {
    id: `recovery:versioning:${bucket.dir === '.' ? '' : bucket.dir + '/'}${bucket.address}`,
    name: `${bucket.address}: object versioning enabled (overwritten and deleted objects can be restored)`,
    category: 'versioning',
    tech: 'terraform',
    details: { resource: bucket.address },
    evidence: [out.ev(by, attr)],
  });
}

function publicBucket(out: Out, bucket: Block, by: Block, why: string, attr: string): void {
  bucket.details.public = true;
  out.ctx.emit('security', {
    id: `security:public-bucket:${bucket.dir === '.' ? '' : bucket.dir + '/'}${bucket.address}`,
    name: `${bucket.address} can be read publicly: ${why}`,
    category: 'infrastructure',
    severity: 'high',
    tech: 'terraform',
    details: { rule: 'public-bucket', resource: bucket.address },
    evidence: [out.ev(by, attr)],
  });
}

function pick(d: Details, keys: string[]): Details {
  const outD: Details = {};
  for (const k of keys) if (d[k] !== undefined) outD[k] = d[k]!;
  return outD;
}

function dsDetails(d: Details, keys: string[]): Details {
  return pick(d, keys);
}

function dimensionLabel(v: unknown): string {
  const s = String(show(v) ?? '');
  if (s.startsWith('ecs:')) return 'ECS tasks';
  if (s.startsWith('dynamodb:')) return s.includes('Read') ? 'DynamoDB read capacity' : 'DynamoDB write capacity';
  if (s.startsWith('rds:')) return 'Aurora read replicas';
  if (s.startsWith('lambda:')) return 'Lambda provisioned concurrency';
  return s || 'capacity';
}

/** Containers of an ECS task definition (read from its container_definitions expression). */
function taskContainers(out: Out, b: Block): void {
  const defs = b.body.container_definitions;
  if (typeof defs !== 'string') return;
  // Each container definition starts at a `name = "..."` that precedes an `image`.
  const chunks = defs.split(/(?=\{\s*"?name"?\s*[=:]\s*"[^"]+"\s*,?\s*\n?\s*"?image"?)/);
  const containers = chunks.length > 1 ? chunks.slice(1) : [defs];
  for (const chunk of containers) {
    const name = /"?name"?\s*[=:]\s*"([^"]+)"/.exec(chunk)?.[1];
    const image = /"?image"?\s*[=:]\s*"((?:[^"\\]|\\.|\$\{[^}]*\})*)"/.exec(chunk)?.[1];
    if (!name || !image) continue;
    const ports = [...chunk.matchAll(/"?containerPort"?\s*[=:]\s*(\d+)/g)].map((m) => m[1]!);
    const user = /"?user"?\s*[=:]\s*"([^"]+)"/.exec(chunk)?.[1];
    const env: string[] = [];
    for (const m of chunk.matchAll(/\{\s*"?name"?\s*[=:]\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*,?\s*"?value"?\s*[=:]\s*("(?:[^"\\]|\\.)*"|[^,}\n]+)/g)) {
      env.push(m[1]!);
      const value = m[2]!.startsWith('"') ? m[2]!.slice(1, -1) : m[2]!.trim();
      if (!value.includes('${') && /^[a-z_]+\./.test(value) === false && looksLikeCommittedSecret(m[1]!, value)) {
        out.security(b, `committed-secret-${m[1]!.toLowerCase()}`, 'high', `${b.address} sets ${m[1]} to a literal value in container ${name}'s environment (a secret committed to the repository)`, m[1]!);
      }
    }
    const secrets = [...chunk.matchAll(/\{\s*"?name"?\s*[=:]\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*,?\s*"?valueFrom"?/g)].map((m) => m[1]!);
    const health = /healthCheck/.test(chunk);
    const displayImage = image.replace(/\$\{([^}]*)\}/g, '$1');
    const ecr = /aws_ecr_repository\.([A-Za-z0-9_-]+)/.exec(image)?.[1];
    const repoName = ecr ? literalName(out.blocks.get(`aws_ecr_repository.${ecr}`)?.body.name) : undefined;
    const component = componentOfImage(out.ctx, repoName ?? image);
    out.ctx.emit('containers', {
      id: `container:ecs:${String(literalName(b.body.family) ?? b.name)}/${name}`,
      name,
      image: displayImage,
      ...(component ? { component } : {}),
      ports,
      ...(user ? { user } : {}),
      ...(health ? { healthcheck: 'ECS container health check' } : {}),
      details: {
        source: 'terraform',
        taskDefinition: b.address,
        ...(env.length ? { environment: [...new Set(env)].sort() } : {}),
        ...(secrets.length ? { secrets: [...new Set(secrets)].sort() } : {}),
      },
      evidence: [out.ev(b, 'container_definitions')],
    });
    if (user === 'root' || user === '0') {
      out.security(b, 'container-runs-as-root', 'medium', `Container ${name} in ${b.address} runs as root`, 'user');
    }
  }
}
