/**
 * Bounds of the Express/Hono/Koa/Fastify route graph (routers.ts) on hostile input, a review's
 * finding: helpers that mount the next helper eight times each (h0 → 8 × h1 → 8 × h2 …) make the
 * walk list 8^K paths. Before the bounds, the parametric shape called 50 times took 83 s and 4 GB
 * at K=4 and ran out of memory at K=6; the literal one took 42 s and 2.9 GB at K=8. Now the walk
 * stops at a budget per app (with a warning at the app) and helper instances are capped in all.
 * No timing assertions: each case must finish and warn.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

afterAll(removeTemps);

const pkg = JSON.stringify({ name: 'hostile', version: '1.0.0', dependencies: { express: '^4.21.0' } });
const warnings = (m: Model) => m.warnings.filter((w) => w.analyzer === 'endpoints').map((w) => `${w.file}:${w.line} ${w.message}`);

/**
 * Helpers h0 … hK, each declaring a route, calling itself and calling the next one eight times; the
 * app (line 2) calls h0 `calls` times. Parametric: the paths read the configuration passed on.
 */
function helpers(k: number, parametric: boolean, calls: number): string {
  const lines = ["import express from 'express';", 'const app = express();'];
  for (let i = 0; i <= k; i++) {
    if (parametric) lines.push(`function h${i}(r, c) {`, `  r.get(\`/\${c.p}/x${i}\`, (req, res) => res.json({}));`, `  h${i}(r, c);`);
    else lines.push(`function h${i}(r) {`, `  r.get('/x${i}', (req, res) => res.json({}));`, `  h${i}(r);`);
    for (let j = 0; i < k && j < 8; j++) lines.push(parametric ? `  h${i + 1}(r, { p: \`\${c.p}/${i}_${j}\` });` : `  h${i + 1}(r);`);
    lines.push('}');
  }
  for (let i = 0; i < calls; i++) lines.push(parametric ? `h0(app, { p: 'a${i}' });` : 'h0(app);');
  lines.push('app.listen(3000);');
  return `${lines.join('\n')}\n`;
}

/** A second, ordinary app beside the hostile one: it keeps its routes. */
const admin = "import express from 'express';\nconst admin = express();\nadmin.get('/admin/health', (req, res) => res.send('ok'));\nadmin.listen(4000);\n";

describe('endpoints: the route graph walk is bounded (hostile helpers)', () => {
  it.each([4, 8])('lists the parametric shape at K=%i up to the budget, with one warning at the app', async (k) => {
    const m = await analyseRepo(tempRepo(`route-graph-param-${k}`, { 'package.json': pkg, 'src/app.js': helpers(k, true, 50), 'src/admin.js': admin }));
    const w = warnings(m);
    expect(w.filter((x) => x.includes('route graph too large'))).toEqual(['src/app.js:2 route graph too large: listing stopped after 20000 routes']);
    // Per-call instances are still made up to their own bounds; the first calls' paths are read with their arguments.
    expect(w).toContain("src/app.js:6 h1 is called with a router more than 200 times; from here on its routes are read without the call's arguments");
    // Depth first in the order read: the first call's own route is listed, then what its first mount leads to.
    const names = m.endpoints.map((e) => e.name);
    expect(names).toContain('GET /a0/x0');
    expect(names).toContain('GET /admin/health');
  });

  it('lists the literal shape whole under the budget (K=4) and stops it past the budget (K=8), the other app kept', async () => {
    const small = await analyseRepo(tempRepo('route-graph-literal-4', { 'package.json': pkg, 'src/app.js': helpers(4, false, 1) }));
    expect(small.endpoints.map((e) => e.name).sort()).toEqual(['GET /x0', 'GET /x1', 'GET /x2', 'GET /x3', 'GET /x4']);
    // All 4,096 paths of h4 are listed: its evidence is its route, the app's call and each helper's eight calls on the way.
    expect(small.endpoints.find((e) => e.name === 'GET /x4')!.evidence).toHaveLength(2 + 4 * 8);
    expect(warnings(small).filter((x) => x.includes('route graph too large'))).toEqual([]);

    const large = await analyseRepo(tempRepo('route-graph-literal-8', { 'package.json': pkg, 'src/app.js': helpers(8, false, 1), 'src/admin.js': admin }));
    expect(warnings(large).filter((x) => x.includes('route graph too large'))).toEqual([
      'src/app.js:2 route graph too large: listing stopped after 20000 routes',
    ]);
    const names = large.endpoints.map((e) => e.name);
    expect(names).toContain('GET /x8');
    expect(names).toContain('GET /admin/health');
  });

  it('stops a walk through routers that only mount others at its budget of routers visited', async () => {
    // Only h0 declares a route: h1 … h8 mount each other, 8^8 ways, and list nothing.
    const text = helpers(8, false, 1)
      .split('\n')
      .filter((l) => !/^ {2}r\.get\('\/x[1-8]'/.test(l))
      .join('\n');
    const m = await analyseRepo(tempRepo('route-graph-mounts', { 'package.json': pkg, 'src/app.js': text }));
    expect(m.endpoints.map((e) => e.name)).toEqual(['GET /x0']);
    expect(warnings(m).filter((x) => x.includes('route graph too large'))).toEqual(['src/app.js:2 route graph too large: listing stopped after 1 route']);
  });

  it('stops listing at the budget of all apps together: the sixth such app lists nothing', async () => {
    const files: Record<string, string> = { 'package.json': pkg };
    for (let i = 1; i <= 6; i++) files[`src/app${i}.js`] = helpers(8, false, 1);
    const m = await analyseRepo(tempRepo('route-graph-apps', files));
    expect(warnings(m).filter((x) => x.includes('route graph too large'))).toEqual([
      ...[1, 2, 3, 4, 5].map((i) => `src/app${i}.js:2 route graph too large: listing stopped after 20000 routes`),
      'src/app6.js:2 route graph too large: listing stopped after 0 routes',
    ]);
  });

  it('caps helper instances in all: past 1,000 a call keeps the shared router, with one warning at that call', async () => {
    // Six helpers called 170 times each: under the 200 of one helper, over the 1,000 of all.
    const lines = ["import express from 'express';", 'const app = express();'];
    for (let i = 0; i < 6; i++) lines.push(`function crud${i}(router, { resource }) { router.get(\`/${i}/\${resource}\`, (req, res) => res.json([])); }`);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 170; j++) lines.push(`crud${i}(app, { resource: 'r${j}' });`);
    lines.push('app.listen(3000);');
    const m = await analyseRepo(tempRepo('route-graph-instances', { 'package.json': pkg, 'src/app.js': `${lines.join('\n')}\n` }));
    const w = warnings(m);
    // Call 1,001 is crud5's 151st, on line 2 + 6 + 5 × 170 + 151.
    expect(w.filter((x) => x.includes('in all'))).toEqual([
      "src/app.js:1009 helpers are called with a router more than 1000 times in all; from here on their routes are read without the call's arguments",
    ]);
    expect(w.some((x) => x.includes('more than 200 times'))).toBe(false);
    const names = m.endpoints.map((e) => e.name);
    expect(names.filter((n) => /^GET \/\d\/r\d+$/.test(n))).toHaveLength(1000);
    expect(names).toContain('GET /5/r149');
    expect(names).not.toContain('GET /5/r150');
  });
});
