/**
 * What messaging's rules hand each other: a channel name's resolved values (`Val`), with the
 * environment variable each is read from and the call sites or subclasses it came through, and
 * places in the repository (`Loc`).
 */

export interface Loc {
  file: string;
  line: number;
}

/** A resolved value: the string, and/or the environment variable NAME it is read from. */
export interface Val {
  text?: string;
  env?: string;
  /** Where the repository declares the variable's value (`.env.example`, compose `environment:`). */
  declaredAt?: Loc;
  /** No value is known: the expression as written, kept as the channel's label. */
  expr?: string;
  /** Call sites or subclasses the value was passed through, innermost first. */
  via: Loc[];
}

/** Test-like names left among production files (`*.e2e-foo.ts`); test folders are set aside by file roles. */
export function isTest(file: string): boolean {
  return /\.(e2e|spec|test)(-[a-z]+)*\.[cm]?[jt]sx?$/.test(file);
}

/** Values once each (by text, variable and the sites they came through), in order. */
export function dedupe(vals: Val[]): Val[] {
  const seen = new Set<string>();
  const out: Val[] = [];
  for (const v of vals) {
    const k = `${v.text ?? ''}\u0000${v.env ?? ''}\u0000${v.via.map((l) => `${l.file}:${l.line}`).join(',')}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}
