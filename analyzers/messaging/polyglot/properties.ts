/** Spring properties and YAML configuration files read as flat keys (`a.b.c` → value), line by line. */

/** Flat `a.b=c` properties, or the first YAML document's nested scalar keys (`a:` / `  b: c`), into `out` (first wins). */
export function readProperties(text: string, flat: boolean, out: Map<string, string>): void {
  const stack: { indent: number; key: string }[] = [];
  for (const raw of text.split('\n')) {
    const body = raw.trimStart();
    if (!body || body.startsWith('#') || body.startsWith('!')) continue;
    if (flat) {
      const eq = body.search(/[=:]/);
      if (eq > 0) {
        const key = body.slice(0, eq).trim();
        if (!out.has(key)) out.set(key, body.slice(eq + 1).trim());
      }
      continue;
    }
    if (raw.startsWith('---') && stack.length) break;
    if (body.startsWith('- ')) continue;
    const indent = raw.length - body.length;
    const colon = body.indexOf(':');
    if (colon <= 0) continue;
    while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const key = body.slice(0, colon).trim();
    const value = unquote(body.slice(colon + 1).trim());
    const full = [...stack.map((s) => s.key), key].join('.');
    if (value) {
      if (!out.has(full)) out.set(full, value);
    } else stack.push({ indent, key });
  }
}

function unquote(v: string): string {
  const hash = v.indexOf(' #');
  const s = hash >= 0 ? v.slice(0, hash).trim() : v;
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}
