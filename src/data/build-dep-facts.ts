/**
 * Observability and security libraries of other languages, by the name their build file declares
 * them under (src/analysis/build-deps.ts): Go module paths, Python distribution names (lower-case,
 * `-` for `_` and `.`), Maven `groupId:artifactId` (matched on the artifactId after the colon),
 * NuGet package ids and Composer `vendor/package`. A name ending in `*` matches every name it starts.
 * Each entry says which fact the dependency is evidence of, in the same categories the TypeScript
 * rules use: the observability categories, and for security the model's category with the id
 * prefix the scorer and templates read (`cors`, `rate-limit`, `headers`, `jwt`, `password-hashing`,
 * `validation`, `authorisation`).
 */
import type { BuildDep } from '../analysis/build-deps.js';

export interface DepFact {
  area: 'observability' | 'security';
  /** Observability: tracing, errors, metrics, logging, health. Security: authentication, authorisation, credentials, transport, validation. */
  category: string;
  /** The id's kind (`logging`, `cors`, `jwt`…) and key (the technology, lower-case). */
  kind: string;
  tech: string;
  name: string;
}

type Entry = [names: string, category: string, kind: string, tech: string, name: string];

const obs = (names: string, category: string, tech: string, name: string): Entry => [names, category, category, tech, name];
const log = (names: string, tech: string): Entry => obs(names, 'logging', tech, `Logging with ${tech}`);
const trace = (names: string, tech: string): Entry => obs(names, 'tracing', tech, tech);
const metric = (names: string, tech: string): Entry => obs(names, 'metrics', tech, `Metrics with ${tech}`);
const errors = (names: string, tech: string): Entry => obs(names, 'errors', tech, `Error tracking with ${tech}`);
const healthLib = (names: string, tech: string): Entry => [names, 'health', 'health-library', tech, `Health checks with ${tech}`];
const jwt = (names: string, tech: string): Entry => [names, 'authentication', 'jwt', tech, `JWT authentication (${tech})`];
const hashing = (names: string, tech: string, algo: string): Entry => [names, 'credentials', 'password-hashing', tech, `Password hashing with ${algo}`];
const validate = (names: string, tech: string): Entry => [names, 'validation', 'validation', tech, `Input validation with ${tech}`];
const cors = (names: string, tech: string): Entry => [names, 'transport', 'cors', tech, `CORS (${tech})`];
const limit = (names: string, tech: string): Entry => [names, 'transport', 'rate-limit', tech, `Rate limiting (${tech})`];
const headers = (names: string, tech: string): Entry => [names, 'transport', 'headers', tech, `Security headers (${tech})`];
const authz = (names: string, tech: string): Entry => [names, 'authorisation', 'authorisation', tech, `Authorisation with ${tech}`];
const authn = (names: string, tech: string): Entry => [names, 'authentication', 'authentication', tech, `Authentication with ${tech}`];

/** By ecosystem; several names of one entry are separated by spaces. */
const CATALOGUE: Record<BuildDep['ecosystem'], Entry[]> = {
  go: [
    log('github.com/sirupsen/logrus', 'logrus'),
    log('go.uber.org/zap', 'zap'),
    log('github.com/rs/zerolog', 'zerolog'),
    metric('github.com/prometheus/client_golang github.com/zsais/go-gin-prometheus', 'Prometheus'),
    trace('go.opentelemetry.io/otel go.opentelemetry.io/otel/sdk go.opentelemetry.io/contrib/*', 'OpenTelemetry'),
    trace('github.com/uber/jaeger-client-go', 'Jaeger'),
    trace('github.com/openzipkin/zipkin-go', 'Zipkin'),
    trace('github.com/instana/go-sensor', 'Instana'),
    trace('gopkg.in/DataDog/dd-trace-go.v1 github.com/DataDog/dd-trace-go/*', 'Datadog APM'),
    errors('github.com/getsentry/sentry-go', 'Sentry'),
    jwt('github.com/dgrijalva/jwt-go github.com/golang-jwt/jwt github.com/golang-jwt/jwt/* github.com/form3tech-oss/jwt-go', 'jwt-go'),
    jwt('github.com/go-chi/jwtauth github.com/go-chi/jwtauth/*', 'jwtauth'),
    jwt('github.com/lestrrat-go/jwx github.com/lestrrat-go/jwx/*', 'jwx'),
    jwt('github.com/appleboy/gin-jwt/*', 'gin-jwt'),
    validate(
      'github.com/go-playground/validator github.com/go-playground/validator/* gopkg.in/go-playground/validator.v9 gopkg.in/go-playground/validator.v8',
      'go-playground/validator',
    ),
    validate('github.com/go-ozzo/ozzo-validation github.com/go-ozzo/ozzo-validation/*', 'ozzo-validation'),
    cors('github.com/rs/cors', 'rs/cors'),
    cors('github.com/gin-contrib/cors', 'gin-contrib/cors'),
    cors('github.com/go-chi/cors', 'go-chi/cors'),
    limit('github.com/ulule/limiter github.com/ulule/limiter/* github.com/didip/tollbooth github.com/didip/tollbooth/*', 'limiter'),
    headers('github.com/unrolled/secure', 'unrolled/secure'),
    authz('github.com/casbin/casbin github.com/casbin/casbin/*', 'Casbin'),
  ],
  python: [
    log('structlog django-structlog', 'structlog'),
    log('python-json-logger', 'python-json-logger'),
    log('loguru', 'loguru'),
    metric('prometheus-client prometheus-flask-exporter prometheus-fastapi-instrumentator django-prometheus', 'Prometheus'),
    trace('opentelemetry-sdk opentelemetry-api opentelemetry-distro opentelemetry-instrumentation-* opentelemetry-exporter-*', 'OpenTelemetry'),
    trace('ddtrace', 'Datadog APM'),
    trace('newrelic', 'New Relic APM'),
    trace('elastic-apm', 'Elastic APM'),
    trace('instana', 'Instana'),
    trace('jaeger-client', 'Jaeger'),
    errors('sentry-sdk raven', 'Sentry'),
    jwt('pyjwt', 'PyJWT'),
    jwt('python-jose', 'python-jose'),
    jwt('djangorestframework-simplejwt', 'Simple JWT'),
    jwt('drf-jwt djangorestframework-jwt', 'REST framework JWT'),
    jwt('flask-jwt-extended', 'Flask-JWT-Extended'),
    authn('flask-login', 'Flask-Login'),
    hashing('bcrypt', 'bcrypt', 'bcrypt'),
    hashing('passlib', 'passlib', 'passlib'),
    hashing('argon2-cffi', 'argon2-cffi', 'Argon2'),
    validate('pydantic', 'pydantic'),
    validate('marshmallow flask-marshmallow', 'marshmallow'),
    cors('django-cors-headers django-cors-middleware', 'django-cors-headers'),
    cors('flask-cors', 'Flask-CORS'),
    cors('aiohttp-cors', 'aiohttp-cors'),
    limit('flask-limiter', 'Flask-Limiter'),
    limit('slowapi', 'slowapi'),
    limit('django-ratelimit', 'django-ratelimit'),
    headers('flask-talisman', 'Flask-Talisman'),
  ],
  maven: [
    healthLib('spring-boot-starter-actuator', 'Spring Boot Actuator'),
    metric('micrometer-registry-prometheus', 'Prometheus'),
    metric('micrometer-registry-*', 'Micrometer'),
    trace('spring-cloud-starter-zipkin spring-cloud-sleuth-zipkin zipkin-reporter-brave spring-boot-starter-zipkin', 'Zipkin'),
    trace('spring-cloud-starter-sleuth', 'Spring Cloud Sleuth'),
    trace('micrometer-tracing-bridge-otel opentelemetry-spring-boot-starter opentelemetry-api opentelemetry-sdk opentelemetry-exporter-*', 'OpenTelemetry'),
    trace('spring-cloud-gcp-starter-trace', 'Cloud Trace'),
    trace('instana-java-sdk', 'Instana'),
    trace('dd-java-agent dd-trace-api', 'Datadog APM'),
    log('spring-boot-starter-log4j2 log4j-core', 'Log4j2'),
    log('logback-classic logstash-logback-encoder', 'Logback'),
    errors('sentry sentry-spring-boot-starter sentry-spring-boot-starter-jakarta sentry-logback', 'Sentry'),
    // Spring Security guards the application's routes (its filter chain denies by default).
    authz('spring-boot-starter-security', 'Spring Security'),
    jwt('spring-boot-starter-oauth2-resource-server', 'Spring Security OAuth2 resource server'),
    jwt('jjwt jjwt-api', 'JJWT'),
    jwt('java-jwt', 'java-jwt'),
    jwt('nimbus-jose-jwt', 'Nimbus JOSE JWT'),
    validate('spring-boot-starter-validation hibernate-validator jakarta.validation-api validation-api', 'Bean Validation'),
    limit('bucket4j-core bucket4j_jdk17-core resilience4j-ratelimiter', 'rate limiter'),
  ],
  nuget: [
    log('Serilog Serilog.*', 'Serilog'),
    log('NLog NLog.*', 'NLog'),
    log('log4net', 'log4net'),
    metric('prometheus-net prometheus-net.*', 'Prometheus'),
    trace('OpenTelemetry OpenTelemetry.*', 'OpenTelemetry'),
    trace('Microsoft.ApplicationInsights.AspNetCore', 'Application Insights'),
    errors('Sentry Sentry.AspNetCore', 'Sentry'),
    healthLib('AspNetCore.HealthChecks.* Microsoft.Extensions.Diagnostics.HealthChecks*', 'ASP.NET Core health checks'),
    jwt('Microsoft.AspNetCore.Authentication.JwtBearer System.IdentityModel.Tokens.Jwt', 'JWT bearer'),
    authn('Microsoft.AspNetCore.Identity.EntityFrameworkCore', 'ASP.NET Core Identity'),
    hashing('BCrypt.Net-Next', 'BCrypt.Net-Next', 'bcrypt'),
    validate('FluentValidation FluentValidation.*', 'FluentValidation'),
    limit('AspNetCoreRateLimit', 'AspNetCoreRateLimit'),
  ],
  composer: [
    log('monolog/monolog', 'Monolog'),
    errors('sentry/sentry sentry/sentry-laravel sentry/sentry-symfony', 'Sentry'),
    metric('promphp/prometheus_client_php', 'Prometheus'),
    trace('open-telemetry/sdk', 'OpenTelemetry'),
    jwt('firebase/php-jwt', 'php-jwt'),
    jwt('tymon/jwt-auth php-open-source-saver/jwt-auth', 'jwt-auth'),
    jwt('lcobucci/jwt', 'lcobucci/jwt'),
    // laravel/sanctum comes with every new Laravel application, used or not: not evidence on its own.
    authn('laravel/passport', 'Laravel Passport'),
    cors('fruitcake/laravel-cors', 'laravel-cors'),
    authz('spatie/laravel-permission', 'laravel-permission'),
  ],
  // Gemfiles are read for the Technology stack (src/data/tech-catalogue.ts); no Ruby library here yet.
  rubygems: [],
};

function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** The fact a declared dependency is evidence of, if the catalogue knows it. Maven names match on their artifactId. */
export function depFact(dep: BuildDep): DepFact | undefined {
  const name = dep.ecosystem === 'maven' ? dep.name.slice(dep.name.indexOf(':') + 1) : dep.name;
  for (const [names, category, kind, tech, label] of CATALOGUE[dep.ecosystem]) {
    if (!names.split(' ').some((p) => matches(p, name))) continue;
    const area = ['authentication', 'authorisation', 'credentials', 'transport', 'validation'].includes(category) ? 'security' : 'observability';
    return { area, category, kind, tech, name: label };
  }
  return undefined;
}

/**
 * Facts a Go or Python source file shows by what it imports and calls (exact package paths), for
 * what no build file can say: a subpackage of a module (golang.org/x/crypto/bcrypt) or a web
 * framework's own middleware (gin's and echo's request loggers, echo's CORS).
 */
export interface CodeFactRule {
  /** The import path (Go) or module (Python) the file must import. */
  module: string;
  /** A name the file imports from the module (Python `from m import name`); without it, the import is enough. */
  imported?: string;
  /** The call, as `<last segment of the import path>.<Function>`; without it, the import is enough. */
  calls?: string[];
  fact: DepFact;
}

const ECHO_MIDDLEWARE = ['github.com/labstack/echo/v4/middleware', 'github.com/labstack/echo/middleware'];
const ginLogger: DepFact = { area: 'observability', category: 'logging', kind: 'logging', tech: 'gin Logger', name: 'HTTP request logging with gin Logger' };
const echoLogger: DepFact = { area: 'observability', category: 'logging', kind: 'logging', tech: 'echo Logger', name: 'HTTP request logging with echo Logger' };
const echoCors: DepFact = { area: 'security', category: 'transport', kind: 'cors', tech: 'echo CORS', name: 'CORS (echo CORS middleware)' };

export const CODE_FACTS: readonly CodeFactRule[] = [
  {
    module: 'golang.org/x/crypto/bcrypt',
    fact: { area: 'security', category: 'credentials', kind: 'password-hashing', tech: 'bcrypt', name: 'Password hashing with bcrypt' },
  },
  {
    module: 'golang.org/x/crypto/argon2',
    fact: { area: 'security', category: 'credentials', kind: 'password-hashing', tech: 'Argon2', name: 'Password hashing with Argon2' },
  },
  {
    module: 'werkzeug.security',
    imported: 'generate_password_hash',
    fact: { area: 'security', category: 'credentials', kind: 'password-hashing', tech: 'Werkzeug', name: 'Password hashing with Werkzeug' },
  },
  // gin.Default() installs gin's Logger and Recovery middleware.
  { module: 'github.com/gin-gonic/gin', calls: ['gin.Default', 'gin.Logger', 'gin.LoggerWithConfig', 'gin.LoggerWithFormatter'], fact: ginLogger },
  ...ECHO_MIDDLEWARE.map((module) => ({ module, calls: ['middleware.Logger', 'middleware.LoggerWithConfig'], fact: echoLogger })),
  ...ECHO_MIDDLEWARE.map((module) => ({ module, calls: ['middleware.CORS', 'middleware.CORSWithConfig'], fact: echoCors })),
];

/** Text a file must hold for CODE_FACTS to apply: the files worth indexing. */
export const CODE_FACT_HINT = /golang\.org\/x\/crypto\/(bcrypt|argon2)|werkzeug\.security|gin-gonic\/gin|labstack\/echo/;
