/**
 * State transitions of enum-typed status/state fields, only where code makes them statically
 * clear: a write that sets the field to a literal state, guarded by the previous state in the
 * same statement (`where: { status: 'PENDING' }`, `.where(eq(t.status, 'PENDING'))`) or by an
 * enclosing or preceding `if` on the field (`if (order.status !== 'PENDING') throw …`).
 * A write without such a guard is not a transition: nothing is ever inferred. A create with a
 * literal state is recorded as an entry transition (`[*]` → state).
 */
import ts from '../analyzer/typescript.cjs';
import type { AnalyzerContext } from '../analyzer/context.js';
import { compareStrings, sortedEvidence } from '../model/compare.js';
import type { Evidence } from '../model/schema.js';

export interface StateMachineInput {
  entityId: string;
  /** Property name used in code. */
  field: string;
  values: string[];
  /** Enum type name, for `OrderStatus.PAID`-style references. */
  enumName?: string;
  /** Enum member → stored value (TypeScript enums with string initialisers). */
  members?: Map<string, string>;
  /** Prisma client delegate (`prisma.order`) or other receiver names that identify the entity. */
  delegates?: string[];
}

export interface FoundTransition {
  from: string;
  to: string;
  evidence: Evidence[];
}

const UPDATE_TWO_ARGS = new Set(['update', 'updateOne', 'updateMany', 'findOneAndUpdate', 'findByIdAndUpdate']);
const PRISMA_WRITES = new Set(['update', 'updateMany', 'upsert', 'create', 'createMany']);

export function machineKey(entityId: string, field: string): string {
  return `${entityId}\u0000${field}`;
}

function propName(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** Find transitions for all machines in one pass over the non-test sources that mention a field. */
export function findTransitions(ctx: AnalyzerContext, machines: StateMachineInput[]): Map<string, FoundTransition[]> {
  const result = new Map<string, Map<string, FoundTransition>>();
  if (machines.length === 0) return new Map();
  const fields = new Set(machines.map((m) => m.field));

  const literalStates = (e: ts.Expression | undefined, field: string): string[] => {
    if (!e) return [];
    e = unwrap(e);
    const candidates = machines.filter((m) => m.field === field);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
      return candidates.some((m) => m.values.includes(e.text)) ? [e.text] : [];
    }
    if (ts.isPropertyAccessExpression(e)) {
      const member = e.name.text;
      const owner = ts.isIdentifier(e.expression) ? e.expression.text : ts.isPropertyAccessExpression(e.expression) ? e.expression.name.text : undefined;
      for (const m of candidates) {
        if (m.enumName && owner !== m.enumName) continue;
        if (!m.enumName && !m.members) continue;
        const v = m.members?.get(member) ?? member;
        if (m.values.includes(v)) return [v];
      }
      return [];
    }
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => literalStates(x as ts.Expression, field));
    if (ts.isObjectLiteralExpression(e)) {
      // Prisma filters: { in: [...] }, { equals: 'X' }
      const out: string[] = [];
      for (const p of e.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const n = propName(p.name);
        if (n === 'in' || n === 'equals' || n === '$in' || n === '$eq') out.push(...literalStates(p.initializer, field));
      }
      return out;
    }
    return [];
  };

  /** `{ status: X }` inside an object literal (also under `$set`). */
  const statesInObject = (obj: ts.Expression | undefined, field: string): string[] => {
    if (!obj) return [];
    obj = unwrap(obj);
    if (!ts.isObjectLiteralExpression(obj)) return [];
    const out: string[] = [];
    for (const p of obj.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const n = propName(p.name);
      if (n === field) out.push(...literalStates(p.initializer, field));
      else if (n === '$set') out.push(...statesInObject(p.initializer, field));
    }
    return out;
  };
  const objectProp = (obj: ts.Expression | undefined, name: string): ts.Expression | undefined => {
    if (!obj) return undefined;
    obj = unwrap(obj);
    if (!ts.isObjectLiteralExpression(obj)) return undefined;
    for (const p of obj.properties) if (ts.isPropertyAssignment(p) && propName(p.name) === name) return p.initializer;
    return undefined;
  };

  /** Does `e` read the field (`x.status`, `status`)? */
  const readsField = (e: ts.Expression, field: string): boolean => {
    e = unwrap(e);
    return (ts.isPropertyAccessExpression(e) && e.name.text === field) || (ts.isIdentifier(e) && e.text === field);
  };

  /** States a condition requires the field to be in (`===`/`||`/`includes`); negated gives `!==`/`&&`. */
  const condStates = (c: ts.Expression, field: string, negated: boolean): string[] | undefined => {
    c = unwrap(c);
    if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) return condStates(c.operand, field, !negated);
    if (ts.isBinaryExpression(c)) {
      const op = c.operatorToken.kind;
      const eq = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
      const ne = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      if (eq || ne) {
        const side = readsField(c.left, field) ? c.right : readsField(c.right, field) ? c.left : undefined;
        if (!side) return undefined;
        const s = literalStates(side, field);
        if (s.length !== 1) return undefined;
        return (eq && !negated) || (ne && negated) ? s : undefined;
      }
      const joiner = negated ? ts.SyntaxKind.AmpersandAmpersandToken : ts.SyntaxKind.BarBarToken;
      if (op === joiner) {
        const l = condStates(c.left, field, negated);
        const r = condStates(c.right, field, negated);
        return l && r ? [...l, ...r] : undefined;
      }
      return undefined;
    }
    if (!negated && ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'includes') {
      const arr = unwrap(c.expression.expression);
      const arg = c.arguments[0];
      if (ts.isArrayLiteralExpression(arr) && arg && readsField(arg, field)) {
        const s = literalStates(arr, field);
        return s.length === arr.elements.length ? s : undefined;
      }
    }
    return undefined;
  };

  const exits = (s: ts.Statement): boolean => {
    if (ts.isThrowStatement(s) || ts.isReturnStatement(s)) return true;
    if (ts.isBlock(s)) return s.statements.length > 0 && exits(s.statements[s.statements.length - 1]!);
    return false;
  };

  /** Previous states from enclosing `if`/`switch` and preceding `if (…) throw` guards. */
  const guardStates = (node: ts.Node, field: string): string[] => {
    let child: ts.Node = node;
    let parent = node.parent;
    while (parent && !ts.isSourceFile(parent)) {
      if (ts.isIfStatement(parent) && parent.thenStatement === child) {
        const s = condStates(parent.expression, field, false);
        if (s) return s;
      }
      if (ts.isIfStatement(parent) && parent.elseStatement === child) {
        const s = condStates(parent.expression, field, true);
        if (s) return s;
      }
      if (ts.isCaseClause(parent) && ts.isCaseBlock(parent.parent) && readsField(parent.parent.parent.expression, field)) {
        const s = literalStates(parent.expression, field);
        if (s.length === 1) return s;
      }
      if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
        const stmts = parent.statements;
        const idx = stmts.indexOf(child as ts.Statement);
        for (let i = idx - 1; i >= 0; i--) {
          const st = stmts[i]!;
          if (ts.isIfStatement(st) && !st.elseStatement && exits(st.thenStatement)) {
            const s = condStates(st.expression, field, true);
            if (s) return s;
          }
        }
      }
      if (ts.isFunctionLike(parent)) break;
      child = parent;
      parent = parent.parent;
    }
    return [];
  };

  const pickMachine = (field: string, to: string, from: string[], delegate?: string): StateMachineInput | undefined => {
    const fits = machines.filter(
      (m) => m.field === field && m.values.includes(to) && from.every((f) => f === '[*]' || m.values.includes(f)),
    );
    if (delegate) {
      const byDelegate = fits.filter((m) => m.delegates?.includes(delegate));
      if (byDelegate.length === 1) return byDelegate[0];
      if (machines.some((m) => m.delegates?.includes(delegate))) return undefined;
    }
    const ids = new Set(fits.map((m) => m.entityId));
    return ids.size === 1 ? fits[0] : undefined;
  };

  const record = (file: string, line: number, field: string, from: string[], to: string[], delegate?: string) => {
    for (const t of new Set(to)) {
      for (const f of new Set(from)) {
        if (f === t) continue;
        const m = pickMachine(field, t, [f], delegate);
        if (!m) continue;
        const key = machineKey(m.entityId, m.field);
        let list = result.get(key);
        if (!list) result.set(key, (list = new Map()));
        const tk = `${f}\u0000${t}`;
        const prev = list.get(tk);
        if (prev) prev.evidence.push({ file, line });
        else list.set(tk, { from: f, to: t, evidence: [{ file, line }] });
      }
    }
  };

  for (const file of ctx.typescriptFiles()) {
    if (ctx.isSetAside(file)) continue;
    const text = ctx.read(file);
    if (!text) continue;
    // Cheap text filter first: the field name and some state value or enum name must appear.
    // With Prisma delegates, a relevant file names one (`.order.`) or the enum type.
    const relevant = (m: StateMachineInput) =>
      text.includes(m.field) &&
      (m.delegates && m.delegates.length > 0
        ? m.delegates.some((d) => text.includes(`.${d}.`)) || (!!m.enumName && text.includes(m.enumName))
        : (!!m.enumName && text.includes(m.enumName)) || m.values.some((v) => text.includes(v)));
    if (!machines.some(relevant)) continue;
    const sf = ctx.sourceFile(file);
    if (!sf) continue;
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;

    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const recv = unwrap(node.expression.expression);
        const args = node.arguments;
        for (const field of fields) {
          // Prisma: prisma.order.update({ where: { status: 'A' }, data: { status: 'B' } })
          if (PRISMA_WRITES.has(method) && args.length === 1 && objectProp(args[0], 'data')) {
            const delegate = ts.isPropertyAccessExpression(recv) ? recv.name.text : undefined;
            const to = statesInObject(objectProp(args[0], 'data'), field);
            if (to.length === 0) continue;
            if (method === 'create' || method === 'createMany') {
              record(file, lineOf(node), field, ['[*]'], to, delegate);
              continue;
            }
            let from = statesInObject(objectProp(args[0], 'where'), field);
            if (from.length === 0) from = guardStates(node, field);
            record(file, lineOf(node), field, from, to, delegate);
            continue;
          }
          // Sequelize: Model.update({ status: 'B' }, { where: { status: 'A' } })
          if (method === 'update' && args.length === 2 && objectProp(args[1], 'where')) {
            const to = statesInObject(args[0], field);
            if (to.length === 0) continue;
            let from = statesInObject(objectProp(args[1], 'where'), field);
            if (from.length === 0) from = guardStates(node, field);
            record(file, lineOf(node), field, from, to);
            continue;
          }
          // TypeORM / Mongoose: repo.update({ id, status: 'A' }, { status: 'B' })
          if (UPDATE_TWO_ARGS.has(method) && args.length >= 2) {
            const to = statesInObject(args[1], field);
            if (to.length === 0) continue;
            let from = statesInObject(args[0], field);
            if (from.length === 0) from = guardStates(node, field);
            record(file, lineOf(node), field, from, to);
            continue;
          }
          // Instance update / Drizzle and Kysely set: x.update({ status }), db.update(t).set({ status }).where(...)
          if ((method === 'update' || method === 'set' || method === 'save') && args.length === 1) {
            const to = statesInObject(args[0], field);
            if (to.length === 0) continue;
            let from: string[] = [];
            // Walk the rest of the chain: .set({...}).where(...).where(...)
            let outer: ts.Node = node;
            while (method === 'set' && ts.isPropertyAccessExpression(outer.parent) && ts.isCallExpression(outer.parent.parent)) {
              if (outer.parent.name.text === 'where') from.push(...whereStates(outer.parent.parent, field));
              outer = outer.parent.parent;
            }
            if (from.length === 0) from = guardStates(node, field);
            record(file, lineOf(node), field, from, to);
            continue;
          }
        }
      }
      // order.status = 'PAID'
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
        const field = node.left.name.text;
        if (fields.has(field)) {
          const to = literalStates(node.right, field);
          if (to.length === 1) record(file, lineOf(node), field, guardStates(node, field), to);
        }
      }
      ts.forEachChild(node, visit);
    };

    /** Drizzle `eq(t.status, 'A')` / `inArray(t.status, [...])` and Kysely `.where('status', '=', 'A')`. */
    const whereStates = (call: ts.CallExpression, field: string): string[] => {
      const a = call.arguments;
      if (a.length === 3 && ts.isStringLiteral(a[0]!) && a[0].text === field && ts.isStringLiteral(a[1]!) && (a[1].text === '=' || a[1].text === 'in')) {
        return literalStates(a[2], field);
      }
      const out: string[] = [];
      const walk = (n: ts.Node): void => {
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && (n.expression.text === 'eq' || n.expression.text === 'inArray')) {
          const [l, r] = n.arguments;
          if (l && r && readsField(l, field)) out.push(...literalStates(r, field));
        }
        ts.forEachChild(n, walk);
      };
      for (const x of a) walk(x);
      return out;
    };

    visit(sf);
  }

  const out = new Map<string, FoundTransition[]>();
  for (const [key, list] of result) {
    out.set(
      key,
      [...list.values()]
        .map((t) => ({ ...t, evidence: sortedEvidence(t.evidence) }))
        .sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to)),
    );
  }
  return out;
}
