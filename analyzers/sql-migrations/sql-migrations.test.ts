import { afterEach, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { splitStatements } from './split.js';
import { applyFallback, SchemaState } from './apply.js';

afterEach(() => removeTemps());

describe('sql-migrations analyzer', () => {
  it('applies renames and drops in migration order and leaves the final table set', async () => {
    const m = await analyseFixture('kysely-sql-migrations');
    expect(m.schemas.map((e) => e.id)).toEqual([
      'entity:agents',
      'entity:audit_events',
      'entity:refunds',
      'entity:requesters',
      'entity:ticket_comments',
      'entity:tickets',
    ]);
    // legacy_mail_queue was dropped in 004 (the .down.sql that recreates it is not applied);
    // customers became requesters, ticket_notes became ticket_comments.
    const comments = m.schemas.find((e) => e.id === 'entity:ticket_comments')!;
    expect(comments.orm).toBe('sql');
    expect(comments.evidence).toEqual([
      { file: 'db/migrations/001_init.sql', line: 18 },
      { file: 'db/migrations/004_drop_legacy.sql', line: 2 },
    ]);
    expect(comments.relations).toEqual([{ name: 'ticket_id', target: 'entity:tickets', cardinality: 'many-to-one', foreignKey: 'ticket_id' }]);
    const agents = m.schemas.find((e) => e.id === 'entity:agents')!;
    expect(agents.fields).toEqual([
      { name: 'id', type: 'serial', id: true, default: 'autoincrement' },
      { name: 'email', type: 'text' },
    ]);
    // 010 applies after 004: it references tickets, which exists by then.
    const audit = m.schemas.find((e) => e.id === 'entity:audit_events')!;
    expect(audit.fields.find((f) => f.name === 'happened_at')).toEqual({ name: 'happened_at', type: 'timestamptz', default: 'now()' });
    // The renamed column and the FK added later are on the Kysely entity.
    const tickets = m.schemas.find((e) => e.id === 'entity:tickets')!;
    expect(tickets.relations).toEqual([
      { name: 'requester_id', target: 'entity:requesters', cardinality: 'many-to-one', foreignKey: 'requester_id' },
      { name: 'assignee_id', target: 'entity:agents', cardinality: 'many-to-one', foreignKey: 'assignee_id' },
    ]);
    expect(tickets.indexes).toEqual(['index (requester_id, status)']);
    expect(m.warnings.filter((w) => w.analyzer === 'sql-migrations')).toEqual([]);
  });

  it('adds Prisma migration evidence to the Prisma entities and skips the implicit join table', async () => {
    const m = await analyseFixture('prisma-multi-file');
    const invoices = m.schemas.find((e) => e.id === 'entity:invoices')!;
    expect(invoices.orm).toBe('prisma');
    expect(invoices.evidence).toContainEqual({ file: 'prisma/migrations/20240105093000_init/migration.sql', line: 55 });
    expect(invoices.fields.filter((f) => f.name === 'number')).toHaveLength(1);
    expect(m.schemas.map((e) => e.id)).not.toContain('entity:_accounttoteam');
    expect(m.dataStores.find((s) => s.id === 'datastore:postgresql')!.evidence).toContainEqual({ file: 'prisma/migrations/migration_lock.toml', line: 3 });
  });

  it('splits statements around quotes, dollar quotes and comments, keeping start lines', () => {
    const sql =
      "-- c;\nCREATE TABLE a (x text DEFAULT 'a;b');\n/* ; */\nCREATE FUNCTION f() RETURNS void AS $$ BEGIN; END $$ LANGUAGE plpgsql;\n\nDROP TABLE a";
    const st = splitStatements(sql);
    expect(st.map((s) => s.line)).toEqual([2, 4, 6]);
    expect(st[0]!.text).toBe("CREATE TABLE a (x text DEFAULT 'a;b')");
    expect(st[1]!.text).toContain('$$ BEGIN; END $$');
  });

  it('understands MySQL table statements the PostgreSQL parser rejects', () => {
    const s = new SchemaState();
    const at = { file: 'm.sql', line: 1 };
    expect(
      applyFallback(
        s,
        "CREATE TABLE `orders` (`id` int unsigned NOT NULL AUTO_INCREMENT, `state` enum('new','done') NOT NULL DEFAULT 'new', `user_id` int NOT NULL, PRIMARY KEY (`id`), KEY `user_idx` (`user_id`), CONSTRAINT `fk_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)) ENGINE=InnoDB",
        at,
      ),
    ).toBe(true);
    expect(applyFallback(s, 'RENAME TABLE `orders` TO `purchases`', at)).toBe(true);
    const t = s.get('purchases')!;
    expect(t.columns.map((c) => [c.name, c.type, c.id, c.nullable])).toEqual([
      ['id', 'int unsigned', true, false],
      ['state', 'enum', false, false],
      ['user_id', 'int', false, false],
    ]);
    expect(t.columns[1]!.values).toEqual(['new', 'done']);
    expect(t.fks).toEqual([{ columns: ['user_id'], table: 'users' }]);
    expect(t.indexes.map((i) => i.text)).toEqual(['index (user_id)']);
    expect(s.get('orders')).toBeUndefined();
  });
});

describe('sql-migrations: enum states', () => {
  it('lists the enum values of a status column and only guarded transitions from code', async () => {
    const m = await analyseFixture('kysely-sql-migrations');
    const refunds = m.schemas.find((e) => e.id === 'entity:refunds')!;
    const st = refunds.states![0]!;
    expect(st).toMatchObject({ field: 'status', values: ['requested', 'approved', 'paid', 'rejected'], initial: 'requested' });
    // Raw SQL updates are not read; the guarded assignment is.
    expect(st.transitions?.map((t) => `${t.from}->${t.to}`)).toEqual(['approved->paid']);
  });
});

describe('sql-migrations: Knex schema builder', () => {
  it('applies createTable/alterTable/renameTable/dropTable chains in order, with the knexfile client as the store', async () => {
    const m = await analyseFixture('knex-bookings');
    // audit_log was dropped by the second migration; rooms renamed to room; down() is never applied.
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:bookings', 'entity:guests', 'entity:room']);
    const guests = m.schemas.find((e) => e.id === 'entity:guests')!;
    expect(guests.fields).toEqual([
      { name: 'id', type: 'increments', id: true, default: 'increment' },
      { name: 'email', type: 'string', unique: true },
      { name: 'name', type: 'string' },
      { name: 'created_at', type: 'timestamp', default: 'now()' },
      { name: 'updated_at', type: 'timestamp', default: 'now()' },
      { name: 'phone', type: 'string', nullable: true },
    ]);
    const bookings = m.schemas.find((e) => e.id === 'entity:bookings')!;
    expect(bookings.relations).toEqual([
      { name: 'guest_id', target: 'entity:guests', cardinality: 'many-to-one', foreignKey: 'guest_id' },
      { name: 'room_id', target: 'entity:room', cardinality: 'many-to-one', foreignKey: 'room_id' },
    ]);
    expect(bookings.indexes).toEqual(['index (room_id, starts_on)']);
    expect(bookings.states).toEqual([{ field: 'status', values: ['pending', 'confirmed', 'cancelled'], initial: 'pending' }]);
    // The table named by a file constant, created at line 11, renamed at line 7 of the next migration.
    expect(m.schemas.find((e) => e.id === 'entity:room')!.evidence).toEqual([
      { file: 'db/migrations/20240101090000_init.js', line: 11 },
      { file: 'db/migrations/20240315120000_guest_phone.js', line: 7 },
    ]);
    expect(m.schemas.every((e) => e.store === 'datastore:postgresql')).toBe(true);
    // The client `postgresql` in knexfile.js, not the sqlite3 dev dependency (src/db.js creates the Knex client).
    expect(m.dataStores.filter((s) => s.kind === 'relational').map((s) => [s.id, s.evidence])).toEqual([
      [
        'datastore:postgresql',
        [
          { file: 'knexfile.js', line: 3 },
          { file: 'src/db.js', line: 4 },
        ],
      ],
    ]);
  });

  it('lists every SQL driver as a store, and attributes no table, when the Knex client is chosen at run time', async () => {
    const root = tempRepo('knex-runtime-client', {
      'package.json': JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { knex: '^3.1.0', pg: '^8.13.1', sqlite3: '^5.1.7' } }, null, 2),
      'knexfile.js': "const config = require('config');\nmodule.exports = { client: config.get('db.client'), connection: config.get('db.connection') };\n",
      'src/migrations/001_init.js':
        "exports.up = (knex) => knex.schema.createTable('users', (t) => {\n  t.uuid('id').primary();\n  t.string('email').unique();\n});\n",
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => [e.id, e.store])).toEqual([['entity:users', undefined]]);
    expect(m.dataStores.map((s) => [s.id, s.details?.client])).toEqual([
      ['datastore:postgresql', 'chosen at run time'],
      ['datastore:sqlite', 'chosen at run time'],
    ]);
  });

  it('never applies postgrator undo files', async () => {
    const root = tempRepo('postgrator-undo', {
      'package.json': JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { mysql2: '^3.11.0' } }, null, 2),
      'migrations/001.do.users.sql': 'CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL);\n',
      'migrations/001.undo.users.sql': 'DROP TABLE users;\n',
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => [e.id, e.store])).toEqual([['entity:users', 'datastore:mysql']]);
  });
});

describe('sql-migrations: database container init scripts', () => {
  it('reads SQL a Dockerfile copies or a compose service mounts into /docker-entrypoint-initdb.d, with the image as the store', async () => {
    const root = tempRepo('initdb-scripts', {
      'ledger-db/Dockerfile': 'FROM postgres:16-alpine\nENV POSTGRES_DB=ledger\nCOPY initdb/0_tables.sql initdb/1_seed.sh /docker-entrypoint-initdb.d/\n',
      'ledger-db/initdb/0_tables.sql': 'CREATE TABLE transactions (\n  id BIGSERIAL PRIMARY KEY,\n  amount INT NOT NULL\n);\n',
      'ledger-db/initdb/1_seed.sh': '#!/bin/sh\necho seeded\n',
      'docker-compose.yml':
        'services:\n  ratings-db:\n    image: mysql:8.4\n    volumes:\n      - "./ratings/schema/:/docker-entrypoint-initdb.d/"\n  api:\n    build: ./api\n',
      'ratings/schema/10-ratings.sql':
        'CREATE TABLE ratings (\n  sku varchar(80) NOT NULL,\n  avg_rating DECIMAL(3, 2) NOT NULL,\n  PRIMARY KEY (sku)\n) ENGINE=InnoDB;\n',
      'ratings/schema/notes.sql.txt': 'not sql\n',
      'unrelated/report.sql': 'CREATE TABLE scratch (id int);\n',
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => [e.id, e.store, e.evidence[0]])).toEqual([
      ['entity:ratings', 'datastore:mysql', { file: 'ratings/schema/10-ratings.sql', line: 1 }],
      ['entity:transactions', 'datastore:postgresql', { file: 'ledger-db/initdb/0_tables.sql', line: 1 }],
    ]);
    expect(m.dataStores.find((s) => s.id === 'datastore:postgresql')!.evidence).toContainEqual({ file: 'ledger-db/Dockerfile', line: 1 });
  });
});

describe('sql-migrations: the database of a migrations folder', () => {
  it("Supabase's migrations, or SQL only PostgreSQL writes, are PostgreSQL even with backticks in a comment", async () => {
    const pg = (name: string, files: Record<string, string>) => tempRepo(name, { 'package.json': JSON.stringify({ name }), ...files });
    const supabase = await analyseRepo(
      pg('supabase-mig', {
        'supabase/migrations/20240101000000_init.sql': '-- create the `customers` table\ncreate table customers (id uuid primary key, email text);\n',
      }),
    );
    expect(supabase.dataStores.map((s) => s.tech)).toEqual(['postgresql']);
    const jsonb = await analyseRepo(
      pg('jsonb-mig', {
        'db/migrations/001_init.sql': "-- `prices` keeps Stripe's metadata\ncreate table prices (id text primary key, metadata jsonb);\n",
      }),
    );
    expect(jsonb.dataStores.map((s) => s.tech)).toEqual(['postgresql']);
    const mysql = await analyseRepo(
      pg('mysql-mig', { 'db/migrations/001_init.sql': 'CREATE TABLE `users` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`));\n' }),
    );
    expect(mysql.dataStores.map((s) => s.tech)).toEqual(['mysql']);
  });
});

describe('sql-migrations: schema scripts', () => {
  it('reads a SQL script that creates tables outside any migrations folder, seed rows ignored', async () => {
    const root = tempRepo('schema-script', {
      'package.json': JSON.stringify({ name: 'catalogue', version: '1.0.0', dependencies: { pg: '^8.13.0' } }),
      'src/db/setup.sql': [
        'create extension if not exists "uuid-ossp";',
        '',
        'create table product (',
        '  id uuid not null default uuid_generate_v4() primary key,',
        '  title text not null',
        ');',
        '',
        'create table stock (',
        '  product_id uuid not null primary key,',
        '  count integer not null,',
        '  foreign key (product_id) references product(id)',
        ');',
        '',
        "insert into public.product (id, title) values ('7567ec4b-b10c-48c5-9345-fc73c48a80aa', 'kettle');",
        '',
      ].join('\n'),
      'src/db/report.sql': 'select count(*) from product;\n',
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.store} ${e.fields.length}`)).toEqual([
      'entity:product datastore:postgresql 2',
      'entity:stock datastore:postgresql 2',
    ]);
    // Its key is the foreign key: one stock row per product.
    expect(m.schemas[1]!.relations).toEqual([{ name: 'product_id', target: 'entity:product', cardinality: 'one-to-one', foreignKey: 'product_id' }]);
  });

  it('leaves a schema dump beside migrations unread: the migrations shape the schema', async () => {
    const root = tempRepo('schema-dump', {
      'package.json': JSON.stringify({ name: 'blog', version: '1.0.0', dependencies: { pg: '^8.13.0' } }),
      'db/migrations/001_init.sql': 'create table article_comments (id serial primary key, body text not null);\n',
      'schema.sql':
        'create table public."comments" (id serial primary key, body text);\ncreate table public.kysely_migration (name varchar(255) primary key);\n',
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:article_comments']);
  });

  it('leaves a schema dump unread where an ORM describes the tables', async () => {
    const root = tempRepo('schema-dump-orm', {
      'package.json': JSON.stringify({ name: 'cms', version: '1.0.0', dependencies: { mysql2: '^3.11.0', sequelize: '^6.37.5' } }),
      'src/book.js':
        "import { Model, DataTypes } from 'sequelize';\nimport sequelize from './db';\nexport class Book extends Model {}\nBook.init({ title: DataTypes.STRING }, { sequelize, tableName: 'book' });\n",
      'schema.sql':
        'CREATE TABLE `book` (`id` int NOT NULL AUTO_INCREMENT, `title` varchar(50), PRIMARY KEY (`id`));\nCREATE TABLE `poem` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`));\n',
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.evidence.map((x) => x.file).join(',')}`)).toEqual(['entity:book src/book.js']);
  });
});
