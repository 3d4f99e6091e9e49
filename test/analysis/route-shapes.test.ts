import { describe, expect, it } from 'vitest';
import type { CallSite } from '../../src/analysis/index-file.js';
import { indexOf } from './engine.js';

const APP = `import { Hono } from 'hono';
import express from 'express';

export function make() {
  const api = new Hono().basePath('/api');
  api.route('/jobs', jobs);
  return () => (req, res, next) => next();
}

const router = express.Router();
router
  .route('/sites')
  .get(list)
  .post(create);
app.register(import('./routes/admin'), { prefix: '/admin' });

class Server {
  constructor(options) {
    this.app = options.app || express();
  }
  start() {
    this.routers.sites = this.routers.sites || new SiteRouter();
  }
}
`;

describe('the index: what router rules read', () => {
  const idx = indexOf('src/app.ts', APP);
  const make = idx.functions.get('src/app.ts#make')!;

  it('keeps a chain on new X() as a value with its receiver, and the line of each name of a chain that spans lines', () => {
    const api = make.locals.get('api');
    expect(api?.k).toBe('call');
    const c = (api as { call: CallSite }).call;
    expect(c).toMatchObject({ root: '', names: ['basePath'], args: [{ k: 'str', v: '/api' }] });
    expect(c.recv).toMatchObject({ k: 'call', call: { root: 'Hono', isNew: true } });
    expect(make.chained?.[0]).toBe(c);
    const chain = idx.topLevel.calls.find((x) => x.root === 'router')!;
    expect(chain.names).toEqual(['route', '()', 'get', '()', 'post']);
    expect(chain.lines).toEqual([12, 12, 13, 13, 14]);
    expect(idx.topLevel.calls.find((x) => x.root === 'app')?.lines).toBeUndefined();
  });

  it('names import() calls by the root import, and a returned function by its key', () => {
    const reg = idx.topLevel.calls.find((x) => x.names[0] === 'register')!;
    expect(reg.args[0]).toMatchObject({ k: 'call', call: { root: 'import', names: [], args: [{ k: 'str', v: './routes/admin' }] } });
    const ret = make.returns[0]!;
    expect(ret.k).toBe('fn');
    const outer = idx.functions.get((ret as { key: string }).key)!;
    expect(outer.returns[0]?.k).toBe('fn');
  });

  it("keeps a function's span in the text and what methods assign to this", () => {
    const inner = [...idx.functions.values()].find((f) => f.paramNames.join() === 'req,res,next')!;
    expect(APP.slice(inner.span![0], inner.span![2])).toBe('(req, res, next) => next()');
    expect(APP.slice(inner.span![1], inner.span![2])).toBe('next()');
    const assigns = idx.classes.get('Server')!.assigns!;
    expect(assigns.map((a) => [a.path, a.value.k, a.fn])).toEqual([
      ['app', 'or', 'src/app.ts#Server.constructor'],
      ['routers.sites', 'or', 'src/app.ts#Server.start'],
    ]);
  });
});
