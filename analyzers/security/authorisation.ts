/**
 * Authorisation: NestJS guards (`CanActivate` classes, `@UseGuards`, `APP_GUARD`, and custom
 * decorators declared as `applyDecorators(…, UseGuards(…))`, settled once every file is read), role
 * and permission decorators and middleware with the role names, CASL and casbin.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { sortedUnique } from '../../src/model/compare.js';
import type { Evidence } from '../../src/model/schema.js';
import { calleeName, decoratorsOf, exprLabel, prop, propName, unwrap } from '../../src/analysis/ast.js';
import { stringValues, stringValue, type FileInfo, type Call } from '../../src/analysis/bindings.js';
import { ev, type FileScope, type GuardDecorator, type Rules, type RunState } from './state.js';
import { idOf } from '../../src/model/ids.js';

type Decorators = ReturnType<typeof decoratorsOf>;

/** Guard names of `@UseGuards(...)` decorators: `AuthGuard(jwt)`, `RolesGuard`. */
export function guardNames(decos: readonly { name: string; args: readonly ts.Expression[] }[], info: FileInfo): string[] {
  const out: string[] = [];
  for (const d of decos) {
    if (d.name !== 'UseGuards') continue;
    for (const a of d.args) {
      const n = unwrap(a);
      if (ts.isCallExpression(n) && calleeName(n) === 'AuthGuard') out.push(`AuthGuard(${stringValue(n.arguments[0], info) ?? ''})`);
      else {
        const l = exprLabel(n);
        if (l) out.push(l.replace(/^new |\(\)$/g, ''));
      }
    }
  }
  return out;
}

/** The guard class of `{ provide: APP_GUARD, useClass: X }`, else undefined. */
export function appGuard(obj: ts.ObjectLiteralExpression): string | undefined {
  const provide = prop(obj, 'provide');
  const useClass = prop(obj, 'useClass');
  if (!provide || !useClass || !ts.isIdentifier(unwrap(provide)) || (unwrap(provide) as ts.Identifier).text !== 'APP_GUARD') return undefined;
  return exprLabel(useClass) ?? 'guard';
}

/** A module specifier naming an installed package (`@nestjs/common`, `lodash/fp`), not a repository path or alias. */
function isPackageImport(ctx: AnalyzerContext, spec: string): boolean {
  if (spec.startsWith('.') || spec.startsWith('/')) return false;
  const parts = spec.split('/');
  const pkg = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return ctx.dependsOn(pkg) || spec.startsWith('node:');
}

/** Decorators that may be custom ones applying guards (resolved by name once every file is read). */
function noteDecoratorUses(s: FileScope, decos: Decorators, where: string): void {
  const { info } = s;
  for (const d of decos) {
    if (/^(UseGuards|SetMetadata|Controller|Get|Post|Put|Patch|Delete|All|Throttle|Roles|Api\w*)$/.test(d.name)) continue;
    const b = info.bindings.get(d.name);
    // Imported from the repository (a relative path or an alias), or declared in this file.
    const local =
      !b &&
      info.sf.statements.some(
        (x) =>
          (ts.isFunctionDeclaration(x) && x.name?.text === d.name) ||
          (ts.isVariableStatement(x) && x.declarationList.declarations.some((v) => ts.isIdentifier(v.name) && v.name.text === d.name)),
      );
    if (!local && (!b || isPackageImport(s.ctx, b.module))) continue;
    s.st.decoratorUses.push({ name: d.name, where, file: info.file, line: info.line(d.node), component: s.component, imported: !local });
  }
}

function noteGuards(s: FileScope, guards: string[], decos: Decorators, where: string): void {
  const d = decos.find((x) => x.name === 'UseGuards');
  if (!d) return;
  for (const g of guards) {
    s.c.add(idOf.security('guard', g), 'authorisation', `Guard ${g}`, ev(s.info, d.node), { ...s.comp, details: { appliedTo: [where] } });
    const strat = /^AuthGuard\((.*)\)$/.exec(g);
    if (strat && strat[1])
      s.c.add(idOf.security('passport', strat[1]), 'authentication', `Passport ${strat[1]} strategy`, ev(s.info, d.node), {
        tech: 'passport',
        ...s.comp,
        details: { strategy: strat[1] },
      });
  }
}

function noteRoles(s: FileScope, decos: Decorators): void {
  for (const d of decos) {
    if (!/^(Roles|Role|HasRoles|RequireRoles|Permissions|RequirePermissions|HasPermissions|Scopes|CheckPolicies|Policies)$/.test(d.name)) continue;
    const values: string[] = [];
    for (const a of d.args) {
      const v = stringValue(a, s.info);
      if (v !== undefined) values.push(v);
      else {
        const l = exprLabel(a);
        if (l && ts.isPropertyAccessExpression(unwrap(a))) values.push(l);
      }
    }
    const kind = /Permission|Scope|Polic/.test(d.name) ? 'permissions' : 'roles';
    s.c.add(idOf.security('rbac', 'decorators'), 'authorisation', 'Role and permission decorators', ev(s.info, d.node), {
      ...s.comp,
      details: { decorators: [`@${d.name}`], [kind]: values },
    });
  }
}

/** Guards and role decorators of a class and its members; `CanActivate` classes are guards. */
function decoratedClass(s: FileScope, cls: ts.ClassDeclaration): void {
  const { info } = s;
  const className = cls.name?.text ?? 'anonymous';
  const implementsCanActivate = cls.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText(info.sf) === 'CanActivate'));
  if (implementsCanActivate) {
    s.c.add(idOf.security('guard', className), 'authorisation', `Guard ${className}`, ev(info, cls.name ?? cls), {
      ...s.comp,
      details: { definedIn: [info.file] },
    });
  }
  const decos = decoratorsOf(cls);
  const classGuards = guardNames(decos, info);
  noteDecoratorUses(s, decos, className);
  noteGuards(s, classGuards, decos, className);
  noteRoles(s, decos);
  for (const m of cls.members) {
    const mdecos = decoratorsOf(m);
    if (mdecos.length === 0) continue;
    const where = `${className}.${m.name && propName(m.name) ? propName(m.name) : '?'}`;
    noteDecoratorUses(s, mdecos, where);
    noteGuards(s, guardNames(mdecos, info), mdecos, where);
    noteRoles(s, mdecos);
  }
}

/** `applyDecorators(SetMetadata(…), UseGuards(AuthGuard('jwt'), …))` returned by a named function or held by a constant. */
function applyDecorators(s: FileScope, node: ts.CallExpression): void {
  let owner: string | undefined;
  for (let p: ts.Node | undefined = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isFunctionDeclaration(p)) {
      owner = p.name?.text;
      break;
    }
    if (ts.isVariableDeclaration(p)) {
      owner = ts.isIdentifier(p.name) ? p.name.text : undefined;
      break;
    }
    if (ts.isClassLike(p) || ts.isMethodDeclaration(p)) break;
  }
  if (!owner) return;
  const guards: string[] = [];
  const applies: string[] = [];
  for (const a of node.arguments) {
    const x = unwrap(a);
    const name = ts.isCallExpression(x) ? calleeName(x) : ts.isIdentifier(x) ? x.text : undefined;
    if (!name) continue;
    if (name === 'UseGuards' && ts.isCallExpression(x)) guards.push(...guardNames([{ name, args: x.arguments }], s.info));
    else if (!/^(SetMetadata|Api\w*)$/.test(name)) applies.push(name);
  }
  if (guards.length === 0 && applies.length === 0) return;
  const list = s.st.guardDecorators.get(owner) ?? [];
  list.push({ file: s.info.file, line: s.info.line(node), component: s.component, guards, applies });
  s.st.guardDecorators.set(owner, list);
}

function authorisationCall(s: FileScope, { node, name, last, binding: b, args }: Call): void {
  const { c, info, comp } = s;
  if (name === 'applyDecorators') applyDecorators(s, node);
  // casbin enforcer / CASL abilities
  if (b?.module === 'casbin' && last === 'newEnforcer') {
    const model = stringValue(args[0], info);
    c.add('security:policy:casbin', 'authorisation', 'Policy-based access control with casbin', ev(info, node), {
      tech: 'casbin',
      ...comp,
      details: model ? { model } : {},
    });
  }
  if (b?.module === '@casl/ability' && /^(defineAbility|createMongoAbility|defineAbilityFor)$/.test(last)) {
    c.add('security:policy:casl', 'authorisation', 'Attribute-based access control with CASL', ev(info, node), { tech: 'casl', ...comp });
  }
  // Role middleware: requireRole('admin'), authorize(['admin']), hasRole('x'), checkPermission('p')
  if (
    /^(auth|requireRoles?|authori[sz]e|hasRoles?|checkRoles?|allowRoles?|restrictTo|roleGuard|requirePermissions?|checkPermissions?|hasPermissions?|permit)$/.test(
      name,
    )
  ) {
    const values: string[] = [];
    for (const a of args) {
      const v = stringValue(a, info);
      if (v !== undefined) values.push(v);
      else values.push(...(stringValues(a, info) ?? []));
    }
    if (values.length > 0) {
      const kind = /ermission|permit/i.test(name) ? 'permissions' : 'roles';
      c.add('security:rbac:middleware', 'authorisation', 'Role and permission middleware', ev(info, node), {
        ...comp,
        details: { middleware: [name], [kind]: values },
      });
    }
  }
}

export const authorisation: Rules = {
  onImport(s, m, at) {
    if (m === '@casl/ability') s.c.add('security:policy:casl', 'authorisation', 'Attribute-based access control with CASL', at, { tech: 'casl', ...s.comp });
    if (m === 'casbin' || m === 'nest-casbin')
      s.c.add('security:policy:casbin', 'authorisation', 'Policy-based access control with casbin', at, { tech: 'casbin', ...s.comp });
  },
  onClass: decoratedClass,
  onCall: authorisationCall,
  // { provide: APP_GUARD, useClass: RolesGuard } (a ThrottlerGuard there is rate limiting)
  onObject(s, obj) {
    const guard = appGuard(obj);
    if (guard && !/Throttler/.test(guard))
      s.c.add(idOf.security('guard', guard), 'authorisation', `Guard ${guard}`, ev(s.info, obj), { ...s.comp, details: { scope: 'global (APP_GUARD)' } });
  },
};

/**
 * Guards applied through custom decorators (`@RequiresScope(…)` declared elsewhere as
 * `applyDecorators(UseGuards(AuthGuard('jwt'), …))`): matched by name, only when exactly one such
 * declaration carries the name (in the user's component, else in the repository), and followed
 * through custom decorators that apply others, a few levels deep.
 */
export function customGuardDecorators(st: RunState): void {
  const { c } = st;
  const declOf = (name: string, component: string | undefined): GuardDecorator | undefined => {
    const all = st.guardDecorators.get(name) ?? [];
    const own = all.filter((d) => d.component === component);
    const pick = own.length > 0 ? own : all;
    return pick.length === 1 ? pick[0] : undefined;
  };
  const guardsOf = (name: string, component: string | undefined, depth: number, seen: Set<string>): { guards: string[]; at: Evidence[] } => {
    const d = depth > 4 || seen.has(name) ? undefined : declOf(name, component);
    if (!d) return { guards: [], at: [] };
    seen.add(name);
    const out = { guards: [...d.guards], at: [{ file: d.file, line: d.line }] };
    for (const inner of d.applies) {
      const sub = guardsOf(inner, d.component, depth + 1, seen);
      out.guards.push(...sub.guards);
      out.at.push(...sub.at);
    }
    return out;
  };
  for (const use of st.decoratorUses) {
    const { guards, at } = guardsOf(use.name, use.component, 0, new Set());
    const comp = use.component ? { component: use.component } : {};
    for (const g of sortedUnique(guards)) {
      const e = { file: use.file, line: use.line };
      c.add(idOf.security('guard', g), 'authorisation', `Guard ${g}`, e, { ...comp, details: { appliedTo: [use.where], appliedThrough: [`@${use.name}`] } });
      for (const a of at) c.add(idOf.security('guard', g), 'authorisation', `Guard ${g}`, a);
      const strat = /^AuthGuard\((.*)\)$/.exec(g);
      if (strat && strat[1])
        c.add(idOf.security('passport', strat[1]), 'authentication', `Passport ${strat[1]} strategy`, e, {
          tech: 'passport',
          ...comp,
          details: { strategy: strat[1] },
        });
    }
  }
}
