import { afterEach, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Entity, Model } from '../../src/model/schema.js';
import { mongooseCollection } from './mongoose.js';

afterEach(() => removeTemps());

const entity = (m: Model, id: string): Entity => {
  const e = m.schemas.find((x) => x.id === id);
  if (!e) throw new Error(`no ${id} in ${m.schemas.map((x) => x.id).join(', ')}`);
  return e;
};
const pairs = (e: Entity, field = 'status') => e.states?.find((s) => s.field === field)?.transitions?.map((t) => `${t.from}->${t.to}`);

describe('orm-entities: TypeORM', () => {
  it('reads @Entity classes, inherited base columns, relations, EntitySchema and the dialect', async () => {
    const m = await analyseFixture('typeorm-nest-api');
    expect(m.schemas.filter((e) => e.orm === 'typeorm').map((e) => e.id)).toEqual([
      'entity:customer',
      'entity:order_items',
      'entity:orders',
      'entity:stock_movement',
      'entity:tags',
    ]);
    const order = entity(m, 'entity:orders');
    expect(order.name).toBe('Order');
    expect(order.fields.map((f) => f.name)).toEqual(['id', 'createdAt', 'updatedAt', 'status', 'total']);
    expect(order.fields[0]).toEqual({ name: 'id', type: 'uuid', id: true, default: 'uuid' });
    expect(order.relations).toEqual([
      { name: 'customer', target: 'entity:customer', cardinality: 'many-to-one', foreignKey: 'customer_id' },
      { name: 'items', target: 'entity:order_items', cardinality: 'one-to-many' },
      { name: 'tags', target: 'entity:tags', cardinality: 'many-to-many' },
    ]);
    expect(order.indexes).toEqual(['index (customer, status)']);
    // Enum declared in a file that does not import typeorm; string values are the states.
    expect(order.states?.[0]).toMatchObject({ field: 'status', values: ['pending', 'paid', 'shipped', 'cancelled'], initial: 'pending' });
    expect(pairs(order)).toEqual(['paid->shipped', 'pending->paid']);
    expect(entity(m, 'entity:customer').fields.find((f) => f.name === 'email')).toMatchObject({ unique: true });
    expect(entity(m, 'entity:order_items').relations[0]).toEqual({ name: 'order', target: 'entity:orders', cardinality: 'many-to-one', foreignKey: 'orderId' });
    expect(entity(m, 'entity:tags').fields.find((f) => f.name === 'label')).toMatchObject({ unique: true });

    const store = m.dataStores.find((s) => s.id === 'datastore:postgresql')!;
    expect(store.envVars).toEqual(['DATABASE_URL']);
    expect(store.evidence).toContainEqual({ file: 'src/app.module.ts', line: 7 });
    expect(order.store).toBe('datastore:postgresql');
  });

  it('keeps the ORM fields when the raw-SQL TypeORM migration creates the same tables', async () => {
    const m = await analyseFixture('typeorm-nest-api');
    const order = entity(m, 'entity:orders');
    expect(order.evidence).toContainEqual({ file: 'src/migrations/1717000000000-Init.ts', line: 9 });
    expect(order.fields.filter((f) => f.name === 'status')).toHaveLength(1);
    // The join table exists only in the migration.
    const join = entity(m, 'entity:order_tags');
    expect(join.orm).toBe('sql');
    expect(join.fields.filter((f) => f.id).map((f) => f.name)).toEqual(['ordersId', 'tagsId']);
    // DROP TABLE statements live in down(): they are not applied.
    expect(m.schemas.map((e) => e.id)).toContain('entity:customer');
  });
});

describe('orm-entities: Sequelize', () => {
  it('merges two models on one table and reads define, init, associations and sequelize-typescript', async () => {
    const m = await analyseFixture('sequelize-shared-table');
    const users = entity(m, 'entity:users');
    expect(users.details).toEqual({ models: ['AdminUser', 'User'] });
    expect(users.name).toBe('users');
    expect(users.fields.map((f) => f.name)).toEqual(['id', 'email', 'role', 'lastAuditAt', 'createdAt', 'updatedAt', 'fullName']);
    expect(users.fields.filter((f) => f.name === 'email')).toHaveLength(1);
    expect(users.evidence).toEqual([
      { file: 'models/admin-user.js', line: 6 },
      { file: 'models/user.js', line: 5 },
    ]);
    expect(users.relations).toEqual([{ name: 'memberships', target: 'entity:memberships', cardinality: 'one-to-many', foreignKey: 'userId' }]);

    const membership = entity(m, 'entity:memberships');
    expect(membership.table).toBe('Memberships');
    // The `references` column and the belongsTo association are one relation.
    expect(membership.relations).toEqual([{ name: 'member', target: 'entity:users', cardinality: 'many-to-one', foreignKey: 'userId' }]);
    expect(membership.fields.find((f) => f.name === 'id')).toEqual({ name: 'id', type: 'UUID', id: true, default: 'UUIDV4' });
    expect(membership.indexes).toEqual(['index (userId, status)']);
    expect(pairs(membership)).toEqual(['active->lapsed', 'pending->active']);

    const event = entity(m, 'entity:events');
    expect(event.relations).toEqual([{ name: 'venue', target: 'entity:venues', cardinality: 'many-to-one', foreignKey: 'venueId' }]);
    expect(event.states).toEqual([{ field: 'state', values: ['draft', 'published', 'archived'], initial: 'draft' }]);
    expect(entity(m, 'entity:venues').fields.map((f) => f.name)).toEqual(['id', 'name']);

    const store = m.dataStores.find((s) => s.id === 'datastore:mysql')!;
    expect(store.envVars).toEqual(['DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_USER']);
  });
});

describe('orm-entities: Mongoose', () => {
  it('binds schemas to models, turns refs into relations and uses the collection names', async () => {
    const m = await analyseFixture('mongoose-catalogue');
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:categories', 'entity:product_reviews', 'entity:products', 'entity:suppliers']);
    const product = entity(m, 'entity:products');
    expect(product.store).toBe('datastore:mongodb');
    expect(product.relations).toEqual([
      { name: 'category', target: 'entity:categories', cardinality: 'many-to-one', foreignKey: 'category' },
      { name: 'related', target: 'entity:products', cardinality: 'one-to-many', foreignKey: 'related' },
    ]);
    expect(product.fields.find((f) => f.name === 'price')).toMatchObject({ type: 'Subdocument' });
    expect(product.fields.map((f) => f.name)).toContain('createdAt');
    expect(product.indexes).toEqual(['unique (sku)', 'index (category, status)']);
    expect(pairs(product)).toEqual(['draft->listed', 'listed->delisted']);
    expect(entity(m, 'entity:product_reviews').name).toBe('Review');
    expect(m.dataStores.find((s) => s.id === 'datastore:mongodb')).toMatchObject({ kind: 'document', envVars: ['MONGODB_URI'] });
  });

  it('reads a model built in a class method, named by a file constant, from a schema made without new', async () => {
    const m = await analyseFixture('mongoose-catalogue');
    const supplier = entity(m, 'entity:suppliers');
    expect(supplier).toMatchObject({
      name: 'Supplier',
      store: 'datastore:mongodb',
      evidence: [
        { file: 'src/models/supplier.js', line: 13 },
        { file: 'src/models/supplier.js', line: 18 },
      ],
    });
    expect(supplier.fields).toEqual([
      { name: '_id', type: 'ObjectId', id: true },
      { name: 'name', type: 'String', unique: true },
      { name: 'country', type: 'String', nullable: true },
      { name: 'rating', type: 'Number', nullable: true },
    ]);
  });
});

describe('orm-entities: Typegoose', () => {
  it('reads @prop classes bound by getModelForClass as MongoDB entities, refs to a class or its model variable as relations', async () => {
    const root = tempRepo('typegoose-shop', {
      'package.json': JSON.stringify({
        name: 'shop',
        scripts: { start: 'node dist/index.js' },
        dependencies: { express: '^4.0.0', mongoose: '^7.0.0', '@typegoose/typegoose': '^11.0.0' },
      }),
      'src/db.ts': [
        "import mongoose from 'mongoose';",
        'let pending: Promise<typeof mongoose> | null = null;',
        'export function connect() {',
        // A promise chain on the connection call: still the MongoDB the service connects to.
        '  pending ??= mongoose.connect(process.env.MONGODB_URI!, { bufferCommands: false }).then((m) => m);',
        '  return pending;',
        '}',
        '',
      ].join('\n'),
      'src/models/customer.ts': [
        "import { getModelForClass, modelOptions, prop } from '@typegoose/typegoose';",
        "@modelOptions({ schemaOptions: { collection: 'people', timestamps: true } })",
        'export class Customer {',
        '  @prop({ required: true, unique: true })',
        '  public email!: string;',
        '  @prop()',
        '  public name?: string;',
        '}',
        'export const CustomerModel = getModelForClass(Customer);',
        '',
      ].join('\n'),
      'src/models/order.ts': [
        "import { getModelForClass, prop, type Ref } from '@typegoose/typegoose';",
        "import { CustomerModel } from './customer';",
        'class Line {',
        '  public sku!: string;',
        '}',
        'export class Order {',
        '  @prop({ ref: () => CustomerModel, required: true })',
        '  public customer!: Ref<unknown>;',
        "  @prop({ enum: ['open', 'paid', 'shipped'], default: 'open' })",
        '  public status!: string;',
        '  @prop({ type: () => [Line] })',
        '  public lines?: Line[];',
        '}',
        'export const OrderModel = getModelForClass(Order);',
        '',
      ].join('\n'),
      'src/index.ts': [
        "import express from 'express';",
        "import { connect } from './db';",
        "import { OrderModel } from './models/order';",
        'const app = express();',
        "app.get('/orders', async (_req, res) => res.json(await OrderModel.find()));",
        'connect().then(() => app.listen(3000));',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.dataStores.map((s) => `${s.id} ${s.details?.clients} ${s.evidence.map((e) => `${e.file}:${e.line}`).join(',')}`)).toEqual([
      'datastore:mongodb mongoose src/db.ts:4',
    ]);
    expect(m.schemas.map((e) => `${e.name} ${e.table} ${e.store}`).sort()).toEqual(['Customer people datastore:mongodb', 'Order orders datastore:mongodb']);
    const customer = entity(m, 'entity:people');
    expect(customer.fields.map((f) => f.name)).toEqual(['_id', 'email', 'name', 'createdAt', 'updatedAt']);
    expect(customer.fields.find((f) => f.name === 'email')).toMatchObject({ unique: true });
    const order = entity(m, 'entity:orders');
    expect(order.relations.map((r) => `${r.name} -> ${r.target}`)).toEqual(['customer -> entity:people']);
    expect(order.fields.find((f) => f.name === 'customer')!.type).toBe('ObjectId');
  });
});

describe('orm-entities: Drizzle', () => {
  it('reads tables through a table creator, enums from another file, references and relations()', async () => {
    const m = await analyseFixture('drizzle-postgres-app');
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:kb_boards', 'entity:kb_card_labels', 'entity:kb_cards', 'entity:kb_labels']);
    const cards = entity(m, 'entity:kb_cards');
    expect(cards.relations).toEqual([
      { name: 'board', target: 'entity:kb_boards', cardinality: 'many-to-one', foreignKey: 'boardId' },
      { name: 'labels', target: 'entity:kb_card_labels', cardinality: 'one-to-many' },
    ]);
    expect(cards.fields.find((f) => f.name === 'status')).toEqual({ name: 'status', type: 'card_status', default: 'backlog' });
    expect(cards.indexes).toEqual(['index (boardId, status)']);
    // start() has no guard on the previous state: only submitForReview() is a transition.
    expect(pairs(cards)).toEqual(['in_progress->review']);
    const join = entity(m, 'entity:kb_card_labels');
    expect(join.fields.every((f) => f.id)).toBe(true);
    expect(join.indexes).toEqual(['primary key (cardId, labelId)', 'unique (labelId, cardId)']);
    expect(m.dataStores.map((s) => s.id)).toEqual(['datastore:postgresql']);
  });
});

describe('orm-entities: declarations visited after their use', () => {
  it('settles Drizzle tables once the creator, schema and enum of later files are known, and Kysely types across files', async () => {
    const root = tempRepo('late-declarations', {
      'package.json': JSON.stringify({ name: 'late', version: '1.0.0', dependencies: { 'drizzle-orm': '^0.30.0', kysely: '^0.27.0', pg: '^8.0.0' } }),
      // a-tables.ts is visited first: its creator, schema and enum are declared in z-*.ts.
      'src/a-tables.ts': [
        "import { integer, text } from 'drizzle-orm/pg-core';",
        "import { createTable, billing, orderStatus } from './z-decls';",
        "export const orders = createTable('orders', {",
        "  id: integer('id').primaryKey(),",
        "  status: orderStatus('status').default('new'),",
        '});',
        "export const invoices = billing.table('invoices', { id: integer('id').primaryKey(), note: text('note') });",
        '',
      ].join('\n'),
      'src/z-decls.ts': [
        "import { pgEnum, pgSchema, pgTableCreator } from 'drizzle-orm/pg-core';",
        'export const createTable = pgTableCreator((name) => `shop_${name}`);',
        "export const billing = pgSchema('billing');",
        "export const orderStatus = pgEnum('order_status', ['new', 'paid']);",
        '',
      ].join('\n'),
      'src/db.ts': [
        "import { Kysely, Generated } from 'kysely';",
        "import type { TicketState } from './types';",
        'export interface Database {',
        '  tickets: { id: Generated<number>; state: TicketState; title: string | null };',
        '}',
        'export const db = new Kysely<Database>({} as never);',
        '',
      ].join('\n'),
      'src/types.ts': "import type { Kysely } from 'kysely';\nexport type TicketState = 'open' | 'closed';\n",
    });
    const m = await analyseRepo(root);
    const orders = entity(m, 'entity:shop_orders');
    expect(orders).toMatchObject({ name: 'orders', orm: 'drizzle', evidence: [{ file: 'src/a-tables.ts', line: 3 }] });
    expect(orders.fields).toEqual([
      { name: 'id', type: 'integer', id: true },
      { name: 'status', type: 'order_status', default: 'new', nullable: true },
    ]);
    expect(orders.states).toMatchObject([{ field: 'status', values: ['new', 'paid'], initial: 'new' }]);
    expect(entity(m, 'entity:billing.invoices').fields.map((f) => f.name)).toEqual(['id', 'note']);
    const tickets = entity(m, 'entity:tickets');
    expect(tickets.fields).toEqual([
      { name: 'id', type: 'number', default: 'generated' },
      { name: 'state', type: 'TicketState' },
      { name: 'title', type: 'string', nullable: true },
    ]);
    expect(tickets.states).toMatchObject([{ field: 'state', values: ['open', 'closed'] }]);
  });
});

describe('orm-entities: Kysely', () => {
  it('reads the Database interface and takes keys from the migrations', async () => {
    const m = await analyseFixture('kysely-sql-migrations');
    const tickets = entity(m, 'entity:tickets');
    expect(tickets.orm).toBe('kysely');
    expect(tickets.fields.find((f) => f.name === 'assignee_id')).toEqual({ name: 'assignee_id', type: 'number', nullable: true });
    expect(tickets.states?.[0]?.values).toEqual(['open', 'pending', 'on_hold', 'solved', 'closed']);
    expect(pairs(tickets)).toEqual(['on_hold->solved', 'open->solved', 'pending->open']);
    expect(tickets.relations.map((r) => r.target)).toEqual(['entity:requesters', 'entity:agents']);
  });
});

describe('orm-entities: TypeORM single-table inheritance', () => {
  it('puts @ChildEntity classes in their parent table, listing every model', async () => {
    const m = await analyseFixture('typeorm-nest-api');
    const stock = entity(m, 'entity:stock_movement');
    expect(stock.details).toEqual({ models: ['Allocation', 'Restock', 'StockMovement'] });
    expect(stock.fields.map((f) => f.name)).toEqual(['id', 'createdAt', 'updatedAt', 'quantity', 'supplierReference']);
    expect(stock.relations).toEqual([{ name: 'orderItem', target: 'entity:order_items', cardinality: 'many-to-one', foreignKey: 'orderItemId' }]);
    expect(m.schemas.map((e) => e.id)).not.toContain('entity:allocation');
  });
});

describe('orm-entities: sequelize-typescript base classes', () => {
  it('inherits the columns of a decorated base class without @Table', async () => {
    const m = await analyseFixture('sequelize-shared-table');
    const tickets = entity(m, 'entity:tickets');
    expect(tickets.fields).toEqual([
      { name: 'id', type: 'UUID', id: true, default: 'UUIDV4' },
      { name: 'createdAt', type: 'DATE', default: 'now()' },
      { name: 'updatedAt', type: 'DATE', default: 'now()' },
      { name: 'eventId', type: 'INTEGER', nullable: true },
      { name: 'code', type: 'STRING', unique: true },
    ]);
    expect(tickets.relations).toEqual([{ name: 'event', target: 'entity:events', cardinality: 'many-to-one', foreignKey: 'eventId' }]);
    expect(m.schemas.map((e) => e.id)).not.toContain('entity:auditedmodels');
  });
});

describe('orm-entities: MikroORM', () => {
  it('reads @Entity classes, an abstract base, relations typed Ref/Collection, EntitySchema and the config driver', async () => {
    const m = await analyseFixture('mikroorm-blog');
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:accounts', 'entity:comment', 'entity:post', 'entity:post_tags']);
    const user = entity(m, 'entity:accounts');
    expect(user).toMatchObject({ name: 'User', orm: 'mikroorm', store: 'datastore:postgresql' });
    // Inherited from @Entity({ abstract: true }): not an entity of its own.
    expect(user.fields.map((f) => f.name)).toEqual(['id', 'createdAt', 'updatedAt', 'email', 'displayName', 'passwordHash']);
    expect(user.fields.find((f) => f.name === 'email')).toEqual({ name: 'email', type: 'string', unique: true });
    expect(user.fields.find((f) => f.name === 'displayName')).toMatchObject({ nullable: true });
    const post = entity(m, 'entity:post');
    expect(post.relations).toEqual([
      { name: 'author', target: 'entity:accounts', cardinality: 'many-to-one', foreignKey: 'author_id' },
      { name: 'comments', target: 'entity:comment', cardinality: 'one-to-many' },
      { name: 'tags', target: 'entity:post_tags', cardinality: 'many-to-many' },
    ]);
    expect(post.indexes).toEqual(['index (author, status)']);
    expect(post.states?.[0]).toMatchObject({ field: 'status', values: ['draft', 'published', 'archived'], initial: 'draft' });
    // `@ManyToOne()` with no argument: the target is the property's type, `Rel<Post>`.
    expect(entity(m, 'entity:comment').relations).toEqual([
      { name: 'post', target: 'entity:post', cardinality: 'many-to-one', foreignKey: 'post_id' },
      { name: 'author', target: 'entity:accounts', cardinality: 'many-to-one', foreignKey: 'author_id' },
    ]);
    expect(entity(m, 'entity:post_tags').fields).toEqual([
      { name: 'id', type: 'number', id: true },
      { name: 'label', type: 'string', unique: true },
    ]);
    expect(m.schemas.map((e) => e.id)).not.toContain('entity:base_entity');
    const store = m.dataStores.find((s) => s.id === 'datastore:postgresql')!;
    expect(store).toMatchObject({ envVars: ['DATABASE_URL'], details: { orm: ['MikroORM'] } });
    expect(store.evidence[0]).toEqual({ file: 'src/mikro-orm.config.ts', line: 4 });
    // The EntityManager the service uses is the same PostgreSQL, not a database of unknown technology.
    expect(m.dataStores.map((s) => s.id)).toEqual(['datastore:postgresql']);
  });
});

describe('orm-entities: MongoDB driver', () => {
  it('reads createCollection validators as fields, and collections used by name when there is no ODM', async () => {
    const m = await analyseFixture('mongodb-driver-orders');
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:audit_events', 'entity:orders']);
    const orders = entity(m, 'entity:orders');
    expect(orders).toMatchObject({ name: 'orders', orm: 'mongodb', store: 'datastore:mongodb' });
    expect(orders.fields).toEqual([
      { name: '_id', type: 'ObjectId', id: true },
      { name: 'customerId', type: 'objectId' },
      { name: 'status', type: 'enum' },
      { name: 'total', type: 'double | int' },
      { name: 'note', type: 'string', nullable: true },
    ]);
    expect(orders.indexes).toEqual(['index (customerId, status)']);
    expect(orders.states?.[0]?.values).toEqual(['placed', 'paid', 'shipped']);
    expect(orders.evidence[0]).toEqual({ file: 'src/db/collections.ts', line: 9 });
    // Only used: a collection with no fields.
    expect(entity(m, 'entity:audit_events')).toMatchObject({
      fields: [],
      store: 'datastore:mongodb',
      evidence: [{ file: 'src/orders/orders.repository.ts', line: 12 }],
    });
  });

  it('leaves bare collection() calls to the ODM when the project has one', async () => {
    const root = tempRepo('mongo-with-odm', {
      'package.json': JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { mongodb: '^6.12.0', mongoose: '^8.9.2' } }, null, 2),
      'src/report.js':
        "import { MongoClient } from 'mongodb';\nexport async function count(url) {\n  const db = (await MongoClient.connect(url)).db();\n  return db.collection('users').countDocuments();\n}\n",
    });
    const m = await analyseRepo(root);
    expect(m.schemas).toEqual([]);
  });
});

describe('orm-entities: drivers chosen at run time', () => {
  it('reads an Nx integrated workspace whose ORM and drivers are in the root manifest; several drivers and no dialect name no store for the entity', async () => {
    const root = tempRepo('nx-typeorm-drivers', {
      'package.json': JSON.stringify(
        { name: 'todo', version: '0.0.0', private: true, dependencies: { '@nestjs/typeorm': '^10.0.2', pg: '^8.13.1', sqlite3: '^5.1.7', typeorm: '^0.3.20' } },
        null,
        2,
      ),
      'nx.json': '{ "npmScope": "todo" }\n',
      'apps/server/project.json': JSON.stringify({ name: 'server', projectType: 'application', sourceRoot: 'apps/server/src' }),
      'apps/server/src/app.module.ts':
        "import { TypeOrmModule } from '@nestjs/typeorm';\nexport const db = TypeOrmModule.forRootAsync({ useFactory: (c: any) => ({ type: c.get('DATABASE_TYPE'), entities: [] }) });\n",
      'libs/data/project.json': JSON.stringify({ name: 'data', projectType: 'library', sourceRoot: 'libs/data/src' }),
      'libs/data/src/todo.schema.ts':
        "import { EntitySchema } from 'typeorm';\nexport const TodoSchema = new EntitySchema({\n  name: 'todo',\n  columns: { id: { type: 'uuid', primary: true }, title: { type: String } },\n});\n",
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => [e.id, e.orm, e.store])).toEqual([['entity:todo', 'typeorm', undefined]]);
    expect(m.dataStores.filter((s) => s.details?.client).map((s) => [s.id, s.evidence])).toEqual([
      ['datastore:postgresql', [{ file: 'package.json', line: 7 }]],
      ['datastore:sqlite', [{ file: 'package.json', line: 8 }]],
    ]);
  });
});

describe('orm-entities: NestJS Mongoose base documents', () => {
  it('treats an extended @Schema class that no createForClass names as a base, not a collection', async () => {
    const root = tempRepo('nest-abstract-document', {
      'package.json': JSON.stringify({ name: 'bookings', version: '1.0.0', dependencies: { '@nestjs/mongoose': '^10.1.0', mongoose: '^8.9.2' } }, null, 2),
      'libs/common/src/abstract.schema.ts':
        "import { Prop, Schema } from '@nestjs/mongoose';\nimport { SchemaTypes, Types } from 'mongoose';\n\n@Schema()\nexport class AbstractDocument {\n  @Prop({ type: SchemaTypes.ObjectId })\n  _id: Types.ObjectId;\n\n  @Prop({ required: true })\n  tenantId: string;\n}\n",
      'apps/bookings/src/booking.schema.ts':
        "import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';\nimport { AbstractDocument } from '../../../libs/common/src/abstract.schema';\n\n@Schema({ versionKey: false })\nexport class BookingDocument extends AbstractDocument {\n  @Prop()\n  startDate: Date;\n}\n\nexport const BookingSchema = SchemaFactory.createForClass(BookingDocument);\n",
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:bookingdocuments']);
    expect(m.schemas[0]!.fields.map((f) => f.name)).toEqual(['tenantId', '_id', 'startDate']);
  });
});

describe('orm-entities: sequelize-typescript registration', () => {
  it('leaves out a @Table class that the models list does not register', async () => {
    const model = (name: string, table: string) =>
      `import { Column, Model, Table } from 'sequelize-typescript';\n\n@Table({ tableName: '${table}' })\nexport class ${name} extends Model {\n  @Column\n  name: string;\n}\n`;
    const root = tempRepo('sequelize-registered', {
      'package.json': JSON.stringify(
        { name: 'mail', version: '1.0.0', dependencies: { pg: '^8.13.1', sequelize: '^6.37.5', 'sequelize-typescript': '^2.1.6' } },
        null,
        2,
      ),
      'src/db/models/user.model.ts': model('User', 'users'),
      'src/db/models/mailbox.model.ts': model('Mailbox', 'mailboxes'),
      'src/db/models/legacy-profile.model.ts': model('LegacyProfile', 'legacy_profiles'),
      'src/db/database.ts':
        "import { Sequelize } from 'sequelize-typescript';\nimport { User } from './models/user.model';\nimport { Mailbox } from './models/mailbox.model';\n\nexport const sequelize = new Sequelize({\n  dialect: 'postgres',\n  host: process.env.DB_HOST,\n  models: [User],\n});\nsequelize.addModels([Mailbox]);\n",
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:mailboxes', 'entity:users']);
  });
});

describe('orm-entities: Supabase client', () => {
  it('reads the tables its queries name through a service client, never storage buckets or Array.from, with migrations merged', async () => {
    const root = tempRepo('supabase-tables', {
      'package.json': JSON.stringify({ name: 'billing-api', dependencies: { '@supabase/supabase-js': '^2.45.0', express: '^4.19.0' } }),
      'src/db.ts': [
        "import { createClient, SupabaseClient } from '@supabase/supabase-js';",
        'class Db {',
        '  client: SupabaseClient;',
        '  constructor() {',
        '    const url = process.env.SUPABASE_URL;',
        '    this.client = createClient(url!, process.env.SUPABASE_SERVICE_KEY!);',
        '  }',
        '}',
        'export const db = new Db().client;',
        '',
      ].join('\n'),
      'src/invoices.ts': [
        "import { db } from './db';",
        'export async function openInvoices(team: string) {',
        "  const { data } = await db.from('invoices').select('*').eq('team_id', team);",
        '  return data;',
        '}',
        '',
      ].join('\n'),
      'src/settle.ts': [
        "import { db } from './db';",
        'export async function settle(id: string) {',
        '  await db',
        "    .from('invoices')",
        "    .update({ status: 'paid' })",
        "    .eq('id', id);",
        "  await db.from('payment_events').insert({ invoice_id: id });",
        "  await db.storage.from('receipts').upload(`${id}.pdf`, new Blob());",
        "  return Array.from('abc');",
        '}',
        '',
      ].join('\n'),
      'supabase/migrations/20240101000000_init.sql':
        'create table invoices (id uuid primary key, team_id uuid not null, status text not null);\ncreate table payment_events (id bigserial primary key, invoice_id uuid references invoices(id));\n',
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.orm} ${e.store} ${e.fields.length}`)).toEqual([
      'entity:invoices supabase datastore:postgresql 3',
      'entity:payment_events supabase datastore:postgresql 2',
    ]);
    expect(m.schemas.find((e) => e.id === 'entity:invoices')!.evidence).toEqual([
      { file: 'src/invoices.ts', line: 3 },
      { file: 'src/settle.ts', line: 4 },
      { file: 'supabase/migrations/20240101000000_init.sql', line: 1 },
    ]);
    expect(m.dataStores.find((s) => s.id === 'datastore:postgresql')).toMatchObject({
      envVars: ['SUPABASE_SERVICE_KEY', 'SUPABASE_URL'],
      details: { orm: ['Supabase'] },
    });
    expect(m.decisions.find((d) => d.topic === 'primary-database')!.decision).toBe('PostgreSQL');
  });

  it('a client used for authentication only makes no database', async () => {
    const root = tempRepo('supabase-auth', {
      'package.json': JSON.stringify({ name: 'web', dependencies: { '@supabase/supabase-js': '^2.45.0' } }),
      'src/auth.ts':
        "import { createClient } from '@supabase/supabase-js';\nconst supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_ANON_KEY!);\nexport const user = (jwt: string) => supabase.auth.getUser(jwt);\n",
    });
    const m = await analyseRepo(root);
    expect(m.schemas).toEqual([]);
    expect(m.dataStores.filter((s) => s.tech === 'postgresql')).toEqual([]);
  });
});

describe('orm-entities: Sequelize options merged with a mixin', () => {
  it('reads init and define whose attributes or options are merged with a shared mixin', async () => {
    const root = tempRepo('sequelize-merged-options', {
      'package.json': JSON.stringify({ name: 'cms', version: '1.0.0', dependencies: { lodash: '^4.17.21', mysql2: '^3.11.0', sequelize: '^6.37.5' } }),
      'app/lib/db.js': "import { Sequelize } from 'sequelize';\nexport default new Sequelize({ dialect: 'mysql', host: process.env.DB_HOST });\n",
      'app/lib/mixin.js':
        "import { Sequelize } from 'sequelize';\nexport const SoftDelete = {\n  attributes: { delete_time: { type: Sequelize.DATE } },\n  options: { paranoid: true, deletedAt: 'delete_time' },\n};\n",
      'app/model/article.js': [
        "import { merge } from 'lodash';",
        "import { Model, Sequelize } from 'sequelize';",
        "import sequelize from '../lib/db';",
        "import { SoftDelete } from '../lib/mixin';",
        '',
        'class Article extends Model {}',
        '',
        'Article.init(',
        '  {',
        '    id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },',
        '    title: { type: Sequelize.STRING(80), allowNull: false },',
        '  },',
        "  merge({ sequelize, tableName: 'cms_article', modelName: 'article' }, SoftDelete.options),",
        ');',
        '',
        'export const Tag = sequelize.define(',
        "  'tag',",
        '  Object.assign({}, SoftDelete.attributes, { label: { type: Sequelize.STRING(20), unique: true } }),',
        "  Object.assign({ tableName: 'cms_tag' }, SoftDelete.options),",
        ');',
        '',
        'export { Article };',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.name}`)).toEqual(['entity:cms_article article', 'entity:cms_tag tag']);
    expect(entity(m, 'entity:cms_article').fields.map((f) => f.name)).toContain('title');
    expect(entity(m, 'entity:cms_tag').fields.find((f) => f.name === 'label')).toMatchObject({ type: 'STRING', unique: true });
  });
});

describe('orm-entities: tables that infrastructure provisions', () => {
  it('makes each DynamoDB table of Terraform an entity with its keys and global indexes, once across environments', async () => {
    const table = (env: string) =>
      [
        'resource "aws_dynamodb_table" "orders" {',
        `  name         = "orders-${env}"`,
        '  billing_mode = "PAY_PER_REQUEST"',
        '  hash_key     = "customerId"',
        '  range_key    = "orderId"',
        '',
        '  attribute {',
        '    name = "customerId"',
        '    type = "S"',
        '  }',
        '',
        '  global_secondary_index {',
        '    name            = "StatusIndex"',
        '    hash_key        = "status"',
        '    projection_type = "ALL"',
        '  }',
        '}',
        '',
        'resource "aws_dynamodb_table" "sessions" {',
        '  name     = "${var.prefix}-sessions"',
        '  hash_key = "token"',
        '}',
        '',
      ].join('\n');
    const root = tempRepo('provisioned-tables', {
      'package.json': JSON.stringify({ name: 'orders', version: '1.0.0', dependencies: { '@aws-sdk/client-dynamodb': '^3.600.0' } }),
      'src/handler.ts':
        "import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';\nconst db = new DynamoDBClient({});\nexport const handler = async () => db.send(new PutItemCommand({ TableName: process.env.ORDERS_TABLE, Item: {} }));\n",
      'infra/dev/dynamodb.tf': table('dev'),
      'infra/prod/dynamodb.tf': table('prod'),
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.name} ${e.table ?? '-'} ${e.orm} ${e.store}`)).toEqual([
      'entity:orders orders - terraform datastore:dynamodb',
      'entity:sessions sessions - terraform datastore:dynamodb',
    ]);
    const orders = entity(m, 'entity:orders');
    expect(orders.fields).toEqual([
      { name: 'customerId', type: 'partition key', id: true },
      { name: 'orderId', type: 'sort key', id: true },
    ]);
    expect(orders.indexes).toEqual(['global index StatusIndex']);
    expect(orders.evidence).toEqual([
      { file: 'infra/dev/dynamodb.tf', line: 1 },
      { file: 'infra/prod/dynamodb.tf', line: 1 },
    ]);
  });

  it('leaves a table an ORM already describes to the ORM, and makes an Analytics Engine dataset an entity', async () => {
    const root = tempRepo('provisioned-datasets', {
      'package.json': JSON.stringify({ name: 'metrics', version: '1.0.0', dependencies: { 'drizzle-orm': '^0.36.0', pg: '^8.13.0' } }),
      'src/schema.ts': "import { pgTable, text } from 'drizzle-orm/pg-core';\nexport const events = pgTable('events', { id: text('id').primaryKey() });\n",
      'wrangler.toml': 'name = "metrics"\nmain = "src/index.ts"\n\n[[analytics_engine_datasets]]\nbinding = "METRICS"\ndataset = "pageviews"\n',
      'infra/main.tf': 'resource "aws_dynamodb_table" "events" {\n  name     = "events"\n  hash_key = "id"\n}\n',
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.orm ?? '-'} ${e.store}`)).toEqual([
      'entity:events drizzle datastore:postgresql',
      'entity:pageviews - datastore:cloudflare-analytics-engine',
    ]);
  });
});

describe('orm-entities: DynamoDB mappers', () => {
  it('reads dynamodb-toolbox and ElectroDB entities, which stand for the provisioned table their code names from the environment', async () => {
    const root = tempRepo('dynamodb-mappers', {
      'package.json': JSON.stringify({
        name: 'posts',
        version: '1.0.0',
        dependencies: { 'dynamodb-toolbox': '^0.9.2', electrodb: '^2.14.0', 'aws-sdk': '^2.1600.0' },
      }),
      'src/posts.ts': [
        "import { Table, Entity } from 'dynamodb-toolbox';",
        "import DynamoDB from 'aws-sdk/clients/dynamodb';",
        '',
        'const PostsTable = new Table({',
        '  name: process.env.POSTS_TABLE,',
        "  partitionKey: 'id',",
        "  sortKey: 'postedAt',",
        '  DocumentClient: new DynamoDB.DocumentClient(),',
        '});',
        '',
        'export const Post = new Entity({',
        "  name: 'Post',",
        '  attributes: {',
        '    id: { partitionKey: true },',
        '    postedAt: { sortKey: true },',
        "    author: 'string',",
        "    likes: { type: 'number', default: 0 },",
        '  },',
        '  table: PostsTable,',
        '});',
        '',
      ].join('\n'),
      'src/comments.ts': [
        "import { Entity } from 'electrodb';",
        '',
        'export const Comment = new Entity(',
        '  {',
        "    model: { entity: 'comment', version: '1', service: 'blog' },",
        '    attributes: {',
        "      postId: { type: 'string', required: true },",
        "      commentId: { type: 'string', required: true },",
        "      status: ['visible', 'hidden'] as const,",
        '    },',
        '    indexes: {',
        "      byPost: { pk: { field: 'pk', composite: ['postId'] }, sk: { field: 'sk', composite: ['commentId'] } },",
        "      byStatus: { index: 'gsi1', pk: { field: 'gsi1pk', composite: ['status'] }, sk: { field: 'gsi1sk', composite: [] } },",
        '    },',
        '  },',
        '  { table: process.env.POSTS_TABLE },',
        ');',
        '',
      ].join('\n'),
      'infra/main.tf': 'resource "aws_dynamodb_table" "posts" {\n  name      = "posts"\n  hash_key  = "pk"\n  range_key = "sk"\n}\n',
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.name} ${e.orm} ${e.store}`)).toEqual([
      'entity:comment comment electrodb datastore:dynamodb',
      'entity:post Post dynamodb-toolbox datastore:dynamodb',
    ]);
    expect(entity(m, 'entity:post').fields).toEqual([
      { name: 'id', type: 'unknown', id: true },
      { name: 'postedAt', type: 'unknown', id: true },
      { name: 'author', type: 'string' },
      { name: 'likes', type: 'number' },
    ]);
    const comment = entity(m, 'entity:comment');
    expect(comment.fields.filter((f) => f.id).map((f) => f.name)).toEqual(['postId', 'commentId']);
    expect(comment.indexes).toEqual(['primary byPost (postId, commentId)', 'index byStatus (status)']);
    expect(m.dataStores.find((s) => s.id === 'datastore:dynamodb')?.details?.orm).toEqual(['dynamodb-toolbox', 'electrodb']);
  });

  it('reads dynamoose models (each its own table) and OneTable models', async () => {
    const root = tempRepo('dynamoose-onetable', {
      'package.json': JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { dynamoose: '^4.0.1', 'dynamodb-onetable': '^2.7.0' } }),
      'src/cat.ts': [
        "import * as dynamoose from 'dynamoose';",
        '',
        'const catSchema = new dynamoose.Schema({',
        '  id: { type: String, hashKey: true },',
        '  name: String,',
        '  age: { type: Number },',
        '});',
        "export const Cat = dynamoose.model('Cat', catSchema);",
        '',
      ].join('\n'),
      'src/store.ts': [
        "import { Table } from 'dynamodb-onetable';",
        '',
        'const Schema = {',
        "  version: '0.0.1',",
        "  indexes: { primary: { hash: 'pk', sort: 'sk' } },",
        '  models: {',
        "    Account: { pk: { type: String, value: 'account#${id}' }, sk: { type: String, value: 'account#' }, id: { type: String }, name: { type: String } },",
        "    User: { pk: { type: String, value: 'account#${accountId}' }, sk: { type: String, value: 'user#${email}' }, email: { type: String } },",
        '  },',
        '} as const;',
        '',
        "export const table = new Table({ name: 'shop', schema: Schema });",
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.name} ${e.table} ${e.orm}`)).toEqual([
      'entity:cat Cat Cat dynamoose',
      'entity:shop.account Account shop onetable',
      'entity:shop.user User shop onetable',
    ]);
    expect(entity(m, 'entity:cat').fields).toEqual([
      { name: 'id', type: 'string', id: true },
      { name: 'name', type: 'string' },
      { name: 'age', type: 'number' },
    ]);
    expect(
      entity(m, 'entity:shop.user')
        .fields.filter((f) => f.id)
        .map((f) => f.name),
    ).toEqual(['pk', 'sk']);
  });
});

describe('orm-entities: MikroORM defineEntity', () => {
  it('reads defineEntity property builders: types, keys, options, relations and enum states', async () => {
    const root = tempRepo('mikroorm-define-entity', {
      'package.json': JSON.stringify({ name: 'library', version: '1.0.0', dependencies: { '@mikro-orm/core': '^6.4.0', '@mikro-orm/postgresql': '^6.4.0' } }),
      'src/entities/author.ts': [
        "import { defineEntity, p } from '@mikro-orm/core';",
        "import { Book } from './book';",
        '',
        'export const Author = defineEntity({',
        "  name: 'Author',",
        '  properties: {',
        '    id: p.integer().primary(),',
        '    email: p.string().unique(),',
        '    born: p.date().nullable(),',
        '    books: () => p.oneToMany(Book).mappedBy("author"),',
        '  },',
        '});',
        '',
      ].join('\n'),
      'src/entities/book.ts': [
        "import { defineEntity, p } from '@mikro-orm/core';",
        "import { Author } from './author';",
        '',
        'export const Book = defineEntity({',
        "  name: 'Book',",
        "  tableName: 'books',",
        '  properties: {',
        '    id: p.uuid().primary(),',
        "    status: p.enum(['draft', 'published']).default('draft'),",
        '    author: () => p.manyToOne(Author),',
        '  },',
        '});',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.name} ${e.store}`)).toEqual([
      'entity:author Author datastore:postgresql',
      'entity:books Book datastore:postgresql',
    ]);
    expect(entity(m, 'entity:author').fields).toEqual([
      { name: 'id', type: 'integer', id: true },
      { name: 'email', type: 'string', unique: true },
      { name: 'born', type: 'date', nullable: true },
    ]);
    const book = entity(m, 'entity:books');
    expect(book.relations).toEqual([{ name: 'author', target: 'entity:author', cardinality: 'many-to-one', foreignKey: 'author_id' }]);
    expect(book.states).toEqual([{ field: 'status', values: ['draft', 'published'], initial: 'draft' }]);
    expect(entity(m, 'entity:author').relations).toEqual([{ name: 'books', target: 'entity:books', cardinality: 'one-to-many' }]);
  });
});

describe('orm-entities: Mongoose collection names', () => {
  it("pluralises model names by Mongoose's own rules", () => {
    const names = ['Category', 'FaQs', 'Person', 'Status', 'Bus', 'Address', 'Wolf', 'Quiz', 'Knife', 'News', 'Order', 'Sheep', 'Child', 'Media'];
    expect(names.map(mongooseCollection)).toEqual([
      'categories',
      'faqs',
      'people',
      'status',
      'buses',
      'addresses',
      'wolves',
      'quizzes',
      'knives',
      'news',
      'orders',
      'sheep',
      'children',
      'media',
    ]);
  });
});

describe('orm-entities: Kysely through a type alias', () => {
  it('reads the interface kysely-codegen writes when Kysely is given an alias of it', async () => {
    const root = tempRepo('kysely-alias', {
      'package.json': JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { kysely: '^0.27.0', pg: '^8.13.0' } }),
      'src/db/types.ts': [
        "import type { ColumnType } from 'kysely';",
        'export type Generated<T> = T extends ColumnType<infer S, infer I, infer U> ? ColumnType<S, I | undefined, U> : ColumnType<T, T | undefined, T>;',
        'export type Timestamp = ColumnType<Date, Date | string, Date | string>;',
        'export interface Accounts {',
        '  id: Generated<number>;',
        '  email: string;',
        '  created_at: Generated<Timestamp>;',
        '}',
        'export interface DB {',
        '  accounts: Accounts;',
        '}',
        '',
      ].join('\n'),
      'src/db/index.ts': [
        "import { Kysely, PostgresDialect } from 'kysely';",
        "import { Pool } from 'pg';",
        "import type { DB } from './types';",
        'export type Database = DB;',
        'export const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool() }) });',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.store} ${e.fields.map((f) => f.name).join(',')}`)).toEqual([
      'entity:accounts datastore:postgresql id,email,created_at',
    ]);
  });
});
