/**
 * The data members of a Java, Kotlin or C# class, from its file's tokens (the polyglot index keeps
 * annotations and their targets, not member types): Java fields (`@Id private Long id;`), Kotlin
 * constructor properties (`val id: Long? = null`), C# auto-properties (`public int Id { get; set; }`),
 * each with its type (generic arguments kept: `List<OrderLine>`) and annotation names. One linear
 * pass over the class body's tokens at its own depth.
 */
import { lex, type PolyglotLanguage, type Token } from '../../../src/analysis/polyglot/lex.js';

export interface Member {
  name: string;
  /** The type as written, generics included (`Set<Tag>`), nullability dropped. */
  type: string;
  /** The element type of a collection (`Set<Tag>` → `Tag`), else the type. */
  element: string;
  many: boolean;
  annotations: string[];
  line: number;
}

const COLLECTIONS = new Set([
  'List',
  'Set',
  'Collection',
  'ICollection',
  'IList',
  'IEnumerable',
  'HashSet',
  'ArrayList',
  'MutableList',
  'MutableSet',
  'IReadOnlyCollection',
]);
const MODIFIERS = new Set([
  'private',
  'protected',
  'public',
  'internal',
  'final',
  'transient',
  'volatile',
  'virtual',
  'required',
  'override',
  'lateinit',
  'open',
]);

/** The type starting at token i (`Map<String, List<X>>`, `int[]`), and the index after it. */
function typeAt(t: readonly Token[], i: number): { text: string; args: string[]; next: number } | undefined {
  if (t[i]?.k !== 'id') return undefined;
  let text = t[i]!.v;
  let j = i + 1;
  while (t[j]?.v === '.' && t[j + 1]?.k === 'id') {
    text = t[j + 1]!.v;
    j += 2;
  }
  const args: string[] = [];
  if (t[j]?.v === '<') {
    let depth = 0;
    const start = j;
    for (; j < t.length && j - start < 64; j++) {
      const v = t[j]!.v;
      if (v === '<') depth++;
      else if (v === '>' || v === '>>') depth -= v.length;
      else if (depth === 1 && t[j]!.k === 'id' && t[j + 1]?.v !== '.') args.push(v);
      if (depth <= 0) break;
    }
    j++;
    text = `${text}<${args.join(', ')}>`;
  }
  while (t[j]?.v === '?' || (t[j]?.v === '[' && t[j + 1]?.v === ']')) j += t[j]!.v === '?' ? 1 : 2;
  return { text, args, next: j };
}

function member(name: string, type: { text: string; args: string[] }, annotations: string[], line: number): Member {
  const base = type.text.split('<')[0]!;
  const many = COLLECTIONS.has(base) && type.args.length === 1;
  return { name, type: type.text, element: many ? type.args[0]! : base, many, annotations, line };
}

/** The members of each class declared in a file, by class name. */
export function classMembers(text: string, language: PolyglotLanguage): Map<string, Member[]> {
  const { tokens: t } = lex(text, language);
  const out = new Map<string, Member[]>();
  for (let i = 0; i < t.length; i++) {
    if (t[i]!.k !== 'id' || (t[i]!.v !== 'class' && t[i]!.v !== 'record') || t[i + 1]?.k !== 'id') continue;
    const name = t[i + 1]!.v;
    const members: Member[] = [];
    let j = i + 2;
    // Kotlin (and C# record) primary constructor: `(@Id val id: Long? = null, var name: String)`.
    if (t[j]?.v === '(') {
      let depth = 0;
      let anns: string[] = [];
      for (; j < t.length; j++) {
        const v = t[j]!.v;
        if (v === '(' || v === '[' || v === '{') depth++;
        else if (v === ')' || v === ']' || v === '}') depth--;
        if (depth === 0) break;
        if (depth !== 1) continue;
        if (v === '@' && t[j + 1]?.k === 'id') anns.push(t[j + 1]!.v);
        else if (v === ',') anns = [];
        else if ((v === 'val' || v === 'var') && t[j + 1]?.k === 'id' && t[j + 2]?.v === ':') {
          const ty = typeAt(t, j + 3);
          if (ty) members.push(member(t[j + 1]!.v, ty, anns, t[j + 1]!.line));
        }
      }
    }
    // The class body.
    while (j < t.length && t[j]!.v !== '{' && t[j]!.v !== ';') j++;
    if (t[j]?.v !== '{') {
      out.set(name, members);
      continue;
    }
    let depth = 0;
    let anns: string[] = [];
    let stmt: Token[] = [];
    for (; j < t.length; j++) {
      const tok = t[j]!;
      const v = tok.v;
      if (v === '{') {
        // C# auto-property: `public Type Name { get; set; }`.
        if (depth === 1 && t[j + 1]?.k === 'id' && /^(get|set|init)$/.test(t[j + 1]!.v)) {
          const ids = stmt.filter((s) => s.k === 'id' && !MODIFIERS.has(s.v));
          const nameTok = stmt[stmt.length - 1];
          const start = stmt.findIndex((s) => s.k === 'id' && !MODIFIERS.has(s.v) && s.v !== 'static' && s.v !== 'const');
          if (nameTok?.k === 'id' && ids.length >= 2 && !stmt.some((s) => s.v === 'static' || s.v === '(')) {
            const ty = typeAt(stmt, start);
            if (ty && ty.next === stmt.length - 1) members.push(member(nameTok.v, ty, anns, nameTok.line));
          }
        }
        depth++;
        stmt = [];
        if (depth === 2) anns = [];
        continue;
      }
      if (v === '}') {
        depth--;
        if (depth === 0) break;
        stmt = [];
        continue;
      }
      if (depth !== 1) continue;
      if (tok.k === 'nl') continue;
      if (v === '[' && language === 'csharp' && stmt.length === 0) {
        // A C# attribute list before a member: `[Key]`, `[Column("x")]`.
        if (t[j + 1]?.k === 'id') anns.push(t[j + 1]!.v);
        let d = 0;
        for (; j < t.length; j++) {
          if (t[j]!.v === '[') d++;
          else if (t[j]!.v === ']' && --d === 0) break;
        }
        continue;
      }
      if (v === '@' && t[j + 1]?.k === 'id') {
        anns.push(t[j + 1]!.v);
        j++;
        // Its arguments.
        if (t[j + 1]?.v === '(') {
          let d = 0;
          for (j++; j < t.length; j++) {
            if (t[j]!.v === '(') d++;
            else if (t[j]!.v === ')' && --d === 0) break;
          }
        }
        continue;
      }
      if (v === ';' || v === '=') {
        // Java field: `[modifiers] Type name;` / `= …;`.
        const start = stmt.findIndex((s) => s.k === 'id' && !MODIFIERS.has(s.v));
        const nameTok = stmt[stmt.length - 1];
        if (language === 'java' && start >= 0 && nameTok?.k === 'id' && !stmt.some((s) => s.v === 'static' || s.v === '(')) {
          const ty = typeAt(stmt, start);
          if (ty && ty.next === stmt.length - 1) members.push(member(nameTok.v, ty, anns, nameTok.line));
        }
        if (v === '=') {
          // Skip the initialiser to the statement's end.
          let d = 0;
          for (j++; j < t.length; j++) {
            const w = t[j]!.v;
            if (w === '(' || w === '{' || w === '[') d++;
            else if (w === ')' || w === '}' || w === ']') d--;
            if (d < 0) {
              j--;
              break;
            }
            if (d === 0 && w === ';') break;
          }
        }
        stmt = [];
        anns = [];
        continue;
      }
      if (v === '(' || v === ')') {
        // A method's header: what follows is no field.
        stmt.push(tok);
        continue;
      }
      stmt.push(tok);
    }
    out.set(name, members);
  }
  return out;
}
