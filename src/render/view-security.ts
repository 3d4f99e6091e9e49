/**
 * The Security architecture section's groups, read from typed fields rather than ids: the
 * authentication routes (facts that name a `route`) apart from the mechanisms, the login-and-token
 * fact left to the flow (`model.authFlow`, drawn by the diagram), and types with personal-data
 * fields (facts that list `fields`) apart from the other data-security facts.
 */
import { compareEvidence, compareStrings } from '../model/compare.js';
import type { Evidence, Infrastructure, Model, SecurityFact } from '../model/schema.js';
import { networkRank } from '../data/cloud-resources.js';

export interface SecurityView {
  /** Authentication mechanisms, without the routes and the login flow. */
  authMechanisms: SecurityFact[];
  /** Authentication routes (`POST /auth/login`). */
  authRoutes: SecurityFact[];
  /** Types whose field names suggest personal data. */
  pii: SecurityFact[];
  /** Secrets management, encryption and the rest of data security. */
  dataOther: SecurityFact[];
  /** The synthesised view at the top of the section. */
  synthesis: SecuritySynthesis;
}

export function securityView(model: Model): SecurityView {
  const authn = model.security.filter((f) => f.category === 'authentication');
  const data = model.security.filter((f) => f.category === 'data');
  return {
    authRoutes: authn.filter((f) => f.details?.route !== undefined),
    authMechanisms: authn.filter((f) => f.details?.route === undefined && f.details?.loginRoute === undefined),
    pii: data.filter((f) => f.details?.fields !== undefined),
    dataOther: data.filter((f) => f.details?.fields === undefined),
    synthesis: securitySynthesis(model),
  };
}

// ---------------------------------------------------------------- the synthesised view

/** What the configuration says of a safeguard: stated on, stated off, or not stated at all. */
export type Stated = 'yes' | 'no' | 'not stated';

/** One data store's encryption at rest. */
export interface AtRestRow {
  /** Resource name as written (`aws_db_instance.orders`, a CDK construct). */
  store: string;
  /** Its type in the shared vocabulary (`aws_db_instance`). */
  type: string;
  /** yes, no, not stated, or `as its source` for a read replica. */
  encrypted: Stated | 'as its source';
  /** How, or why it reads so (a customer-managed key, an algorithm, the default). */
  how?: string;
  evidence: Evidence[];
}

/** A statement about one resource or workload: its name (shown as code) and what is said of it. */
export interface Said {
  subject: string;
  statement: string;
  evidence: Evidence[];
}

/** One container's hardening. */
export interface HardeningRow {
  container: string;
  /** Where it is declared: kubernetes, compose, ecs, dockerfile. */
  source: string;
  user?: string;
  nonRoot: Stated;
  /** `—` for an image (a run-time setting). */
  readOnlyRoot: Stated | '—';
  /** yes when ALL is dropped; the capabilities when only some are. */
  dropAll: Stated | '—' | string;
  evidence: Evidence[];
}

/** The synthesis at the top of the Security architecture section, with the inventories below it. */
export interface SecuritySynthesis {
  atRest: AtRestRow[];
  keys: Said[];
  inTransit: Said[];
  perimeter: Said[];
  hardening: HardeningRow[];
  firewalls: FirewallCount;
  /** Counts over the hardening rows. */
  hardeningCounts: { containers: number; nonRoot: number; readOnlyRoot: number; dropAll: number };
  /** Identity resources counted by type, most first. */
  identity: { type: string; count: number; evidence: Evidence[] }[];
  /** The aspects nothing was found for, worded for the reader. */
  absent: string[];
  /** Whether there is anything to say. */
  any: boolean;
}

const typeOf = (i: Infrastructure) => i.details?.terraformType ?? i.type;
const byName =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    compareStrings(key(a), key(b));
/** The network diagram's rank of data resources (src/data/cloud-resources.ts). */
const DATA_RANK = 6;
const fileOf = (e: Evidence[]) => e[0]?.file ?? '';

const STORE_FINDINGS = new Set(['storage-not-encrypted', 'cache-rest-not-encrypted']);

/** Encryption at rest of every cloud data store (the network diagram's data resources). */
function atRestRows(model: Model): AtRestRow[] {
  const notEncrypted = model.security.filter((f) => f.details?.statement !== undefined && STORE_FINDINGS.has(f.details.statement));
  const rows: AtRestRow[] = [];
  for (const i of model.infrastructure) {
    const type = typeOf(i);
    if (i.role !== 'data' || networkRank(type) !== DATA_RANK) continue;
    const d = i.details ?? {};
    const finding = notEncrypted.find((f) => f.details?.resource === i.name && fileOf(f.evidence) === fileOf(i.evidence));
    const row = (encrypted: AtRestRow['encrypted'], how?: string, evidence = i.evidence): AtRestRow => ({
      store: i.name,
      type,
      encrypted,
      ...(how ? { how } : {}),
      evidence,
    });
    const cmk = d.customerManagedKey === true ? 'with a customer-managed KMS key' : undefined;
    if (d.replicaOf !== undefined) rows.push(row('as its source', `read replica of ${d.replicaOf}`));
    else if (d.encryptedAtRest === true || d.encrypted === true) rows.push(row('yes', cmk));
    else if (typeof d.encryption === 'string') rows.push(row('yes', [`server-side encryption ${d.encryption}`, cmk].filter(Boolean).join(' ')));
    else if (finding) rows.push(row('no', `${finding.details?.setting ?? 'encryption'} is not set to true`, finding.evidence));
    else if (d.encryptedAtRest === false || d.encrypted === false) rows.push(row('no'));
    else if (d.customerManagedKey === true) rows.push(row('yes', cmk));
    else rows.push(row('not stated'));
  }
  return rows.sort(byName((r) => `${r.store}\u0000${fileOf(r.evidence)}`));
}

/** KMS keys and whether they rotate. */
function keyLines(model: Model): Said[] {
  return model.infrastructure
    .filter((i) => typeOf(i) === 'aws_kms_key')
    .map((i) => ({
      subject: i.name,
      statement:
        i.details?.keyRotation === true
          ? 'KMS key, rotated yearly'
          : i.details?.keyRotation === false
            ? 'KMS key, not rotated'
            : 'KMS key (rotation not stated)',
      evidence: i.evidence,
    }))
    .sort(byName((r) => r.subject));
}

/** What a load balancer's TLS policy allows, by its name. */
export function elbPolicyReach(policy: string): string | undefined {
  if (/TLS13-1-3/.test(policy)) return 'TLS 1.3 only';
  if (/TLS13-1-2/.test(policy)) return 'TLS 1.3 and 1.2';
  if (/TLS13-1-[01]/.test(policy) || /TLS-1-[01]|2016-08|2015-05|2015-03|2015-02|2014-10|2014-01|2011-08/.test(policy)) return 'accepts TLS below 1.2';
  if (/TLS-1-2|FS-1-2/.test(policy)) return 'TLS 1.2 and above';
  return undefined;
}

const LISTENERS = new Set(['aws_lb_listener', 'aws_alb_listener']);
const ELB_TLS = new Set(['HTTPS', 'TLS']);
const PARAMETER_GROUPS = new Set(['aws_db_parameter_group', 'aws_rds_cluster_parameter_group']);
const DATABASES = new Set(['aws_db_instance', 'aws_rds_cluster', 'aws_docdb_cluster']);

/** Encryption in transit: listeners, CloudFront, caches, databases, Ingresses. */
function inTransitLines(model: Model): Said[] {
  const out: Said[] = [];
  const say = (i: Infrastructure, statement: string) => out.push({ subject: i.name, statement, evidence: i.evidence });
  const groups = model.infrastructure.filter((i) => PARAMETER_GROUPS.has(typeOf(i)) && i.details?.tlsRequired === true);
  for (const i of model.infrastructure) {
    const type = typeOf(i);
    const d = i.details ?? {};
    const port = d.port !== undefined ? ` on port ${String(d.port)}` : '';
    const protocol = typeof d.protocol === 'string' ? d.protocol.toUpperCase() : undefined;
    if (LISTENERS.has(type) && protocol !== undefined) {
      if (ELB_TLS.has(protocol)) {
        const policy = typeof d.tlsPolicy === 'string' ? d.tlsPolicy : undefined;
        const reach = policy ? elbPolicyReach(policy) : undefined;
        say(
          i,
          policy
            ? `${protocol}${port} with TLS policy ${policy}${reach ? ` (${reach})` : ''}`
            : `${protocol}${port} with the provider's default TLS policy (none stated)`,
        );
      } else if (d.redirect !== undefined && /HTTPS/i.test(String(d.redirect))) say(i, `${protocol}${port} redirects to HTTPS`);
      else say(i, `plain ${protocol}${port}, not redirected to HTTPS`);
    } else if (type === 'aws_cloudfront_distribution') {
      const viewer = d.viewerProtocolPolicy;
      const words =
        viewer === 'redirect-to-https'
          ? 'redirects viewers from HTTP to HTTPS'
          : viewer === 'https-only'
            ? 'serves viewers over HTTPS only'
            : viewer === 'allow-all'
              ? 'serves viewers over plain HTTP as well as HTTPS (allow-all)'
              : 'viewer protocol policy not read';
      const min = d.minimumProtocolVersion !== undefined ? `, minimum viewer TLS ${String(d.minimumProtocolVersion)}` : '';
      say(i, `${words}${min}`);
    } else if (typeof d.encryptedInTransit === 'boolean') {
      say(i, d.encryptedInTransit ? 'encrypts traffic in transit' : 'does not encrypt traffic in transit');
    } else if (typeof d.minTlsVersion === 'string' || typeof d.minTlsVersion === 'number') {
      say(i, `minimum TLS version ${String(d.minTlsVersion)}`);
    } else if (type === 'Ingress') {
      const hosts = d.hosts?.length ? ` for ${d.hosts.join(', ')}` : '';
      const when = d.condition ? `; the chart renders it only with ${d.condition}` : '';
      say(
        i,
        d.tls === true
          ? `terminates TLS${hosts}${d.certificateIssuer ? ` (certificates from ${d.certificateIssuer})` : ''}${when}`
          : `serves plain HTTP${hosts} (no tls section)${when}`,
      );
    }
    if (DATABASES.has(type) && i.role === 'data') {
      const group = groups.find((g) => d.references?.includes(g.name) && g.details?.root === d.root);
      if (group)
        out.push({ subject: i.name, statement: `requires TLS of its clients (parameter group ${group.name})`, evidence: [...i.evidence, ...group.evidence] });
    }
  }
  return out.sort(byName((r) => `${r.subject}\u0000${fileOf(r.evidence)}`));
}

const WAFS = new Set([
  'aws_wafv2_web_acl',
  'aws_waf_web_acl',
  'aws_wafregional_web_acl',
  'google_compute_security_policy',
  'azurerm_web_application_firewall_policy',
]);
const LOAD_BALANCERS = new Set(['aws_lb', 'aws_alb', 'aws_elb']);
const FIREWALLS = new Set(['aws_security_group', 'google_compute_firewall', 'azurerm_network_security_group']);

/** Perimeter: web application firewalls, CDNs, load balancers, private subnets, security groups counted. */
function perimeterLines(model: Model): Said[] {
  const out: Said[] = [];
  const infra = model.infrastructure;
  for (const i of infra) {
    const type = typeOf(i);
    const d = i.details ?? {};
    if (WAFS.has(type)) {
      const parts = ['web application firewall'];
      if (d.scope !== undefined) parts.push(`scope ${String(d.scope)}`);
      if (d.rules !== undefined) parts.push(`${d.rules} rule${d.rules === 1 ? '' : 's'}`);
      if (d.managedRuleGroups?.length) parts.push(`managed rule groups ${d.managedRuleGroups.join(', ')}`);
      parts.push(d.rateLimiting === true ? 'a rate-based rule' : 'no rate-based rule stated');
      out.push({ subject: i.name, statement: parts.join('; '), evidence: i.evidence });
    } else if (type === 'aws_cloudfront_distribution') {
      const origins = d.origins !== undefined ? ` with ${d.origins} origin${d.origins === 1 ? '' : 's'}` : '';
      out.push({ subject: i.name, statement: `CloudFront CDN${origins}; ${d.waf === true ? 'a WAF is attached' : 'no WAF attached'}`, evidence: i.evidence });
    } else if (LOAD_BALANCERS.has(type)) {
      const exposure = d.internal === true ? 'internal load balancer' : d.internal === false ? 'internet-facing load balancer' : 'load balancer';
      const where = d.subnet !== undefined ? ` in ${d.subnet} subnets` : '';
      out.push({ subject: i.name, statement: `${exposure}${where}${d.waf === true ? '; a WAF is attached' : ''}`, evidence: i.evidence });
    }
  }
  const privateStores = infra.filter((i) => i.role === 'data' && i.details?.subnet === 'private' && networkRank(typeOf(i)) === DATA_RANK);
  const publicStores = infra.filter((i) => i.role === 'data' && (i.details?.subnet === 'public' || i.details?.publiclyAccessible === true));
  const privateSubnets = infra.filter((i) => i.role === 'network' && i.details?.subnet === 'private' && /subnet/i.test(typeOf(i)));
  if (privateSubnets.length) {
    const stores = privateStores.length
      ? `; data stores in private subnets: ${privateStores
          .map((i) => i.name)
          .sort(compareStrings)
          .join(', ')}`
      : '';
    out.push({
      subject: privateSubnets
        .map((i) => i.name)
        .sort(compareStrings)
        .join(', '),
      statement: `private subnet${privateSubnets.length === 1 ? '' : 's'}${stores}`,
      evidence: privateSubnets.flatMap((i) => i.evidence),
    });
  }
  for (const i of publicStores.sort((a, b) => compareStrings(a.name, b.name)))
    out.push({
      subject: i.name,
      statement: i.details?.publiclyAccessible === true ? 'publicly accessible data store' : 'data store in a public subnet',
      evidence: i.evidence,
    });
  return out.sort(byName((r) => `${r.subject}\u0000${fileOf(r.evidence)}`));
}

/** Security groups and network policies, counted. */
export interface FirewallCount {
  securityGroups: number;
  /** Their ingress rules, when every group's were read. */
  ingressRules?: number;
  networkPolicies: number;
  openToAnywhere: number;
  evidence: Evidence[];
}

function firewallCount(model: Model): FirewallCount {
  const groups = model.infrastructure.filter((i) => FIREWALLS.has(typeOf(i)));
  const policies = model.infrastructure.filter((i) => typeOf(i) === 'NetworkPolicy');
  const open = model.security.filter((f) => f.details?.statement === 'ingress-open-ports' || f.details?.statement === 'ingress-open-all-ports');
  return {
    securityGroups: groups.length,
    // Counted only when every group's rules were read (CloudFormation's are not).
    ingressRules: groups.every((i) => i.details?.ingressRules !== undefined) ? groups.reduce((n, i) => n + (i.details?.ingressRules ?? 0), 0) : undefined,
    networkPolicies: policies.length,
    openToAnywhere: new Set(open.map((f) => f.details?.resource ?? f.name)).size,
    evidence: [...groups, ...policies].flatMap((i) => i.evidence.slice(0, 1)).sort(compareEvidence),
  };
}

function isRootUser(user: string): boolean {
  return /^(root|0)(:.*)?$/.test(user) || user === 'uid 0' || user.startsWith('root (');
}

/** Whether a container's stated user is non-root (`node`, `uid 1000`, `non-root (runAsNonRoot)`). */
export function nonRootOf(user: string | undefined): Stated {
  if (user === undefined || user.trim() === '') return 'not stated';
  if (user.startsWith('non-root')) return 'yes';
  const uid = /^uid (\S+)$/.exec(user)?.[1];
  if (uid !== undefined) return /^\d+$/.test(uid) ? (Number(uid) > 0 ? 'yes' : 'no') : 'not stated';
  return isRootUser(user) ? 'no' : 'yes';
}

function hardeningRows(model: Model): HardeningRow[] {
  return model.deployment.containers
    .map((c): HardeningRow => {
      const d = c.details ?? {};
      const source = d.source ?? 'unknown';
      const image = source === 'dockerfile';
      const dropped = d.capabilitiesDropped ?? [];
      return {
        container: c.name,
        source,
        ...(c.user !== undefined ? { user: c.user } : {}),
        nonRoot: nonRootOf(c.user),
        readOnlyRoot: image ? '—' : d.readOnlyRootFilesystem === true ? 'yes' : d.readOnlyRootFilesystem === false ? 'no' : 'not stated',
        dropAll: image ? '—' : dropped.some((x) => x.toUpperCase() === 'ALL') ? 'yes' : dropped.length ? dropped.join(', ') : 'not stated',
        evidence: c.evidence,
      };
    })
    .sort(byName((r) => `${r.container}\u0000${fileOf(r.evidence)}`));
}

function identityCounts(model: Model): SecuritySynthesis['identity'] {
  const by = new Map<string, Infrastructure[]>();
  for (const i of model.infrastructure.filter((x) => x.role === 'identity')) {
    const t = typeOf(i);
    by.set(t, [...(by.get(t) ?? []), i]);
  }
  return [...by.entries()]
    .map(([type, list]) => ({ type, count: list.length, evidence: list.flatMap((i) => i.evidence.slice(0, 1)).sort(compareEvidence) }))
    .sort((a, b) => b.count - a.count || compareStrings(a.type, b.type));
}

export function securitySynthesis(model: Model): SecuritySynthesis {
  const atRest = atRestRows(model);
  const keys = keyLines(model);
  const inTransit = inTransitLines(model);
  const perimeter = perimeterLines(model);
  const firewalls = firewallCount(model);
  const hardening = hardeningRows(model);
  const identity = identityCounts(model);
  const absent = [
    atRest.length + keys.length === 0 ? 'encryption at rest of a cloud data store (database, cache, bucket, table, file system)' : undefined,
    inTransit.length === 0 ? 'a transport encryption setting of a load balancer, content delivery network, cache, database or Ingress' : undefined,
    perimeter.length + firewalls.securityGroups + firewalls.networkPolicies === 0
      ? 'a web application firewall, content delivery network, load balancer, private subnet, security group or network policy'
      : undefined,
    hardening.length === 0 ? 'a container, image or pod specification' : undefined,
    identity.length === 0 ? 'an IAM role, policy or service account' : undefined,
  ].filter((x): x is string => x !== undefined);
  return {
    absent,
    atRest,
    keys,
    inTransit,
    perimeter,
    firewalls,
    hardening,
    hardeningCounts: {
      containers: hardening.length,
      nonRoot: hardening.filter((r) => r.nonRoot === 'yes').length,
      readOnlyRoot: hardening.filter((r) => r.readOnlyRoot === 'yes').length,
      dropAll: hardening.filter((r) => r.dropAll === 'yes').length,
    },
    identity,
    any:
      atRest.length + keys.length + inTransit.length + perimeter.length + hardening.length + identity.length > 0 ||
      firewalls.securityGroups + firewalls.networkPolicies > 0,
  };
}
