/**
 * Authorisation: NestJS guards (`CanActivate` classes, `@UseGuards`, `APP_GUARD`, and custom
 * decorators declared as `applyDecorators(…, UseGuards(…))`, settled once every file is read), role
 * and permission decorators and middleware with the role names, CASL and casbin.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { sortedUnique } from '../../src/model/compare.js';
import type { Evidence } from '../../src/model/schema.js';
import type { Clues } from '../../src/analysis/clues.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { strings, type Call, type CallSite, type ClassSite, type Opt, type SiteDecorator } from '../../src/analysis/sites.js';
import { isName } from './authentication.js';
import { at, type GuardDecorator, type RunState, type SiteRules, type SiteScope } from './state.js';
import { idOf } from '../../src/model/ids.js';

/**
 * The call site a reading of an argument is (`AuthGuard('jwt')` inside `@UseGuards(…)`): the
 * `nth` call after site `from` with its callee, written on its line.
 */
function callOf(s: SiteScope, from: number, o: Opt, nth = 0): CallSite | undefined {
  const { sites } = s.sites;
  for (let j = from + 1, seen = 0; j < sites.length; j++) {
    const x = sites[j]!;
    if (x.k === 'call' && x.name === o.callee && x.line === o.line && seen++ === nth) return x;
  }
  return undefined;
}

/** Guard names of `@UseGuards(...)` decorators: `AuthGuard(jwt)`, `RolesGuard`; `from` is the class's site. */
export function guardNames(s: SiteScope, decos: readonly SiteDecorator[], from: number): string[] {
  const out: string[] = [];
  for (const d of decos) {
    if (d.name !== 'UseGuards') continue;
    d.args.forEach((a, k) => {
      if (a.callee === 'AuthGuard' && !a.isNew) {
        // Earlier `AuthGuard(…)` arguments on the same line are the calls before this one.
        const nth = d.args.slice(0, k).filter((b) => b.callee === 'AuthGuard' && !b.isNew && b.line === a.line).length;
        out.push(`AuthGuard(${callOf(s, from, a, nth)?.args[0]?.str ?? ''})`);
      } else if (a.label) out.push(a.label.replace(/^new |\(\)$/g, ''));
    });
  }
  return out;
}

/** A module specifier naming an installed package (`@nestjs/common`, `lodash/fp`), not a repository path or alias. */
function isPackageImport(ctx: AnalyzerContext, spec: string): boolean {
  if (spec.startsWith('.') || spec.startsWith('/')) return false;
  const parts = spec.split('/');
  const pkg = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return ctx.dependsOn(pkg) || spec.startsWith('node:');
}

/** A function or variable declared at the top of the file (`export function RequiresScope`, `export const Auth = …`). */
function declaredHere(index: FileIndex, name: string): boolean {
  const fn = index.functions.get(`${index.file}#${name}`);
  return (fn !== undefined && fn.parent === undefined && !fn.cls) || index.vars.has(name);
}

/** Decorators that may be custom ones applying guards (resolved by name once every file is read). */
function noteDecoratorUses(s: SiteScope, decos: readonly SiteDecorator[], where: string): void {
  for (const d of decos) {
    if (/^(UseGuards|SetMetadata|Controller|Get|Post|Put|Patch|Delete|All|Throttle|Roles|Api\w*)$/.test(d.name)) continue;
    const b = s.index.imports.get(d.name);
    // Imported from the repository (a relative path or an alias), or declared in this file.
    const local = !b && declaredHere(s.index, d.name);
    if (!local && (!b || isPackageImport(s.ctx, b.module))) continue;
    s.st.decoratorUses.push({ name: d.name, where, file: s.file, line: d.line, component: s.component, imported: !local });
  }
}

function noteGuards(s: SiteScope, guards: string[], decos: readonly SiteDecorator[], where: string): void {
  const d = decos.find((x) => x.name === 'UseGuards');
  if (!d) return;
  for (const g of guards) {
    s.c.add(idOf.security('guard', g), 'authorisation', `Guard ${g}`, at(s, d), { ...s.comp, details: { appliedTo: [where] } });
    const strat = /^AuthGuard\((.*)\)$/.exec(g);
    if (strat && strat[1])
      s.c.add(idOf.security('passport', strat[1]), 'authentication', `Passport ${strat[1]} strategy`, at(s, d), {
        tech: 'passport',
        ...s.comp,
        details: { strategy: strat[1] },
      });
  }
}

function noteRoles(s: SiteScope, decos: readonly SiteDecorator[]): void {
  for (const d of decos) {
    if (!/^(Roles|Role|HasRoles|RequireRoles|Permissions|RequirePermissions|HasPermissions|Scopes|CheckPolicies|Policies)$/.test(d.name)) continue;
    const values: string[] = [];
    for (const a of d.args) {
      if (a.str !== undefined) values.push(a.str);
      // A member of an enum or object (`Role.Admin`).
      else if (a.label && a.callee === undefined && a.label.includes('.')) values.push(a.label);
    }
    const kind = /Permission|Scope|Polic/.test(d.name) ? 'permissions' : 'roles';
    s.c.add(idOf.security('rbac', 'decorators'), 'authorisation', 'Role and permission decorators', at(s, d), {
      ...s.comp,
      details: { decorators: [`@${d.name}`], [kind]: values },
    });
  }
}

/** Guards and role decorators of a class and its members; `CanActivate` classes are guards. */
function decoratedClass(s: SiteScope, cls: ClassSite, i: number): void {
  const className = cls.name ?? 'anonymous';
  const clue = s.clues.classes.find((x) => x.at === i);
  if (clue?.heritage.includes('CanActivate')) {
    s.c.add(
      idOf.security('guard', className),
      'authorisation',
      `Guard ${className}`,
      { file: s.file, line: clue.nameLine },
      {
        ...s.comp,
        details: { definedIn: [s.file] },
      },
    );
  }
  const decos = cls.decorators;
  const classGuards = guardNames(s, decos, i);
  noteDecoratorUses(s, decos, className);
  noteGuards(s, classGuards, decos, className);
  noteRoles(s, decos);
  for (const m of cls.members) {
    const mdecos = m.decorators;
    if (mdecos.length === 0) continue;
    const where = `${className}.${m.name || '?'}`;
    noteDecoratorUses(s, mdecos, where);
    noteGuards(s, guardNames(s, mdecos, i), mdecos, where);
    noteRoles(s, mdecos);
  }
}

/** `applyDecorators(SetMetadata(…), UseGuards(AuthGuard('jwt'), …))` returned by a named function or held by a constant. */
function applyDecorators(s: SiteScope, call: Call, i: number): void {
  const owner = s.clues.compositions.find((x) => x.at === i)?.owner;
  if (!owner) return;
  const guards: string[] = [];
  const applies: string[] = [];
  for (const a of call.args) {
    const name = a.callee ?? (isName(a) ? a.label : undefined);
    if (!name || a.isNew) continue;
    if (name === 'UseGuards' && a.callee !== undefined) {
      const use = callOf(s, i, a);
      if (use) guards.push(...guardNames(s, [{ name, line: use.line, args: use.args }], i));
    } else if (!/^(SetMetadata|Api\w*)$/.test(name)) applies.push(name);
  }
  if (guards.length === 0 && applies.length === 0) return;
  const list = s.st.guardDecorators.get(owner) ?? [];
  list.push({ file: s.file, line: call.line, component: s.component, guards, applies });
  s.st.guardDecorators.set(owner, list);
}

function authorisationCall(s: SiteScope, call: Call, i: number): void {
  const { c, comp } = s;
  const { name, last, module, args } = call;
  if (name === 'applyDecorators') applyDecorators(s, call, i);
  // casbin enforcer / CASL abilities
  if (module === 'casbin' && last === 'newEnforcer') {
    const model = args[0]?.str;
    c.add('security:policy:casbin', 'authorisation', 'Policy-based access control with casbin', at(s, call), {
      tech: 'casbin',
      ...comp,
      details: model ? { model } : {},
    });
  }
  if (module === '@casl/ability' && /^(defineAbility|createMongoAbility|defineAbilityFor)$/.test(last)) {
    c.add('security:policy:casl', 'authorisation', 'Attribute-based access control with CASL', at(s, call), { tech: 'casl', ...comp });
  }
  // Role middleware: requireRole('admin'), authorize(['admin']), hasRole('x'), checkPermission('p')
  if (
    /^(auth|requireRoles?|authori[sz]e|hasRoles?|checkRoles?|allowRoles?|restrictTo|roleGuard|requirePermissions?|checkPermissions?|hasPermissions?|permit)$/.test(
      name,
    )
  ) {
    const values: string[] = [];
    for (const a of args) {
      if (a.str !== undefined) values.push(a.str);
      else values.push(...(strings(a) ?? []));
    }
    if (values.length > 0) {
      const kind = /ermission|permit/i.test(name) ? 'permissions' : 'roles';
      c.add('security:rbac:middleware', 'authorisation', 'Role and permission middleware', at(s, call), {
        ...comp,
        details: { middleware: [name], [kind]: values },
      });
    }
  }
}

export const authorisation: SiteRules = {
  onImport(s, m, where) {
    if (m === '@casl/ability') s.c.add('security:policy:casl', 'authorisation', 'Attribute-based access control with CASL', where, { tech: 'casl', ...s.comp });
    if (m === 'casbin' || m === 'nest-casbin')
      s.c.add('security:policy:casbin', 'authorisation', 'Policy-based access control with casbin', where, { tech: 'casbin', ...s.comp });
  },
  onClass: decoratedClass,
  onCall: authorisationCall,
  // { provide: APP_GUARD, useClass: RolesGuard } (a ThrottlerGuard there is rate limiting)
  onProvider(s, p) {
    const guard = appGuard(p);
    if (guard && !/Throttler/.test(guard))
      s.c.add(idOf.security('guard', guard), 'authorisation', `Guard ${guard}`, at(s, p), { ...s.comp, details: { scope: 'global (APP_GUARD)' } });
  },
};

/** The guard class of `{ provide: APP_GUARD, useClass: X }`, else undefined. */
export function appGuard(p: Clues['providers'][number]): string | undefined {
  return p.provide === 'APP_GUARD' ? (p.useClass ?? 'guard') : undefined;
}

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
