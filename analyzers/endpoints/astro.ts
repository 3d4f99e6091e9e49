/**
 * Astro endpoints: in a package depending on `astro`, a script under `src/pages` (not an `.astro`
 * page) that exports a handler per method — `GET`, `POST`, … and `ALL`, or Astro 1's lower-case
 * `get`, `post`, `del` — serves that method at the file's path (`[id]` → `:id`, `[...slug]` →
 * `:slug*`, `index` the folder itself, `og.png.ts` → `/og.png`).
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Found } from './types.js';
import { exportLine, routePath } from './next.js';
import type { Resolver } from './resolver.js';

const METHODS: Record<string, string> = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  PATCH: 'PATCH',
  DELETE: 'DELETE',
  OPTIONS: 'OPTIONS',
  HEAD: 'HEAD',
  ALL: 'ALL',
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  del: 'DELETE',
  delete: 'DELETE',
  all: 'ALL',
};

export function astroEndpoints(ctx: AnalyzerContext, r: Resolver): Found[] {
  const out: Found[] = [];
  for (const pkg of ctx.workspace.packages) {
    if (!pkg.dependencies.has('astro')) continue;
    const pages = `${pkg.path === '.' ? '' : `${pkg.path}/`}src/pages/`;
    for (const file of ctx.files) {
      if (!file.startsWith(pages) || ctx.packageOf(file)?.path !== pkg.path || ctx.isSetAside(file)) continue;
      const m = /^(.*)\.(ts|js|mjs)$/.exec(file.slice(pages.length));
      const fi = m ? r.ev.indexes.get(file) : undefined;
      if (!m || !fi) continue;
      const segs = m[1]!.split('/');
      if (segs[segs.length - 1] === 'index') segs.pop();
      const path = routePath(segs);
      for (const name of fi.exports.keys()) {
        const method = METHODS[name];
        if (method) out.push({ protocol: 'http', method, path, file, line: exportLine(r, fi, name), framework: 'astro', handler: name, mechanisms: [] });
      }
    }
  }
  return out;
}
