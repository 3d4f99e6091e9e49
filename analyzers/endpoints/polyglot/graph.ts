/**
 * Routers, the routes declared on them and where each is mounted, for the route rules of other
 * languages: the served path of a route is every chain of mounts from a root router (an app) down
 * to its router, each mount's prefix and each router's own prefix joined, then the route's path.
 */
import { joinPath } from '../paths.js';
import type { Found } from '../types.js';
import { colonPath } from './program.js';

export interface RouterNode {
  key: string;
  file: string;
  line: number;
  /** The prefix the router itself declares (`APIRouter(prefix=…)`, `Blueprint(url_prefix=…)`). */
  prefix: string;
  /** An application: served at its root when nothing mounts it. */
  app: boolean;
}

export interface RouteDecl {
  router: string;
  methods: readonly string[];
  path: string;
  file: string;
  line: number;
  framework: string;
  handler?: string;
  protocol?: 'http' | 'websocket';
}

export interface MountDecl {
  parent: string;
  child: string;
  prefix: string;
  file: string;
  line: number;
  /** The mount's prefix replaces the child's own (Flask's `register_blueprint(bp, url_prefix=…)`). */
  replacesOwn?: boolean;
}

const MAX_CHAINS = 64;
/** Mounts on the way from a root to a router, at most. */
const MAX_DEPTH = 32;
/** Routers visited for one route, at most (a walk the memo cannot shorten: cycles, many parents). */
const MAX_STEPS = 10_000;

interface Chain {
  prefix: string;
  more: { file: string; line: number }[];
}

export class RouteGraph {
  private readonly routers = new Map<string, RouterNode>();
  private readonly routes: RouteDecl[] = [];
  private readonly mounts: MountDecl[] = [];
  /** A mount whose child could not be followed: routers nobody mounts may then be served, so they are kept. */
  private unresolved = false;

  router(node: RouterNode): void {
    if (!this.routers.has(node.key)) this.routers.set(node.key, node);
  }

  /** A router a route is declared on although its creation is not seen (a parameter, an import not followed): served at its root. */
  implicit(key: string, file: string, line: number): void {
    this.router({ key, file, line, prefix: '', app: true });
  }

  route(r: RouteDecl): void {
    this.routes.push(r);
  }

  mount(m: MountDecl): void {
    // A router is resolved from every route written on it: each mount is kept once.
    const k = `${m.parent}\u0000${m.child}\u0000${m.prefix}`;
    if (this.mountKeys.has(k)) return;
    this.mountKeys.add(k);
    this.mounts.push(m);
  }
  private readonly mountKeys = new Set<string>();

  unresolvedMount(): void {
    this.unresolved = true;
  }

  /**
   * Every way a router is reached from a root: the prefix and the mounts' evidence, at most
   * MAX_DEPTH mounts long. A router's chains are kept once worked out whole; a walk cut short (a
   * cycle, the depth, the step budget) is not kept, so the result never depends on which route
   * asked first.
   */
  private chains(key: string, depth: number, visiting: Set<string>): { list: Chain[]; whole: boolean } {
    const known = this.memo.get(key);
    if (known) return { list: known, whole: true };
    const node = this.routers.get(key);
    if (!node) return { list: [], whole: true };
    if (visiting.has(key) || depth > MAX_DEPTH || --this.steps < 0) return { list: [], whole: false };
    if (!this.byChild) {
      this.byChild = new Map();
      for (const m of this.mounts) {
        const l = this.byChild.get(m.child);
        if (l) l.push(m);
        else this.byChild.set(m.child, [m]);
      }
    }
    const into = (this.byChild.get(key) ?? []).filter((m) => this.routers.has(m.parent));
    const out: Chain[] = [];
    let whole = true;
    if (!into.length) {
      if (node.app || this.unresolved) out.push({ prefix: node.prefix, more: [] });
    } else {
      visiting.add(key);
      for (const m of into) {
        const up = this.chains(m.parent, depth + 1, visiting);
        if (!up.whole) whole = false;
        for (const c of up.list) {
          if (out.length >= MAX_CHAINS || c.more.length >= MAX_DEPTH) continue;
          out.push({ prefix: joinPath(c.prefix, m.prefix, m.replacesOwn ? '' : node.prefix), more: [...c.more, { file: m.file, line: m.line }] });
        }
      }
      visiting.delete(key);
    }
    if (whole) this.memo.set(key, out);
    return { list: out, whole };
  }
  /** Steps left for one route's walk. */
  private steps = 0;
  private readonly memo = new Map<string, Chain[]>();
  private byChild: Map<string, MountDecl[]> | undefined;

  found(): Found[] {
    const out: Found[] = [];
    for (const r of this.routes) {
      this.steps = MAX_STEPS;
      const chains = this.chains(r.router, 0, new Set()).list;
      for (const c of chains) {
        const path = colonPath(joinPath(c.prefix, r.path));
        for (const method of r.methods) {
          out.push({
            protocol: r.protocol ?? 'http',
            method,
            path,
            file: r.file,
            line: r.line,
            framework: r.framework,
            mechanisms: [],
            ...(r.handler ? { handler: r.handler } : {}),
            ...(c.more.length ? { more: c.more } : {}),
          });
        }
      }
    }
    return out;
  }
}
