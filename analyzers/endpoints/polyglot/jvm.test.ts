/**
 * Routes of Java and Kotlin on the polyglot index: Spring (class prefixes by constants, inherited
 * interface mappings, method lists, the module's context path, Feign clients left out, functional
 * routes), JAX-RS, Micronaut and Ktor (nested blocks, extension functions followed to their call).
 */
import { describe, expect, it } from 'vitest';
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import type { PolyglotLanguage } from '../../../src/analysis/polyglot/lex.js';
import type { Found } from '../types.js';
import { jvmEndpoints } from './jvm.js';
import { Program } from './program.js';

const program = (files: Record<string, string>): Program =>
  new Program(Object.entries(files).map(([f, text]) => indexPolyglot(f, text, (f.endsWith('.kt') ? 'kotlin' : 'java') as PolyglotLanguage)));
const fakeCtx = (files: Record<string, string>): AnalyzerContext =>
  ({ files: Object.keys(files), read: (f: string) => files[f] }) as unknown as AnalyzerContext;
const routes = (found: Found[]): string[] =>
  found.map((f) => `${f.method} ${f.path}${f.mechanisms.length ? ` [${f.mechanisms.join(',')}]` : ''}${f.optOut ? ' (open)' : ''}`).sort();

describe('jvm routes', () => {
  it('Spring: class prefix by constant, verbs, RequestMapping methods, interfaces, context path, no Feign client', () => {
    const java = {
      'svc/src/main/java/a/Paths.java':
        'package a;\npublic final class Paths {\n  public static final String V1 = "/v1";\n  public static final String ORDERS = V1 + "/orders";\n}',
      'svc/src/main/java/a/OrderController.java': [
        'import org.springframework.web.bind.annotation.*;',
        '@RestController',
        '@RequestMapping(Paths.ORDERS)',
        'public class OrderController {',
        '  private static final String ID = "/{id}";',
        '  @GetMapping public List<Order> list() { return null; }',
        '  @GetMapping(value = ID, produces = "application/json")',
        '  public Order get(@PathVariable String id) { return null; }',
        '  @RequestMapping(path = ID + "/status", method = {RequestMethod.PUT, RequestMethod.PATCH})',
        '  public Order status(@PathVariable String id) { return null; }',
        '  @PreAuthorize("hasRole(\'ADMIN\')")',
        '  @DeleteMapping(ID) public void cancel(@PathVariable String id) {}',
        '  @RequestMapping("/any") public void any() {}',
        '}',
      ].join('\n'),
      'svc/src/main/java/a/ShipmentApi.java':
        '@RequestMapping("/v1/shipments")\npublic interface ShipmentApi {\n  @GetMapping("/{trackingId:[A-Z0-9]+}")\n  Shipment track(@PathVariable String trackingId);\n}',
      'svc/src/main/java/a/ShipmentController.java':
        'import org.springframework.web.bind.annotation.RestController;\n@RestController\npublic class ShipmentController implements ShipmentApi {\n  @Override\n  public Shipment track(String trackingId)\n  {\n    return null;\n  }\n}',
      'svc/src/main/java/a/Health.java': '@RestController\nclass Health\n{\n  @GetMapping({"/healthz", "livez"})\n  String h()\n  {\n    return "ok";\n  }\n}',
      'svc/src/main/java/a/BillingClient.java':
        '@FeignClient(name = "billing")\npublic interface BillingClient {\n  @PostMapping("/api/invoices")\n  void charge();\n}',
    };
    const ctx = fakeCtx({ 'svc/src/main/resources/application.yml': 'server:\n  port: 8080\n  servlet:\n    context-path: ${CTX:/orders-api}\n' });
    expect(routes(jvmEndpoints(program(java), ctx))).toEqual([
      'ALL /orders-api/v1/orders/any',
      'DELETE /orders-api/v1/orders/:id [@PreAuthorize]',
      'GET /orders-api/healthz',
      'GET /orders-api/livez',
      'GET /orders-api/v1/orders',
      'GET /orders-api/v1/orders/:id',
      'GET /orders-api/v1/shipments/:trackingId',
      'PATCH /orders-api/v1/orders/:id/status',
      'PUT /orders-api/v1/orders/:id/status',
    ]);
    // application.properties, and no context path at all.
    const props = fakeCtx({ 'svc/src/main/resources/application.properties': 'spring.application.name=x\nserver.servlet.context-path = /p\n' });
    expect(routes(jvmEndpoints(program({ 'svc/src/main/java/a/Health.java': java['svc/src/main/java/a/Health.java'] }), props))).toEqual([
      'GET /p/healthz',
      'GET /p/livez',
    ]);
    expect(routes(jvmEndpoints(program({ 'svc/src/main/java/a/Health.java': java['svc/src/main/java/a/Health.java'] })))).toEqual([
      'GET /healthz',
      'GET /livez',
    ]);
  });

  it('Spring functional routes, JAX-RS and Micronaut', () => {
    const found = jvmEndpoints(
      program({
        'r/Router.java': [
          'import static org.springframework.web.reactive.function.server.RequestPredicates.*;',
          'class Router {',
          '  @Bean RouterFunction<?> routes(Handler h) {',
          '    return route(GET("/fn/items"), h::list).andRoute(POST("/fn/items"), h::add);',
          '  }',
          '  @Bean RouterFunction<?> more(Handler h) {',
          '    return RouterFunctions.route().GET("/fn/b/{id}", h::get).DELETE("/fn/b/{id}", h::del).build();',
          '  }',
          '}',
        ].join('\n'),
        'j/ApiApp.java': '@ApplicationPath("/rs")\npublic class ApiApp extends Application {}',
        'j/Users.java': [
          'import jakarta.ws.rs.*;',
          '@Path("/users")',
          '@RolesAllowed("admin")',
          'public class Users {',
          '  @GET public List<User> list() { return null; }',
          '  @GET @Path("{id}") public User get(@PathParam("id") String id) { return null; }',
          '  @POST @PermitAll public void add(User u) {}',
          '  @Path("{id}/roles") public Roles roles() { return null; }',
          '}',
        ].join('\n'),
        'm/Books.kt': [
          'import io.micronaut.http.annotation.*',
          '@Controller("/books")',
          'class Books {',
          '  @Get("/{isbn}") fun show(isbn: String) = repo.find(isbn)',
          '  @Post fun add(@Body b: Book) = repo.save(b)',
          '}',
          '@Controller',
          'class Root {',
          '  @Get("/ping") fun ping() = "pong"',
          '}',
        ].join('\n'),
      }),
    );
    expect(routes(found)).toEqual([
      'DELETE /fn/b/:id',
      'GET /books/:isbn',
      'GET /fn/b/:id',
      'GET /fn/items',
      'GET /ping',
      'GET /rs/users [@RolesAllowed]',
      'GET /rs/users/:id [@RolesAllowed]',
      'POST /books',
      'POST /fn/items',
      'POST /rs/users (open)',
    ]);
  });

  it('Ktor: routing blocks, nested route, an extension function mounted where it is called', () => {
    const found = jvmEndpoints(
      program({
        'App.kt': [
          'fun Application.module() {',
          '  routing {',
          '    get("/health") { call.respond("ok") }',
          '    route("/stock") {',
          '      get { call.respond(all()) }',
          '      get("/{sku}") { call.respond(one()) }',
          '      admin(repo)',
          '      authenticate("auth-jwt") {',
          '        delete("/{sku}") { call.respond(gone()) }',
          '      }',
          '    }',
          '  }',
          '}',
        ].join('\n'),
        'Admin.kt': 'fun Route.admin(repo: Repo) {\n  route("/admin") {\n    post("/reindex") { repo.reindex() }\n  }\n}\nfun other() { val x = map.get("k") }',
      }),
    );
    expect(routes(found)).toEqual(['DELETE /stock/:sku [authenticate(auth-jwt)]', 'GET /health', 'GET /stock', 'GET /stock/:sku', 'POST /stock/admin/reindex']);
  });
});

describe('jvm routes: classes of the same name in two services', () => {
  it('each controller keeps its own prefix and methods', () => {
    const java = {
      'a/src/main/java/x/UserController.java':
        '@RestController\n@RequestMapping("/a")\npublic class UserController {\n  @GetMapping("/people") public List<P> list() { return null; }\n}',
      'b/src/main/java/y/UserController.java':
        '@RestController\n@RequestMapping("/b")\npublic class UserController {\n  @PostMapping("/people") public P add() { return null; }\n}',
    };
    expect(routes(jvmEndpoints(program(java), fakeCtx(java)))).toEqual(['GET /a/people', 'POST /b/people']);
  });
});
