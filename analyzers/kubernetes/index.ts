/**
 * kubernetes: plain manifests (multi-document YAML), Helm charts (Chart.yaml, values.yaml and
 * templates read statically) and Kustomize trees. Workloads, containers, services, ingresses,
 * autoscalers, disruption budgets, config maps and secrets (keys only), network policies and
 * Gateway API routes. The same object in several trees is one fact with several evidences.
 */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import type { CollectionName, Details, ScalingFact } from '../../src/model/schema.js';
import { MAX_NESTING, MAX_YAML_TEXT_NESTING, valueTooDeep, yamlNodeTooDeep, yamlTooDeep } from '../../src/util/nesting.js';
import { dirOf, isUnder, joinPosix } from '../../src/util/paths.js';
import { lineAt } from '../../src/util/text.js';
import { asArray, asRecord, lineOf, str, strings } from '../../src/analysis/yaml.js';
import { dataStoreOfImage, supportOfImage } from '../../src/data/images.js';
import { canonicalEnvironment, isEnvironmentName } from '../../src/data/environments.js';
import { looksLikeCommittedSecret } from '../../src/analysis/secrets.js';
import { COMPOSE_FILE } from '../../src/data/compose-files.js';
import { activeByDefault, describeConditions, scrubTemplated, staticTemplate } from './helm.js';
import { emitObject, type WorkloadIndex } from './manifests.js';
import { linkKubernetesCalls } from './calls.js';
import { idOf } from '../../src/model/ids.js';

const YAML = /\.ya?ml$/;
const CHART = /(^|\/)Chart\.ya?ml$/;
const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
const NOT_MANIFEST =
  /(^|\/)(\.github|\.gitlab|\.circleci|\.husky|\.vscode|\.devcontainer|\.changeset)\/|(^|\/)(\.gitlab-ci|pnpm-lock|pnpm-workspace|serverless|openapi|swagger|asyncapi|mkdocs|codecov|renovate|dependabot|\.pre-commit-config|azure-pipelines|bitbucket-pipelines|netlify|vercel|app|\.travis|\.golangci|catalog-info|lerna)[^/]*\.ya?ml$/i;

function looksLikeManifest(text: string): boolean {
  return /^kind:\s*[A-Z]\w*/m.test(text) && /^apiVersion:\s*\S/m.test(text);
}

interface Tree {
  /** Directories that are Kustomize roots (any kustomization file). */
  kustomizeDirs: string[];
}

function originOf(file: string, tree: Tree): string | undefined {
  return tree.kustomizeDirs.some((d) => isUnder(file, d)) ? 'kustomize' : undefined;
}

function emitDocs(
  ctx: AnalyzerContext,
  file: string,
  docs: Document.Parsed[],
  line: (o: number) => number,
  toJS: (d: Document.Parsed) => unknown,
  workloads: WorkloadIndex,
  origin: string | undefined,
  extraOf?: (line: number) => Details | undefined,
  activeAt?: (line: number) => boolean,
): number {
  let n = 0;
  const y = { line };
  for (const doc of docs) {
    const obj = asRecord(toJS(doc));
    if (!obj) continue;
    const contents = doc.contents;
    const items = obj.kind === 'List' ? asArray(obj.items) : [obj];
    items.forEach((item, i) => {
      const rec = asRecord(item);
      if (!rec || typeof rec.kind !== 'string') return;
      const prefix = obj.kind === 'List' ? ['items', i] : [];
      const at = lineOf(y, contents, [...prefix, 'kind'], lineOf(y, contents, prefix));
      emitObject(
        ctx,
        rec,
        {
          file,
          line: at,
          lineOf: (p) => lineOf(y, contents, [...prefix, ...p], at),
          origin,
          extra: extraOf?.(at),
          activeAt,
        },
        workloads,
      );
      n++;
    });
  }
  return n;
}

export default defineAnalyzer({
  meta: {
    name: 'kubernetes',
    description: 'Kubernetes manifests, Helm charts and Kustomize overlays: workloads, containers, services, ingresses, autoscaling, secrets (keys only)',
    produces: ['workloads', 'containers', 'infrastructure', 'scaling', 'recovery', 'security', 'dataStores', 'environments'],
    // Its link phase adds the calls a container's environment configures to another workload's component.
    consumes: ['workloads', 'infrastructure', 'components.settled'],
    amends: ['components'],
  },
  applies: (ctx) => ctx.files.some((f) => YAML.test(f) || KUSTOMIZATION.test(f)),
  analyze(realCtx) {
    // Scaling facts are held back so an autoscaler's fact leads its workload's replica count when
    // they merge (the first fact's category wins).
    const deferred: ScalingFact[] = [];
    const ctx = Object.create(realCtx) as AnalyzerContext;
    ctx.emit = ((c: CollectionName, f: never) => {
      if (c === 'scaling') deferred.push(f);
      else realCtx.emit(c, f);
    }) as AnalyzerContext['emit'];
    const workloads: WorkloadIndex = new Map();
    const charts = ctx.files.filter((f) => CHART.test(f) && !ctx.isSetAside(f)).map(dirOf);
    const kustomizations = ctx.files.filter((f) => KUSTOMIZATION.test(f) && !ctx.isSetAside(f));
    const tree: Tree = { kustomizeDirs: kustomizations.map(dirOf) };
    const inChart = (f: string) => charts.some((c) => isUnder(f, c));

    // Plain manifests (including Kustomize bases and overlays' patches).
    for (const file of ctx.files) {
      if (!YAML.test(file) || ctx.isSetAside(file) || NOT_MANIFEST.test(file) || COMPOSE_FILE.test(file) || KUSTOMIZATION.test(file) || inChart(file)) continue;
      const text = ctx.read(file);
      if (text === undefined || !looksLikeManifest(text)) continue;
      const y = ctx.yaml(file);
      if (!y) continue;
      emitDocs(ctx, file, y.documents, y.line, (d) => y.toJS(d), workloads, originOf(file, tree));
    }

    // Helm charts.
    for (const chartDir of charts.sort(compareStrings)) {
      const chartFile = ctx.files.find((f) => CHART.test(f) && dirOf(f) === chartDir)!;
      const cy = ctx.yaml(chartFile);
      const chart = asRecord(cy?.documents[0] ? cy.toJS(cy.documents[0]) : undefined) ?? {};
      const chartName = str(chart.name) ?? chartDir.split('/').pop()!;
      const valuesFile = [joinPosix(chartDir, 'values.yaml'), joinPosix(chartDir, 'values.yml')].find((f) => ctx.has(f));
      let values: unknown = {};
      if (valuesFile) {
        const vy = ctx.yaml(valuesFile);
        values = vy?.documents[0] ? (vy.toJS(vy.documents[0]) ?? {}) : {};
      }
      if (valuesFile) secretValues(ctx, valuesFile, values, chartName);
      const deps = asArray(chart.dependencies)
        .map(asRecord)
        .filter((d): d is Record<string, unknown> => !!d);
      const details: Details = { chartDir };
      if (str(chart.version)) details.version = str(chart.version)!;
      if (str(chart.appVersion)) details.appVersion = str(chart.appVersion)!;
      if (deps.length)
        details.dependencies = deps.map(
          (d) => `${str(d.name) ?? '?'}${d.version ? ' ' + String(d.version) : ''}${d.condition ? ` (if ${String(d.condition)})` : ''}`,
        );
      ctx.emit('infrastructure', {
        id: idOf.infra('helm', chartName),
        name: `Helm chart ${chartName}`,
        type: 'Helm chart',
        role: 'compute',
        provider: 'kubernetes',
        source: 'helm',
        details,
        evidence: [{ file: chartFile, line: cy ? lineOf(cy, cy.documents[0]?.contents, ['name']) : 1 }],
      });
      deps.forEach((d, i) => {
        const name = str(d.name);
        if (!name) return;
        const ev = { file: chartFile, line: cy ? lineOf(cy, cy.documents[0]?.contents, ['dependencies', i]) : 1 };
        const store = dataStoreOfImage(name);
        if (store) {
          ctx.emit('dataStores', {
            id: idOf.datastore(store.tech),
            name: store.name,
            tech: store.tech,
            kind: store.kind,
            usedBy: [],
            details: { helmDependencies: [`${chartName}/${name}`] },
            evidence: [ev],
          });
        }
        const support = supportOfImage(name);
        if (support && support.role !== 'edge') {
          ctx.emit('infrastructure', {
            id: idOf.infra('helm', `${chartName}/${name}`),
            name: `${name} (chart dependency)`,
            type: 'Helm chart dependency',
            role: support.role,
            provider: 'kubernetes',
            source: 'helm',
            details: { tech: support.tech },
            evidence: [ev],
          });
        }
      });

      const templates = ctx.files.filter(
        (f) =>
          isUnder(f, joinPosix(chartDir, 'templates')) && YAML.test(f) && !charts.some((c) => c !== chartDir && isUnder(f, c) && c.length > chartDir.length),
      );
      let templated = 0;
      let unreadable = 0;
      let firstBad: { file: string; line: number } | undefined;
      for (const file of templates) {
        const text = ctx.read(file);
        if (text === undefined) continue;
        if (!text.includes('{{')) {
          if (!looksLikeManifest(text)) continue;
          const y = ctx.yaml(file);
          if (y) emitDocs(ctx, file, y.documents, y.line, (d) => y.toJS(d), workloads, `helm:${chartName}`);
          continue;
        }
        templated++;
        const st = staticTemplate(text, values, chartName, str(chart.appVersion));
        const lc = new LineCounter();
        let docs: Document.Parsed[] = [];
        // Nested past the limits (see src/util/nesting.ts): a warning on the template, never parsed or walked.
        const deep = yamlTooDeep(st.text);
        if (deep !== undefined) {
          ctx.warn(file, lineAt(st.text, deep), `file skipped: nesting deeper than ${MAX_YAML_TEXT_NESTING} levels; not parsed`);
          continue;
        }
        try {
          docs = parseAllDocuments(st.text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false }) as Document.Parsed[];
          if (!Array.isArray(docs)) docs = [];
        } catch {
          docs = [];
        }
        const good = docs.filter((d) => {
          if (d.errors.length > 0) return false;
          const at = yamlNodeTooDeep(d);
          if (at !== undefined) ctx.warn(file, lc.linePos(at).line, `document skipped: nesting deeper than ${MAX_NESTING} levels`);
          return at === undefined;
        });
        const bad = docs.filter((d) => d.errors.length > 0 && d.contents !== null);
        if (bad.length) {
          unreadable += bad.length;
          firstBad ??= { file, line: lc.linePos(bad[0]!.errors[0]!.pos[0]).line };
        }
        const line = (o: number) => lc.linePos(o).line;
        emitDocs(
          ctx,
          file,
          good,
          line,
          (d) => {
            try {
              const value: unknown = d.toJS({ maxAliasCount: 100 });
              return valueTooDeep(value) ? undefined : scrubTemplated(value);
            } catch {
              return undefined;
            }
          },
          workloads,
          `helm:${chartName}`,
          (l) => {
            const cond = describeConditions(st.conditions[l] ?? [], values);
            return cond ? { condition: cond } : undefined;
          },
          (l) => activeByDefault(st.conditions[l] ?? [], values),
        );
      }
      if (templated > 0) {
        ctx.warn(
          firstBad?.file ?? chartFile,
          firstBad?.line ?? 1,
          `Helm chart ${chartName}: ${templated} template${templated === 1 ? '' : 's'} read without rendering (literal values and simple .Values references only)` +
            (unreadable
              ? `; ${unreadable} document${unreadable === 1 ? '' : 's'} could not be read statically and ${unreadable === 1 ? 'was' : 'were'} skipped`
              : ''),
        );
      }
    }

    // Kustomize: bases, overlays, components, image and replica overrides, environments.
    for (const file of kustomizations.sort(compareStrings)) {
      const y = ctx.yaml(file);
      const k = asRecord(y?.documents[0] ? y.toJS(y.documents[0]) : undefined);
      if (!k || !y) continue;
      const dir = dirOf(file);
      const contents = y.documents[0]!.contents;
      const resources = [...strings(k.resources), ...strings(k.bases)];
      const bases = resources
        .filter((r) => !YAML.test(r) || r.startsWith('..'))
        .map((r) => (/^[a-z]+:\/\//.test(r) || r.startsWith('github.com') ? r : joinPosix(dir, r)));
      const details: Details = { dir };
      if (resources.length) details.resources = resources;
      if (bases.length) details.bases = sortedUnique(bases);
      const components = strings(k.components);
      if (components.length) details.components = components.map((c) => joinPosix(dir, c));
      const ns = str(k.namespace);
      if (ns) details.namespace = ns;
      if (str(k.namePrefix)) details.namePrefix = str(k.namePrefix)!;
      const images = asArray(k.images)
        .map(asRecord)
        .filter((i): i is Record<string, unknown> => !!i);
      if (images.length)
        details.images = images.map(
          (i) => `${str(i.name) ?? '?'} → ${str(i.newName) ?? str(i.name) ?? '?'}${i.newTag !== undefined ? ':' + String(i.newTag) : ''}`,
        );
      const patches = [...asArray(k.patches).map((p) => (typeof p === 'string' ? p : str(asRecord(p)?.path))), ...strings(k.patchesStrategicMerge)].filter(
        (x): x is string => !!x,
      );
      if (patches.length) details.patches = patches;
      const segs = dir.split('/');
      const envSeg = [...segs].reverse().find((s) => isEnvironmentName(s));
      const env = envSeg ? canonicalEnvironment(envSeg) : undefined;
      if (env) details.deploysTo = env;
      ctx.emit('infrastructure', {
        id: idOf.infra('kustomize', dir),
        name: `Kustomization ${dir}`,
        type: bases.some((b) => b.startsWith('..') || !isUnder(b, dir)) ? 'Kustomize overlay' : 'Kustomization',
        role: 'other',
        provider: 'kubernetes',
        source: 'kustomize',
        details,
        evidence: [{ file, line: 1 }],
      });
      if (env) {
        ctx.emit('environments', { id: idOf.environment(env), name: env, details: { kustomize: [dir] }, evidence: [{ file, line: 1 }] });
      }
      asArray(k.replicas).forEach((r, i) => {
        const rec = asRecord(r);
        const name = str(rec?.name);
        if (!name || rec?.count === undefined) return;
        const target = workloads.get(name) ?? `Deployment/${name}`;
        ctx.emit('scaling', {
          id: idOf.scaling('kubernetes', target),
          name: target,
          category: 'replicas',
          tech: 'kubernetes',
          details: {
            overrides: [`${env ?? dir}: ${String(rec.count)} replica${Number(rec.count) === 1 ? '' : 's'}`],
            workload: idOf.workload('kubernetes', target),
          },
          evidence: [{ file, line: lineOf(y, contents, ['replicas', i]) }],
        });
      });
    }
    const ranked = [...deferred.filter((f) => f.category === 'autoscaling'), ...deferred.filter((f) => f.category !== 'autoscaling')];
    for (const f of ranked) realCtx.emit('scaling', f);
  },
  link(model, ctx) {
    linkKubernetesCalls(model, ctx);
  },
});

/** Secret-looking literal values in a chart's values.yaml: one finding naming the keys. */
function secretValues(ctx: AnalyzerContext, file: string, values: unknown, chart: string): void {
  const found: string[][] = [];
  const walk = (v: unknown, path: string[]) => {
    const rec = asRecord(v);
    if (rec) for (const [k, x] of Object.entries(rec)) walk(x, [...path, k]);
    else if (path.length && looksLikeCommittedSecret(path[path.length - 1]!, v)) found.push(path);
  };
  walk(values, []);
  if (found.length === 0) return;
  const y = ctx.yaml(file);
  ctx.emit('security', {
    id: idOf.security('helm-values-secret', chart),
    name: `Helm chart ${chart} ships literal secret-looking values in ${file} (${found.map((p) => p.join('.')).join(', ')})`,
    category: 'infrastructure',
    severity: 'medium',
    tech: 'helm',
    details: { rule: 'committed-secret', chart, keys: found.map((p) => p.join('.')) },
    evidence: [{ file, line: y?.documents[0] ? lineOf(y, y.documents[0].contents, found[0]!) : 1 }],
  });
}
