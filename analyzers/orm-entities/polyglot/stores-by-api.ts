/**
 * Entities named by a database client's own API in other languages, where no ORM maps them:
 *
 * - DynamoDB enhanced client (Java/Kotlin): a `@DynamoDbBean` class is an item type, named by the
 *   class, its members the fields (the getter a `@DynamoDbPartitionKey`/`@DynamoDbSortKey` marks is
 *   a key), in DynamoDB; its table is given at run time (`enhancedClient.table(tableName, schema)`,
 *   the name from configuration), so the entity stands for it under the class's name;
 * - Cloud Spanner: the table given to a mutation command, C#'s `CreateInsertCommand(table, params)`
 *   (also `Update`, `InsertOrUpdate`, `Delete`), Java's `Mutation.newInsertBuilder("T")`, Go's
 *   `spanner.Insert("T", cols, vals)`, as a literal or a constant of the file (`TableName =
 *   "CartItems"`, the evidence then); C#'s parameters (`{ "userId", SpannerDbType.String }`) are its fields;
 * - ArangoDB: a collection an AQL string walks, `FOR s IN switches …`, or `CreateCollection(ctx,
 *   "switches")` with a literal, in a file importing an ArangoDB driver.
 *
 * Spanner and ArangoDB are the database of the folder of a file that names such a table.
 */
import type { PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import { compareStrings } from '../../../src/model/compare.js';
import { classMembers } from './members.js';
import { dirOf, type PolyEntity, type PolyFound, type PolyStore } from './types.js';
import type { AnalyzerContext } from '../../../src/analyzer/context.js';

export function dynamoBeanWants(text: string): boolean {
  return text.includes('@DynamoDbBean');
}
export function spannerWants(text: string): boolean {
  return text.includes('Spanner') || text.includes('spanner');
}
export function arangoWants(text: string): boolean {
  return text.includes('arangodb') || text.includes('ArangoDB') || text.includes('arango');
}

const KEY_ANNOTATIONS = new Set(['DynamoDbPartitionKey', 'DynamoDbSortKey']);
const last = (path: readonly string[]): string => path[path.length - 1] ?? '';
/** `getCustomerId` → `customerId`. */
const property = (method: string): string => (/^(get|is)[A-Z]/.test(method) ? method.replace(/^(get|is)/, '').replace(/^./, (c) => c.toLowerCase()) : method);

export function dynamoBeanFound(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyFound {
  const out: PolyFound = { entities: [], stores: [] };
  for (const ix of indexes) {
    const beans = ix.annotations.filter((a) => last(a.name) === 'DynamoDbBean' && a.target?.kind === 'class');
    if (beans.length === 0) continue;
    const members = classMembers(ctx.read(ix.file) ?? '', ix.language);
    for (const b of beans) {
      const cls = b.target!.name;
      const keys = new Set(ix.annotations.filter((a) => a.owner === cls && KEY_ANNOTATIONS.has(last(a.name)) && a.target).map((a) => property(a.target!.name)));
      const fields: PolyEntity['fields'] = (members.get(cls) ?? []).map((m) => ({ name: m.name, type: m.type, ...(keys.has(m.name) ? { id: true } : {}) }));
      for (const k of keys) if (!fields.some((f) => f.name === k)) fields.push({ name: k, type: 'unknown', id: true });
      out.entities.push({ name: cls, table: cls, orm: 'DynamoDB enhanced client', file: ix.file, line: b.line, fields, relations: [] });
      out.stores.push({ tech: 'dynamodb', unit: dirOf(ix.file), evidence: { file: ix.file, line: b.line } });
    }
  }
  return out;
}

const SPANNER_COMMANDS = new Set(['CreateInsertCommand', 'CreateUpdateCommand', 'CreateInsertOrUpdateCommand', 'CreateDeleteCommand']);
const SPANNER_BUILDERS = new Set(['newInsertBuilder', 'newUpdateBuilder', 'newInsertOrUpdateBuilder', 'newReplaceBuilder']);
const SPANNER_GO = new Set(['Insert', 'Update', 'InsertOrUpdate', 'Replace', 'Delete', 'InsertMap', 'UpdateMap', 'InsertOrUpdateMap', 'ReplaceMap']);

/** A literal, or a name the file assigns a literal to once (`TableName = "CartItems"`), with the line to cite. */
function tableName(ix: PolyglotIndex, v: PValue | undefined, line: number): { name: string; line: number } | undefined {
  if (v?.k === 'str' && !v.template) return { name: v.v, line };
  if (v?.k !== 'name' || v.path.length !== 1) return undefined;
  const defs = ix.assigns.filter((a) => a.name.length === 1 && a.name[0] === v.path[0] && a.value.k === 'str' && !a.value.template);
  const def = defs[0];
  return defs.length === 1 && def?.value.k === 'str' ? { name: def.value.v, line: def.line } : undefined;
}

export function spannerFound(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyFound {
  const byTable = new Map<string, PolyEntity>();
  /** The folder of each file that writes a table: Spanner is its database (evidence the first mutation). */
  const stores: PolyStore[] = [];
  for (const ix of [...indexes].sort((a, b) => compareStrings(a.file, b.file))) {
    // The index keeps Go's and Python's imports only: C#'s `using` and Java's `import` are read in the text.
    const text = ix.language === 'go' ? '' : (ctx.read(ix.file) ?? '');
    const csharp = ix.language === 'csharp' && text.includes('Google.Cloud.Spanner');
    const go = ix.language === 'go' && ix.imports.some((i) => i.module === 'cloud.google.com/go/spanner');
    const java = (ix.language === 'java' || ix.language === 'kotlin') && text.includes('com.google.cloud.spanner');
    if (!csharp && !go && !java) continue;
    for (const c of ix.calls) {
      const name = last(c.callee);
      const ok =
        (csharp && SPANNER_COMMANDS.has(name)) ||
        (java && SPANNER_BUILDERS.has(name) && c.callee[0] === 'Mutation') ||
        (go && SPANNER_GO.has(name) && c.callee.length === 2 && c.callee[0] === 'spanner');
      if (!ok) continue;
      const t = tableName(ix, c.args[0], c.line);
      if (!t || !/^[A-Za-z_][\w]*$/.test(t.name)) continue;
      const e = byTable.get(t.name) ?? { name: t.name, table: t.name, orm: 'Spanner client', file: ix.file, line: t.line, fields: [], relations: [] };
      if (!stores.some((x) => x.unit === dirOf(ix.file))) stores.push({ tech: 'spanner', unit: dirOf(ix.file), evidence: { file: ix.file, line: c.line } });
      byTable.set(t.name, e);
      // C#: `new SpannerParameterCollection { { "userId", SpannerDbType.String } }`.
      const params = csharp && c.args[1]?.k === 'list' ? c.args[1].items : [];
      for (const p of params) {
        const [n, type] = p.k === 'list' ? p.items : [];
        if (n?.k === 'str' && !e.fields.some((f) => f.name === n.v)) e.fields.push({ name: n.v, type: type?.k === 'name' ? last(type.path) : 'unknown' });
      }
    }
  }
  return { entities: [...byTable.values()], stores };
}

const ARANGO_MODULES = ['github.com/arangodb/go-driver', 'arango', 'pyArango'];
const AQL_WORDS = new Set(['OUTBOUND', 'INBOUND', 'ANY', 'SHORTEST_PATH', 'K_SHORTEST_PATHS', 'K_PATHS', 'ALL_SHORTEST_PATHS']);

/** The operations that make a string an AQL statement rather than a sentence ("looking for user in cache"). */
const AQL_OPERATIONS = new Set(['RETURN', 'INSERT', 'UPDATE', 'REPLACE', 'REMOVE', 'UPSERT']);

/**
 * The collections `FOR x IN name` clauses of an AQL string walk (not a traversal, a range, an
 * attribute or a bind parameter), written as AQL is in code: upper-case keywords, and an operation
 * (RETURN, INSERT…) in the same string.
 */
export function aqlCollections(aql: string): string[] {
  const out = new Set<string>();
  const words = aql.split(/\s+/);
  if (!words.some((w) => AQL_OPERATIONS.has(w))) return [];
  for (let i = 0; i + 3 < words.length; i++) {
    if (words[i] !== 'FOR' || words[i + 2] !== 'IN') continue;
    let name = words[i + 3]!;
    while (name.endsWith(')') || name.endsWith(']') || name.endsWith('}')) name = name.slice(0, -1);
    if (/^[A-Za-z_][\w-]*$/.test(name) && !AQL_WORDS.has(name.toUpperCase())) out.add(name);
  }
  return [...out];
}

export function arangoFound(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyFound {
  const byName = new Map<string, PolyEntity>();
  const stores: PolyStore[] = [];
  for (const ix of [...indexes].sort((a, b) => compareStrings(a.file, b.file))) {
    const driver =
      ix.language === 'java' || ix.language === 'kotlin'
        ? (ctx.read(ix.file) ?? '').includes('com.arangodb')
        : ix.imports.some((i) => ARANGO_MODULES.some((m) => i.module === m || i.module.startsWith(`${m}/`) || i.module.startsWith(`${m}.`)));
    if (!driver) continue;
    const add = (name: string, line: number) => {
      if (!stores.some((x) => x.unit === dirOf(ix.file))) stores.push({ tech: 'arangodb', unit: dirOf(ix.file), evidence: { file: ix.file, line } });
      if (!byName.has(name))
        byName.set(name, {
          name,
          table: name,
          orm: 'ArangoDB driver',
          file: ix.file,
          line,
          fields: [{ name: '_key', type: 'string', id: true }],
          relations: [],
        });
    };
    for (const c of ix.calls) {
      if (last(c.callee) === 'CreateCollection' || last(c.callee) === 'create_collection' || last(c.callee) === 'createCollection') {
        const lit = c.args.find((a) => a.k === 'str' && !a.template);
        if (lit?.k === 'str') add(lit.v, c.line);
      }
    }
    const strings: { v: string; line: number }[] = [
      ...ix.assigns.flatMap((a) => (a.value.k === 'str' ? [{ v: a.value.v, line: a.line }] : [])),
      ...ix.calls.flatMap((c) => c.args.flatMap((a) => (a.k === 'str' ? [{ v: a.v, line: c.line }] : []))),
    ];
    for (const s of strings) for (const name of aqlCollections(s.v)) add(name, s.line);
  }
  return { entities: [...byName.values()], stores };
}
