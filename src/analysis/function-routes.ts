/**
 * API routes that infrastructure code gives a function (API Gateway routes read by the cdk and
 * pulumi analyzers): emitted as endpoints in the house's path form, each served by the component
 * that holds its function's script. That component may be made of the script's folder by the
 * workspace's link phase, after the route was emitted, so the analyzers settle it in theirs.
 */
import type { AnalyzerContext } from '../analyzer/context.js';
import { apiGatewayPath } from '../data/cloud-resources.js';
import { idOf } from '../model/ids.js';
import type { Evidence, Model } from '../model/schema.js';
import { isUnder } from '../util/paths.js';

export interface FunctionRoute {
  method: string;
  /** As API Gateway writes it: `/orders/{id}`, `/{proxy+}`. */
  path: string;
  /** The function it runs, by name, and its script when that is in the repository. */
  fn?: string;
  handlerFile?: string;
  handlerLine?: number;
  /** Authentication mechanisms (an authorizer, IAM authorization). */
  auth: string[];
  /** Where the route is declared. */
  file: string;
  line: number;
}

/** Endpoint ids as the endpoints analyzer writes them: scoped by package path in a repository of several packages. */
function endpointId(ctx: AnalyzerContext, component: string | undefined, name: string): string {
  const pkg = component ? ctx.workspace.packages.find((p) => p.componentId === component) : undefined;
  return ctx.workspace.packages.length > 1 && pkg && pkg.path !== '.' ? idOf.endpoint(pkg.path, name) : idOf.endpoint(name);
}

/** The routes as endpoints (framework as given), one per method and path in a component. */
export function emitFunctionRoutes(ctx: AnalyzerContext, routes: readonly FunctionRoute[], framework: (r: FunctionRoute) => string): void {
  const seen = new Set<string>();
  for (const r of routes) {
    const path = apiGatewayPath(r.path);
    const component = ctx.componentOf(r.handlerFile ?? r.file);
    const name = `${r.method} ${path}`;
    const id = endpointId(ctx, component, name);
    if (seen.has(id)) continue;
    seen.add(id);
    const at: Evidence = { file: r.file, line: r.line };
    ctx.emit('endpoints', {
      id,
      name,
      method: r.method,
      path,
      protocol: 'http',
      ...(component ? { component } : {}),
      ...(r.fn ? { handler: r.fn } : {}),
      ...(r.auth.length ? { auth: { required: true, mechanisms: r.auth } } : {}),
      details: { framework: framework(r), ...(r.fn ? { function: r.fn } : {}), ...(r.handlerFile ? { handlerFile: r.handlerFile } : {}) },
      evidence: r.handlerFile ? [at, { file: r.handlerFile, line: r.handlerLine ?? 1 }] : [at],
    });
  }
}

/** In the link phase: each route of these frameworks is served by the component that holds its function's script. */
export function settleRouteComponents(model: Model, ctx: AnalyzerContext, frameworks: readonly string[]): void {
  const components = [...(ctx.consume('components.settled')[0] ?? [])].sort((a, b) => b.path.length - a.path.length);
  for (const e of model.endpoints) {
    const framework = e.details?.framework;
    const file = typeof framework === 'string' && frameworks.includes(framework) ? e.details?.handlerFile : undefined;
    const owner = typeof file === 'string' ? components.find((c) => c.path === '.' || isUnder(file, c.path)) : undefined;
    if (owner) e.component = owner.id;
  }
  // A greedy route (`ANY /api/v1/{proxy+}`, written `/api/v1/*`) hands every path under it to its
  // function: where that function's component declares routes under it in its code (a Hono or
  // Express app behind serverless-http), those are its endpoints and the proxy is none of its own.
  const fromIac = (e: Model['endpoints'][number]) => {
    const framework = e.details?.framework;
    return typeof framework === 'string' && frameworks.includes(framework);
  };
  const proxies = model.endpoints.filter((e) => fromIac(e) && e.component !== undefined && (e.path === '/*' || e.path.endsWith('/*')));
  if (proxies.length === 0) return;
  const covered = new Set(
    proxies.filter((p) => {
      const prefix = p.path.slice(0, -2);
      return model.endpoints.some(
        (e) => e.component === p.component && e.source !== 'spec' && !fromIac(e) && (prefix === '' || e.path === prefix || e.path.startsWith(`${prefix}/`)),
      );
    }),
  );
  if (covered.size > 0) model.endpoints = model.endpoints.filter((e) => !covered.has(e));
}
