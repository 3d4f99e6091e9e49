/**
 * Routes of Python (FastAPI, Flask, aiohttp, Django and REST framework) and Go (net/http, gorilla,
 * chi, gin) on the polyglot index: prefixes from other modules, mounts, routers returned by methods
 * or handed to functions, and what is not a route.
 */
import { describe, expect, it } from 'vitest';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import { polyglotLanguageOf } from '../../../src/analysis/polyglot/lex.js';
import type { Found } from '../types.js';
import { regexRoute } from './django.js';
import { goEndpoints } from './go.js';
import { Program } from './program.js';
import { pythonEndpoints } from './python.js';

const program = (files: Record<string, string>): Program =>
  new Program(Object.entries(files).map(([f, text]) => indexPolyglot(f, text, polyglotLanguageOf(f)!)));
const routes = (found: Found[]): string[] => found.map((f) => `${f.method} ${f.path}`).sort();

describe('Python routes', () => {
  it('FastAPI: a settings attribute in another module as the prefix, routers with their own prefix, included twice over', () => {
    const found = pythonEndpoints(
      program({
        'app/core/config.py': 'class Settings(BaseSettings):\n    API_V1_STR: str = "/api/v1"\n\nsettings = Settings()\n',
        'app/main.py':
          'from fastapi import FastAPI\nfrom app.api.main import api_router\nfrom app.core.config import settings\napp = FastAPI()\napp.include_router(api_router, prefix=settings.API_V1_STR)\n',
        'app/api/main.py':
          'from fastapi import APIRouter\nfrom app.api.routes import items\napi_router = APIRouter()\napi_router.include_router(items.router)\n',
        'app/api/routes/items.py': [
          'from fastapi import APIRouter',
          'PREFIX = "/by-id"',
          'router = APIRouter(prefix="/items")',
          '@router.get("/{id}")',
          'def read(id: int): ...',
          '@router.api_route("/", methods=["POST", "PUT"])',
          'def write(): ...',
          '@router.get(f"{PREFIX}/{{item_id}}")',
          'def by_id(item_id: int): ...',
          '@router.websocket("/live")',
          'async def live(ws): ...',
        ].join('\n'),
        'app/api/routes/unused.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/never")\n@router.get("/x")\ndef x(): ...\n',
      }),
    );
    expect(routes(found)).toEqual([
      'GET /api/v1/items/:id',
      'GET /api/v1/items/by-id/:item_id',
      'POST /api/v1/items',
      'PUT /api/v1/items',
      'WS /api/v1/items/live',
    ]);
    expect(found.find((f) => f.method === 'GET')?.more).toEqual([
      { file: 'app/main.py', line: 5 },
      { file: 'app/api/main.py', line: 4 },
    ]);
  });

  it('Flask: an application factory, blueprints with their own prefix or the one they are registered with, GET by default', () => {
    const found = pythonEndpoints(
      program({
        'acc/__init__.py':
          'from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    from acc.auth import bp as auth_bp\n    app.register_blueprint(auth_bp, url_prefix="/auth")\n    from acc.api import bp\n    app.register_blueprint(bp)\n    @app.route("/ping")\n    def ping():\n        return "pong"\n    return app\n',
        'acc/auth/__init__.py': 'from flask import Blueprint\nbp = Blueprint("auth", __name__, url_prefix="/replaced")\n',
        'acc/auth/routes.py': 'from acc.auth import bp\n@bp.route("/login", methods=["GET", "POST"])\ndef login(): ...\n',
        'acc/api/__init__.py':
          'from flask import Blueprint\nbp = Blueprint("api", __name__, url_prefix="/api")\n@bp.delete("/users/<int:user_id>")\ndef delete(user_id): ...\n',
      }),
    );
    expect(routes(found)).toEqual(['DELETE /api/users/:user_id', 'GET /auth/login', 'GET /ping', 'POST /auth/login']);
  });

  it('Django and REST framework: includes, a router’s viewset by its mixins and actions, generic and function views, admin left out', () => {
    const found = pythonEndpoints(
      program({
        'site/urls.py':
          'from django.urls import include, path\nurlpatterns = [\n    path("admin/", admin.site.urls),\n    path("api/", include("shop.urls")),\n]\n',
        'shop/urls.py': [
          'from rest_framework.routers import SimpleRouter',
          'from shop import views',
          'router = SimpleRouter()',
          'router.register(r"orders", views.OrderViewSet)',
          'urlpatterns = [',
          '    path("", include(router.urls)),',
          '    re_path(r"^carts/(?P<cart_id>[0-9]+)/?$", views.CartView.as_view()),',
          '    url(r"^search/(\\w+)$", views.search),',
          '    path("health/", views.health),',
          ']',
        ].join('\n'),
        'shop/views.py': [
          'class OrderViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):',
          '    lookup_field = "ref"',
          '    def retrieve(self, request, ref=None): ...',
          '    @action(detail=True, methods=["post"])',
          '    def refund(self, request, ref=None): ...',
          'class CartView(generics.RetrieveDestroyAPIView):',
          '    pass',
          '@require_http_methods(["GET", "HEAD"])',
          'def health(request): ...',
        ].join('\n'),
      }),
    );
    expect(routes(found)).toEqual([
      'DELETE /api/carts/:cart_id/',
      'DELETE /api/orders/:ref/',
      'GET /api/carts/:cart_id/',
      'GET /api/health/',
      'GET /api/orders/',
      'GET /api/orders/:ref/',
      'HEAD /api/health/',
      'POST /api/orders/:ref/refund/',
    ]);
    expect(regexRoute('^a/(?P<id>[^/.]+)/b/?$')).toBe('a/<id>/b/');
    expect(regexRoute('^search/(\\w+)$')).toBeUndefined();
  });
});

describe('hostile route graphs', () => {
  it('1,000 routers each included in the next, each with a route: chains worked out once per router, 32 mounts deep at most, whatever the order', {
    timeout: 15_000,
  }, () => {
    const make = (order: number[]): Found[] => {
      const lines = ['from fastapi import FastAPI, APIRouter', 'app = FastAPI()'];
      for (const i of order) lines.push(`r${i} = APIRouter(prefix="/p${i}")`, `@r${i}.get("/r${i}")`, `def h${i}(): ...`);
      lines.push('app.include_router(r0)');
      for (let i = 0; i < 999; i++) lines.push(`r${i}.include_router(r${i + 1})`);
      return pythonEndpoints(program({ 'app/main.py': lines.join('\n') }));
    };
    const forward = [...Array(1000).keys()];
    const found = make(forward);
    expect(found.some((f) => f.path === '/p0/r0')).toBe(true);
    expect(found.some((f) => f.path === '/p0/p1/r1')).toBe(true);
    // r0 is one mount from the app; r31, 32 mounts from it, is the deepest served.
    expect(found.map((f) => f.path.split('/').length).sort((a, b) => b - a)[0]).toBe(34);
    expect(routes(make([...forward].reverse()))).toEqual(routes(found));
  });
});

describe('Go routes', () => {
  it('chi: routers returned by methods, found through the receiver’s struct field and the package a value came from; Route closures', () => {
    const found = goEndpoints(
      program({
        'api/api.go': [
          'package api',
          'import (',
          '\t"github.com/go-chi/chi/v5"',
          '\t"github.com/acme/x/admin"',
          ')',
          'func New() *chi.Mux {',
          '\tadminAPI, err := admin.NewAPI()',
          '\torders := &OrderResource{}',
          '\tr := chi.NewRouter()',
          '\tr.Mount("/admin", adminAPI.Router())',
          '\tr.Mount("/orders", orders.router())',
          '\treturn r',
          '}',
        ].join('\n'),
        'api/orders.go':
          'package api\nimport "github.com/go-chi/chi/v5"\nfunc (rs *OrderResource) router() *chi.Mux {\n\tr := chi.NewRouter()\n\tr.Get("/", rs.list)\n\tr.Route("/{id}", func(r chi.Router) {\n\t\tr.Delete("/", rs.cancel)\n\t})\n\treturn r\n}\n',
        'admin/admin.go': [
          'package admin',
          'import "github.com/go-chi/chi/v5"',
          'type API struct {',
          '\tStock *StockResource',
          '}',
          'func (a *API) Router() *chi.Mux {',
          '\tr := chi.NewRouter()',
          '\tr.Mount("/stock", a.Stock.router())',
          '\treturn r',
          '}',
          'func (s *StockResource) router() *chi.Mux {',
          '\tr := chi.NewRouter()',
          '\tr.Put("/{sku}", s.adjust)',
          '\treturn r',
          '}',
        ].join('\n'),
        'other/other.go':
          'package other\nimport "github.com/go-chi/chi/v5"\nfunc (o *Other) Router() *chi.Mux {\n\tr := chi.NewRouter()\n\tr.Get("/elsewhere", o.x)\n\treturn r\n}\n',
      }),
    );
    expect(routes(found).filter((r) => !r.includes('elsewhere'))).toEqual(['DELETE /orders/:id', 'GET /orders', 'PUT /admin/stock/:sku']);
  });

  it("chi: the path its Heartbeat middleware answers is a GET route of the router it is used on; another package's Heartbeat is not", () => {
    const found = goEndpoints(
      program({
        'cmd/api/routes.go': [
          'package main',
          'import (',
          '\t"net/http"',
          '\t"github.com/go-chi/chi/v5"',
          '\t"github.com/go-chi/chi/v5/middleware"',
          ')',
          'func (app *Config) routes() http.Handler {',
          '\tmux := chi.NewRouter()',
          '\tmux.Use(middleware.Heartbeat("/ping"))',
          '\tmux.Post("/send", app.SendMail)',
          '\treturn mux',
          '}',
        ].join('\n'),
        'internal/beat/beat.go': [
          'package beat',
          'import (',
          '\t"github.com/go-chi/chi/v5"',
          '\t"github.com/acme/x/middleware"',
          ')',
          'func New() *chi.Mux {',
          '\tr := chi.NewRouter()',
          '\tr.Use(middleware.Heartbeat("/alive"))',
          '\treturn r',
          '}',
        ].join('\n'),
      }),
    );
    expect(routes(found)).toEqual(['GET /ping', 'POST /send']);
    expect(found.find((f) => f.path === '/ping')).toMatchObject({ file: 'cmd/api/routes.go', line: 9, framework: 'chi' });
  });

  it('gin groups handed to functions in another package; gorilla subrouters, Methods and http.Method constants; Go 1.22 patterns', () => {
    const found = goEndpoints(
      program({
        'main.go': [
          'package main',
          'import (',
          '\t"net/http"',
          '\t"github.com/gin-gonic/gin"',
          '\t"github.com/gorilla/mux"',
          '\t"github.com/acme/ship/routes"',
          ')',
          'func main() {',
          '\tr := gin.Default()',
          '\tv1 := r.Group("/api/v1")',
          '\troutes.RegisterQuotes(v1.Group("/quotes"))',
          '\tm := mux.NewRouter().StrictSlash(true)',
          '\tapi := m.PathPrefix("/v2").Subrouter()',
          '\tapi.HandleFunc("/items/{id:[0-9]+}", get).Methods(http.MethodGet, http.MethodHead)',
          '\thttp.HandleFunc("POST /hooks/{name}", hook)',
          '\tc.Get("user")',
          '\tstore := cache.New(5, 10)',
          '\tstore.Get("/users/1", nil)',
          '\tclient := &http.Client{}',
          '\tclient.Post("/x", "application/json", nil)',
          '\thttp.Post("/upload", "application/json", body)',
          '}',
        ].join('\n'),
        'routes/routes.go': 'package routes\nimport "github.com/gin-gonic/gin"\nfunc RegisterQuotes(g *gin.RouterGroup) {\n\tg.POST("/", quote)\n}\n',
      }),
    );
    expect(routes(found)).toEqual(['GET /v2/items/:id', 'POST /api/v1/quotes', 'POST /hooks/:name']);
  });

  it('echo: a router made by another package and grouped in a file that imports no router package; a group’s own path ("")', () => {
    const found = goEndpoints(
      program({
        'router/router.go': 'package router\nimport "github.com/labstack/echo/v4"\nfunc New() *echo.Echo {\n\te := echo.New()\n\treturn e\n}\n',
        'main.go':
          'package main\nimport (\n\t"github.com/acme/app/router"\n\t"github.com/acme/app/handler"\n)\nfunc main() {\n\tr := router.New()\n\tv1 := r.Group("/api")\n\th := handler.New()\n\th.Register(v1)\n\tcache.Get("/not-a-route", x)\n}\n',
        'handler/routes.go':
          'package handler\nimport "github.com/labstack/echo/v4"\nfunc (h *Handler) Register(v1 *echo.Group) {\n\tusers := v1.Group("/users")\n\tusers.POST("", h.SignUp)\n\tusers.GET("/:id", h.Get)\n}\n',
      }),
    );
    expect(routes(found)).toEqual(['GET /api/users/:id', 'POST /api/users']);
  });
});
