/**
 * Entities that infrastructure declares rather than code: a DynamoDB table provisioned by
 * Terraform, CDK, cdktf, Pulumi, SST or a SAM/CloudFormation template is the schema of what the
 * code stores (a key-value store has no other), with its keys and global indexes; a dataset a
 * platform manifest binds (Cloudflare Workers Analytics Engine) is one too. Read in the link phase
 * from the facts the infrastructure analyzers emitted (`infrastructure` with `tableName`,
 * `hashKey`, `rangeKey`, `globalIndexes` in its details; a store's `datasets`), so each of them
 * reads its own syntax and this rule is written once.
 */
import { entityId } from '../../src/data/ids.js';
import { compareStrings, sortedEvidence } from '../../src/model/compare.js';
import type { Entity, Evidence, Infrastructure, Model } from '../../src/model/schema.js';
import { DYNAMODB_MAPPERS } from './dynamodb.js';

/** Resource types of a DynamoDB table, as each infrastructure analyzer names them. */
const TABLE_TYPES = new Set([
  'aws_dynamodb_table', // Terraform, cdktf
  'aws_dynamodb.Table', // CDK
  'aws_dynamodb.TableV2',
  'aws_dynamodb.CfnTable',
  'aws_dynamodb.CfnGlobalTable',
  'AWS::DynamoDB::Table', // SAM, CloudFormation, serverless.yml resources
  'AWS::DynamoDB::GlobalTable',
  'AWS::Serverless::SimpleTable',
  'aws.dynamodb.Table', // Pulumi
  'sst.aws.Dynamo', // SST v3
  'aws.Dynamo',
]);

const DYNAMODB = 'datastore:dynamodb';

/** A table name that is a pattern (`sls-posts-*`) or holds an unresolved variable (`Users-${Env}`) names no one table. */
function literal(name: string): boolean {
  return !name.includes('*') && !name.includes('${') && !name.includes('{{');
}

/** `aws_dynamodb_table.events` → `events`: the resource's own name. */
function bareName(r: Infrastructure): string {
  return r.name.startsWith(`${r.type}.`) ? r.name.slice(r.type.length + 1) : r.name;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The entity of one provisioned table, from each declaration of it: one resource in several
 * Terraform roots or stacks (an environment each, `orders-dev` and `orders-prod`) is one entity,
 * its table named only when every declaration names it alike.
 */
function tableEntity(decls: Infrastructure[], store: string | undefined): Entity {
  const r = decls[0]!;
  const name = bareName(r);
  const d = r.details ?? {};
  const names = new Set(decls.map((x) => text(x.details?.tableName)));
  const tableName = names.size === 1 ? text(d.tableName) : undefined;
  const fields: Entity['fields'] = [];
  const hash = text(d.hashKey);
  const range = text(d.rangeKey);
  if (hash) fields.push({ name: hash, type: 'partition key', id: true });
  if (range && range !== hash) fields.push({ name: range, type: 'sort key', id: true });
  const gsis = Array.isArray(d.globalIndexes) ? d.globalIndexes.filter((g): g is string => typeof g === 'string') : [];
  const e: Entity = {
    id: entityId(tableName && literal(tableName) ? tableName : name),
    name,
    fields,
    relations: [],
    orm: r.source,
    evidence: sortedEvidence(decls.flatMap((x) => x.evidence)),
  };
  if (tableName && tableName !== name) e.table = tableName;
  if (store) e.store = store;
  if (gsis.length) e.indexes = gsis.map((g) => `global index ${g}`);
  return e;
}

/**
 * The entities of provisioned tables and bound datasets that no analyzer described already (an
 * ORM model or migration on the same table keeps its fields), each owned by the component with the
 * longest path holding its first evidence, as the workspace's link phase settled them.
 */
export function provisionedEntities(model: Model): Entity[] {
  const known = new Set(model.schemas.flatMap((e) => [e.id, entityId(e.name), ...(e.table ? [entityId(e.table)] : [])]));
  const stores = new Set(model.dataStores.map((s) => s.id));
  const comps = [...model.components].sort((a, b) => b.path.length - a.path.length || compareStrings(a.id, b.id));
  const owner = (ev: Evidence[]): string | undefined => {
    const file = ev[0]?.file;
    if (file === undefined) return undefined;
    return comps.find((c) => c.path === '.' || file === c.path || file.startsWith(`${c.path}/`))?.id;
  };
  const out = new Map<string, Entity>();
  const add = (e: Entity) => {
    if (known.has(e.id) || known.has(entityId(e.name)) || out.has(e.id)) return;
    const component = owner(e.evidence);
    if (component) e.component = component;
    out.set(e.id, e);
  };
  const tables = new Map<string, Infrastructure[]>();
  for (const r of [...model.infrastructure].sort((a, b) => compareStrings(a.id, b.id))) {
    if (!TABLE_TYPES.has(r.type)) continue;
    const key = `${r.source}\0${bareName(r)}`;
    tables.set(key, [...(tables.get(key) ?? []), r]);
  }
  // Entities a mapper puts in a table whose name code does not write (`name: process.env.TABLE`,
  // single-table design) are the schema of the provisioned tables: those are no entities of their own.
  const mapperLabels = new Set(Object.values(DYNAMODB_MAPPERS));
  const mappedUnnamed = model.schemas.some((e) => e.orm !== undefined && mapperLabels.has(e.orm) && e.table === undefined);
  // Item types a repository stores (persistence.ts) in the table its base names where it is built
  // (`Resource.Data.name`): that table is where they live, no entity of its own.
  const held = new Set<string>();
  for (const e of model.schemas) {
    const names = e.details?.tableCandidates;
    if (!names) continue;
    delete e.details!.tableCandidates;
    const decls = [...tables.values()].find((d) => names.includes(bareName(d[0]!)) || names.includes(text(d[0]!.details?.tableName) ?? ''));
    if (!decls) continue;
    const tableName = text(decls[0]!.details?.tableName);
    e.table = tableName && literal(tableName) ? tableName : bareName(decls[0]!);
    held.add(`${decls[0]!.source}\0${bareName(decls[0]!)}`);
  }
  if (!mappedUnnamed) for (const [key, decls] of tables) if (!held.has(key)) add(tableEntity(decls, stores.has(DYNAMODB) ? DYNAMODB : undefined));
  for (const s of [...model.dataStores].sort((a, b) => compareStrings(a.id, b.id))) {
    const datasets = s.details?.datasets;
    if (!Array.isArray(datasets)) continue;
    for (const name of datasets) {
      if (typeof name === 'string') add({ id: entityId(name), name, fields: [], relations: [], store: s.id, evidence: s.evidence });
    }
  }
  return [...out.values()];
}
