import { describe, expect, it } from 'vitest';
import { indexFromJSON, indexToJSON } from '../../src/analysis/index-file.js';
import { entries, prop, stringArray, type CallShape, type ClassShape, type Expr, type ShapeSite } from '../../src/analysis/shapes.js';
import { indexOf } from './engine.js';

const shapesOf = (text: string, file = 'src/app.ts') => indexOf(file, text).shapes;
const callsOf = (sites: ShapeSite[]) => sites.filter((s): s is CallShape => s.k === 'call');

describe('index: data definitions (shapes)', () => {
  it('walks only scripts naming a library read, a migration or a knexfile; others give top-level enums and constants', () => {
    const other = shapesOf("enum A { X = 'x', Y }\nfunction f() { enum B { Z } }\nexport const C = { a: 1 };\nmodel('User', s);\n");
    expect(other.sites).toEqual([
      {
        k: 'enum',
        name: 'A',
        members: [
          ['X', 'x'],
          ['Y', 'Y'],
        ],
      },
    ]);
    expect([...other.consts.keys()]).toEqual(['C']);
    const orm = shapesOf("import mongoose from 'mongoose';\nfunction f() { enum B { Z } }\nmongoose.model('User', s);\n");
    expect(orm.sites.map((s) => s.k)).toEqual(['enum', 'call']);
    const migration = shapesOf("exports.up = (db) => db.query('CREATE TABLE a (id int)');\n", 'db/migrations/001.js');
    expect(callsOf(migration.sites)).toHaveLength(1);
  });

  it('reads expressions as written: null, numbers, spreads, each key and element with its line, arrow bodies', () => {
    const { sites } = shapesOf(
      [
        "import { pgTable, integer } from 'drizzle-orm/pg-core';",
        "export const t = pgTable('t', {",
        '  a: integer().default(null),',
        '  b: 1.50,',
        '  c: -2,',
        '  ...base,',
        "  d: ['x',",
        "    'y'],",
        '  e: () => other.id,',
        '  f() { return 1; },',
        '  g,',
        '});',
      ].join('\n'),
    );
    const [call] = callsOf(sites);
    expect(call!.assigned).toEqual({ name: 't', by: 'var' });
    const cols = call!.e.args[1]!;
    expect(cols.k === 'obj' && cols.props.map((p) => (p.k === 'spread' ? 'spread' : `${p.name}@${p.line}`))).toEqual([
      'a@3',
      'b@4',
      'c@5',
      'spread',
      'd@7',
      'e@9',
      'f@10',
      'g@11',
    ]);
    const a = prop(cols, 'a');
    expect(a?.k === 'call' && a.args[0]).toEqual({ k: 'null' });
    expect(prop(cols, 'b')).toEqual({ k: 'num', v: 1.5, text: '1.5' });
    expect(prop(cols, 'c')).toEqual({ k: 'num', v: -2, text: '-2' });
    const d = prop(cols, 'd');
    expect(d?.k === 'arr' && d.lines).toEqual([7, 8]);
    expect(stringArray(d)).toEqual(['x', 'y']);
    expect(prop(cols, 'e')).toEqual({ k: 'fn', arrow: true, params: [], body: { k: 'member', e: { k: 'id', name: 'other' }, name: 'id' } });
    expect(prop(cols, 'f')).toBeUndefined();
    expect(prop(cols, 'g')).toEqual({ k: 'id', name: 'g' });
    expect(entries(cols).map(([k]) => k)).toEqual(['a', 'b', 'c', 'd', 'e', 'g']);
  });

  it('says where a call is written: its class, inside up, the call it is an argument of, the call on its result, its environment variables', () => {
    const { sites } = shapesOf(
      [
        "import { Sequelize, Model } from 'sequelize';",
        'class User extends Model {',
        '  static associate() { this.belongsTo(Team); }',
        '}',
        "const db = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres' });",
        "mongoose.model('X', new Schema({ a: String }));",
        "db.collection('users').createIndex({ email: 1 }, { unique: true });",
        'module.exports = { async up(q) { await q.query(`CREATE TABLE ${T} (id int)`); }, down: (q) => q.query("DROP TABLE x") };',
      ].join('\n'),
    );
    const calls = callsOf(sites);
    const named = (name: string) =>
      calls.find((c) => (c.e.callee.k === 'member' ? c.e.callee.name === name : c.e.callee.k === 'id' && c.e.callee.name === name))!;
    expect(named('belongsTo').cls).toBe('User');
    expect(named('Sequelize').env).toEqual(['DATABASE_URL']);
    expect(named('Schema').argOf).toBe('model');
    expect(named('collection').next?.name).toBe('createIndex');
    const queries = calls.filter((c) => c.e.callee.k === 'member' && c.e.callee.name === 'query');
    expect(queries.map((q) => [q.up ?? false, q.e.args[0]?.k])).toEqual([
      [true, 'tpl'],
      [false, 'str'],
    ]);
    const derived = sites.find((s): s is ClassShape => s.k === 'class');
    expect(derived).toMatchObject({ name: 'User', extends: 'Model', derived: true, decorators: [], properties: [] });
  });

  it('keeps the statements of a Knex table callback and not those of other callbacks', () => {
    const { sites } = shapesOf(
      [
        'exports.up = async (knex) => {',
        "  await knex.schema.createTable('users', (t) => {",
        "    t.increments('id');",
        "    if (x) t.string('email').notNullable();",
        '    t.foo(() => { t.bar(); });',
        '  });',
        "  knex.query('x', (t) => { t.baz(); });",
        '};',
      ].join('\n'),
      'migrations/1_users.js',
    );
    const [create, other] = callsOf(sites);
    const fn = create!.e.args[1] as Extract<Expr, { k: 'fn' }>;
    expect(fn.params).toEqual(['t']);
    expect(fn.stmts?.map((s) => (s.k === 'call' && s.callee.k === 'member' ? s.callee.name : '?'))).toEqual(['increments', 'notNullable', 'foo']);
    expect(create!.nameLine).toBe(2);
    expect(other!.e.args[1]).toEqual({ k: 'fn', arrow: true, params: ['t'] });
  });

  it('reads decorated properties with their types as written, interfaces and type aliases, and database configurations', () => {
    const { sites } = shapesOf(
      [
        "import { Entity, Column, OneToMany } from 'typeorm';",
        "@Entity('orders')",
        'export class Order extends Base {',
        '  @Column({ nullable: true }) note?: string | null;',
        "  @OneToMany(() => Item, (i) => i.order) 'items': Collection<Item> = new Collection<Item>(this);",
        '  plain: number;',
        '}',
        'interface DB { orders: OrderTable; users: { id: Generated<number>; name?: string } }',
        "type Status = 'a' | 'b' | null;",
        "export const ds = new DataSource({ type: 'postgres', host: process.env.DB_HOST, entities: [] });",
      ].join('\n'),
    );
    const cls = sites.find((s): s is ClassShape => s.k === 'class')!;
    expect(cls).toMatchObject({ name: 'Order', line: 2, extends: 'Base', decorators: [{ name: 'Entity', args: [{ k: 'str', v: 'orders' }] }] });
    expect(cls.properties.map((p) => [p.name, p.type?.text, p.optional ?? false, p.quoted ?? false])).toEqual([
      ['note', 'string | null', true, false],
      ['items', 'Collection<Item>', false, true],
    ]);
    const init = cls.properties[1]!.init;
    expect(init?.k === 'call' && init.isNew && init.typeArgs).toEqual([{ k: 'ref', name: 'Item', args: [], text: 'Item' }]);
    const db = sites.find((s) => s.k === 'type' && s.name === 'DB');
    expect(db?.k === 'type' && db.members.map((m) => [m.name, m.type?.k, m.inline?.map((i) => `${i.name}${i.optional ? '?' : ''}`)])).toEqual([
      ['orders', 'ref', undefined],
      ['users', 'other', ['id', 'name?']],
    ]);
    const status = sites.find((s) => s.k === 'type' && s.name === 'Status');
    expect(status?.k === 'type' && status.union?.k === 'union' && status.union.parts.map((p) => p.k)).toEqual(['str', 'str', 'null']);
    expect(sites.find((s) => s.k === 'config')).toEqual({
      k: 'config',
      line: 10,
      keys: ['type', 'host', 'entities'],
      type: 'postgres',
      inNew: true,
      env: ['DB_HOST'],
    });
  });

  it('keeps top-level constants and default and CommonJS exports as written, calls and functions as other, through JSON', () => {
    const idx = indexOf(
      'serverless.ts',
      "const base = { runtime: 'nodejs20.x' };\nconst handler = () => ({ big: 1 });\nexport default { ...base, fn: handler };\n",
    );
    const back = indexFromJSON(indexToJSON(idx)).shapes;
    expect([...back.consts.keys()]).toEqual(['base', 'handler', '<default>']);
    expect(back.consts.get('handler')).toEqual({ k: 'other' });
    const def = back.consts.get('<default>');
    expect(def?.k === 'obj' && def.props[0]).toEqual({ k: 'spread', e: { k: 'id', name: 'base' } });
  });
});
