import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model, SecurityFact } from '../../src/model/schema.js';
import { alignAuthRoutes } from './index.js';
import { credentialName, envValueIsLiteralSecret, helmetHstsDefault, looksLikeIdentifier, majorOf, piiHint, scanSecretText, AUTH_ROUTE } from './patterns.js';

const byId = (m: Model, id: string): SecurityFact | undefined => m.security.find((s) => s.id === id);
const ours = (m: Model) => m.security.filter((s) => s.id.startsWith('security:finding:'));

describe('security analyzer on secure-observable-api', () => {
  let m: Model;
  beforeAll(async () => {
    m = await analyseFixture('secure-observable-api');
  });

  it('reads JWT algorithm, expiry and the secret source by name', () => {
    const jwt = byId(m, 'security:jwt:jsonwebtoken');
    expect(jwt?.details).toMatchObject({ algorithms: ['RS256'], expiresIn: ['15m'], secretSources: ['environment variable JWT_PRIVATE_KEY'] });
    expect(jwt?.evidence).toEqual([{ file: 'src/auth/routes.ts', line: 25 }]);
  });

  it('finds the Passport JWT strategy and where it is used', () => {
    const p = byId(m, 'security:passport:jwt');
    expect(p?.details).toMatchObject({ algorithms: ['RS256'], secretSource: 'environment variable JWT_PUBLIC_KEY', tokenFrom: 'fromAuthHeaderAsBearerToken' });
    expect(p?.evidence).toContainEqual({ file: 'src/server.ts', line: 51 });
  });

  it('resolves the bcrypt cost factor through a constant', () => {
    expect(byId(m, 'security:password-hashing:bcrypt')?.details).toEqual({ costFactors: ['12'] });
  });

  it('lists CORS origins, helmet HSTS and rate limits with window and limit', () => {
    expect(byId(m, 'security:cors:src/server.ts')?.details).toMatchObject({
      origins: ['https://admin.example.com', 'https://app.example.com'],
      credentials: true,
    });
    expect(byId(m, 'security:helmet')?.details).toMatchObject({ hsts: 'max-age 31536000 s' });
    expect(byId(m, 'security:rate-limit:express-rate-limit')?.details?.limits).toEqual([
      'apiLimiter: 300 requests per 15 min',
      'loginLimiter: 5 requests per 1 min',
    ]);
  });

  it('resolves nested router mounts (a route array under /v1) and draws the flow', () => {
    expect(m.security.filter((s) => s.id.startsWith('security:auth-route:')).map((s) => s.name)).toEqual(['POST /v1/auth/login', 'POST /v1/auth/register']);
    expect(byId(m, 'security:auth-flow')?.details).toMatchObject({ loginRoute: 'POST /v1/auth/login', passwordCheck: 'bcrypt', tokenLibrary: 'jsonwebtoken' });
  });

  it('records roles, validation, PII field names and secret env var names', () => {
    expect(byId(m, 'security:rbac:middleware')?.details?.roles).toEqual(['admin', 'merchant', 'support']);
    expect(byId(m, 'security:validation:zod')).toBeDefined();
    expect(byId(m, 'security:pii:src/models/users.ts#User')?.details?.fields).toEqual(['dateOfBirth', 'email', 'phoneNumber']);
    expect(byId(m, 'security:secrets:environment')?.details?.envVars).toEqual(['DATABASE_URL', 'JWT_PRIVATE_KEY', 'JWT_PUBLIC_KEY', 'SENTRY_DSN']);
  });

  it('reports no findings: the login route is rate limited and no secret is written in source', () => {
    expect(ours(m)).toEqual([]);
  });
});

describe('security analyzer on risky-api', () => {
  let m: Model;
  beforeAll(async () => {
    m = await analyseFixture('risky-api');
  });

  it('states each risky setting as a finding with evidence and severity', () => {
    const found = Object.fromEntries(ours(m).map((f) => [f.id, [f.severity, f.evidence[0]!.file, f.evidence[0]!.line]]));
    expect(found).toEqual({
      'security:finding:api-token:src/config.js': ['high', 'src/config.js', 6],
      'security:finding:auth-routes-without-rate-limit': ['medium', 'src/app.js', 23],
      'security:finding:aws-access-key:src/config.js': ['high', 'src/config.js', 4],
      'security:finding:bcrypt-cost:src/auth.js': ['low', 'src/auth.js', 16],
      'security:finding:connection-string-password:src/config.js': ['medium', 'src/config.js', 3],
      'security:finding:cors-any-origin-credentials:src/app.js': ['high', 'src/app.js', 12],
      'security:finding:env-file:.env': ['medium', '.env', 2],
      // Only AMQP_URL: the other values are built from variables (postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}@…).
      'security:finding:env-file:.env.dev': ['medium', '.env.dev', 7],
      'security:finding:jwt-alg-none:src/auth.js': ['high', 'src/auth.js', 23],
      'security:finding:jwt-literal-secret:src/auth.js': ['high', 'src/auth.js', 11],
      'security:finding:literal-credential:src/auth.js': ['high', 'src/auth.js', 5],
      'security:finding:literal-credential:src/config.js': ['high', 'src/config.js', 5],
      'security:finding:private-key:config/dev-key.pem': ['high', 'config/dev-key.pem', 1],
      'security:finding:private-key:src/keys.js': ['high', 'src/keys.js', 1],
      'security:finding:secret-fallback:src/config.js': ['medium', 'src/config.js', 7],
      'security:finding:sentry-key-literal:src/app.js': ['low', 'src/app.js', 9],
      'security:finding:session-cookie-insecure:src/app.js': ['low', 'src/app.js', 19],
      'security:finding:session-literal-secret:src/app.js': ['high', 'src/app.js', 15],
    });
  });

  it('names the unprotected authentication routes', () => {
    expect(byId(m, 'security:finding:auth-routes-without-rate-limit')?.details?.routes).toEqual(['POST /login', 'POST /signup']);
  });

  it('keeps names, never values, of committed env-file secrets', () => {
    expect(byId(m, 'security:finding:env-file:.env')?.details?.envVars).toEqual(['DATABASE_URL', 'JWT_SECRET', 'SENDGRID_API_KEY', 'STRIPE_SECRET_KEY']);
    expect(byId(m, 'security:finding:literal-credential:src/config.js')?.details?.names).toEqual(['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN']);
    expect(byId(m, 'security:finding:env-file:.env.dev')?.details?.envVars).toEqual(['AMQP_URL']);
  });

  it('does not take identifier-shaped literals for credentials (error codes, permission names, setting keys, placeholders)', () => {
    // src/messages.js: password: 'incorrectPassword', createApiKey: 'createApiKey', PROPERTY_API_KEY_PARTNER = 'API_KEY_PARTNER'…
    expect(byId(m, 'security:finding:literal-credential:src/messages.js')).toBeUndefined();
  });

  it("states helmet's HSTS default for the installed version (4.6.0 in package-lock.json: 180 days), not the range", () => {
    expect(byId(m, 'security:helmet')?.details?.hsts).toBe('default (max-age 180 days, helmet 4)');
  });

  it('describes the session store and cookie flags', () => {
    expect(byId(m, 'security:session:express-session')?.details).toMatchObject({
      store: 'MemoryStore (default)',
      cookieSecure: false,
      cookieHttpOnly: true,
      secretSource: 'string literal in source',
    });
  });
});

describe('security patterns', () => {
  it('hints personal data by whole words, not substrings', () => {
    for (const n of ['email', 'billingEmail', 'phone_number', 'dateOfBirth', 'lastName', 'ipAddress']) expect(piiHint(n), n).toBe(true);
    for (const n of ['template', 'zipFile', 'addressable', 'id', 'status']) expect(piiHint(n), n).toBe(n === 'zipFile');
    // Environment variable names are not data fields.
    for (const n of ['MAIL_DEFAULT_EMAIL', 'AUTH_CONFIRM_EMAIL_SECRET', 'SMTP_FROM_ADDRESS']) expect(piiHint(n), n).toBe(false);
  });

  it('reports the kind of a secret-shaped literal and ignores placeholders', () => {
    expect(scanSecretText('postgres://u:realpass123@h/db')).toEqual(['connection-password']);
    expect(scanSecretText('postgres://u:${DB_PASSWORD}@h/db')).toEqual([]);
    expect(scanSecretText('key AKIAZ7QK4N2V8XW3YTRM here')).toEqual(['aws-key']);
    expect(scanSecretText('just a long harmless sentence')).toEqual([]);
  });

  it('tells identifier-shaped literals from secrets, and interpolated env values from literal ones', () => {
    for (const v of ['incorrectPassword', 'createApiKey', 'API_KEY_GHOSTFOLIO', 'secret_for_refresh', 'auth:token', 'IncorrectPassword'])
      expect(looksLikeIdentifier(v), v).toBe(true);
    for (const v of ['hunter2hunter2', 'mysecretpassword', 'Pr0dP4ssw0rd!', 'sk_live_abc123def456', 's3cret-value'])
      expect(looksLikeIdentifier(v), v).toBe(false);
    expect(envValueIsLiteralSecret('postgresql://user:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB}?connect_timeout=300')).toBe(false);
    expect(envValueIsLiteralSecret('${REDIS_PASSWORD}')).toBe(false);
    expect(envValueIsLiteralSecret('redis://localhost:6379')).toBe(false);
    expect(envValueIsLiteralSecret('s3cret-value-41')).toBe(true);
    expect(envValueIsLiteralSecret('postgres://app:R00tP4ss@db:5432/shop')).toBe(true);
    expect(envValueIsLiteralSecret('amqp://app:l1teral-pass@mq/${VHOST}')).toBe(true);
    expect(envValueIsLiteralSecret('https://${HOST}/services/T0AB12CD3/B0EF45GH6/aBcD1234eFgH5678iJkL')).toBe(true);
    expect(envValueIsLiteralSecret('${PREFIX}Xy9-literal')).toBe(true);
    expect(envValueIsLiteralSecret('<your-token>')).toBe(false);
  });

  it("gives helmet's HSTS default by major version, and no number when the version is unknown", () => {
    expect(helmetHstsDefault('4.6.0')).toBe('default (max-age 180 days, helmet 4)');
    expect(helmetHstsDefault('^8.0.0')).toBe('default (max-age 365 days, helmet 8)');
    expect(helmetHstsDefault('5.x')).toBe('default (max-age 365 days, helmet 5)');
    for (const v of [undefined, '>=3.21.0', '*', 'latest', '4 || 5']) expect(helmetHstsDefault(v), String(v)).toBe("helmet's default");
    expect(majorOf('~7.1')).toBe(7);
  });

  it('tells credential names from names about credentials', () => {
    expect(credentialName('jwtSecret')).toBe(true);
    expect(credentialName('DB_PASSWORD')).toBe(true);
    expect(credentialName('passwordField')).toBe(false);
    expect(credentialName('TOKEN_HEADER')).toBe(false);
    expect(credentialName('pwd')).toBe(false);
    expect(credentialName('DB_PWD')).toBe(true);
  });

  it('treats login, registration and token paths as authentication routes', () => {
    expect(['/login', '/auth/sign-in', '/oauth/token', '/users/register', '/v1/auth/refresh-tokens'].every((p) => AUTH_ROUTE.test(p))).toBe(true);
    expect(['/orders', '/tokens-list', '/catalogue'].some((p) => AUTH_ROUTE.test(p))).toBe(false);
  });
});

describe('security analyzer on nest-guarded-api', () => {
  let m: Model;
  beforeAll(async () => {
    m = await analyseFixture('nest-guarded-api');
  });

  it('reads guards, role decorators, the Passport strategy class and CASL', () => {
    expect(byId(m, 'security:guard:RolesGuard')?.details?.definedIn).toEqual(['src/auth/roles.guard.ts']);
    expect(byId(m, 'security:guard:AuthGuard(jwt)')).toBeDefined();
    expect(byId(m, 'security:rbac:decorators')?.details).toEqual({ decorators: ['@Roles'], roles: ['admin', 'customer'] });
    expect(byId(m, 'security:passport:jwt')?.details).toMatchObject({ strategyClass: 'JwtStrategy', secretSource: 'environment variable JWT_SECRET' });
    expect(byId(m, 'security:policy:casl')).toBeDefined();
  });

  it('sees guards applied through a custom decorator declared with applyDecorators, also nested', () => {
    // @RequiresScope(…) = applyDecorators(SetMetadata(…), UseGuards(AuthGuard('jwt'), RolesGuard)); @BillingAdmin() applies it.
    expect(byId(m, 'security:guard:AuthGuard(jwt)')?.details).toEqual({
      appliedThrough: ['@BillingAdmin', '@RequiresScope'],
      appliedTo: ['InvoicesController.list', 'InvoicesController.refund', 'OrdersController'],
    });
    expect(byId(m, 'security:guard:RolesGuard')?.details?.appliedTo).toEqual(['InvoicesController.list', 'InvoicesController.refund', 'OrdersController']);
    expect(byId(m, 'security:guard:AuthGuard(jwt)')?.evidence).toContainEqual({ file: 'src/auth/requires-scope.decorator.ts', line: 9 });
  });

  it('takes DB_PWD but not PWD for a secret, and an environment validator class for no personal data', () => {
    expect(byId(m, 'security:secrets:environment')?.details?.envVars).toEqual(['DB_PWD', 'JWT_SECRET']);
    expect(byId(m, 'security:pii:src/config/env.validation.ts#EnvironmentVariables')).toBeUndefined();
  });

  it('reads JwtModule options, Argon2 costs, throttler limits and ValidationPipe options', () => {
    expect(byId(m, 'security:jwt:@nestjs/jwt')?.details).toMatchObject({ algorithms: ['HS256'], expiresIn: ['1h'] });
    expect(byId(m, 'security:password-hashing:argon2')?.details).toEqual({ variant: 'argon2id', memoryCost: 19456, timeCost: 2 });
    expect(byId(m, 'security:rate-limit:@nestjs/throttler')?.details).toMatchObject({
      limits: ['long: 100 requests per 1 min', 'short: 3 requests per 1 s'],
      overrides: ['AuthController.login: 5 requests per 1 min'],
    });
    expect(byId(m, 'security:validation:validationpipe')?.details?.options).toEqual(['forbidNonWhitelisted', 'transform', 'whitelist']);
  });

  it('applies the global prefix to controller routes and sees the global ThrottlerGuard', () => {
    // POST /api/auth/apple/login is read first, but it is a social login: the password login is drawn,
    // with the token issued next to it (not the one in the Apple controller).
    expect(byId(m, 'security:auth-flow')?.details).toMatchObject({ loginRoute: 'POST /api/auth/login', passwordCheck: 'argon2', tokenLibrary: '@nestjs/jwt' });
    expect(byId(m, 'security:auth-flow')?.evidence).toEqual([
      { file: 'src/auth/auth.controller.ts', line: 25 },
      { file: 'src/auth/auth.controller.ts', line: 28 },
      { file: 'src/auth/auth.controller.ts', line: 29 },
    ]);
    expect(byId(m, 'security:rate-limit:@nestjs/throttler')?.details?.scope).toBe('every route (ThrottlerGuard as APP_GUARD)');
    expect(byId(m, 'security:guard:ThrottlerGuard')).toBeUndefined();
    expect(ours(m)).toEqual([]);
  });
});

describe('security analyzer on nextjs-auth-app', () => {
  it('reads Auth.js providers, session strategy, middleware paths and secret names', async () => {
    const m = await analyseFixture('nextjs-auth-app');
    expect(byId(m, 'security:identity:nextauth')?.details).toEqual({ providers: ['GitHub', 'Google'], sessionStrategy: 'jwt' });
    expect(byId(m, 'security:middleware:middleware.ts')?.details).toEqual({ paths: ['/account/:path*'] });
    expect(byId(m, 'security:secrets:environment')?.details?.envVars).toEqual(['AUTH_GITHUB_SECRET', 'AUTH_GOOGLE_SECRET', 'AUTH_SECRET']);
    expect(byId(m, 'security:pii:lib/profile.ts#ProfileUpdate')?.details?.fields).toEqual(['phone', 'postcode']);
    expect(ours(m)).toEqual([]);
  });
});

describe('authentication routes take the path as served from the endpoints', () => {
  it('adds the URI version the security walk does not apply (nestjs-api)', async () => {
    const m = await analyseFixture('nestjs-api');
    expect(m.security.filter((f) => f.id.startsWith('security:auth-route:')).map((f) => f.id)).toEqual(['security:auth-route:POST /api/v1/auth/login']);
  });

  it('renames the route in its fact, the rate-limit finding and the login flow', () => {
    const route = (path: string, line: number): SecurityFact => ({
      id: `security:auth-route:POST ${path}`,
      name: `POST ${path}`,
      category: 'authentication',
      evidence: [{ file: 'src/auth.controller.ts', line }],
      details: { route: `POST ${path}`, kind: 'login' },
    });
    const model = {
      endpoints: [
        {
          id: 'endpoint:POST /v1/auth/email/login',
          method: 'POST',
          path: '/v1/auth/email/login',
          protocol: 'http',
          source: 'code',
          name: 'POST /v1/auth/email/login',
          evidence: [{ file: 'src/auth.controller.ts', line: 11 }],
          details: { routeFile: 'src/auth.controller.ts', routeLine: 11 },
        },
        // Another file: never matched.
        {
          id: 'endpoint:POST /v2/auth/register',
          method: 'POST',
          path: '/v2/auth/register',
          protocol: 'http',
          source: 'code',
          name: 'POST /v2/auth/register',
          evidence: [{ file: 'src/other.ts', line: 20 }],
          details: { routeFile: 'src/other.ts', routeLine: 20 },
        },
      ],
      security: [
        route('/auth/email/login', 12),
        route('/auth/register', 20),
        {
          id: 'security:auth-flow',
          name: 'Login and token issuance',
          category: 'authentication',
          evidence: [{ file: 'src/auth.controller.ts', line: 12 }],
          details: { loginRoute: 'POST /auth/email/login' },
        },
        {
          id: 'security:finding:auth-routes-without-rate-limit',
          name: 'x',
          category: 'finding',
          severity: 'medium',
          evidence: [{ file: 'src/auth.controller.ts', line: 12 }],
          details: { routes: ['POST /auth/email/login', 'POST /auth/register'] },
        },
      ],
    } as unknown as Model;
    alignAuthRoutes(model);
    expect(model.security.map((f) => f.id)).toEqual([
      'security:auth-flow',
      'security:auth-route:POST /auth/register',
      'security:auth-route:POST /v1/auth/email/login',
      'security:finding:auth-routes-without-rate-limit',
    ]);
    expect(byId(model, 'security:auth-flow')?.details?.loginRoute).toBe('POST /v1/auth/email/login');
    expect(byId(model, 'security:finding:auth-routes-without-rate-limit')?.name).toBe(
      'No rate limiting detected on authentication routes (POST /auth/register, POST /v1/auth/email/login)',
    );
  });
});
