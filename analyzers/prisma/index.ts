/**
 * prisma: entities, relations, indexes, enum-typed states and the data store from Prisma schemas,
 * parsed by Prisma's own schema engine (`getDMMF` from @prisma/get-dmmf, WASM, loaded lazily).
 */
import { defineAnalyzer, type FileScan } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { claimEntity, markInternalTable } from '../../src/data/registry.js';
import { dataStoreId, entityId, storeTech, tableKey } from '../../src/data/ids.js';
import { idOf } from '../../src/model/ids.js';
import { findTransitions, keepWrites, machineKey, type StateMachineInput } from '../../src/analysis/transitions.js';
import type { StateWrite } from '../../src/analysis/writes.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import type { DataStore, Entity, Evidence } from '../../src/model/schema.js';
import { findSchemaUnits, type SchemaUnit } from './schema-files.js';
import { indexBlocks, parseErrors, prepareSchema, type BlockPos, type Datasource } from './text.js';

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  hasDefaultValue: boolean;
  type: string;
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  isUpdatedAt?: boolean;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'normal' | 'unique' | 'fulltext';
  isDefinedOnField: boolean;
  name?: string;
  dbName?: string;
  fields: { name: string }[];
}
interface Datamodel {
  models: DmmfModel[];
  enums: { name: string; values: { name: string; dbName: string | null }[] }[];
  indexes?: DmmfIndex[];
}

type GetDmmf = (o: { datamodel: [string, string][] }) => { datamodel?: Datamodel; type?: string; reason?: string; error?: Error };

const STATE_FIELD = /(^|_)(status|state)$|[a-z](Status|State)$/;

/** A default as the schema writes it: literals, enum values and generator calls (never env values). */
function formatDefault(d: unknown): string | undefined {
  if (d === undefined || d === null) return undefined;
  if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') return String(d);
  if (Array.isArray(d)) return `[${d.map((x) => formatDefault(x) ?? '').join(', ')}]`;
  if (typeof d === 'object' && typeof (d as { name?: unknown }).name === 'string') {
    const fn = d as { name: string; args?: unknown[] };
    if (fn.name === 'dbgenerated') return 'dbgenerated()';
    // Prisma reports the implicit version of uuid()/cuid(); show the default as it is written.
    const args = (fn.name === 'uuid' && fn.args?.[0] === 4) || (fn.name === 'cuid' && fn.args?.[0] === 1) ? [] : (fn.args ?? []);
    return `${fn.name}(${args.map((a) => (typeof a === 'string' ? JSON.stringify(a) : String(a))).join(', ')})`;
  }
  return undefined;
}
function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * Parse a unit; on errors, warn for each with its line, leave out the blocks that hold errors
 * (blanked, so lines stay aligned) and parse again, so one broken model does not lose the rest.
 */
function parseUnit(ctx: AnalyzerContext, getDMMF: GetDmmf, files: [string, string][], blocks: BlockPos[]): Datamodel | undefined {
  const texts = new Map(files);
  const skipped = new Set<string>();
  for (let attempt = 0; attempt < 4; attempt++) {
    let result: ReturnType<GetDmmf>;
    try {
      result = getDMMF({ datamodel: [...texts.entries()] });
    } catch (e) {
      ctx.warn(files[0]![0], 0, `Prisma schema could not be parsed: ${(e as Error).message}`);
      return undefined;
    }
    if (result.datamodel) return result.datamodel;
    const errors = parseErrors(result.reason ?? 'Prisma schema error', result.error?.message ?? String(result.error ?? ''));
    let blanked = false;
    for (const err of errors) {
      const file = err.file && texts.has(err.file) ? err.file : files[0]![0];
      const block = blocks.find((b) => b.file === file && err.line >= b.line && err.line <= b.endLine);
      const key = block ? `${block.file}:${block.line}` : '';
      const where = block && block.kind !== 'datasource' && block.kind !== 'generator' ? ` (${block.kind} ${block.name} is left out of the model)` : '';
      if (attempt === 0 || (block && !skipped.has(key))) ctx.warn(file, err.line, `Prisma schema error: ${err.message.replace(/\.$/, '')}${where}`);
      if (block && !skipped.has(key) && block.kind !== 'datasource') {
        skipped.add(key);
        const lines = texts.get(file)!.split('\n');
        for (let i = block.line - 1; i < block.endLine && i < lines.length; i++) lines[i] = '';
        texts.set(file, lines.join('\n'));
        blanked = true;
      }
    }
    if (!blanked) return undefined;
  }
  return undefined;
}

/**
 * The schema engine's `get_datamodel` (the WASM module @prisma/get-dmmf wraps, resolved from
 * get-dmmf's own location) returns the same datamodel as `getDMMF` without building the client's
 * query schema: about five times faster on an 85-model schema. `getDMMF` is the fallback.
 */
async function loadParser(): Promise<GetDmmf> {
  try {
    const { createRequire } = await import('node:module');
    const fromHere = createRequire(import.meta.url);
    const wasm = createRequire(fromHere.resolve('@prisma/get-dmmf'))('@prisma/prisma-schema-wasm') as { get_datamodel?: (p: string) => string };
    const getDatamodel = wasm.get_datamodel;
    if (typeof getDatamodel === 'function') {
      return (o) => {
        try {
          return { datamodel: JSON.parse(getDatamodel(JSON.stringify({ prismaSchema: o.datamodel, noColor: true }))) as Datamodel };
        } catch (e) {
          return { type: 'wasm-error', reason: 'Prisma schema error', error: e instanceof Error ? e : new Error(String(e)) };
        }
      };
    }
  } catch {
    // fall back to the public API below
  }
  const { getDMMF } = (await import('@prisma/get-dmmf')) as unknown as { getDMMF: GetDmmf };
  return getDMMF;
}

/**
 * The schemas' entities, states (with the transitions `writes` make clear) and data stores. A
 * schema no package depends on Prisma for is no production file (the `unused` role,
 * src/pipeline/unused.ts), so it is never seen here.
 */
async function analyse(ctx: AnalyzerContext, writes: ReadonlyMap<string, readonly StateWrite[]>): Promise<void> {
  const units = findSchemaUnits(ctx);
  if (units.length === 0) return;
  const getDMMF = await loadParser();

  // Tables defined by more than one schema get qualified ids (two services, two databases).
  const parsed: { unit: SchemaUnit; dm: Datamodel; blocks: BlockPos[]; datasources: Datasource[] }[] = [];
  for (const unit of units) {
    const inputs: [string, string][] = [];
    const blocks: BlockPos[] = [];
    const datasources: Datasource[] = [];
    for (const file of unit.files) {
      const text = ctx.read(file);
      if (text === undefined) continue;
      const prepared = prepareSchema(file, text);
      datasources.push(...prepared.datasources);
      blocks.push(...indexBlocks(file, text));
      inputs.push([file, prepared.text]);
    }
    if (inputs.length === 0) continue;
    const dm = parseUnit(ctx, getDMMF, inputs, blocks);
    if (dm) parsed.push({ unit, dm, blocks, datasources });
  }
  const tableCount = new Map<string, number>();
  for (const p of parsed)
    for (const m of p.dm.models) {
      const k = entityId(m.dbName ?? m.name);
      tableCount.set(k, (tableCount.get(k) ?? 0) + 1);
    }

  const machines: (StateMachineInput & { entity: Entity })[] = [];
  const entities: Entity[] = [];
  for (const { unit, dm, blocks, datasources } of parsed) {
    const component = ctx.componentOf(unit.files[0]!);
    const ds = datasources.find((d) => d.provider) ?? datasources[0];
    const tech = ds?.provider ? storeTech(ds.provider) : undefined;
    const storeId = tech ? dataStoreId(tech.tech) : undefined;
    if (ds && tech && storeId) {
      const usedBy = new Set<string>();
      if (component) usedBy.add(component);
      for (const pkg of ctx.workspace.packages) if (pkg.dependencies.has('@prisma/client')) usedBy.add(pkg.componentId);
      const store: DataStore = {
        id: storeId,
        name: tech.name,
        tech: tech.tech,
        kind: tech.kind,
        usedBy: [...usedBy].sort(compareStrings),
        evidence: [{ file: ds.file, line: ds.providerLine || ds.line }],
        details: { orm: ['Prisma'], schemas: [unit.root] },
      };
      if (ds.envVars.length > 0) store.envVars = sortedUnique(ds.envVars);
      ctx.emit('dataStores', store);
    } else if (ds?.provider) {
      ctx.warn(ds.file, ds.providerLine, `Prisma datasource provider "${ds.provider}" is not a known database`);
    }

    const blockOf = (kind: BlockPos['kind'], name: string) => blocks.find((b) => b.kind === kind && b.name === name);
    const enums = new Map(dm.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    const modelId = (model: DmmfModel) => {
      const table = model.dbName ?? model.name;
      const key = tableKey(model.schema ? `${model.schema}.${table}` : table);
      return idOf.entity((tableCount.get(entityId(table)) ?? 0) > 1 ? `${unit.root}/${key}` : key);
    };
    const byName = new Map(dm.models.map((m) => [m.name, m]));

    for (const model of dm.models) {
      const block = blockOf('model', model.name) ?? blockOf('view', model.name);
      const evidence: Evidence[] = [{ file: block?.file ?? unit.files[0]!, line: block?.line ?? 0 }];
      const pk = new Set(model.primaryKey?.fields ?? []);
      const fields: Entity['fields'] = [];
      const relations: Entity['relations'] = [];
      const states: NonNullable<Entity['states']> = [];
      for (const f of model.fields) {
        if (f.kind === 'object') {
          const target = byName.get(f.type);
          if (!target) continue;
          const back = target.fields.find((g) => g.kind === 'object' && g.relationName === f.relationName && g !== f);
          const from = f.relationFromFields ?? [];
          let cardinality: Entity['relations'][number]['cardinality'];
          if (f.isList) cardinality = back?.isList ? 'many-to-many' : 'one-to-many';
          else if (from.length > 0) {
            const unique =
              (from.length === 1 && model.fields.some((g) => g.name === from[0] && (g.isUnique || g.isId))) ||
              (dm.indexes ?? []).some(
                (i) =>
                  i.model === model.name &&
                  (i.type === 'unique' || i.type === 'id') &&
                  i.fields.length === from.length &&
                  i.fields.every((x) => from.includes(x.name)),
              );
            cardinality = unique ? 'one-to-one' : 'many-to-one';
          } else cardinality = back?.isList ? 'many-to-one' : 'one-to-one';
          const rel: Entity['relations'][number] = { name: f.name, target: modelId(target), cardinality };
          if (from.length > 0) rel.foreignKey = from.join(', ');
          relations.push(rel);
          if (cardinality === 'many-to-many' && f.relationName) {
            // Prisma's implicit join table `_<relation name>` (`_CategoryToPost`), maintained by Prisma.
            markInternalTable(ctx, entityId(`_${f.relationName}`));
          }
          continue;
        }
        const field: Entity['fields'][number] = { name: f.name, type: f.type + (f.isList ? '[]' : '') };
        if (!f.isRequired) field.nullable = true;
        if (f.isId || pk.has(f.name)) field.id = true;
        if (f.isUnique) field.unique = true;
        const d = formatDefault(f.default);
        if (d !== undefined) field.default = d;
        fields.push(field);
        if (f.kind === 'enum' && STATE_FIELD.test(f.name) && enums.has(f.type)) {
          const st: NonNullable<Entity['states']>[number] = { field: f.name, values: enums.get(f.type)! };
          if (typeof f.default === 'string') st.initial = f.default;
          states.push(st);
        }
      }
      const indexes = (dm.indexes ?? [])
        .filter((i) => i.model === model.name && i.type !== 'id' && !(i.type === 'unique' && i.isDefinedOnField))
        .map((i) => `${i.type === 'normal' ? 'index' : i.type} (${i.fields.map((x) => x.name).join(', ')})`);
      if (model.primaryKey && model.primaryKey.fields.length > 1) indexes.unshift(`primary key (${model.primaryKey.fields.join(', ')})`);

      const entity: Entity = {
        id: modelId(model),
        name: model.name,
        table: model.dbName ?? model.name,
        orm: 'prisma',
        fields,
        relations,
        evidence,
      };
      if (storeId) entity.store = storeId;
      if (component) entity.component = component;
      if (indexes.length > 0) entity.indexes = indexes;
      if (states.length > 0) entity.states = states;
      if (!blockOf('model', model.name) && blockOf('view', model.name)) entity.details = { kind: 'view' };
      entities.push(entity);
      claimEntity(ctx, entity.id);
      for (const st of states) {
        machines.push({
          entity,
          entityId: entity.id,
          field: st.field,
          values: st.values,
          enumName: model.fields.find((f) => f.name === st.field)!.type,
          delegates: [lowerFirst(model.name)],
        });
      }
    }
  }

  if (machines.length > 0) {
    const found = findTransitions(machines, writes, (file) => ctx.read(file));
    for (const m of machines) {
      const t = found.get(machineKey(m.entityId, m.field));
      const st = m.entity.states!.find((s) => s.field === m.field)!;
      if (t && t.length > 0) st.transitions = t;
    }
  }
  for (const e of entities) ctx.emit('schemas', e);
}

export default defineAnalyzer({
  meta: {
    name: 'prisma',
    description: 'Entities, relations, indexes, states and the database from Prisma schemas (Prisma schema engine)',
    produces: ['schemas', 'dataStores'],
    provides: ['schemas.claims'],
  },
  applies: (ctx) => ctx.files.some((f) => f.endsWith('.prisma')),
  scan(ctx): FileScan {
    const writes = new Map<string, readonly StateWrite[]>();
    return { wants: (file) => !ctx.isSetAside(file), visitIndex: keepWrites(writes), finish: () => analyse(ctx, writes) };
  },
});
