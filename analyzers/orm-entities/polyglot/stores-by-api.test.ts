import { describe, expect, it } from 'vitest';
import { analyseFixture } from '../../../test/helpers.js';
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import type { PolyglotLanguage } from '../../../src/analysis/polyglot/lex.js';
import { aqlCollections, arangoFound, dynamoBeanFound, spannerFound } from './stores-by-api.js';

function run(found: (ix: ReturnType<typeof indexPolyglot>[], ctx: AnalyzerContext) => unknown, files: Record<string, [PolyglotLanguage, string]>) {
  const ctx = { files: Object.keys(files), read: (f: string) => files[f]?.[1] } as unknown as AnalyzerContext;
  return found(
    Object.entries(files).map(([f, [language, text]]) => indexPolyglot(f, text, language)),
    ctx,
  ) as ReturnType<typeof spannerFound>;
}

describe('entities a client API names', () => {
  it('DynamoDB enhanced client: a @DynamoDbBean class is an item type, its getters marked as keys its key', () => {
    const found = run(dynamoBeanFound, {
      'cart/src/main/java/acme/cart/CartItem.java': [
        'java',
        [
          'package acme.cart;',
          'import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;',
          'import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;',
          '',
          '@DynamoDbBean',
          'public class CartItem {',
          '  private String id;',
          '  private String customerId;',
          '  private int quantity;',
          '',
          '  @DynamoDbPartitionKey',
          '  public String getId() { return id; }',
          '  public void setId(String id) { this.id = id; }',
          '}',
        ].join('\n'),
      ],
      'cart/src/main/java/acme/cart/Plain.java': ['java', 'public class Plain { private String id; }'],
    });
    expect(found.entities).toEqual([
      {
        name: 'CartItem',
        table: 'CartItem',
        orm: 'DynamoDB enhanced client',
        file: 'cart/src/main/java/acme/cart/CartItem.java',
        line: 5,
        fields: [
          { name: 'id', type: 'String', id: true },
          { name: 'customerId', type: 'String' },
          { name: 'quantity', type: 'int' },
        ],
        relations: [],
      },
    ]);
    expect(found.stores).toEqual([
      { tech: 'dynamodb', unit: 'cart/src/main/java/acme/cart', evidence: { file: 'cart/src/main/java/acme/cart/CartItem.java', line: 5 } },
    ]);
  });

  it('Cloud Spanner: the table a C# mutation command names through a constant, its parameters the fields; Go and Java mutations; a table in SQL text only is not read', () => {
    const found = run(spannerFound, {
      'cart/SpannerStore.cs': [
        'csharp',
        [
          'using Google.Cloud.Spanner.Data;',
          'public class SpannerStore {',
          '    private static readonly string TableName = "CartItems";',
          '    public async Task Add(SpannerConnection conn, string user, int qty) {',
          '        var cmd = conn.CreateInsertOrUpdateCommand(TableName,',
          '            new SpannerParameterCollection {',
          '                { "userId", SpannerDbType.String },',
          '                { "quantity", SpannerDbType.Int64 },',
          '            });',
          '        await cmd.ExecuteNonQueryAsync();',
          '        var q = conn.CreateSelectCommand($"SELECT * FROM {TableName}");',
          '    }',
          '}',
        ].join('\n'),
      ],
      'ledger/store.go': [
        'go',
        [
          'package ledger',
          'import "cloud.google.com/go/spanner"',
          'func Add(id string) *spanner.Mutation {',
          '\treturn spanner.InsertOrUpdate("Entries", []string{"id"}, []interface{}{id})',
          '}',
        ].join('\n'),
      ],
      'singers/src/main/java/acme/Singers.java': [
        'java',
        [
          'import com.google.cloud.spanner.Mutation;',
          'class Singers {',
          '  Mutation add(long id) { return Mutation.newInsertBuilder("Singers").set("SingerId").to(id).build(); }',
          '}',
        ].join('\n'),
      ],
      // No Spanner client imported: a method of the same name is someone else's.
      'other/Repo.cs': ['csharp', 'class Repo { void A(Db db) { db.CreateInsertCommand("Things", null); } }'],
    });
    expect(found.entities.map((e) => `${e.table}@${e.file}:${e.line} ${e.fields.map((f) => `${f.name}:${f.type}`).join(',')}`)).toEqual([
      'CartItems@cart/SpannerStore.cs:3 userId:String,quantity:Int64',
      'Entries@ledger/store.go:4 ',
      'Singers@singers/src/main/java/acme/Singers.java:3 ',
    ]);
    // Each folder writing a table uses Spanner; the one without a Spanner client none.
    expect(found.stores.map((s) => `${s.tech}@${s.unit} ${s.evidence.file}:${s.evidence.line}`)).toEqual([
      'spanner@cart cart/SpannerStore.cs:5',
      'spanner@ledger ledger/store.go:4',
      'spanner@singers/src/main/java/acme singers/src/main/java/acme/Singers.java:3',
    ]);
  });

  it('ArangoDB: collections AQL walks and CreateCollection names, in files importing a driver', () => {
    expect(aqlCollections('FOR s IN switches FILTER s.siteId == @siteId RETURN s')).toEqual(['switches']);
    expect(aqlCollections('FOR v, e IN 1..2 OUTBOUND @start edges RETURN v')).toEqual([]);
    expect(aqlCollections('FOR i IN 1..10 FOR x IN doc.items RETURN x FOR y IN @@coll RETURN y')).toEqual([]);
    // A sentence is no query: no upper-case FOR … IN, no operation.
    expect(aqlCollections('looking for user in cache')).toEqual([]);
    expect(aqlCollections('Waiting for messages in queue')).toEqual([]);
    // One name once, however many clauses walk it.
    expect(aqlCollections('FOR a IN c1 FOR b IN c1 RETURN [a, b]')).toEqual(['c1']);
    const found = run(arangoFound, {
      'switch/service.go': [
        'go',
        [
          'package service',
          'import driver "github.com/arangodb/go-driver"',
          'const queryAll = `FOR sw IN switches FILTER sw.siteId == @siteId RETURN sw`',
          'func Setup(ctx context.Context, db driver.Database) {',
          '\tdb.CreateCollection(ctx, "audit", nil)',
          '}',
        ].join('\n'),
      ],
      'other/query.go': ['go', 'package other\nconst q = `FOR u IN users RETURN u`\n'],
    });
    expect(found.entities.map((e) => `${e.table}:${e.line}`)).toEqual(['audit:5', 'switches:3']);
    expect(found.stores).toEqual([{ tech: 'arangodb', unit: 'switch', evidence: { file: 'switch/service.go', line: 5 } }]);
  });

  it('reads the three services of polyglot-carts, each entity in its service, the beans in DynamoDB', async () => {
    const m = await analyseFixture('polyglot-carts');
    expect(m.schemas.map((e) => `${e.id} ${e.orm} ${e.component} ${e.store ?? '-'} ${e.evidence[0]!.file}:${e.evidence[0]!.line}`)).toEqual([
      'entity:cartitem DynamoDB enhanced client component:carts datastore:dynamodb carts/src/main/java/com/acme/carts/CartItem.java:8',
      'entity:cartlines Spanner client component:cart-store datastore:spanner cart-store/Stores/SpannerCartStore.cs:9',
      'entity:reservations ArangoDB driver component:inventory datastore:arangodb inventory/store/store.go:17',
      'entity:stock ArangoDB driver component:inventory datastore:arangodb inventory/store/store.go:9',
    ]);
    expect(m.dataStores.map((s) => `${s.id} ${s.usedBy.join(',')}`)).toEqual([
      'datastore:arangodb component:inventory',
      'datastore:dynamodb component:carts',
      'datastore:spanner component:cart-store',
    ]);
  });
});
