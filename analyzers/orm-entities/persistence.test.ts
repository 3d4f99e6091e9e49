import { afterEach, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterEach(() => removeTemps());

describe('orm-entities: repositories over a database client', () => {
  it('makes each subclass of a generic DynamoDB repository an entity named by its type argument, in the table its base names', async () => {
    const m = await analyseFixture('dynamodb-repositories');
    expect(m.schemas.map((e) => `${e.id} ${e.name} ${e.table ?? '-'} ${e.orm} ${e.store}`)).toEqual([
      // An interface re-exported by name, through a base that hands its parameter on (AuditedRepository<T>).
      'entity:agent Agent HelpdeskData @aws-sdk/lib-dynamodb datastore:dynamodb',
      // Types inferred from zod schemas, reached through `export *`.
      'entity:comment Comment HelpdeskData @aws-sdk/lib-dynamodb datastore:dynamodb',
      // The sessions table is used directly, not through the repositories: an entity of its own.
      'entity:sessions Sessions - sst datastore:dynamodb',
      'entity:ticket Ticket HelpdeskData @aws-sdk/lib-dynamodb datastore:dynamodb',
    ]);
    const ticket = m.schemas.find((e) => e.id === 'entity:ticket')!;
    expect(ticket.evidence).toEqual([{ file: 'packages/core/src/persistence/tickets.ts', line: 4 }]);
    expect(ticket.details).toEqual({ repository: 'TicketRepository' });
    // Fields from the zod schema the type is inferred from; an interface's members for Agent.
    expect(ticket.fields.map((f) => `${f.name}:${f.type}${f.nullable ? '?' : ''}${f.id ? ' key' : ''}`)).toEqual([
      'id:string key',
      'subject:string',
      'status:enum',
      'requesterEmail:string',
      'assigneeId:string?',
    ]);
    expect(ticket.states).toEqual([{ field: 'status', values: ['open', 'pending', 'closed'] }]);
    expect(m.schemas.find((e) => e.id === 'entity:agent')!.fields.map((f) => `${f.name}:${f.type}${f.nullable ? '?' : ''}`)).toEqual([
      'id:string',
      'email:string',
      'name:string',
      'team:string?',
    ]);
    expect(ticket.component).toBe('component:packages/core');
    // The single table holds the item types: it is no entity of its own, and the store keeps it.
    expect(m.schemas.map((e) => e.name)).not.toContain('HelpdeskData');
    const store = m.dataStores.find((s) => s.id === 'datastore:dynamodb')!;
    expect(store.details?.tables).toEqual(['HelpdeskData', 'Sessions']);
    expect(store.details?.orm).toContain('@aws-sdk/lib-dynamodb');
  });

  it('reads a MongoDB repository whose subclasses name their collection to super(), and nothing of `any`, a type parameter or a base without a client', async () => {
    const root = tempRepo('mongo-repositories', {
      'package.json': JSON.stringify({ name: 'library', version: '1.0.0', dependencies: { mongodb: '^6.8.0' } }),
      'src/db/repository.ts': [
        "import { type Collection, type Db, ObjectId } from 'mongodb';",
        '',
        'export class MongoRepository<TDoc extends { _id?: ObjectId }> {',
        '  protected readonly collection: Collection<TDoc>;',
        '  constructor(db: Db, name: string) {',
        '    this.collection = db.collection<TDoc>(name);',
        '  }',
        '  findById(id: string) {',
        '    return this.collection.findOne({ _id: new ObjectId(id) } as never);',
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/db/memory.ts': ['/** Kept in memory: no database. */', 'export class InMemoryStore<T> {', '  readonly items: T[] = [];', '}', ''].join('\n'),
      'src/books/book.ts': [
        "import type { ObjectId } from 'mongodb';",
        'export interface Book { _id?: ObjectId; title: string; isbn: string }',
        'export type Loan = { _id?: ObjectId; bookId: ObjectId; until: Date };',
        '',
      ].join('\n'),
      'src/books/repositories.ts': [
        "import type { Db } from 'mongodb';",
        "import { MongoRepository } from '../db/repository';",
        "import { InMemoryStore } from '../db/memory';",
        "import type { Book, Loan } from './book';",
        '',
        'export class BookRepository extends MongoRepository<Book> {',
        '  constructor(db: Db) {',
        "    super(db, 'books');",
        '  }',
        '}',
        '',
        'export class LoanRepository extends MongoRepository<Loan> {}',
        '',
        '// Neither a record type nor a concrete repository: no entity.',
        'export class AnyRepository extends MongoRepository<any> {}',
        'export class ScopedRepository<T extends { _id?: never }> extends MongoRepository<T> {}',
        'export class BookCache extends InMemoryStore<Book> {}',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => `${e.id} ${e.name} ${e.table ?? '-'} ${e.orm} ${e.store}`)).toEqual([
      // `super(db, 'books')`: its first string is the collection; LoanRepository names none.
      'entity:books Book books mongodb datastore:mongodb',
      'entity:loan Loan - mongodb datastore:mongodb',
    ]);
    expect(m.schemas[0]!.evidence).toEqual([{ file: 'src/books/repositories.ts', line: 6 }]);
  });

  it('follows barrels that export each other once each, and finds no type where there is none', async () => {
    const barrels = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`src/types/b${i}.ts`, Array.from({ length: 12 }, (_, j) => `export * from './b${j}';`).join('\n')]),
    );
    const root = tempRepo('barrel-cycle', {
      'package.json': JSON.stringify({ name: 'cyclic', version: '1.0.0', dependencies: { mongodb: '^6.8.0' } }),
      'src/repo.ts': "import type { Collection } from 'mongodb';\nexport class Repo<T> {\n  constructor(readonly c: Collection<T>) {}\n}\n",
      ...barrels,
      'src/types/b11.ts': `${barrels['src/types/b11.ts']}\nexport interface Loan { id: string }\n`,
      'src/loans.ts':
        "import { Repo } from './repo';\nimport type { Loan, Missing } from './types/b0';\nexport class LoanRepo extends Repo<Loan> {}\nexport class MissingRepo extends Repo<Missing> {}\n",
    });
    const m = await analyseRepo(root);
    expect(m.schemas.map((e) => e.id)).toEqual(['entity:loan']);
  });
});
