/** Value readers particular to the ORM shape handlers, over the expressions of the index (src/analysis/shapes.ts). */
import { lastName, str, type Expr } from '../../src/analysis/shapes.js';

/**
 * The string a name stands for: a literal, or an identifier bound by a top-level constant of the
 * same file holding a literal (`const MODEL_NAME = 'Site'`).
 */
export function constString(e: Expr | undefined, consts: ReadonlyMap<string, Expr>): string | undefined {
  const s = str(e);
  if (s !== undefined || e?.k !== 'id') return s;
  return str(consts.get(e.name));
}

/** A literal default as a reader would write it; undefined for anything computed. */
export function literalText(e: Expr | undefined, enums?: Map<string, Map<string, string>>): string | undefined {
  if (!e) return undefined;
  if (e.k === 'str') return e.v;
  if (e.k === 'num') return e.text;
  if (e.k === 'bool') return String(e.v);
  if (e.k === 'null') return 'null';
  if (e.k === 'member' && e.e.k === 'id') {
    const members = enums?.get(e.e.name);
    if (members) return members.get(e.name) ?? e.name;
  }
  return undefined;
}

/**
 * A literal default kept as plain data until every enum is known: its text, or the enum member it
 * names (`OrderStatus.Pending`), which `litText` reads once the enums are in.
 */
export type Lit = string | { enum: string; member: string };

export function literalOf(e: Expr | undefined): Lit | undefined {
  const text = literalText(e);
  if (text !== undefined || !e) return text;
  return e.k === 'member' && e.e.k === 'id' ? { enum: e.e.name, member: e.name } : undefined;
}

/** What `literalText` would have read with these enums. */
export function litText(lit: Lit | undefined, enums: Map<string, Map<string, string>>): string | undefined {
  if (lit === undefined || typeof lit === 'string') return lit;
  const members = enums.get(lit.enum);
  return members ? (members.get(lit.member) ?? lit.member) : undefined;
}

/** The target of `() => Customer` / `(type) => Customer` / `'Customer'` / `Customer`. */
export function arrowTarget(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'fn') {
    const body = e.body ?? e.ret;
    return body ? (lastName(body) ?? str(body)) : undefined;
  }
  return str(e) ?? lastName(e);
}
