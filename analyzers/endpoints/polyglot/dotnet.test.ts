/**
 * Routes of ASP.NET Core on the polyglot index: attribute-routed controllers (inherited `[Route]`,
 * `[controller]`/`[action]` tokens, absolute templates, POCO controllers, `[Authorize]` and
 * `[AllowAnonymous]`) and minimal APIs under `MapGroup` prefixes.
 */
import { describe, expect, it } from 'vitest';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import type { Found } from '../types.js';
import { dotnetEndpoints } from './dotnet.js';
import { Program } from './program.js';

const program = (files: Record<string, string>): Program => new Program(Object.entries(files).map(([f, text]) => indexPolyglot(f, text, 'csharp')));
const routes = (found: Found[]): string[] =>
  found.map((f) => `${f.method} ${f.path}${f.mechanisms.length ? ` [${f.mechanisms.join(',')}]` : ''}${f.optOut ? ' (open)' : ''}`).sort();

describe('ASP.NET Core routes', () => {
  it('controllers: inherited route, tokens, absolute templates, Allman braces, POCO controllers, authorisation', () => {
    const found = dotnetEndpoints(
      program({
        'Api/Base.cs': '[ApiController]\n[Route("api/[controller]")]\npublic abstract class ApiControllerBase : ControllerBase\n{\n}',
        'Api/PaymentsController.cs': [
          'namespace Billing.Controllers',
          '{',
          '    [Authorize]',
          '    public class PaymentsController : ApiControllerBase',
          '    {',
          '        public PaymentsController(Store s)',
          '        {',
          '            _s = s;',
          '        }',
          '        [HttpGet]',
          '        public IActionResult List()',
          '        {',
          '            return Ok();',
          '        }',
          '        [HttpGet("{id:guid}")]',
          '        public async Task<IActionResult> GetAsync(Guid id)',
          '        {',
          '            return Ok(await _s.Get(id));',
          '        }',
          '        [HttpPost("[action]"), AllowAnonymous]',
          '        public IActionResult Webhook([FromBody] Event e) => Accepted();',
          '        [HttpDelete("~/admin/payments/{id}")]',
          '        public IActionResult Purge(Guid id) { return NoContent(); }',
          '        [Route("ping")]',
          '        public string Ping() => "pong";',
          '        public IActionResult Helper() { return Ok(); }',
          '    }',
          '}',
        ].join('\n'),
        'Api/ReportsController.cs':
          '[Route("reports")]\npublic class ReportsController(Store store)\n{\n    [HttpGet("monthly/{year}/{month?}")]\n    public object Monthly(int year, int? month) => store.Monthly(year, month);\n}',
        'Areas/Admin/UsersController.cs':
          '[Area("Admin")]\n[Route("[area]/[controller]")]\npublic class UsersController : Controller\n{\n    [HttpGet("")] public IActionResult Index() => View();\n}',
        'Api/NotAController.cs': 'public class Mapper\n{\n    [HttpGet("x")]\n    public void X() {}\n}',
      }),
    );
    expect(routes(found)).toEqual([
      'ALL /api/Payments/ping [[Authorize]]',
      'DELETE /admin/payments/:id [[Authorize]]',
      'GET /Admin/Users',
      'GET /api/Payments [[Authorize]]',
      'GET /api/Payments/:id [[Authorize]]',
      'GET /reports/monthly/:year/:month',
      'POST /api/Payments/Webhook (open)',
    ]);
    expect(found.find((f) => f.path === '/api/Payments/:id')?.handler).toBe('PaymentsController.GetAsync');
  });

  it('minimal APIs: groups bound to variables and chained, MapMethods, authorisation and its opt-out', () => {
    const found = dotnetEndpoints(
      program({
        'Program.cs': [
          'var app = builder.Build();',
          'app.MapGet("/health", () => Results.Ok("ok")).AllowAnonymous();',
          'var api = app.MapGroup(Routes.Api).RequireAuthorization();',
          'api.MapGet("/invoices/{id:int}", (int id, Store s) => s.Find(id));',
          'var refunds = api.MapGroup("refunds");',
          'refunds.MapMethods("/{id}", new[] { "PUT", "PATCH" }, (int id) => Results.Ok());',
          'app.MapGroup("/v2").MapPost("/orders", Handlers.Create);',
          'app.UseEndpoints(endpoints =>',
          '{',
          '    endpoints.MapGet("/", async context => { await context.Response.WriteAsync("grpc only"); });',
          '});',
          'static class Routes { public const string Api = "/api"; }',
        ].join('\n'),
      }),
    );
    expect(routes(found)).toEqual([
      'GET /',
      'GET /api/invoices/:id [RequireAuthorization()]',
      'GET /health (open)',
      'PATCH /api/refunds/:id [RequireAuthorization()]',
      'POST /v2/orders',
      'PUT /api/refunds/:id [RequireAuthorization()]',
    ]);
  });
});

describe('ASP.NET Core routes: controllers of the same name in two services', () => {
  it('each controller keeps its own [Route]', () => {
    const found = dotnetEndpoints(
      program({
        'A/UsersController.cs':
          '[ApiController]\n[Route("a/users")]\npublic class UsersController : ControllerBase {\n  [HttpGet] public IActionResult List() => Ok();\n}',
        'B/UsersController.cs':
          '[ApiController]\n[Route("b/users")]\npublic class UsersController : ControllerBase {\n  [HttpPost] public IActionResult Add() => Ok();\n}',
      }),
    );
    expect(routes(found)).toEqual(['GET /a/users', 'POST /b/users']);
  });
});
