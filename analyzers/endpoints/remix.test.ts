import { describe, expect, it } from 'vitest';
import ts from '../../src/analyzer/typescript.cjs';
import { buildIndex } from '../../src/analysis/index-build.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { flatRoutePath, remixEndpoints } from './remix.js';

/** Route modules as an app would have them: indexes built from their text, as the file pass builds them. */
function run(files: Record<string, string>, dependencies: string[], pkgPath = '.') {
  const indexes = new Map<string, FileIndex>();
  for (const [file, text] of Object.entries(files)) indexes.set(file, buildIndex(ts, file, text).indexed.index!);
  const warnings: string[] = [];
  const found = remixEndpoints({
    packages: [{ path: pkgPath, dependencies: new Set(dependencies) }],
    scripts: [...indexes.keys()].sort(),
    index: (f) => indexes.get(f),
    packageOf: () => pkgPath,
    warn: (file, line, message) => warnings.push(`${file}:${line} ${message}`),
  });
  return { routes: found.map((f) => `${f.method} ${f.path} ${f.file}:${f.line} ${f.framework}`).sort(), warnings };
}

describe('Remix and React Router route modules', () => {
  it('turns flat route file names into URLs', () => {
    expect(flatRoutePath('_index')).toBe('/');
    expect(flatRoutePath('notes._index')).toBe('/notes');
    expect(flatRoutePath('notes.$noteId')).toBe('/notes/:noteId');
    expect(flatRoutePath('_auth.login')).toBe('/login');
    expect(flatRoutePath('notes_.$noteId.edit')).toBe('/notes/:noteId/edit');
    expect(flatRoutePath('files.$')).toBe('/files/*');
    expect(flatRoutePath('($lang).about')).toBe('/:lang?/about');
    expect(flatRoutePath('sitemap[.]xml')).toBe('/sitemap.xml');
    expect(flatRoutePath('api.v1.users')).toBe('/api/v1/users');
  });

  it('lists loaders as GET and actions as POST, on file-system routes, folders included', () => {
    const loader = 'export const loader = async ({ request }) => {\n  return json({});\n};\n';
    const { routes } = run(
      {
        'app/root.tsx': 'export default function App() { return null; }\n',
        'app/routes/_index.tsx': 'export default function Index() { return null; }\n',
        'app/routes/healthcheck.tsx': `import { json } from '@remix-run/node';\n${loader}`,
        'app/routes/notes.$noteId.tsx': `${loader}\nexport async function action({ request, params }) {\n  return null;\n}\nexport default function Note() { return null; }\n`,
        'app/routes/_auth.login/route.tsx': `${loader}export const action = withForm(async () => null);\n`,
        'app/routes/_auth.login/form.tsx': loader,
        'app/models/note.server.ts': loader,
      },
      ['@remix-run/node', '@remix-run/react'],
    );
    expect(routes).toEqual([
      'GET /healthcheck app/routes/healthcheck.tsx:2 remix',
      'GET /login app/routes/_auth.login/route.tsx:1 remix',
      'GET /notes/:noteId app/routes/notes.$noteId.tsx:1 remix',
      'POST /login app/routes/_auth.login/route.tsx:4 remix',
      'POST /notes/:noteId app/routes/notes.$noteId.tsx:5 remix',
    ]);
  });

  it("reads React Router's routes.ts config, nested under prefixes and layouts, and says what it could not read", () => {
    const { routes, warnings } = run(
      {
        'web/app/routes.ts': [
          "import { type RouteConfig, index, layout, prefix, route } from '@react-router/dev/routes';",
          'export default [',
          "  index('routes/home.tsx'),",
          "  layout('routes/auth-layout.tsx', [route('login', 'routes/login.tsx')]),",
          "  route('api', 'routes/api.tsx', [route('orders/:id', 'routes/order.tsx')]),",
          "  prefix('admin', [route('users', 'routes/admin-users.tsx')]),",
          '  custom(),',
          '] satisfies RouteConfig;',
        ].join('\n'),
        'web/app/routes/home.tsx': 'export function loader() { return 1; }\n',
        'web/app/routes/login.tsx': 'export function action() { return 1; }\n',
        'web/app/routes/order.tsx': 'export async function loader() { return 1; }\nexport async function action() { return 1; }\n',
        'web/app/routes/admin-users.tsx': 'export const loader = () => 1;\n',
        // Not listed in routes.ts: not a route, whatever its name.
        'web/app/routes/orphan.tsx': 'export const loader = () => 1;\n',
      },
      ['react-router', '@react-router/dev'],
      'web',
    );
    expect(routes).toEqual([
      'GET / web/app/routes/home.tsx:1 react-router',
      'GET /admin/users web/app/routes/admin-users.tsx:1 react-router',
      'GET /api/orders/:id web/app/routes/order.tsx:1 react-router',
      'POST /api/orders/:id web/app/routes/order.tsx:2 react-router',
      'POST /login web/app/routes/login.tsx:1 react-router',
    ]);
    expect(warnings).toEqual(['web/app/routes.ts:7 a route entry of routes.ts archdoc could not read (spread or computed); its routes are not listed']);
  });

  it('marks a loader or action that checks the session, in its body or a callback, as requiring a signed-in user', () => {
    const indexes = new Map<string, FileIndex>();
    const text = [
      "import { requireUserId } from '~/session.server';",
      'export const loader = async ({ request }) => {',
      '  const userId = await requireUserId(request);',
      '  return json({ userId });',
      '};',
      'export async function action({ request }) {',
      '  return withRetry(async () => authenticator.isAuthenticated(request, { failureRedirect: "/login" }));',
      '}',
    ].join('\n');
    indexes.set('app/routes/notes.tsx', buildIndex(ts, 'app/routes/notes.tsx', text).indexed.index!);
    indexes.set('app/routes/public.tsx', buildIndex(ts, 'app/routes/public.tsx', 'export const loader = () => getUser();\n').indexed.index!);
    const found = remixEndpoints({
      packages: [{ path: '.', dependencies: new Set(['@remix-run/node']) }],
      scripts: [...indexes.keys()],
      index: (f) => indexes.get(f),
      packageOf: () => '.',
      warn: () => {},
    });
    expect(found.map((f) => `${f.method} ${f.path} ${f.mechanisms.join(',') || '-'}`).sort()).toEqual([
      'GET /notes session check in handler',
      'GET /public -',
      'POST /notes session check in handler',
    ]);
  });

  it('reads nothing in a package that is neither Remix nor React Router', () => {
    expect(run({ 'app/routes/x.tsx': 'export const loader = () => 1;\n' }, ['next']).routes).toEqual([]);
  });
});
