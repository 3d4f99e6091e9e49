/**
 * Observability and security libraries of other languages, read from their build files (direct
 * runtime dependencies only), and the TypeScript profilers, access loggers and queue dashboards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { buildDependencies } from '../../src/analysis/build-deps.js';
import type { Model } from '../../src/model/schema.js';

afterAll(removeTemps);

const GO_MOD = [
  'module example.com/orders',
  '',
  'go 1.22',
  '',
  'require (',
  '\tgithub.com/go-chi/chi/v5 v5.0.12',
  '\tgithub.com/sirupsen/logrus v1.9.3',
  '\tgithub.com/golang-jwt/jwt/v5 v5.2.1',
  '\tgithub.com/go-playground/validator/v10 v10.22.0',
  ')',
  '',
  'require (',
  '\tgithub.com/prometheus/client_golang v1.19.0 // indirect',
  '\tgo.uber.org/zap v1.27.0 // indirect',
  ')',
  '',
].join('\n');

const POM = [
  '<project>',
  '  <dependencyManagement>',
  '    <dependencies>',
  '      <dependency>',
  '        <groupId>io.zipkin.reporter2</groupId>',
  '        <artifactId>zipkin-reporter-brave</artifactId>',
  '        <version>3.4.0</version>',
  '      </dependency>',
  '    </dependencies>',
  '  </dependencyManagement>',
  '  <dependencies>',
  '    <dependency>',
  '      <groupId>org.springframework.boot</groupId>',
  '      <artifactId>spring-boot-starter-actuator</artifactId>',
  '    </dependency>',
  '    <dependency>',
  '      <groupId>io.micrometer</groupId>',
  '      <artifactId>micrometer-registry-prometheus</artifactId>',
  '      <exclusions>',
  '        <exclusion>',
  '          <groupId>ch.qos.logback</groupId>',
  '          <artifactId>logback-classic</artifactId>',
  '        </exclusion>',
  '      </exclusions>',
  '    </dependency>',
  '    <dependency>',
  '      <groupId>io.jsonwebtoken</groupId>',
  '      <artifactId>jjwt-api</artifactId>',
  '      <scope>test</scope>',
  '    </dependency>',
  '  </dependencies>',
  '</project>',
  '',
].join('\n');

describe('build-file dependencies', () => {
  it('reads direct go.mod requires, leaving out `// indirect` ones', () => {
    expect(buildDependencies('go.mod', GO_MOD).map((d) => `${d.name}@${d.line}`)).toEqual([
      'github.com/go-chi/chi/v5@6',
      'github.com/sirupsen/logrus@7',
      'github.com/golang-jwt/jwt/v5@8',
      'github.com/go-playground/validator/v10@9',
    ]);
  });
  it('reads pom dependencies at their artifactId, without managed versions, exclusions or test scope', () => {
    expect(buildDependencies('svc/pom.xml', POM).map((d) => `${d.name}@${d.line}`)).toEqual([
      'org.springframework.boot:spring-boot-starter-actuator@14',
      'io.micrometer:micrometer-registry-prometheus@18',
    ]);
  });
  it('leaves out what pip-compile says other packages brought in', () => {
    const text = [
      'structlog==24.1.0',
      '    # via -r requirements.in',
      'pydantic==2.7.0',
      '    # via',
      '    #   fastapi',
      'pyjwt==2.8.0  # via -r requirements.in',
      '',
    ].join('\n');
    expect(buildDependencies('requirements.txt', text).map((d) => d.name)).toEqual(['structlog', 'pyjwt']);
    expect(buildDependencies('requirements-dev.txt', 'pytest==8.0\n')).toEqual([]);
  });
  it('reads Gradle, csproj, composer and pyproject declarations, not their test or dev ones', () => {
    const gradle =
      'dependencies {\n    implementation("org.springframework.boot:spring-boot-starter-security")\n    testImplementation("io.jsonwebtoken:jjwt-api:0.12.5")\n}\n';
    expect(buildDependencies('build.gradle.kts', gradle).map((d) => d.name)).toEqual(['org.springframework.boot:spring-boot-starter-security']);
    const composer = JSON.stringify({ require: { 'monolog/monolog': '^3.0' }, 'require-dev': { 'sentry/sentry': '^4' } }, null, 2);
    expect(buildDependencies('composer.json', composer).map((d) => d.name)).toEqual(['monolog/monolog']);
    const py = '[project]\nname = "svc"\ndependencies = [\n  "structlog>=24",\n  "PyJWT[crypto]>=2",\n]\n[project.optional-dependencies]\ndev = ["pytest"]\n';
    expect(buildDependencies('pyproject.toml', py).map((d) => d.name)).toEqual(['structlog', 'pyjwt']);
  });
});

let m: Model;
beforeAll(async () => {
  m = await analyseRepo(
    tempRepo('polyglot-deps', {
      'orders/go.mod': GO_MOD,
      'orders/main.go': [
        'package main',
        '',
        'import (',
        '\t"github.com/gin-gonic/gin"',
        '\t"golang.org/x/crypto/bcrypt"',
        ')',
        '',
        'func main() {',
        '\tr := gin.Default()',
        '\th, _ := bcrypt.GenerateFromPassword([]byte("x"), bcrypt.DefaultCost)',
        '\t_ = h',
        '\tr.Run()',
        '}',
        '',
      ].join('\n'),
      'edge/server.go': [
        'package edge',
        '',
        'import (',
        '\t"github.com/labstack/echo/v4"',
        '\tmw "github.com/labstack/echo/v4/middleware"',
        ')',
        '',
        'func New() *echo.Echo {',
        '\te := echo.New()',
        '\te.Use(mw.Logger())',
        '\te.Use(mw.CORS())',
        '\treturn e',
        '}',
        '',
      ].join('\n'),
      'billing/pom.xml': POM,
      'billing/src/main/resources/logback-spring.xml':
        '<configuration>\n  <include resource="org/springframework/boot/logging/logback/base.xml"/>\n</configuration>\n',
      'ledger/Ledger.csproj': [
        '<Project Sdk="Microsoft.NET.Sdk.Web">',
        '  <ItemGroup>',
        '    <PackageReference Include="Serilog.AspNetCore" Version="8.0.1" />',
        '    <PackageReference Include="FluentValidation.AspNetCore" Version="11.3.0" />',
        '  </ItemGroup>',
        '</Project>',
        '',
      ].join('\n'),
      'web/package.json': JSON.stringify({ name: 'web', version: '1.0.0', dependencies: { koa: '^2.15.0' } }),
      'web/src/server.ts': [
        "import Koa from 'koa';",
        "import logger from 'koa-logger';",
        "import Pyroscope from '@pyroscope/nodejs';",
        "import { createBullBoard } from '@bull-board/api';",
        "Pyroscope.init({ serverAddress: process.env.PYROSCOPE_URL, appName: 'web' });",
        'const app = new Koa();',
        'app.use(logger());',
        'export { app, createBullBoard };',
        '',
      ].join('\n'),
    }),
  );
});

const at = (f: { evidence: { file: string; line: number }[] } | undefined): string | undefined => f && `${f.evidence[0]!.file}:${f.evidence[0]!.line}`;

describe('facts from build files', () => {
  it('names the logging, metrics and health libraries at the line that declares them', () => {
    const obs = (id: string) => m.observability.find((o) => o.id === id);
    expect(at(obs('observability:logging:logrus'))).toBe('orders/go.mod:7');
    expect(at(obs('observability:metrics:prometheus'))).toBe('billing/pom.xml:18');
    expect(at(obs('observability:health-library:spring-boot-actuator'))).toBe('billing/pom.xml:14');
    expect(at(obs('observability:logging:serilog'))).toBe('ledger/Ledger.csproj:3');
    expect(at(obs('observability:logging:logback'))).toBe('billing/src/main/resources/logback-spring.xml:1');
    // Indirect, managed and test-scoped dependencies are not the system's.
    expect(obs('observability:logging:zap')).toBeUndefined();
    expect(obs('observability:tracing:zipkin')).toBeUndefined();
  });
  it('names JWT libraries and validators as security facts', () => {
    const sec = (id: string) => m.security.find((s) => s.id === id);
    expect(sec('security:jwt:jwt-go')).toMatchObject({ category: 'authentication', evidence: [{ file: 'orders/go.mod', line: 8 }] });
    expect(sec('security:validation:go-playground/validator')).toMatchObject({ category: 'validation' });
    expect(sec('security:validation:fluentvalidation')).toMatchObject({ category: 'validation', evidence: [{ file: 'ledger/Ledger.csproj', line: 4 }] });
    expect(m.security.some((s) => s.id.startsWith('security:jwt:jjwt'))).toBe(false);
  });
  it("reads gin's and echo's request loggers, echo's CORS and bcrypt from Go code, at the call or import", () => {
    expect(at(m.observability.find((o) => o.id === 'observability:logging:gin-logger'))).toBe('orders/main.go:9');
    expect(at(m.observability.find((o) => o.id === 'observability:logging:echo-logger'))).toBe('edge/server.go:10');
    expect(at(m.security.find((s) => s.id === 'security:cors:echo-cors'))).toBe('edge/server.go:11');
    expect(at(m.security.find((s) => s.id === 'security:password-hashing:bcrypt'))).toBe('orders/main.go:5');
  });
  it('reads koa-logger, Pyroscope and Bull Board in TypeScript', () => {
    const ids = m.observability.map((o) => o.id);
    expect(ids).toEqual(
      expect.arrayContaining(['observability:logging:koa-logger', 'observability:profiling:@pyroscope/nodejs', 'observability:dashboards:bull-board']),
    );
  });
});

describe('libraries Go code imports and Python requirements/ folders', () => {
  let r: Model;
  beforeAll(async () => {
    r = await analyseRepo(
      tempRepo('imported-deps', {
        // `go get` without `go mod tidy` marks every requirement `// indirect`.
        'notify/go.mod': [
          'module notify',
          '',
          'go 1.21',
          '',
          'require (',
          '\tgithub.com/go-chi/chi/v5 v5.0.7 // indirect',
          '\tgithub.com/go-chi/cors v1.2.0 // indirect',
          '\tgithub.com/getsentry/sentry-go v0.27.0 // indirect',
          '\tgo.uber.org/zap v1.27.0 // indirect',
          ')',
          '',
        ].join('\n'),
        'notify/cmd/api/routes.go': [
          'package main',
          '',
          'import (',
          '\t"net/http"',
          '',
          '\t"github.com/go-chi/chi/v5"',
          '\t"github.com/go-chi/cors"',
          ')',
          '',
          'func routes() http.Handler {',
          '\tmux := chi.NewRouter()',
          '\tmux.Use(cors.Handler(cors.Options{AllowedOrigins: []string{"https://*"}}))',
          '\treturn mux',
          '}',
          '',
        ].join('\n'),
        'notify/cmd/api/main.go': [
          'package main',
          '',
          'import (',
          '\t"net/http"',
          '',
          '\tsentryhttp "github.com/getsentry/sentry-go/http"',
          ')',
          '',
          'func main() {',
          '\th := sentryhttp.New(sentryhttp.Options{})',
          '\t_ = http.ListenAndServe(":80", h.Handle(routes()))',
          '}',
          '',
        ].join('\n'),
        'shop/requirements.txt': '-r requirements/base.txt\n',
        'shop/requirements/base.txt': 'Django==5.2.7\ndjango-cors-headers==4.9.0\ndjango-structlog[celery]==9.1.1\ndrf-jwt==1.19.2\n',
        'shop/requirements/local.txt': '-r base.txt\nloguru==0.7.2\n',
        'shop/manage.py': 'import os\n',
      }),
    );
  });
  const at1 = (f: { evidence: { file: string; line: number }[] } | undefined) => f && `${f.evidence[0]!.file}:${f.evidence[0]!.line}`;
  it('counts a catalogued module the code imports though go.mod marks it indirect, at the first import', () => {
    expect(at1(r.security.find((s) => s.id === 'security:cors:go-chi/cors'))).toBe('notify/cmd/api/routes.go:7');
    // A subpackage's import counts for its module.
    expect(at1(r.observability.find((o) => o.id === 'observability:errors:sentry'))).toBe('notify/cmd/api/main.go:6');
    // Required but imported by no code: still left out.
    expect(r.observability.find((o) => o.id === 'observability:logging:zap')).toBeUndefined();
  });
  it("reads a requirements/ folder's per-environment files, not the developer's local one", () => {
    expect(at1(r.security.find((s) => s.id === 'security:cors:django-cors-headers'))).toBe('shop/requirements/base.txt:2');
    expect(at1(r.observability.find((o) => o.id === 'observability:logging:structlog'))).toBe('shop/requirements/base.txt:3');
    expect(r.security.find((s) => s.id.startsWith('security:jwt:'))).toMatchObject({ evidence: [{ file: 'shop/requirements/base.txt', line: 4 }] });
    expect(r.observability.find((o) => o.id === 'observability:logging:loguru')).toBeUndefined();
  });
});
