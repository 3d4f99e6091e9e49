import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexFromJSON, indexToJSON } from '../../src/analysis/index-file.js';
import { FIXTURES } from '../helpers.js';
import { indexOf } from './engine.js';

const cluesOf = (text: string, file = 'src/app.ts') => indexOf(file, text).sites.clues;

describe('index: clues', () => {
  it('keeps secret-shaped literals, credential-named values, defaults of environment reads and header names, with their sites before them', () => {
    const text = [
      "const AWS = 'AKIAIOSFODNN7EXAMPLE';",
      "const DB = 'postgres://app:s3cret@db:5432/app';",
      "const message = 'a long message that is no secret at all';",
      "const config = { password: 'hunter2-hunter2', name: 'a-plain-value' };",
      "session({ secret: 'keyboard-cat-42' });",
      "const key = process.env.JWT_SECRET || 'dev';",
      "function f(req) { return req.headers['x-api-key'] ?? req.header('X-App-Key'); }",
    ].join('\n');
    const { strings } = cluesOf(text);
    expect(strings.map(({ text: t, ...rest }) => [t, rest])).toEqual([
      ['AKIAIOSFODNN7EXAMPLE', { at: 0, line: 1 }],
      ['postgres://app:s3cret@db:5432/app', { at: 0, line: 2 }],
      ['hunter2-hunter2', { at: 1, line: 4, owner: 'password' }],
      ['keyboard-cat-42', { at: 2, line: 5, owner: 'secret', option: true }],
      ['dev', { at: 2, line: 6, orEnv: 'JWT_SECRET' }],
      ['x-api-key', { at: 2, line: 7, header: true }],
      ['X-App-Key', { at: 3, line: 7, header: true }],
    ]);
  });

  it('lists environment variable reads, not what is inside them, and provider objects', () => {
    const text = [
      'const a = process.env.API_TOKEN;',
      "const b = import.meta.env['DB_PASSWORD'];",
      'const c = process.env[name];',
      '@Module({ providers: [{ provide: APP_GUARD, useClass: RolesGuard }, { provide: X, useFactory: () => 1 }] })',
      'export class AppModule {}',
    ].join('\n');
    const clues = cluesOf(text);
    expect(clues.env).toEqual([
      { at: 0, line: 1, name: 'API_TOKEN' },
      { at: 0, line: 2, name: 'DB_PASSWORD' },
    ]);
    expect(clues.providers).toEqual([{ at: 2, line: 4, provide: 'APP_GUARD', useClass: 'RolesGuard' }]);
  });

  it("points at a class's site, its extends call and its constructor's super call, and at decorator compositions with their declarations", () => {
    const text = [
      "import { Strategy } from 'passport-jwt';",
      '@Injectable()',
      "export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') implements OnModuleInit {",
      '  constructor() {',
      '    super({ secretOrKey: process.env.JWT_SECRET });',
      '    if (x) super.init();',
      '  }',
      '}',
      'export function Auth(...roles) {',
      '  return applyDecorators(SetMetadata(roles), UseGuards(AuthGuard()));',
      '}',
      'export const Open = () => applyDecorators(Public());',
      'class Plain {}',
    ].join('\n');
    const index = indexOf('src/jwt.strategy.ts', text);
    const { classes, compositions } = index.sites.clues;
    const sites = index.sites.sites;
    expect(classes).toEqual([{ at: 0, nameLine: 3, heritage: ['OnModuleInit'], extendsAt: 2, supers: [3] }]);
    expect(sites[0]).toMatchObject({ k: 'class', name: 'JwtStrategy' });
    expect(sites[2]).toMatchObject({ k: 'call', name: 'PassportStrategy' });
    expect(sites[3]).toMatchObject({ k: 'call', name: '', line: 5 });
    expect(compositions.map((c) => [sites[c.at]?.k === 'call' && sites[c.at]!.line, c.owner])).toEqual([
      [10, 'Auth'],
      [12, 'Open'],
    ]);
    // Plain data: the clues survive the index's JSON.
    expect(indexFromJSON(indexToJSON(index)).sites.clues).toEqual(index.sites.clues);
  });

  it('points only at sites of the kind a clue names, on every fixture script', () => {
    let checked = 0;
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.[cm]?[jt]sx?$/.test(e.name) && !e.name.endsWith('.d.ts')) {
          const index = indexOf(path.relative(FIXTURES, p), fs.readFileSync(p, 'utf8'));
          const { sites } = index.sites;
          const { clues } = index.sites;
          const all = [...clues.strings, ...clues.env, ...clues.providers, ...clues.compositions, ...clues.classes];
          for (const c of all) expect(c.at).toBeLessThanOrEqual(sites.length);
          for (const c of clues.classes) {
            expect(sites[c.at]?.k).toBe('class');
            for (const j of [...(c.extendsAt === undefined ? [] : [c.extendsAt]), ...c.supers]) expect(sites[j]?.k).toBe('call');
          }
          for (const c of clues.compositions) expect(sites[c.at]).toMatchObject({ k: 'call', name: 'applyDecorators' });
          checked++;
        }
      }
    };
    walk(FIXTURES);
    expect(checked).toBeGreaterThan(100);
  });
});
