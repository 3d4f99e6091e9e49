/**
 * The engine's index of files in other languages (src/analysis/polyglot): calls with their chains,
 * closures and assignments, decorators/annotations/attributes with what they annotate, bindings,
 * imports; and malformed text read without a throw.
 */
import { describe, expect, it } from 'vitest';
import { indexPolyglot, type PCall, type PolyglotIndex } from '../../src/analysis/polyglot/index-source.js';
import { lex } from '../../src/analysis/polyglot/lex.js';

const calls = (ix: PolyglotIndex): string[] => ix.calls.map((c) => c.callee.join('.'));
const find = (ix: PolyglotIndex, callee: string): PCall => {
  const c = ix.calls.find((x) => x.callee.join('.') === callee);
  if (!c) throw new Error(`no call ${callee} in ${calls(ix).join(', ')}`);
  return c;
};

describe('lex', () => {
  it('reads each language’s strings and drops comments', () => {
    expect(
      lex(`x = f"{a}/b" # c\ny = r'\\d' """t\n"""`, 'python')
        .tokens.filter((t) => t.k === 'str')
        .map((t) => [t.v, t.template ?? false]),
    ).toEqual([
      ['{a}/b', true],
      ['\\d', false],
      ['t\n', false],
    ]);
    expect(
      lex('a := `raw\\n` // c\n/* x */ b := "q\\"x"', 'go')
        .tokens.filter((t) => t.k === 'str')
        .map((t) => t.v),
    ).toEqual(['raw\\n', 'q"x']);
    expect(
      lex('var p = @"a\\b""c"; var q = $"{x}/y";', 'csharp')
        .tokens.filter((t) => t.k === 'str')
        .map((t) => t.v),
    ).toEqual(['a\\b"c', '{x}/y']);
    expect(
      lex("<?php $a = <<<EOT\nbody\nEOT;\n$b = 'x';", 'php')
        .tokens.filter((t) => t.k !== 'nl')
        .map((t) => t.v),
    ).toEqual(['$a', '=', '', ';', '$b', '=', 'x', ';']);
  });

  it('never throws on unclosed strings, comments or brackets', () => {
    for (const lang of ['python', 'go', 'java', 'kotlin', 'csharp', 'php'] as const) {
      for (const text of ['"abc', "'", '/* x', '(((', ')))', '"""', '`', '<<<X\n', '@', '#[']) {
        expect(() => indexPolyglot('f', text, lang)).not.toThrow();
      }
    }
  });
});

describe('indexPolyglot', () => {
  it('Python: a class attribute annotated with a subscripted, dotted or union type is named by its own name', () => {
    const ix = indexPolyglot(
      'app/models.py',
      [
        'class User(Base):',
        '    id: Mapped[int] = mapped_column(primary_key=True)',
        '    key: uuid.UUID = Field(primary_key=True)',
        '    n: int | None = Field(default=None)',
        '    obj.attr = 1',
      ].join('\n'),
      'python',
    );
    expect(ix.assigns.map((a) => `${a.name.join('.')}@${a.owner ?? ''}`)).toEqual(['id@User', 'key@User', 'n@User', 'obj.attr@User']);
  });
  it('Python: decorators with their function, keyword arguments, class attributes, imports', () => {
    const ix = indexPolyglot(
      'app/main.py',
      [
        'from app.api.routes import items as it, login',
        'import os.path as p',
        'class Settings(BaseSettings):',
        '    API_V1_STR: str = "/api/v1"',
        '    def m(self):',
        '        local = 1',
        'router = APIRouter(prefix="/items", tags=["items"])',
        'app.include_router(it.router, prefix=settings.API_V1_STR)',
        '@router.api_route(',
        '    "/{id}", methods=("GET", "PUT"))',
        'async def read_item(id: int, q=None):',
        '    return {"a": 1}',
      ].join('\n'),
      'python',
    );
    expect(ix.imports.map((i) => `${i.module}:${i.name ?? ''}:${i.alias}`)).toEqual(['app.api.routes:items:it', 'app.api.routes:login:login', 'os.path::p']);
    expect(ix.assigns.map((a) => `${a.name.join('.')}@${a.owner ?? ''}/${a.fn ?? ''}`)).toEqual(['API_V1_STR@Settings/', 'local@Settings/m', 'router@/']);
    expect(ix.assigns[0]!.value).toEqual({ k: 'str', v: '/api/v1' });
    const r = find(ix, 'APIRouter');
    expect(r.assigned).toEqual(['router']);
    expect(r.kw.map((k) => k.name)).toEqual(['prefix', 'tags']);
    const inc = find(ix, 'app.include_router');
    expect(inc.args).toEqual([{ k: 'name', path: ['it', 'router'] }]);
    expect(inc.kw[0]).toEqual({ name: 'prefix', value: { k: 'name', path: ['settings', 'API_V1_STR'] } });
    expect(ix.annotations).toHaveLength(1);
    expect(ix.annotations[0]).toMatchObject({
      name: ['router', 'api_route'],
      args: [{ k: 'str', v: '/{id}' }],
      kw: [
        {
          name: 'methods',
          value: {
            k: 'list',
            items: [
              { k: 'str', v: 'GET' },
              { k: 'str', v: 'PUT' },
            ],
          },
        },
      ],
      target: { kind: 'function', name: 'read_item', line: 11 },
    });
    expect(ix.functions.find((f) => f.name === 'read_item')?.params).toEqual(['id', 'q']);
  });

  it('Go: chains, closures, := bindings, const blocks and methods are not calls', () => {
    const ix = indexPolyglot(
      'cmd/api/main.go',
      [
        'package main',
        'import (',
        '\t"net/http"',
        '\tm "github.com/gorilla/mux"',
        ')',
        'const (',
        '\tbase = "/v1"',
        ')',
        'func (s *Server) routes(r chi.Router) {',
        '\tapi := r.PathPrefix(base + "/sensors").Subrouter()',
        '\tapi.HandleFunc("/{id}", s.get).',
        '\t\tMethods("GET", "PUT")',
        '\tr.Route("/v2", func(r chi.Router) {',
        '\t\tr.Get("/x", h)',
        '\t})',
        '\tmethods := []string{"GET", "POST"}',
        '}',
      ].join('\n'),
      'go',
    );
    expect(ix.imports.map((i) => `${i.alias}=${i.module}`)).toEqual(['http=net/http', 'm=github.com/gorilla/mux']);
    expect(calls(ix)).toEqual(['r.PathPrefix', 'Subrouter', 'api.HandleFunc', 'Methods', 'r.Route', 'r.Get']);
    expect(ix.functions).toEqual([{ name: 'routes', line: 9, params: ['r'], owner: 'Server', receiver: 's' }]);
    // A one-line import is named by its path's last segment, a major version dropped.
    expect(indexPolyglot('a.go', 'package a\nimport "github.com/go-chi/chi/v5"\nfunc f() {}', 'go').imports).toEqual([
      { module: 'github.com/go-chi/chi/v5', alias: 'chi', line: 2 },
    ]);
    expect(indexPolyglot('a.go', 'package a\ntype API struct {\n\tStock *inv.StockResource `json:"s"`\n\tA, B int\n}', 'go').classes[0]!.fields).toEqual([
      { name: 'Stock', type: 'StockResource' },
      { name: 'A', type: 'int' },
      { name: 'B', type: 'int' },
    ]);
    expect(find(ix, 'Subrouter')).toMatchObject({ receiver: 0, assigned: ['api'], fn: 'routes' });
    expect(find(ix, 'r.PathPrefix').args).toEqual([
      {
        k: 'concat',
        parts: [
          { k: 'name', path: ['base'] },
          { k: 'str', v: '/sensors' },
        ],
      },
    ]);
    expect(find(ix, 'Methods')).toMatchObject({ receiver: 2, line: 12 });
    expect(find(ix, 'r.Get').within).toBe(4);
    expect(ix.assigns.map((a) => [a.name.join('.'), a.value.k])).toEqual([
      ['base', 'str'],
      ['api', 'call'],
      ['methods', 'list'],
    ]);
  });

  it('Java and C#: annotations on classes, methods and fields with their class; method headers are not calls', () => {
    const java = indexPolyglot(
      'src/main/java/x/OrderController.java',
      [
        '@RestController',
        '@RequestMapping("/api/" + Const.V)',
        'public class OrderController extends Base {',
        '  private static final String P = "/orders";',
        '  @Autowired private OrderService svc;',
        '  @GetMapping(value = P + "/{id}", produces = "application/json")',
        '  public ResponseEntity<Order> get(@PathVariable("id") String id) throws Exception {',
        '    return svc.find(id);',
        '  }',
        '}',
      ].join('\n'),
      'java',
    );
    expect(calls(java)).toEqual(['svc.find']);
    expect(java.annotations.map((a) => `${a.name.join('.')}→${a.target?.kind ?? ''}:${a.target?.name ?? ''}@${a.owner ?? ''}`)).toEqual([
      'RestController→class:OrderController@',
      'RequestMapping→class:OrderController@',
      'Autowired→field:svc@OrderController',
      'GetMapping→function:get@OrderController',
      'PathVariable→:@OrderController',
    ]);
    expect(java.annotations[3]!.kw[0]).toEqual({
      name: 'value',
      value: {
        k: 'concat',
        parts: [
          { k: 'name', path: ['P'] },
          { k: 'str', v: '/{id}' },
        ],
      },
    });
    expect(java.assigns).toEqual([{ name: ['P'], value: { k: 'str', v: '/orders' }, line: 4, owner: 'OrderController' }]);

    const cs = indexPolyglot(
      'Api/OrdersController.cs',
      [
        '[ApiController, Route("api/[controller]")]',
        'public class OrdersController : ControllerBase {',
        '  [HttpGet("{id}")] public IActionResult Get(int id) { return Ok(); }',
        '}',
        'var g = app.MapGroup("/todos");',
        'g.MapGet("/", () => Results.Ok());',
      ].join('\n'),
      'csharp',
    );
    expect(cs.annotations.map((a) => `${a.name.join('.')}→${a.target?.name ?? ''}`)).toEqual([
      'ApiController→OrdersController',
      'Route→OrdersController',
      'HttpGet→Get',
    ]);
    expect(calls(cs)).toEqual(['Ok', 'app.MapGroup', 'g.MapGet', 'Results.Ok']);
    expect(find(cs, 'g.MapGet').args[1]).toEqual({ k: 'fn' });
  });

  it('PHP and Kotlin: groups by closures and trailing lambdas', () => {
    const php = indexPolyglot(
      'routes/api.php',
      "<?php\nRoute::prefix('v1')->middleware(['auth'])->group(function () {\n  Route::get('/u/{id}', [C::class, 'show']);\n});",
      'php',
    );
    expect(calls(php)).toEqual(['Route.prefix', 'middleware', 'group', 'Route.get']);
    expect(find(php, 'Route.get').within).toBe(2);
    const kt = indexPolyglot(
      'App.kt',
      'fun Application.module() {\n  routing {\n    route("/api") {\n      get("/x/{id}") { call.respond("ok") }\n    }\n  }\n}',
      'kotlin',
    );
    expect(kt.calls.map((c) => `${c.callee.join('.')}<${c.within ?? ''}`)).toEqual(['routing<', 'route<0', 'get<1', 'call.respond<2']);
  });

  it('C# and Java: a method whose `{` is on its own line is a function, `object` returning methods are not classes', () => {
    const cs = indexPolyglot(
      'Startup.cs',
      [
        'public class Startup',
        '{',
        '    public void Configure(IApplicationBuilder app)',
        '    {',
        '        app.UseEndpoints(endpoints => { endpoints.MapGet("/", h); });',
        '    }',
        '    [HttpGet("x")]',
        '    public object Monthly(int year) => store.Monthly(year);',
        '}',
      ].join('\n'),
      'csharp',
    );
    expect(cs.functions.map((f) => `${f.owner}.${f.name}`)).toEqual(['Startup.Configure']);
    expect(find(cs, 'endpoints.MapGet')).toMatchObject({ fn: 'Configure', owner: 'Startup', within: 0 });
    expect(cs.annotations[0]!.target).toEqual({ kind: 'function', name: 'Monthly', line: 8 });
  });

  // The review's hostile inputs: each took over 40 s before its fix (every `=` rescanned the rest of the statement).
  it('reads a statement of 100,000 chained assignments in one walk', { timeout: 15_000 }, () => {
    const ix = indexPolyglot('chain.py', `${'a = '.repeat(100_000)}1\n`, 'python');
    expect(ix.assigns).toHaveLength(1);
  });

  it('reads deeply nested text without overflowing the stack', () => {
    const deep = `x = ${'['.repeat(20_000)}1${']'.repeat(20_000)}\nf(${'('.repeat(5000)}`;
    const ix = indexPolyglot('deep.py', deep, 'python');
    expect(ix.assigns[0]!.name).toEqual(['x']);
  });
});
