/** Reading hcl2json values: literals versus expressions, never secrets. */

/** The first element when hcl2json wrapped a block in an array. */
export function one(v: unknown): Record<string, unknown> | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

/** Every block of a nested block list. */
export function many(v: unknown): Record<string, unknown>[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x));
}

/** Follow a path of attribute / nested block names. */
export function at(body: Record<string, unknown> | undefined, ...path: string[]): unknown {
  let cur: unknown = body;
  for (const p of path) {
    const rec = one(cur);
    if (!rec) return undefined;
    cur = rec[p];
  }
  return cur;
}

/** True when a value is an interpolation (`${var.x}`) rather than a literal. */
export function isExpression(v: unknown): boolean {
  return typeof v === 'string' && v.includes('${');
}

/**
 * A value for display: literals as they are; a whole-expression string as its expression text
 * (`var.instance_class`), so a reader sees where the value comes from without any variable default.
 */
export function show(v: unknown): string | number | boolean | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const whole = /^\$\{([\s\S]*)\}$/.exec(v);
  if (whole && !whole[1]!.includes('${')) return whole[1]!.trim();
  return v;
}

export function showString(v: unknown): string | undefined {
  const s = show(v);
  return s === undefined ? undefined : String(s);
}

export function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}

export function isFalse(v: unknown): boolean {
  return v === false || v === 'false';
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** A name with its interpolations dropped: `${var.env}-order-events` → `order-events`. */
export function literalName(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const stripped = v
    .replace(/\$\{[^}]*\}/g, ' ')
    .trim()
    .replace(/\s+/g, '-')
    .replace(/([-_./])[-_./]+/g, '$1')
    .replace(/^[-_./]+|[-_./]+$/g, '');
  return stripped === '' ? undefined : stripped;
}

/** Every string inside a value, in document order (for reference scanning), found without recursion. */
export function allStrings(v: unknown, out: string[] = []): string[] {
  const todo: unknown[] = [v];
  while (todo.length > 0) {
    const x = todo.pop();
    if (typeof x === 'string') out.push(x);
    else if (typeof x === 'object' && x !== null) {
      const items = Array.isArray(x) ? x : Object.values(x);
      for (let i = items.length - 1; i >= 0; i--) todo.push(items[i]);
    }
  }
  return out;
}
