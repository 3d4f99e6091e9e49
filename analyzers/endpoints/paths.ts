/** Route path helpers shared by every framework and by spec matching. */
import { replaceSpans } from '../../src/util/linear-scan.js';

export const HTTP_VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'ALL', 'SEARCH', 'TRACE'];

/** Join mount prefixes and a route path into one served path: `/api` + `orders/` + `/:id`. */
export function joinPath(...parts: (string | undefined)[]): string {
  const segs: string[] = [];
  for (const p of parts) {
    if (!p) continue;
    for (const s of p.split('/')) if (s !== '') segs.push(s);
  }
  return '/' + segs.join('/');
}

/** Drop regular-expression constraints from parameters: `:id(\\d+)` and `:id{[0-9]+}` → `:id`. */
export function cleanParams(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if ((c === '(' || c === '{') && /:[A-Za-z0-9_]+$/.test(out)) {
      const close = c === '(' ? ')' : '}';
      let depth = 0;
      let j = i;
      for (; j < path.length; j++) {
        if (path[j] === c) depth++;
        else if (path[j] === close && --depth === 0) break;
      }
      i = j;
      continue;
    }
    out += c;
  }
  return out;
}

/** OpenAPI template parameters to the colon style used by code: `/orders/{id}` → `/orders/:id`. */
export function toColonParams(path: string): string {
  return replaceSpans(path, [{ open: '{', close: '}', without: '/', nonEmpty: true }], (_m, name) => ':' + name);
}

/** Matching key: parameters of any name become `:`, the trailing slash is dropped. */
export function pathShape(path: string): string {
  const p = toColonParams(path)
    .replace(/:[A-Za-z0-9_]+[?*+]?/g, ':')
    .replace(/(?<!\/)\/+$/, '');
  return p === '' ? '/' : p;
}
