/**
 * Network rules: VPCs and subnets (their tier), and security groups, firewalls and network
 * security groups open to the internet on database, administration or every port.
 */
import { at, isTrue, many, num, show } from '../values.js';
import { type Block, type Out, type Rules, set, type RuleInput } from '../out.js';

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
    out.security(b, 'ingress-open-all-ports', 'high', { statement: 'ingress-open-all-ports' }, attr);
  }
  if (exposed.size > 0) {
    const list = [...exposed].sort();
    const db = list.some((p) => DB_PORTS[Number(p.split(' ')[0])]);
    out.security(b, db ? 'ingress-open-database-port' : 'ingress-open-admin-port', 'high', { statement: 'ingress-open-ports' }, attr, { ports: list });
  }
}

/** True when a CIDR (or a list of them) is the whole internet. */
export function cidrsOpen(v: unknown): boolean {
  const list = Array.isArray(v) ? v : [v];
  return list.some((x) => typeof x === 'string' && OPEN.has(x.trim()));
}

function networkSecurityRules({ out, b, body, type: t }: RuleInput): void {
  const list = t === 'azurerm_network_security_rule' ? [body] : many(body.security_rule);
  const rules = list
    .filter((r) => String(r.direction ?? 'Inbound') === 'Inbound' && String(r.access ?? 'Allow') === 'Allow')
    .flatMap((r): IngressRule[] => {
      const open = cidrsOpen(r.source_address_prefix) || cidrsOpen(r.source_address_prefixes);
      const ranges = [r.destination_port_range, ...(Array.isArray(r.destination_port_ranges) ? r.destination_port_ranges : [])]
        .filter((x) => x !== undefined)
        .map(String);
      return ranges.map((p) =>
        p === '*'
          ? { all: true, open, attr: 'source_address_prefix' }
          : { from: Number(p.split('-')[0]), to: Number(p.split('-')[1] ?? p.split('-')[0]), open, attr: 'source_address_prefix' },
      );
    });
  checkOpenIngress(out, b, rules);
}

export const NETWORK: Rules = {
  aws_subnet({ b, d, body }) {
    set(d, 'cidr', body.cidr_block);
    set(d, 'availabilityZone', body.availability_zone);
    const tagName = String(show(at(body, 'tags', 'Name')) ?? '') + ' ' + b.name;
    if (isTrue(body.map_public_ip_on_launch) || /public/i.test(tagName)) d.subnet = 'public';
    else if (/private|app|db|data|isolated|intra/i.test(tagName)) d.subnet = 'private';
  },
  aws_vpc({ d, body }) {
    set(d, 'cidr', body.cidr_block);
  },
  aws_security_group({ out, b, d, body }) {
    const rules = many(body.ingress).map((r) => ({
      from: num(r.from_port),
      to: num(r.to_port),
      all: r.protocol === '-1' || r.protocol === 'all',
      open: cidrsOpen(r.cidr_blocks) || cidrsOpen(r.ipv6_cidr_blocks),
      attr: 'ingress',
    }));
    checkOpenIngress(out, b, rules);
    if (rules.length) d.ingressRules = rules.length;
  },
  aws_security_group_rule({ out, b, body }) {
    if (body.type === 'ingress') {
      checkOpenIngress(out, b, [
        {
          from: num(body.from_port),
          to: num(body.to_port),
          all: body.protocol === '-1',
          open: cidrsOpen(body.cidr_blocks) || cidrsOpen(body.ipv6_cidr_blocks),
          attr: 'cidr_blocks',
        },
      ]);
    }
  },
  aws_vpc_security_group_ingress_rule({ out, b, body }) {
    checkOpenIngress(out, b, [
      {
        from: num(body.from_port),
        to: num(body.to_port),
        all: body.ip_protocol === '-1',
        open: cidrsOpen(body.cidr_ipv4) || cidrsOpen(body.cidr_ipv6),
        attr: 'cidr_ipv4',
      },
    ]);
  },
  google_compute_firewall({ out, b, body }) {
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
  },
  azurerm_network_security_rule: networkSecurityRules,
  azurerm_network_security_group: networkSecurityRules,
};
