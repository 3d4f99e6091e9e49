/**
 * Routes of PHP on the polyglot index: Laravel (routes files under their prefix, groups by prefix,
 * middleware and arrays, resources, the auth middleware), Slim groups and Symfony attributes.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import type { Found } from '../types.js';
import { phpEndpoints } from './php.js';
import { Program } from './program.js';

const program = (files: Record<string, string>): Program => new Program(Object.entries(files).map(([f, text]) => indexPolyglot(f, text, 'php')));
const routes = (found: Found[]): string[] => found.map((f) => `${f.method} ${f.path}${f.mechanisms.length ? ` [${f.mechanisms.join(',')}]` : ''}`).sort();

const API = [
  '<?php',
  'use Illuminate\\Support\\Facades\\Route;',
  "Route::get('products', [ProductController::class, 'index'])->name('products.index');",
  "Route::apiResource('products.reviews', ReviewController::class)->only(['index', 'store']);",
  "Route::middleware('auth:sanctum')->group(function () {",
  "    Route::match(['put', 'patch'], 'cart/items/{item}', [CartController::class, 'update']);",
  "    Route::prefix('admin')->name('admin.')->group(function () {",
  "        Route::delete('products/{product}', [ProductController::class, 'destroy']);",
  '    });',
  '});',
  "Route::group(['prefix' => 'webhooks', 'middleware' => ['throttle:60,1']], function () {",
  "    Route::post('payments', WebhookController::class);",
  '});',
  "Route::get('user', fn () => 1)->middleware('auth');",
  "Route::view('/terms', 'legal.terms');",
  "Route::redirect('/home', '/dashboard');",
].join('\n');

describe('PHP routes', () => {
  it('Laravel: routes/api.php under /api by default, groups, resources, auth middleware; web.php at the root', () => {
    const found = phpEndpoints(
      program({
        'routes/api.php': API,
        'routes/web.php':
          "<?php\nRoute::get('/', function () { return view('welcome'); });\nRoute::resource('photos', PhotoController::class)->except(['create', 'edit']);",
        'app/Http/Controllers/CartController.php': "<?php\nclass CartController { public function add() { return Http::get('/stock/x'); } }",
      }),
    );
    expect(routes(found)).toEqual([
      'ALL /api/home',
      'DELETE /api/admin/products/:product [auth:sanctum]',
      'DELETE /photos/:photo',
      'GET /',
      'GET /api/products',
      'GET /api/products/:product/reviews',
      'GET /api/terms',
      'GET /api/user [auth]',
      'GET /photos',
      'GET /photos/:photo',
      'PATCH /api/cart/items/:item [auth:sanctum]',
      'PATCH /photos/:photo',
      'POST /api/products/:product/reviews',
      'POST /api/webhooks/payments',
      'POST /photos',
      'PUT /api/cart/items/:item [auth:sanctum]',
      'PUT /photos/:photo',
    ]);
  });

  it('Laravel: the prefix RouteServiceProvider or bootstrap/app.php gives', () => {
    const provider =
      "<?php\nclass RouteServiceProvider {\n  public function boot() {\n    $this->routes(function () {\n      Route::middleware('api')\n        ->prefix('api/v2')\n        ->group(base_path('routes/api.php'));\n    });\n  }\n}";
    const one = "<?php\nRoute::get('ping', fn () => 'pong');";
    expect(routes(phpEndpoints(program({ 'app/Providers/RouteServiceProvider.php': provider, 'routes/api.php': one })))).toEqual(['GET /api/v2/ping']);
    const boot =
      "<?php\nreturn Application::configure(basePath: dirname(__DIR__))\n  ->withRouting(\n    api: __DIR__.'/../routes/api.php',\n    apiPrefix: 'api/v1',\n    health: '/up',\n  )->create();";
    expect(routes(phpEndpoints(program({ 'bootstrap/app.php': boot, 'routes/api.php': one })))).toEqual(['GET /api/v1/ping', 'GET /up']);
  });

  it('Slim groups and Symfony attributes; an HTTP client’s get is no route', () => {
    const slim = [
      '<?php',
      '$app = AppFactory::create();',
      "$app->get('/health', function ($req, $res) { return $res; });",
      "$app->group('/users', function (RouteCollectorProxy $group) {",
      "    $group->get('', ListUsers::class);",
      "    $group->map(['GET', 'DELETE'], '/{id}', UserAction::class);",
      '});',
      "$client->get('/remote/x', []);",
    ].join('\n');
    const symfony = [
      '<?php',
      "#[Route('/api')]",
      'class RatingsController extends AbstractController {',
      "    #[Route('/rate/{sku}', methods: ['PUT'])]",
      '    public function rate(string $sku): Response { return $this->json([]); }',
      '}',
    ].join('\n');
    expect(routes(phpEndpoints(program({ 'public/index.php': slim, 'src/Controller/RatingsController.php': symfony })))).toEqual([
      'DELETE /users/:id',
      'GET /health',
      'GET /users',
      'GET /users/:id',
      'PUT /api/rate/:sku',
    ]);
  });
});

describe('Symfony docblock annotations', () => {
  it('reads @Route in docblocks from the file text: class prefix, methods, an invokable controller', () => {
    const files: Record<string, string> = {
      'src/Controller/RatingsApiController.php': [
        '<?php',
        'use Symfony\\Component\\Routing\\Annotation\\Route;',
        '/**',
        ' * @Route("/api")',
        ' */',
        'class RatingsApiController {',
        '    /**',
        '     * @var Service',
        '     */',
        '    private $s;',
        '    /**',
        '     * @Route(path="/rate/{sku}/{score}", methods={"PUT"})',
        '     */',
        '    public function put(string $sku, int $score): Response {}',
        '    /**',
        '     * @Route(methods={"GET", "HEAD"}, path="/fetch/{sku}")',
        '     */',
        '    public function get(string $sku): Response {}',
        '}',
      ].join('\n'),
      'src/Controller/HealthController.php': [
        '<?php',
        'use Symfony\\Component\\Routing\\Annotation\\Route;',
        '/**',
        ' * @Route("/_health")',
        ' */',
        'class HealthController {',
        '    public function __invoke(Request $r) {}',
        '}',
      ].join('\n'),
    };
    const ctx = { files: Object.keys(files), read: (f: string) => files[f] } as unknown as AnalyzerContext;
    const found = phpEndpoints(program(files), ctx);
    expect(routes(found)).toEqual(['ALL /_health', 'GET /api/fetch/:sku', 'HEAD /api/fetch/:sku', 'PUT /api/rate/:sku/:score']);
    expect(found.find((f) => f.method === 'PUT')).toMatchObject({ line: 14, handler: 'put', framework: 'symfony' });
  });
});
