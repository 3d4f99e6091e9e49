/**
 * Django and Django REST framework routes as Django resolves them: the root URLconf, every way a
 * module's `urlpatterns` is built and included, routers and what their viewsets really serve, and the
 * permission classes that guard each route.
 */
import { describe, expect, it } from 'vitest';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import type { Found } from '../types.js';
import { djangoEndpoints } from './django.js';
import { Program } from './program.js';

const run = (files: Record<string, string | string[]>): Found[] => {
  const indexes = Object.entries(files).map(([f, text]) => indexPolyglot(f, Array.isArray(text) ? text.join('\n') : text, 'python'));
  return djangoEndpoints(new Program(indexes), indexes);
};
const routes = (found: Found[]): string[] => found.map((f) => `${f.method} ${f.path}`).sort();
const auth = (found: Found[], route: string): string => {
  const f = found.find((x) => `${x.method} ${x.path}` === route);
  return f ? (f.optOut ? 'public' : f.mechanisms.join(', ') || 'unknown') : 'missing';
};

describe('the index reads how urlpatterns are built', () => {
  it('`+=` statements apart from bindings, and lists joined with `+`', () => {
    const ix = indexPolyglot(
      'shop/urls.py',
      ['urlpatterns = [path("a/", v)] + router.urls + extra', 'urlpatterns += router.urls', 'total = count + 1', 'def f():', '    n += 1'].join('\n'),
      'python',
    );
    expect(ix.assigns.map((a) => [a.name.join('.'), a.value.k])).toEqual([
      ['urlpatterns', 'concat'],
      ['total', 'other'],
    ]);
    const joined = ix.assigns[0]!.value;
    expect(joined.k === 'concat' ? joined.parts.map((p) => p.k) : []).toEqual(['list', 'name', 'name']);
    expect(ix.augments.map((a) => [a.name.join('.'), a.value, a.fn])).toEqual([
      ['urlpatterns', { k: 'name', path: ['router', 'urls'] }, undefined],
      ['n', { k: 'other', text: '1' }, 'f'],
    ]);
  });
});

describe('Django URL resolution', () => {
  const views = [
    'from rest_framework import generics, mixins, viewsets',
    'from rest_framework.decorators import action',
    'class CourseViewSet(viewsets.ModelViewSet):',
    '    queryset = Course.objects.all()',
    'class MemberViewSet(viewsets.ModelViewSet):',
    '    pass',
    'class LessonList(generics.ListAPIView):',
    '    pass',
    'class LessonCreate(generics.CreateAPIView):',
    '    pass',
  ];

  it('a router at the empty prefix after `urlpatterns +=`, `[…] + router.urls`, a DefaultRouter root, drf-yasg views, the settings’ root URLconf', () => {
    const found = run({
      'config/settings.py': 'ROOT_URLCONF = "config.urls"\n',
      'config/urls.py': [
        'from django.urls import include, path',
        'from drf_yasg.views import get_schema_view',
        'schema_view = get_schema_view(openapi.Info(title="API", default_version="v1"), public=True)',
        'urlpatterns = [',
        '    path("admin/", admin.site.urls),',
        '    path("lms/", include("lms.urls", namespace="lms")),',
        '    path("users/", include("users.urls")),',
        '    path("swagger/", schema_view.with_ui("swagger", cache_timeout=0)),',
        '    path("swagger.json", schema_view.without_ui(cache_timeout=0)),',
        ']',
      ],
      'lms/urls.py': [
        'from rest_framework.routers import SimpleRouter',
        'from lms.views import CourseViewSet, LessonList',
        'router = SimpleRouter()',
        'router.register("", CourseViewSet)',
        'urlpatterns = [',
        '    path("lessons/", LessonList.as_view()),',
        ']',
        'urlpatterns += router.urls',
      ],
      'users/urls.py': [
        'from rest_framework.routers import DefaultRouter',
        'from lms.views import MemberViewSet, LessonCreate',
        'router = DefaultRouter()',
        'router.register(r"user", MemberViewSet, basename="user")',
        'urlpatterns = [path("payment/create/", LessonCreate.as_view())] + router.urls',
      ],
      'lms/views.py': views,
      // Not included by the root URLconf: Django never serves it.
      'lms/old_urls.py': ['from lms.views import LessonList', 'urlpatterns = [path("old/", LessonList.as_view())]'],
      // A test settings module names another root, which the application does not use.
      'tests/settings.py': 'ROOT_URLCONF = "lms.old_urls"\n',
    });
    expect(routes(found)).toEqual([
      'DELETE /lms/:pk/',
      'DELETE /users/user/:pk/',
      'GET /lms/',
      'GET /lms/:pk/',
      'GET /lms/lessons/',
      'GET /swagger.json',
      'GET /swagger/',
      'GET /users/',
      'GET /users/user/',
      'GET /users/user/:pk/',
      'PATCH /lms/:pk/',
      'PATCH /users/user/:pk/',
      'POST /lms/',
      'POST /users/payment/create/',
      'POST /users/user/',
      'PUT /lms/:pk/',
      'PUT /users/user/:pk/',
    ]);
    const list = found.find((f) => f.method === 'GET' && f.path === '/lms/')!;
    expect([list.file, list.line, list.more]).toEqual([
      'lms/views.py',
      3,
      [
        { file: 'config/urls.py', line: 6 },
        { file: 'lms/urls.py', line: 4 },
      ],
    ]);
  });

  it('without a root URLconf in the settings, every URLconf no other includes is a root', () => {
    const found = run({
      'site/urls.py': 'urlpatterns = [path("api/", include("shop.urls"))]\n',
      'shop/urls.py': 'from shop.views import ping\nurlpatterns = [path("ping/", ping)]\n',
      'shop/views.py': '@require_GET\ndef ping(request): ...\n',
    });
    expect(routes(found)).toEqual(['GET /api/ping/']);
  });

  it('with a root URLconf, one nobody includes is still served where an include cannot be read', () => {
    const files = {
      'site/settings.py': 'ROOT_URLCONF = "site.urls"\n',
      'site/urls.py':
        'import debug_toolbar\nfrom django.contrib import admin\nurlpatterns = [path("api/", include("shop.urls")), url(r"^admin/", include(admin.site.urls))]\nurlpatterns = [path("__debug__/", include(debug_toolbar.urls))] + urlpatterns\n',
      'shop/urls.py': 'from shop.views import ping\nurlpatterns = [path("ping/", ping)]\n',
      'blog/urls.py': 'from shop.views import ping\nurlpatterns = [path("posts/", ping)]\n',
      'shop/views.py': '@require_GET\ndef ping(request): ...\n',
    };
    expect(routes(run(files))).toEqual(['GET /api/ping/']);
    const dynamic = {
      ...files,
      'site/urls.py': 'urlpatterns = [path("api/", include("shop.urls"))]\nfor app in APPS:\n    urlpatterns.append(path(f"{app}/", include(f"{app}.urls")))\n',
    };
    expect(routes(run(dynamic))).toEqual(['GET /api/ping/', 'GET /posts/']);
  });

  it('includes of an imported module, a (patterns, namespace) tuple, an inline list and a name bound to patterns; extend, append and format_suffix_patterns', () => {
    const found = run({
      'site/settings.py': 'ROOT_URLCONF = "site.urls"\n',
      'site/urls.py': [
        'from django.urls import include, path',
        'from shop import urls as shop_urls',
        'from shop.views import health, OrderViewSet',
        'order_list = OrderViewSet.as_view({"get": "list", "post": "create"})',
        'v2 = [path("orders/", order_list)]',
        'urlpatterns = [',
        '    path("shop/", include(shop_urls)),',
        '    path("v1/", include((shop_urls.urlpatterns, "shop"), namespace="v1")),',
        '    path("v2/", include(v2)),',
        '    path("misc/", include([path("health/", csrf_exempt(health))])),',
        ']',
        'urlpatterns.append(path("about/", TemplateView.as_view(template_name="about.html")))',
        'urlpatterns.extend([path("accounts/", include("django.contrib.auth.urls"))])',
        'urlpatterns += i18n_patterns(path("pages/", include("shop.urls")), prefix_default_language=False)',
      ],
      'shop/urls.py': [
        'from rest_framework.urlpatterns import format_suffix_patterns',
        'from shop import views',
        'urlpatterns = format_suffix_patterns([',
        '    re_path(r"^carts/(?P<cart_id>[0-9]+)/?$", views.CartView.as_view()),',
        '    path("search/", views.search),',
        '])',
      ],
      'shop/views.py': [
        'class CartView(APIView):',
        '    def get(self, request, cart_id): ...',
        '    def delete(self, request, cart_id): ...',
        '@api_view()',
        'def search(request): ...',
        '@api_view(["GET", "POST"])',
        'def health(request): ...',
        'class OrderViewSet(viewsets.ModelViewSet):',
        '    pass',
      ],
    });
    expect(routes(found)).toEqual([
      'DELETE /:language_code/pages/carts/:cart_id/',
      'DELETE /pages/carts/:cart_id/',
      'DELETE /shop/carts/:cart_id/',
      'DELETE /v1/carts/:cart_id/',
      'GET /:language_code/pages/carts/:cart_id/',
      'GET /:language_code/pages/search/',
      'GET /about/',
      'GET /misc/health/',
      'GET /pages/carts/:cart_id/',
      'GET /pages/search/',
      'GET /shop/carts/:cart_id/',
      'GET /shop/search/',
      'GET /v1/carts/:cart_id/',
      'GET /v1/search/',
      'GET /v2/orders/',
      'POST /misc/health/',
      'POST /v2/orders/',
    ]);
  });

  it('viewsets: mixins, lookups, @action with url_path and mapping, no trailing slash, nested routers, merged registries', () => {
    const found = run({
      'api/urls.py': [
        'from rest_framework import routers',
        'from rest_framework_nested.routers import NestedSimpleRouter',
        'from api import views',
        'from library.urls import router as library_router',
        'router = routers.DefaultRouter(trailing_slash=False)',
        'router.register("books", views.BookViewSet)',
        'router.register(r"authors/(?P<author_id>[0-9]+)/awards", views.AwardViewSet)',
        'router.registry.extend(library_router.registry)',
        'chapters = NestedSimpleRouter(router, r"books", lookup="book")',
        'chapters.register(r"chapters", views.ChapterViewSet, basename="book-chapters")',
        'urlpatterns = [path("api/", include(router.urls)), path("api/", include(chapters.urls))]',
      ],
      'library/urls.py': ['router = SimpleRouter()', 'router.register("shelves", ShelfViewSet)'],
      'api/views.py': [
        'class BookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):',
        '    lookup_field = "isbn"',
        '    lookup_url_kwarg = "book_isbn"',
        '    @action(detail=True, methods=["post"], url_path="withdraw")',
        '    def withdraw(self, request, book_isbn=None): ...',
        '    @withdraw.mapping.delete',
        '    def reinstate(self, request, book_isbn=None): ...',
        '    @action(detail=False)',
        '    def recent(self, request): ...',
        'class ChapterViewSet(viewsets.ReadOnlyModelViewSet):',
        '    pass',
        'class AwardViewSet(viewsets.ViewSet):',
        '    def list(self, request, author_id): ...',
        '    @action(detail=False, url_path=r"year/(?P<year>[0-9]{4})")',
        '    def by_year(self, request, author_id, year): ...',
        'class ShelfViewSet(viewsets.ViewSet):',
        '    def list(self, request): ...',
      ],
    });
    expect(routes(found)).toEqual([
      'DELETE /api/books/:book_isbn/withdraw',
      'GET /api/',
      'GET /api/authors/:author_id/awards',
      'GET /api/authors/:author_id/awards/year/:year',
      'GET /api/books',
      'GET /api/books/:book_isbn',
      'GET /api/books/:book_pk/chapters/',
      'GET /api/books/:book_pk/chapters/:pk/',
      'GET /api/books/recent',
      'GET /api/shelves',
      'POST /api/books/:book_isbn/withdraw',
    ]);
  });

  it('a router chosen by a condition as a module’s whole urlpatterns, views by keyword and bound names, library token views', () => {
    const found = run({
      'config/settings.py': 'ROOT_URLCONF = "config.urls"\n',
      'config/urls.py': [
        'from rest_framework.authtoken.views import obtain_auth_token',
        'urlpatterns = [path("accounts/", include("members.urls", namespace="members"))]',
        'urlpatterns += [path("api/", include("config.api_router")), path("api/auth-token/", obtain_auth_token)]',
      ],
      'config/api_router.py': [
        'from members.api.views import MemberViewSet',
        'router = DefaultRouter() if settings.DEBUG else SimpleRouter()',
        'router.register("members", MemberViewSet)',
        'urlpatterns = router.urls',
      ],
      'members/api/views.py': ['class MemberViewSet(RetrieveModelMixin, ListModelMixin, GenericViewSet):', '    lookup_field = "username"'],
      'members/urls.py': ['from .views import member_detail_view', 'urlpatterns = [path("<str:username>/", view=member_detail_view, name="detail")]'],
      'members/views.py': ['class MemberDetailView(LoginRequiredMixin, DetailView):', '    model = Member', 'member_detail_view = MemberDetailView.as_view()'],
    });
    expect(found.map((f) => `${f.method} ${f.path} ${f.optOut ? 'public' : f.mechanisms.join(', ')}`).sort()).toEqual([
      'GET /accounts/:username/ LoginRequiredMixin',
      'GET /api/ ',
      'GET /api/members/ ',
      'GET /api/members/:username/ ',
      'POST /api/auth-token/ public',
    ]);
  });

  it('permission classes: the view’s, a base’s, as_view’s, a decorator’s, the settings’ default, read-only ones per method, get_permissions', () => {
    const found = run({
      'proj/settings.py': ['ROOT_URLCONF = "proj.urls"', 'REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}'],
      'proj/urls.py': [
        'from proj import views',
        'from rest_framework_simplejwt.views import TokenObtainPairView',
        'router = DefaultRouter()',
        'router.register("notes", views.NoteViewSet)',
        'router.register("tags", views.TagViewSet)',
        'urlpatterns = [',
        '    path("token/", TokenObtainPairView.as_view()),',
        '    path("signup/", views.SignUp.as_view(permission_classes=[AllowAny])),',
        '    path("stats/", views.Stats.as_view()),',
        '    path("status/", views.status),',
        '    path("me/", views.Me.as_view()),',
        '    path("dashboard/", login_required(views.dashboard)),',
        '] + router.urls',
      ],
      'proj/views.py': [
        'class Base(APIView):',
        '    permission_classes = [IsAdminUser]',
        'class Stats(Base):',
        '    def get(self, request): ...',
        'class SignUp(generics.CreateAPIView):',
        '    pass',
        'class Me(generics.RetrieveAPIView):',
        '    pass',
        'class NoteViewSet(viewsets.ModelViewSet):',
        '    permission_classes = (permissions.IsAuthenticatedOrReadOnly,)',
        'class TagViewSet(viewsets.ReadOnlyModelViewSet):',
        '    def get_permissions(self):',
        '        if self.action == "list":',
        '            self.permission_classes = [AllowAny]',
        '        return super().get_permissions()',
        '@api_view(["GET"])',
        '@permission_classes([AllowAny])',
        'def status(request): ...',
        'def dashboard(request): ...',
      ],
    });
    expect(
      ['POST /token/', 'POST /signup/', 'GET /stats/', 'GET /status/', 'GET /me/', 'GET /notes/', 'POST /notes/', 'GET /tags/', 'GET /', 'ALL /dashboard/'].map(
        (r) => [r, auth(found, r)],
      ),
    ).toEqual([
      ['POST /token/', 'public'],
      ['POST /signup/', 'public'],
      ['GET /stats/', 'IsAdminUser'],
      ['GET /status/', 'public'],
      ['GET /me/', 'IsAuthenticated'],
      ['GET /notes/', 'public'],
      ['POST /notes/', 'IsAuthenticatedOrReadOnly'],
      ['GET /tags/', 'get_permissions()'],
      ['GET /', 'IsAuthenticated'],
      ['ALL /dashboard/', 'login_required'],
    ]);
  });

  it('hostile URLconfs: an inline list that includes itself, and URLconfs each including the next twice, 30 deep', () => {
    const cycle = run({ 'site/urls.py': 'v = [path("x/", include(v)), path("ok/", ok)]\nurlpatterns = [path("", include(v))]\n' });
    expect(cycle.some((f) => f.path === '/ok/')).toBe(true);
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++)
      files[`m${i}/urls.py`] = `urlpatterns = [path("a/", include("m${i + 1}.urls")), path("b/", include("m${i + 1}.urls")), path("r${i}/", v)]\n`;
    files['m30/urls.py'] = 'urlpatterns = [path("end/", v)]\n';
    const started = Date.now();
    const found = run(files);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(found.some((f) => f.path === '/r0/')).toBe(true);
    expect(found.some((f) => f.path === '/a/r1/')).toBe(true);
  });
});
