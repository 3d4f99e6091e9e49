/**
 * Templates compiled once: the build's compiled code is used while a template's text is what was
 * compiled, a changed template is compiled afresh, and users' directories come first. (The golden
 * documents are rendered from the build's compiled templates: `npm test` builds first.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPILE_OPTIONS, precompileTemplates, templateStats, TemplateLoader, type Compiled } from '../src/render/loader.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-templates-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dir(name: string, files: Record<string, string>): string {
  const d = path.join(tmp, name);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    fs.writeFileSync(path.join(d, f), text);
  }
  return d;
}

function render(loader: TemplateLoader, name: string, vars: object = {}): string {
  return new nunjucks.Environment(loader as unknown as nunjucks.ILoader, { autoescape: false, ...COMPILE_OPTIONS }).render(name, vars);
}

describe('template loader', () => {
  it('uses the compiled code while the text matches, and compiles a changed template afresh', () => {
    const builtin = dir('builtin-a', { 'doc.njk': 'Hello {{ who }}\n{% include "partials/p.njk" %}', 'partials/p.njk': 'from the partial' });
    const compiled = precompileTemplates(builtin);
    expect(Object.keys(compiled)).toEqual(['doc.njk', 'partials/p.njk']);
    // The compiled code is what runs: swap the partial's code for another template's (hash kept).
    const other = precompileTemplates(dir('other-a', { 'partials/p.njk': 'compiled code, not the file' }));
    const swapped: Compiled = { ...compiled, 'partials/p.njk': { ...compiled['partials/p.njk']!, code: other['partials/p.njk']!.code } };
    const before = { ...templateStats };
    expect(render(new TemplateLoader([builtin], { dir: builtin, compiled: swapped }), 'doc.njk', { who: 'you' })).toBe(
      'Hello you\ncompiled code, not the file',
    );
    expect(templateStats.precompiled - before.precompiled).toBe(2);
    expect(templateStats.compiled - before.compiled).toBe(0);

    // The partial changed after the build: its stale code is not used.
    fs.writeFileSync(path.join(builtin, 'partials/p.njk'), 'edited since the build');
    expect(render(new TemplateLoader([builtin], { dir: builtin, compiled: swapped }), 'doc.njk', { who: 'you' })).toBe('Hello you\nedited since the build');
    expect(templateStats.compiled - before.compiled).toBe(1);
  });

  it('searches users’ directories first, resolves relative includes beside the template, and never outside a directory', () => {
    const builtin = dir('builtin-b', {
      'doc.njk': '{% include "sections/s.njk" %}|{% include "partials/q.njk" %}',
      'sections/s.njk': 'built-in section',
      'partials/q.njk': 'built-in partial',
    });
    const user = dir('user-b', { 'sections/s.njk': 'user section {% include "./near.njk" %}', 'sections/near.njk': 'beside it' });
    const loader = new TemplateLoader([user, builtin], { dir: builtin, compiled: precompileTemplates(builtin) });
    expect(render(loader, 'doc.njk')).toBe('user section beside it|built-in partial');
    expect(loader.getSource('../builtin-a/doc.njk')).toBeNull();
    // A sibling directory whose name starts with the templates directory's, and a directory itself.
    dir('user-b-sibling', { 'x.njk': 'outside' });
    expect(loader.getSource('../user-b-sibling/x.njk')).toBeNull();
    expect(loader.getSource('sections')).toBeNull();
    expect(loader.getSource('missing.njk')).toBeNull();
  });

  it('names the template and line of a syntax error', () => {
    const builtin = dir('builtin-c', { 'doc.njk': 'before {% include "sections/s.njk" %}' });
    const user = dir('user-c', { 'sections/s.njk': 'fine\n{% if %}broken' });
    const loader = new TemplateLoader([user, builtin], { dir: builtin, compiled: precompileTemplates(builtin) });
    expect(() => render(loader, 'doc.njk')).toThrow(`(${path.join(user, 'sections', 's.njk')}) [Line 2, Column 7]`);
  });
});
