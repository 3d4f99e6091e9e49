import { describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import { splitStatements } from './split.js';
import { applyFallback, SchemaState } from './apply.js';

describe('sql-migrations analyzer', () => {
  it('applies renames and drops in migration order and leaves the final table set', async () => {
    const m = await analyseFixture('kysely-sql-migrations');
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:agents', 'entity:audit_events', 'entity:refunds', 'entity:requesters', 'entity:ticket_comments', 'entity:tickets']);
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
    const sql = "-- c;\nCREATE TABLE a (x text DEFAULT 'a;b');\n/* ; */\nCREATE FUNCTION f() RETURNS void AS $$ BEGIN; END $$ LANGUAGE plpgsql;\n\nDROP TABLE a";
    const st = splitStatements(sql);
    expect(st.map((s) => s.line)).toEqual([2, 4, 6]);
    expect(st[0]!.text).toBe("CREATE TABLE a (x text DEFAULT 'a;b')");
    expect(st[1]!.text).toContain('$$ BEGIN; END $$');
  });

  it('understands MySQL table statements the PostgreSQL parser rejects', () => {
    const s = new SchemaState();
    const at = { file: 'm.sql', line: 1 };
    expect(applyFallback(s, "CREATE TABLE `orders` (`id` int unsigned NOT NULL AUTO_INCREMENT, `state` enum('new','done') NOT NULL DEFAULT 'new', `user_id` int NOT NULL, PRIMARY KEY (`id`), KEY `user_idx` (`user_id`), CONSTRAINT `fk_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)) ENGINE=InnoDB", at)).toBe(true);
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
