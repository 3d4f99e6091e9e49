import { describe, expect, it } from 'vitest';
import { graphqlOperations } from './schemas.js';

describe('endpoints: GraphQL schema files', () => {
  const subgraph = `type Query {
  allProducts: [Product]
  product(id: ID!): Product
}
type Product @key(fields: "id") { id: ID! }
`;
  it('lists a subgraph’s root fields', () => {
    expect(graphqlOperations(subgraph, 'subgraphs/products/schema.graphql').map((f) => `${f.method} ${f.path}:${f.line}`)).toEqual([
      'query allProducts:2',
      'query product:3',
    ]);
  });

  it('leaves out a composed federation supergraph: its operations are the subgraphs’', () => {
    const supergraph = `schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) {
  query: Query
}
directive @join__type(graph: join__Graph!, key: join__FieldSet) repeatable on OBJECT | INTERFACE
enum join__Graph {
  PRODUCTS @join__graph(name: "products", url: "http://products:4001/graphql")
}
type Query @join__type(graph: PRODUCTS) {
  allProducts: [Product] @join__field(graph: PRODUCTS)
}
`;
    expect(graphqlOperations(supergraph, 'router/supergraph.graphql')).toEqual([]);
  });
});
