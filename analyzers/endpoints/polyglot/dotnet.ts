/**
 * HTTP routes of ASP.NET Core: attribute-routed controllers (a class deriving `Controller` or
 * `ControllerBase`, or marked `[ApiController]`; `[Route("api/[controller]")]` on the class, its
 * own or inherited, with the `[controller]` and `[action]` tokens; `[HttpGet("{id}")]`… and
 * `[Route]`/`[AcceptVerbs]` on actions, a template starting with `/` or `~/` replacing the
 * class's) and minimal APIs (`app.MapGet/MapPost/MapPut/MapDelete/MapPatch/MapMethods/Map`,
 * `MapGroup(prefix)` chained or bound to a variable). `[Authorize]` and `RequireAuthorization()`
 * are the authentication that applies; `[AllowAnonymous]` and `AllowAnonymous()` opt out.
 */
import type { PAnnotation, PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import { joinPath } from '../paths.js';
import type { Found } from '../types.js';
import { colonPath, type Program } from './program.js';

export function dotnetWants(text: string): boolean {
  return text.includes('Microsoft.AspNetCore') || text.includes('ControllerBase') || text.includes('.MapGet(') || text.includes('[Http');
}

const VERB_ATTRIBUTES = new Map([
  ['HttpGet', 'GET'],
  ['HttpPost', 'POST'],
  ['HttpPut', 'PUT'],
  ['HttpDelete', 'DELETE'],
  ['HttpPatch', 'PATCH'],
  ['HttpHead', 'HEAD'],
  ['HttpOptions', 'OPTIONS'],
]);
const MAP_VERBS = new Map([
  ['MapGet', 'GET'],
  ['MapPost', 'POST'],
  ['MapPut', 'PUT'],
  ['MapDelete', 'DELETE'],
  ['MapPatch', 'PATCH'],
  ['Map', 'ALL'],
]);
const CONTROLLER_BASES = new Set(['Controller', 'ControllerBase', 'ApiController']);

/** `HttpGetAttribute`, `Microsoft.AspNetCore.Mvc.HttpGet` → `HttpGet`. */
function attrName(a: PAnnotation): string {
  const n = a.name[a.name.length - 1]!;
  return n.endsWith('Attribute') && n.length > 9 ? n.slice(0, -9) : n;
}

export function dotnetEndpoints(program: Program): Found[] {
  const indexes = program.indexes.filter((ix) => ix.language === 'csharp');
  return [...controllerRoutes(program, indexes), ...minimalRoutes(program, indexes)];
}

function controllerRoutes(program: Program, indexes: readonly PolyglotIndex[]): Found[] {
  const out: Found[] = [];
  const bases = new Map<string, string[]>();
  const onClass = new Map<string, { ix: PolyglotIndex; a: PAnnotation }[]>();
  for (const ix of indexes) {
    for (const c of ix.classes) bases.set(c.name, [...(bases.get(c.name) ?? []), ...c.bases.map(genericless)]);
    for (const a of ix.annotations) if (a.target?.kind === 'class') onClass.set(a.target.name, [...(onClass.get(a.target.name) ?? []), { ix, a }]);
  }
  /** The class and its ancestors the program declares, nearest first. */
  const lineage = (name: string): string[] => {
    const seen: string[] = [];
    for (let n: string | undefined = name; n && !seen.includes(n) && seen.length < 16; ) {
      seen.push(n);
      n = (bases.get(n) ?? []).find((b) => bases.has(b) || onClass.has(b));
    }
    return seen;
  };
  // A public class named `…Controller` is one by convention, whatever it derives.
  const isController = (name: string): boolean =>
    name.endsWith('Controller') ||
    lineage(name).some(
      (n) => (bases.get(n) ?? []).some((b) => CONTROLLER_BASES.has(b)) || (onClass.get(n) ?? []).some(({ a }) => attrName(a) === 'ApiController'),
    );
  const templates = (ix: PolyglotIndex, a: PAnnotation): string[] | undefined => {
    const v = a.args[0] ?? a.kw.find((k) => k.name === 'template' || k.name === 'Template')?.value;
    if (!v) return undefined;
    const s = program.str(ix.file, v);
    return s === undefined ? undefined : [s];
  };
  for (const ix of indexes) {
    const byTarget = new Map<string, PAnnotation[]>();
    for (const a of ix.annotations) {
      if (a.target?.kind !== 'function' || !a.owner) continue;
      const k = `${a.owner}#${a.target.name}@${a.target.line}`;
      byTarget.set(k, [...(byTarget.get(k) ?? []), a]);
    }
    for (const anns of byTarget.values()) {
      const owner = anns[0]!.owner!;
      const target = anns[0]!.target!;
      if (!isController(owner)) continue;
      // The class's routes: its own `[Route]`s, else the nearest ancestor's.
      let classRoutes: { ix: PolyglotIndex; a: PAnnotation }[] = [];
      // Two services may each declare a class of the same name: the class's own attributes are those of its file.
      const attrsOf = (n: string): { ix: PolyglotIndex; a: PAnnotation }[] => (onClass.get(n) ?? []).filter((e) => n !== owner || e.ix.file === ix.file);
      for (const n of lineage(owner)) {
        classRoutes = attrsOf(n).filter(({ a }) => attrName(a) === 'Route');
        if (classRoutes.length) break;
      }
      const classTemplates = classRoutes.length ? classRoutes.flatMap(({ ix: cix, a }) => templates(cix, a) ?? []) : [''];
      const classAttrs = lineage(owner).flatMap((n) => attrsOf(n).map(({ a }) => a));
      // Verb attributes with or without a template, plus `[Route]` on the action for the verbs named elsewhere.
      const verbs: { methods: string[]; template?: string }[] = [];
      const actionRoutes: string[] = [];
      for (const a of anns) {
        const n = attrName(a);
        const verb = VERB_ATTRIBUTES.get(n);
        if (verb) verbs.push({ methods: [verb], ...(templates(ix, a) ? { template: templates(ix, a)![0] } : {}) });
        else if (n === 'AcceptVerbs') {
          const methods = a.args.map((v) => program.str(ix.file, v)?.toUpperCase()).filter((x): x is string => !!x);
          const tpl = a.kw.find((k) => k.name === 'Route')?.value;
          verbs.push({ methods, ...(tpl ? { template: program.str(ix.file, tpl) } : {}) });
        } else if (n === 'Route') actionRoutes.push(...(templates(ix, a) ?? []));
        else if (n === 'NonAction') verbs.length = 0;
      }
      if (anns.some((a) => attrName(a) === 'NonAction')) continue;
      const routes: { methods: string[]; template: string }[] = [];
      for (const v of verbs) {
        if (v.template !== undefined) routes.push({ methods: v.methods, template: v.template });
        else if (actionRoutes.length) for (const t of actionRoutes) routes.push({ methods: v.methods, template: t });
        else routes.push({ methods: v.methods, template: '' });
      }
      if (!verbs.length) for (const t of actionRoutes) routes.push({ methods: ['ALL'], template: t });
      if (!routes.length) continue;
      const controller = owner.endsWith('Controller') && owner.length > 10 ? owner.slice(0, -10) : owner;
      const action = target.name.endsWith('Async') && target.name.length > 5 ? target.name.slice(0, -5) : target.name;
      const auth = authOf([...classAttrs, ...anns]);
      // `[Area("Admin")]` on the class (or an ancestor) names the `[area]` token.
      const areaAttr = classAttrs.find((a) => attrName(a) === 'Area');
      const area = areaAttr ? program.str(ix.file, areaAttr.args[0]) : undefined;
      for (const r of routes) {
        const absolute = r.template.startsWith('/') || r.template.startsWith('~/');
        for (const ct of absolute ? [''] : classTemplates) {
          const full = joinPath(ct, absolute ? r.template.replace(/^~/, '') : r.template);
          const path = colonPath(tokens(full, controller, action, area));
          for (const method of r.methods)
            out.push({
              protocol: 'http',
              method,
              path,
              file: ix.file,
              line: target.line,
              framework: 'aspnetcore',
              handler: `${owner}.${target.name}`,
              mechanisms: auth.mech,
              ...(auth.optOut ? { optOut: true } : {}),
              ...(classRoutes[0] && !absolute ? { more: [{ file: classRoutes[0].ix.file, line: classRoutes[0].a.line }] } : {}),
            });
        }
      }
    }
  }
  return out;
}

function genericless(name: string): string {
  const lt = name.indexOf('<');
  return lt > 0 ? name.slice(0, lt) : name;
}

/** `[controller]`, `[action]` and `[area]` replaced (case-insensitive, as ASP.NET Core does). */
function tokens(path: string, controller: string, action: string, area: string | undefined): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '[') {
      const close = path.indexOf(']', i);
      const word = close > i ? path.slice(i + 1, close).toLowerCase() : '';
      if (word === 'controller' || word === 'action' || (word === 'area' && area !== undefined)) {
        out += word === 'controller' ? controller : word === 'action' ? action : area;
        i = close;
        continue;
      }
    }
    out += path[i];
  }
  return out;
}

/** `[Authorize]` anywhere on the class or the action; `[AllowAnonymous]` on the action opts out. */
function authOf(list: readonly PAnnotation[]): { mech: string[]; optOut: boolean } {
  const optOut = list.some((a) => attrName(a) === 'AllowAnonymous');
  const authorize = list.filter((a) => attrName(a) === 'Authorize');
  if (optOut || !authorize.length) return { mech: [], optOut };
  return { mech: ['[Authorize]'], optOut: false };
}

/** Minimal APIs: each `MapX(path, …)` under the `MapGroup` prefixes of its receiver chain. */
function minimalRoutes(program: Program, indexes: readonly PolyglotIndex[]): Found[] {
  const out: Found[] = [];
  for (const ix of indexes) {
    const chained = new Map<number, PCall[]>();
    ix.calls.forEach((c) => {
      if (c.receiver !== undefined) chained.set(c.receiver, [...(chained.get(c.receiver) ?? []), c]);
    });
    /** Whether a call (or the chain after it) requires or waives authorisation. */
    const authAfter = (index: number): { mech: string[]; optOut: boolean } => {
      const mech: string[] = [];
      let optOut = false;
      for (let k = index, n = 0; n < 32; n++) {
        const next = chained.get(k)?.[0];
        if (!next) break;
        const nm = next.callee[next.callee.length - 1];
        if (nm === 'RequireAuthorization') mech.push('RequireAuthorization()');
        if (nm === 'AllowAnonymous') optOut = true;
        k = ix.calls.indexOf(next);
      }
      return { mech, optOut };
    };
    /** The group prefixes (and authorisation) of the router a call is made on. */
    const groupOf = (call: PCall, depth: number): { prefix: string; mech: string[] } | undefined => {
      if (depth > 12) return undefined;
      let recv: PCall | undefined;
      let recvIndex: number | undefined;
      let recvFile = ix;
      if (call.receiver !== undefined) {
        recvIndex = call.receiver;
        recv = ix.calls[recvIndex];
      } else if (call.callee.length >= 2) {
        const b = program.bind(ix.file, call.callee.slice(0, -1), call.fn);
        if (b?.value.k === 'call') {
          const f = program.byFile.get(b.file);
          if (f) {
            recvFile = f;
            recvIndex = b.value.call;
            recv = f.calls[recvIndex];
          }
        }
      }
      if (!recv || recvIndex === undefined) return { prefix: '', mech: [] };
      // Walk the receiver's own chain: `app.MapGroup("/api").RequireAuthorization().MapGroup("/v1")`.
      let prefix = '';
      const mech: string[] = [];
      let c: PCall | undefined = recv;
      for (let n = 0; c && n < 32; n++) {
        const nm = c.callee[c.callee.length - 1];
        if (nm === 'MapGroup') {
          const p = program.str(recvFile.file, c.args[0], c.fn);
          if (p === undefined) return undefined;
          prefix = joinPath(p, prefix);
        } else if (nm === 'RequireAuthorization') mech.push('RequireAuthorization()');
        if (c.receiver !== undefined) c = recvFile.calls[c.receiver];
        else {
          const up = c.callee.length >= 2 ? (recvFile === ix ? groupOf(c, depth + 1) : undefined) : undefined;
          if (up) {
            prefix = joinPath(up.prefix, prefix);
            mech.push(...up.mech);
          }
          break;
        }
      }
      return { prefix, mech };
    };
    ix.calls.forEach((call, index) => {
      const name = call.callee[call.callee.length - 1]!;
      let methods: string[] | undefined;
      let pathValue: PValue | undefined;
      if (MAP_VERBS.has(name) && call.args.length >= 2) {
        methods = [MAP_VERBS.get(name)!];
        pathValue = call.args[0];
        // `app.Map("/branch", b => b.Run(…))` or `app.Map("/branch", HandleBranch)` branches the middleware pipeline;
        // only a request delegate that builds no pipeline (`() => Results.Ok()`) is an endpoint answering every method.
        if (name === 'Map') {
          if (call.args[1]?.k !== 'fn') return;
          const builds = ix.calls.some((c) => c.within === index && /^(Run|Use[A-Za-z]*|Map[A-Za-z]*)$/.test(c.callee[c.callee.length - 1]!));
          if (builds) return;
        }
      } else if (name === 'MapMethods' && call.args.length >= 3) {
        methods = program.strings(ix.file, call.args[1], call.fn)?.map((m) => m.toUpperCase());
        pathValue = call.args[0];
      } else return;
      if (call.callee.length < 2 && call.receiver === undefined) return;
      const path = program.str(ix.file, pathValue, call.fn);
      if (!methods?.length || path === undefined || (path && !path.startsWith('/') && !/^[A-Za-z{]/.test(path))) return;
      const group = groupOf(call, 0);
      if (!group) return;
      const auth = authAfter(index);
      const mech = auth.optOut ? [] : [...new Set([...group.mech, ...auth.mech])];
      for (const method of methods)
        out.push({
          protocol: 'http',
          method,
          path: colonPath(joinPath(group.prefix, path)),
          file: ix.file,
          line: call.line,
          framework: 'aspnetcore',
          mechanisms: mech,
          ...(auth.optOut ? { optOut: true } : {}),
        });
    });
  }
  return out;
}
