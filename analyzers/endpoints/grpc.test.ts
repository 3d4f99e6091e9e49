import { afterAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { goName, grpcUses } from './grpc.js';

describe('endpoints: gRPC rpcs belong to the component that registers their service', () => {
  it('gives each registered service to its server, once, whatever the number of .proto copies', async () => {
    const model = await analyseFixture('grpc-proto-copies');
    const rpcs = model.endpoints.filter((e) => e.protocol === 'grpc');
    expect(rpcs.map((e) => `${e.path} ${e.component ?? '-'}`).sort()).toEqual([
      // The Go folder is a component by how it is deployed (its Dockerfile), in the link phase.
      '/shop.CheckoutService/PlaceOrder component:services/checkout',
      '/shop.CurrencyService/Convert component:services/currency',
      '/shop.CurrencyService/GetSupportedCurrencies component:services/currency',
      '/shop.ShippingService/ShipOrder -',
      '/shop.ShippingService/TrackOrder -',
    ]);
    // The Node server: addService(shop.CurrencyService.service, …), rpcs read from its own copy.
    const convert = rpcs.find((e) => e.path === '/shop.CurrencyService/Convert')!;
    expect(convert.servedAt).toEqual({ file: 'services/currency/src/server.js', line: 28 });
    expect(convert.evidence).toEqual([
      { file: 'services/currency/proto/shop.proto', line: 28 },
      { file: 'services/currency/src/server.js', line: 28 },
    ]);
    // The Go server (no workspace package owns it): attributed by the registration's folder, not by a copy.
    const place = rpcs.find((e) => e.path === '/shop.CheckoutService/PlaceOrder')!;
    expect(place.servedAt).toEqual({ file: 'services/checkout/cmd/server/main.go', line: 44 });
    expect(place.id).toBe('endpoint:services/checkout/cmd/server:rpc /shop.CheckoutService/PlaceOrder');
    expect(place.details?.registeredBy).toBe('RegisterCheckoutServiceServer');
    // Nobody registers ShippingService (the generated Register… function is a definition): declared only,
    // listed once, with every copy as evidence and no component, not even after linking.
    const ship = rpcs.find((e) => e.path === '/shop.ShippingService/ShipOrder')!;
    expect(ship.servedAt).toBeNull();
    expect(ship.evidence.map((e) => e.file)).toEqual([
      'protos/shop.proto',
      'services/checkout/genproto/shop.proto',
      'services/currency/proto/shop.proto',
      'services/frontend/proto/shop.proto',
      'services/recommendation/shop.proto',
    ]);
    // The front end holds a copy and a client stub: it serves no rpc.
    expect(model.endpoints.filter((e) => e.component === 'component:services/frontend').map((e) => e.protocol)).toEqual(['http']);
  });

  it('lists the standard grpc.health.v1.Health service a server registers as its health check, not as endpoints', async () => {
    const model = await analyseFixture('grpc-proto-copies');
    expect(model.endpoints.filter((e) => e.path.includes('grpc.health.v1'))).toEqual([]);
    const checks = model.observability.filter((f) => f.tech === 'gRPC health checking');
    expect(checks.map((f) => `${f.id} ${f.component} ${f.evidence.map((e) => `${e.file}:${e.line}`).join(' ')}`)).toEqual([
      // Go: healthpb.RegisterHealthServer against the protocol's definition in another folder's copy.
      'observability:health:services/checkout:grpc.health.v1.Health component:services/checkout services/checkout/cmd/server/main.go:45',
      'observability:health:services/currency:grpc.health.v1.Health component:services/currency services/currency/src/server.js:33',
    ]);
    expect(checks.every((f) => f.category === 'health' && f.details?.kind === 'health')).toBe(true);
  });

  it('makes a component that creates a client stub depend on the component that registers the service', async () => {
    const model = await analyseFixture('grpc-proto-copies');
    const rpcDeps = model.components.flatMap((c) =>
      c.dependsOn.filter((d) => d.kind === 'rpc').map((d) => `${c.id} -> ${d.target} ${d.evidence.map((e) => `${e.file}:${e.line}`).join(' ')}`),
    );
    expect(rpcDeps).toEqual([
      'component:services/checkout -> component:services/currency services/checkout/cmd/server/main.go:44',
      'component:services/frontend -> component:services/currency services/frontend/src/currency-client.ts:11',
      'component:services/recommendation -> component:services/currency services/recommendation/recommend.py:14',
    ]);
  });

  it('counts a full method name passed to conn.Invoke / channel.unary_unary as a client call (polyglot-k8s-grpc)', async () => {
    const model = await analyseFixture('polyglot-k8s-grpc');
    const rpcDeps = model.components.flatMap((c) =>
      c.dependsOn.filter((d) => d.kind === 'rpc').map((d) => `${c.id} -> ${d.target} ${d.evidence.map((e) => `${e.file}:${e.line}`).join(' ')}`),
    );
    expect(rpcDeps).toEqual([
      'component:services/pricing -> component:services/catalog services/pricing/internal/quote/catalog.go:11',
      'component:services/recommender -> component:services/catalog services/recommender/catalog_client.py:8',
    ]);
    // Three rpcs, once, on the catalogue that registers CatalogService; the clients' copies serve nothing.
    expect(model.endpoints.filter((e) => e.protocol === 'grpc').map((e) => e.component)).toEqual(Array(3).fill('component:services/catalog'));
  });

  it('leaves a declared-only service without a component even when its copies sit in deployable folders', async () => {
    const proto = 'syntax = "proto3";\npackage ads;\nservice AdService {\n  rpc GetAds(AdRequest) returns (AdResponse) {}\n}\n';
    const go = (name: string) => `package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) } // ${name}\n`;
    const root = tempRepo('grpc-declared', {
      'services/cart/Dockerfile': 'FROM golang:1.22\nCOPY . .\nRUN go build -o /cart .\nEXPOSE 8080\nCMD ["/cart"]\n',
      'services/cart/main.go': go('cart'),
      'services/cart/proto/ads.proto': proto,
      'services/shipping/Dockerfile': 'FROM golang:1.22\nCOPY . .\nRUN go build -o /shipping .\nEXPOSE 8080\nCMD ["/shipping"]\n',
      'services/shipping/main.go': go('shipping'),
      'services/shipping/proto/ads.proto': proto,
    });
    const model = await analyseRepo(root);
    const ads = model.endpoints.filter((e) => e.protocol === 'grpc');
    expect(ads.map((e) => [e.path, e.component, e.servedAt])).toEqual([['/ads.AdService/GetAds', undefined, null]]);
  });

  it('matches a service named in lower camel case to the Go code protoc-gen-go generates for it (readerService → RegisterReaderServiceServer)', async () => {
    expect([goName('readerService'), goName('order_service'), goName('CartService')]).toEqual(['ReaderService', 'OrderService', 'CartService']);
    const proto = 'syntax = "proto3";\npackage readerService;\nservice readerService {\n  rpc GetProductById(GetReq) returns (GetRes) {}\n}\n';
    const root = tempRepo('grpc-go-case', {
      'reader/Dockerfile': 'FROM golang:1.22\nCOPY . .\nRUN go build -o /reader .\nEXPOSE 5003\nCMD ["/reader"]\n',
      'reader/proto/reader.proto': proto,
      'reader/main.go':
        'package main\n\nimport (\n\t"net"\n\n\t"google.golang.org/grpc"\n\tpb "example.com/reader/proto"\n)\n\nfunc main() {\n\tl, _ := net.Listen("tcp", ":5003")\n\ts := grpc.NewServer()\n\tpb.RegisterReaderServiceServer(s, &server{})\n\ts.Serve(l)\n}\n',
    });
    const model = await analyseRepo(root);
    expect(model.endpoints.filter((e) => e.protocol === 'grpc').map((e) => `${e.path} ${e.component}`)).toEqual([
      '/readerService.readerService/GetProductById component:reader',
    ]);
  });

  it('reads registrations and client stubs in each language, and not their generated definitions', () => {
    const uses = (text: string, file: string) =>
      grpcUses(text, file).map((u) => `${u.role} ${u.service}${u.alternatives.length ? `|${u.alternatives.join('|')}` : ''} ${u.line}`);
    expect(uses('server.addService(proto.shop.CartService.service, impl);\nserver.addService(services.CartServiceService, impl);', 'src/server.ts')).toEqual([
      'server CartService|Cart 1',
      'server CartServiceService|CartService 2',
    ]);
    expect(uses("  @GrpcMethod('HeroesService', 'FindOne')\n  findOne() {}", 'src/hero.controller.ts')).toEqual(['server HeroesService 1']);
    expect(uses('const c = new shop.CartService(addr, grpc.credentials.createInsecure());\nconst d = new Map(entries, other);', 'src/cart.ts')).toEqual([
      'client CartService 1',
    ]);
    expect(
      uses('pb.RegisterCartServiceServer(s, svc)\nc := pb.NewCartServiceClient(conn)\nfunc RegisterFooServer(s grpc.ServiceRegistrar) {}', 'main.go'),
    ).toEqual(['server CartService 1', 'client CartService 2']);
    expect(
      uses(
        'demo_pb2_grpc.add_CartServiceServicer_to_server(CartServicer(), server)\nstub = demo_pb2_grpc.CartServiceStub(channel)\nclass FooStub(object):',
        'server.py',
      ),
    ).toEqual(['server CartService 1', 'client CartService 2']);
    expect(uses('public class CartImpl extends CartServiceGrpc.CartServiceImplBase {}\nCartServiceGrpc.newBlockingStub(channel);', 'Cart.java')).toEqual([
      'server CartService 1',
      'client CartService 2',
    ]);
    expect(uses('class CartImpl : CartServiceGrpcKt.CartServiceCoroutineImplBase() {}', 'Cart.kt')).toEqual(['server CartService 1']);
    expect(uses('public class CartImpl : Hipster.CartService.CartServiceBase {}\nvar c = new CartService.CartServiceClient(channel);', 'CartImpl.cs')).toEqual([
      'server CartService 1',
      'client CartService 2',
    ]);
  });
});

afterAll(removeTemps);
