/** Route paths in every language's syntax; the program (names followed across files) is the engine's (src/analysis/polyglot/program.ts). */
export { Program, type Bound } from '../../../src/analysis/polyglot/program.js';

/** A route path in any language's parameter syntax, with `:name` parameters. */
export function colonPath(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '{' || c === '<') {
      const close = path.indexOf(c === '{' ? '}' : '>', i);
      if (close > i) {
        // `{id}`, `{id:int}`, `{id?}`, `{path...}`, `{id:[0-9]+}`, Flask `<int:id>`, `<id>`.
        let inner = path.slice(i + 1, close);
        if (c === '<' && inner.includes(':')) inner = inner.slice(inner.lastIndexOf(':') + 1);
        else if (c === '{' && inner.includes(':')) inner = inner.slice(0, inner.indexOf(':'));
        let name = '';
        for (const ch of inner) if (/[A-Za-z0-9_]/.test(ch)) name += ch;
        out += `:${name || 'param'}`;
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}
