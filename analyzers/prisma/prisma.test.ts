import { afterAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

describe('prisma analyzer', () => {
  it('reads a multi-file schema declared in package.json, with url/directUrl stripped', async () => {
    const model = await analyseFixture('prisma-multi-file');
    const prismaEntities = model.schemas.filter((e) => e.orm === 'prisma');
    expect(prismaEntities.map((e) => e.name).sort()).toEqual(['Account', 'Invoice', 'InvoiceLine', 'Plan', 'Profile', 'Subscription', 'Team']);
    expect(model.warnings.filter((w) => w.analyzer === 'prisma')).toEqual([]);

    const invoice = model.schemas.find((e) => e.id === 'entity:invoices')!;
    expect(invoice.table).toBe('invoices');
    expect(invoice.store).toBe('datastore:postgresql');
    expect(invoice.evidence).toContainEqual({ file: 'prisma/schema/billing/invoice.prisma', line: 9 });
    expect(invoice.fields.find((f) => f.name === 'number')).toEqual({ name: 'number', type: 'String', unique: true });
    expect(invoice.fields.find((f) => f.name === 'issuedAt')).toMatchObject({ nullable: true, type: 'DateTime' });
    expect(invoice.fields.find((f) => f.name === 'id')).toMatchObject({ id: true, default: 'uuid()' });
    expect(invoice.relations).toContainEqual({ name: 'account', target: 'entity:accounts', cardinality: 'many-to-one', foreignKey: 'accountId' });
    expect(invoice.relations).toContainEqual({ name: 'lines', target: 'entity:invoice_lines', cardinality: 'one-to-many' });
    expect(invoice.indexes).toEqual(['index (status)']);

    const account = model.schemas.find((e) => e.id === 'entity:accounts')!;
    expect(account.relations).toContainEqual({ name: 'profile', target: 'entity:profiles', cardinality: 'one-to-one' });
    expect(account.relations).toContainEqual({ name: 'teams', target: 'entity:teams', cardinality: 'many-to-many' });
    const profile = model.schemas.find((e) => e.id === 'entity:profiles')!;
    expect(profile.relations).toEqual([{ name: 'account', target: 'entity:accounts', cardinality: 'one-to-one', foreignKey: 'accountId' }]);
    const line = model.schemas.find((e) => e.id === 'entity:invoice_lines')!;
    expect(line.fields.filter((f) => f.id).map((f) => f.name)).toEqual(['invoiceId', 'position']);

    const store = model.dataStores.find((s) => s.id === 'datastore:postgresql')!;
    expect(store.envVars).toEqual(['DATABASE_URL', 'DIRECT_DATABASE_URL', 'SHADOW_DATABASE_URL']);
    expect(store.evidence).toContainEqual({ file: 'prisma/schema/main.prisma', line: 8 });
    expect(JSON.stringify(model)).not.toMatch(/postgres(ql)?:\/\//);
  });

  it('lists enum states and only the transitions code makes statically clear', async () => {
    const model = await analyseFixture('prisma-multi-file');
    const invoice = model.schemas.find((e) => e.id === 'entity:invoices')!;
    const status = invoice.states!.find((s) => s.field === 'status')!;
    expect(status.values).toEqual(['DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE']);
    expect(status.initial).toBe('DRAFT');
    const pairs = status.transitions!.map((t) => `${t.from}->${t.to}`);
    expect(pairs).toEqual(['DRAFT->OPEN', 'DRAFT->VOID', 'OPEN->PAID', 'OPEN->VOID', '[*]->DRAFT']);
    // writeOff() sets UNCOLLECTIBLE without checking the previous state: no transition is invented.
    expect(pairs.some((p) => p.endsWith('UNCOLLECTIBLE'))).toBe(false);
    expect(status.transitions!.find((t) => t.to === 'PAID')!.evidence).toEqual([{ file: 'src/invoices.ts', line: 18 }]);

    const subscription = model.schemas.find((e) => e.id === 'entity:subscriptions')!;
    expect(subscription.states).toEqual([{ field: 'status', initial: 'TRIALING', values: ['TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED'] }]);
  });

  it('turns a broken schema into a warning with its line and keeps the other models', async () => {
    const model = await analyseFixture('prisma-broken-schema');
    expect(model.schemas.map((e) => e.name)).toEqual(['Author', 'Book']);
    const warnings = model.warnings.filter((w) => w.analyzer === 'prisma');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: 'prisma/schema.prisma', line: 28 });
    expect(warnings[0]!.message).toContain('DateTme');
    expect(warnings[0]!.message).toContain('model Loan is left out');
    expect(model.dataStores.map((s) => s.id)).toEqual(['datastore:mysql']);
  });

  it('reads the simple schema of the express-prisma-api fixture', async () => {
    const model = await analyseFixture('express-prisma-api');
    expect(model.schemas.map((e) => e.id)).toEqual(['entity:customer', 'entity:order', 'entity:orderitem']);
    const order = model.schemas.find((e) => e.id === 'entity:order')!;
    expect(order.states?.[0]).toMatchObject({ field: 'status', values: ['PENDING', 'PAID', 'SHIPPED', 'CANCELLED'], initial: 'PENDING' });
  });

  it('does not read a schema no package depends on Prisma for (a replaced system left behind): the file roles set it aside as unused', async () => {
    const schema =
      'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel Book {\n  id    Int    @id @default(autoincrement())\n  title String\n}\n';
    const files = { 'prisma/schema.prisma': schema, 'src/app.ts': "export const app = 'shop';\n" };
    const orphan = await analyseRepo(
      tempRepo('prisma-orphan', { ...files, 'package.json': JSON.stringify({ name: 'shop', dependencies: { payload: '3.62.0' } }) }),
    );
    expect(orphan.schemas).toEqual([]);
    expect(orphan.techStack.map((t) => t.id)).not.toContain('tech:prisma');
    expect(orphan.files!.roles.find((r) => r.role === 'unused')).toMatchObject({
      count: 1,
      tools: [{ tool: 'prisma', count: 1, folders: ['prisma/schema.prisma'], folderCount: 1 }],
    });
    const used = await analyseRepo(
      tempRepo('prisma-used', { ...files, 'package.json': JSON.stringify({ name: 'shop', dependencies: { '@prisma/client': '5.0.0' } }) }),
    );
    expect(used.schemas.map((e) => e.name)).toEqual(['Book']);
  });
});

afterAll(removeTemps);
