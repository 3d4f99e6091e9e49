/**
 * Observability configuration files: OpenTelemetry collector pipelines, Prometheus rule files and
 * PrometheusRule resources, Alertmanager routes, Prometheus scrape jobs, Grafana dashboards,
 * OpenSLO / Sloth / Pyrra SLOs, Artillery `ensure` thresholds, Kubernetes probes, Docker
 * HEALTHCHECKs, docker-compose service healthchecks, and Terraform CloudWatch alarms, Datadog monitors and log-group retention.
 * Each file is recognised by its shape; receiver and integration settings (URLs, keys) are never kept.
 */
import { isMap, isSeq, isScalar, type Node as YamlNode, type Document } from 'yaml';
import type { AnalyzerContext, YamlFile } from '../../src/analyzer/context.js';
import type { Details } from '../../src/model/schema.js';
import type { ObsCollector } from './collector.js';
import { idOf } from '../../src/model/ids.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Line of the node at a key path in a YAML document (1-based), or the document start. */
function lineAtPath(y: YamlFile, doc: Document.Parsed, path: (string | number)[]): number {
  let node: unknown = doc.contents;
  let best = doc.contents?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      best = (pair.key as YamlNode).range?.[0] ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as YamlNode | undefined;
      if (!item) break;
      best = item.range?.[0] ?? best;
      node = item;
    } else break;
  }
  return y.line(best);
}

function componentOf(ctx: AnalyzerContext, file: string): { component?: string } {
  const c = ctx.componentOf(file);
  return c ? { component: c } : {};
}

/** Threshold at the end of a PromQL expression: `... > 0.5` → "> 0.5". */
function exprThreshold(expr: string): string | undefined {
  // `\s*(?:\)\s*)?$`, not `\s*\)?\s*$`: two runs of spaces back to back split a long run every way.
  const m = /(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*(?:\)\s*)?$/.exec(expr.trim());
  return m ? `${m[1]} ${m[2]}` : undefined;
}

function alertTarget(expr: string): Details {
  const d: Details = {};
  const q = /histogram_quantile\(\s*(0?\.\d+|1(?:\.0+)?)/.exec(expr);
  const th = exprThreshold(expr);
  if (q && th) {
    d.targetKind = 'latency';
    d.target = `p${Math.round(Number(q[1]) * 100)} latency alert when ${th}`;
  } else if ((/5\.\.|(status|code)(_code)?=~?"5/.test(expr) || (/error|fail/i.test(expr) && /http|request|rpc|response/i.test(expr))) && th) {
    // Requests answered with errors; a collector's or exporter's failed sends are not the system's error rate.
    d.targetKind = 'error-rate';
    d.target = `error rate alert when ${th}`;
  } else if (/^\s*up\b|up\{/.test(expr) && th) {
    d.targetKind = 'availability';
    d.target = `instance down when up ${th}`;
  }
  return d;
}

function prometheusGroups(
  ctx: AnalyzerContext,
  c: ObsCollector,
  file: string,
  y: YamlFile,
  doc: Document.Parsed,
  groups: unknown,
  base: (string | number)[],
  source: string,
): void {
  if (!Array.isArray(groups)) return;
  groups.forEach((g, gi) => {
    if (!isRec(g) || !Array.isArray(g.rules)) return;
    const group = str(g.name) ?? '';
    (g.rules as unknown[]).forEach((r, ri) => {
      if (!isRec(r)) return;
      const line = lineAtPath(y, doc, [...base, gi, 'rules', ri]);
      const expr = str(r.expr) ?? '';
      if (typeof r.alert === 'string') {
        const labels = isRec(r.labels) ? r.labels : {};
        const ann = isRec(r.annotations) ? r.annotations : {};
        const details: Details = { source, expr: expr.trim().replace(/\s+/g, ' ') };
        if (group) details.group = group;
        if (str(r.for)) details.for = str(r.for)!;
        if (str(labels.severity)) details.severity = str(labels.severity)!;
        const summary = str(ann.summary) ?? str(ann.description) ?? str(ann.message);
        if (summary) details.summary = summary.trim().replace(/\s+/g, ' ');
        const threshold = exprThreshold(expr);
        if (threshold) details.threshold = threshold;
        Object.assign(details, alertTarget(expr));
        c.add(idOf.observability('alert', r.alert), 'alerting', r.alert, { file, line }, { tech: 'prometheus', ...componentOf(ctx, file), details });
      } else if (typeof r.title === 'string' && Array.isArray(r.data)) {
        grafanaAlert(ctx, c, file, line, group, r as Rec & { title: string; data: unknown[] });
      } else if (typeof r.record === 'string') {
        c.add(
          idOf.observability('recording-rule', r.record),
          'metrics',
          r.record,
          { file, line },
          { tech: 'prometheus', ...componentOf(ctx, file), details: { type: 'recording rule', library: 'Prometheus', expr: expr.trim().replace(/\s+/g, ' ') } },
        );
      }
    });
  });
}

const GRAFANA_EVALUATORS: Record<string, string> = { gt: '>', lt: '<', gte: '>=', lte: '<=', eq: '==', ne: '!=' };

/**
 * A Grafana-provisioned alert rule (`apiVersion: 1`, `groups[].rules[]` with `title` and `data`):
 * the query's expression, the threshold step's condition, `for`, and the severity label.
 */
function grafanaAlert(ctx: AnalyzerContext, c: ObsCollector, file: string, line: number, group: string, r: Rec & { title: string; data: unknown[] }): void {
  const models = r.data.filter(isRec).map((d) => (isRec(d.model) ? d.model : {}));
  const expr = models.map((m) => str(m.expr) ?? str(m.query)).find((e) => e !== undefined);
  const details: Details = { source: 'Grafana alert rule' };
  if (expr) details.expr = expr.trim().replace(/\s+/g, ' ');
  if (group) details.group = group;
  const step = models.find((m) => m.type === 'threshold' || m.type === 'classic_conditions');
  const cond = step && Array.isArray(step.conditions) && isRec(step.conditions[0]) ? step.conditions[0] : undefined;
  const ev = cond && isRec(cond.evaluator) ? cond.evaluator : undefined;
  const op = ev ? GRAFANA_EVALUATORS[str(ev.type) ?? ''] : undefined;
  const param = ev && Array.isArray(ev.params) ? ev.params[0] : undefined;
  if (op && (typeof param === 'number' || typeof param === 'string')) details.threshold = `${op} ${param}`;
  if (str(r.for)) details.for = str(r.for)!;
  const labels = isRec(r.labels) ? r.labels : {};
  if (str(labels.severity)) details.severity = str(labels.severity)!;
  const ann = isRec(r.annotations) ? r.annotations : {};
  const summary = str(ann.summary) ?? str(ann.description);
  if (summary) details.summary = summary.trim().replace(/\s+/g, ' ');
  if (expr && details.threshold) Object.assign(details, alertTarget(`${expr} ${details.threshold}`));
  c.add(idOf.observability('alert', r.title), 'alerting', r.title, { file, line }, { tech: 'grafana', ...componentOf(ctx, file), details });
}

/** Alertmanager: routes (matchers → receiver) and receiver kinds; no URLs or keys. */
function alertmanager(ctx: AnalyzerContext, c: ObsCollector, file: string, y: YamlFile, doc: Document.Parsed, v: Rec): void {
  const receivers = Array.isArray(v.receivers) ? v.receivers.filter(isRec) : [];
  const kinds: string[] = [];
  const receiverLines: string[] = [];
  for (const r of receivers) {
    const name = str(r.name) ?? '?';
    const ks = Object.keys(r)
      .filter((k) => k.endsWith('_configs'))
      .map((k) => k.replace(/_configs$/, ''));
    kinds.push(...ks);
    receiverLines.push(`${name}${ks.length ? ` (${ks.join(', ')})` : ''}`);
  }
  const routes: string[] = [];
  const walk = (route: unknown, depth: number) => {
    if (!isRec(route) || depth > 6) return;
    const m: string[] = [];
    if (isRec(route.match)) for (const [k, val] of Object.entries(route.match)) m.push(`${k}=${String(val)}`);
    if (isRec(route.match_re)) for (const [k, val] of Object.entries(route.match_re)) m.push(`${k}=~${String(val)}`);
    if (Array.isArray(route.matchers)) for (const x of route.matchers) if (typeof x === 'string') m.push(x.replace(/\s+/g, ''));
    if (str(route.receiver)) routes.push(`${m.length ? m.join(', ') : depth === 0 ? 'default' : 'any'} → ${str(route.receiver)}`);
    if (Array.isArray(route.routes)) for (const r of route.routes) walk(r, depth + 1);
  };
  walk(v.route, 0);
  c.add(
    idOf.observability('alertmanager', file),
    'alerting',
    'Alertmanager routing',
    { file, line: lineAtPath(y, doc, ['route']) },
    {
      tech: 'alertmanager',
      ...componentOf(ctx, file),
      details: { routes, receivers: receiverLines, receiverKinds: kinds },
    },
  );
}

/** OTel collector: one fact per pipeline, receivers → processors → exporters. */
function collector(ctx: AnalyzerContext, c: ObsCollector, file: string, y: YamlFile, doc: Document.Parsed, v: Rec): void {
  const service = isRec(v.service) ? v.service : {};
  const pipelines = isRec(service.pipelines) ? service.pipelines : {};
  for (const [name, p] of Object.entries(pipelines)) {
    if (!isRec(p)) continue;
    const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
    const signal = name.split('/')[0]!;
    const category = signal === 'metrics' ? 'metrics' : signal === 'logs' ? 'logging' : 'tracing';
    const receivers = list('receivers');
    const processors = list('processors');
    const exporters = list('exporters');
    c.add(
      idOf.observability('collector', `${file}#${name}`),
      category,
      `Collector pipeline ${name}`,
      { file, line: lineAtPath(y, doc, ['service', 'pipelines', name]) },
      {
        tech: 'opentelemetry-collector',
        ...componentOf(ctx, file),
        details: {
          pipeline: name,
          flow: `${receivers.join(', ') || '?'} → ${processors.length ? processors.join(' → ') + ' → ' : ''}${exporters.join(', ') || '?'}`,
          receivers,
          processors,
          exporters,
        },
      },
    );
  }
}

function sloOpenSlo(ctx: AnalyzerContext, c: ObsCollector, file: string, y: YamlFile, doc: Document.Parsed, v: Rec): void {
  const meta = isRec(v.metadata) ? v.metadata : {};
  const spec = isRec(v.spec) ? v.spec : {};
  const name = str(meta.name) ?? 'slo';
  const objectives = Array.isArray(spec.objectives) ? spec.objectives.filter(isRec) : [];
  const windows = Array.isArray(spec.timeWindow)
    ? spec.timeWindow
        .filter(isRec)
        .map((w) => str(w.duration))
        .filter((x): x is string => !!x)
    : [];
  const targets = objectives.map((o) => {
    const t = typeof o.target === 'number' ? o.target : typeof o.targetPercent === 'number' ? o.targetPercent / 100 : undefined;
    return `${str(o.displayName) ?? ''}${str(o.displayName) ? ': ' : ''}${t !== undefined ? `${+(t * 100).toFixed(4)}%` : '?'}${o.op && o.value !== undefined ? ` (${String(o.op)} ${String(o.value)})` : ''}`;
  });
  const details: Details = { source: 'OpenSLO', targets };
  if (str(spec.service)) details.service = str(spec.service)!;
  if (windows.length) details.window = windows.join(', ');
  if (str(spec.description)) details.description = str(spec.description)!;
  details.targetKind = /latency|duration/i.test(name + (str(spec.description) ?? '')) ? 'latency' : 'availability';
  details.target = `${targets.join('; ')}${windows.length ? ` over ${windows.join(', ')}` : ''}`;
  c.add(
    idOf.observability('slo', name),
    'slo',
    name,
    { file, line: lineAtPath(y, doc, ['metadata', 'name']) },
    { tech: 'openslo', ...componentOf(ctx, file), details },
  );
}

function sloSloth(ctx: AnalyzerContext, c: ObsCollector, file: string, y: YamlFile, doc: Document.Parsed, v: Rec, base: string[]): void {
  const spec = base.length ? (isRec(v.spec) ? v.spec : {}) : v;
  const service = str(spec.service);
  const slos = Array.isArray(spec.slos) ? spec.slos : [];
  slos.forEach((s, i) => {
    if (!isRec(s)) return;
    const name = str(s.name) ?? `slo-${i + 1}`;
    const objective = typeof s.objective === 'number' ? s.objective : undefined;
    const details: Details = { source: 'Sloth' };
    if (service) details.service = service;
    if (objective !== undefined) details.targets = [`${objective}%`];
    if (str(s.description)) details.description = str(s.description)!;
    const alerting = isRec(s.alerting) ? s.alerting : {};
    if (str(alerting.name)) details.alertName = str(alerting.name)!;
    details.targetKind = /latency|duration/i.test(name) ? 'latency' : 'availability';
    details.target = objective !== undefined ? `${objective}% over 30 days` : 'see specification';
    c.add(
      idOf.observability('slo', `${service ? service + '-' : ''}${name}`),
      'slo',
      name,
      { file, line: lineAtPath(y, doc, [...base, 'slos', i]) },
      { tech: 'sloth', ...componentOf(ctx, file), details },
    );
  });
}

function sloPyrra(ctx: AnalyzerContext, c: ObsCollector, file: string, y: YamlFile, doc: Document.Parsed, v: Rec): void {
  const meta = isRec(v.metadata) ? v.metadata : {};
  const spec = isRec(v.spec) ? v.spec : {};
  const name = str(meta.name) ?? 'slo';
  const target = str(spec.target);
  const window = str(spec.window);
  const indicator = isRec(spec.indicator) ? Object.keys(spec.indicator)[0] : undefined;
  const details: Details = { source: 'Pyrra' };
  if (target) details.targets = [`${target}%`];
  if (window) details.window = window;
  if (indicator) details.indicator = indicator;
  details.targetKind = indicator === 'latency' ? 'latency' : 'availability';
  details.target = `${target ?? '?'}%${window ? ` over ${window}` : ''}`;
  c.add(
    idOf.observability('slo', name),
    'slo',
    name,
    { file, line: lineAtPath(y, doc, ['metadata', 'name']) },
    { tech: 'pyrra', ...componentOf(ctx, file), details },
  );
}

function artillery(ctx: AnalyzerContext, c: ObsCollector, file: string, y: YamlFile, doc: Document.Parsed, v: Rec): void {
  const config = isRec(v.config) ? v.config : {};
  const ensure = isRec(config.ensure)
    ? config.ensure
    : isRec(config.plugins) && isRec((config.plugins as Rec).ensure)
      ? ((config.plugins as Rec).ensure as Rec)
      : undefined;
  if (!ensure) return;
  const entries: [string, string][] = [];
  for (const [k, val] of Object.entries(ensure)) {
    if (k === 'thresholds' && Array.isArray(val)) {
      for (const t of val) if (isRec(t)) for (const [m, n] of Object.entries(t)) entries.push([m, `< ${String(n)}`]);
    } else if (k === 'conditions' && Array.isArray(val)) {
      for (const t of val) if (isRec(t) && str(t.expression)) entries.push([str(t.expression)!, 'true']);
    } else if (typeof val === 'number') entries.push([k, k === 'maxErrorRate' ? `≤ ${val}%` : `< ${val}`]);
  }
  for (const [metric, th] of entries) {
    const details: Details = { source: 'Artillery ensure', metric, thresholds: [th] };
    const pm = /^(?:http\.response_time\.)?(p\d+|median|max|min)$/.exec(metric);
    if (pm) {
      details.targetKind = 'latency';
      details.target = `${pm[1]} ${th} ms`;
    } else if (/error/i.test(metric)) {
      details.targetKind = 'error-rate';
      details.target = `error rate ${th}`;
    }
    c.add(
      idOf.observability('target', 'artillery', `${file}#${metric}`),
      'slo',
      `${metric} ${th}`,
      { file, line: lineAtPath(y, doc, ['config', 'ensure']) },
      { tech: 'artillery', ...componentOf(ctx, file), details },
    );
  }
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'Job', 'CronJob', 'ReplicaSet']);

function k8sProbes(ctx: AnalyzerContext, c: ObsCollector, file: string, y: YamlFile, doc: Document.Parsed, v: Rec): void {
  const kind = str(v.kind)!;
  const meta = isRec(v.metadata) ? v.metadata : {};
  const wname = str(meta.name) ?? '?';
  // Pod spec location per kind.
  const path: string[] = kind === 'Pod' ? ['spec'] : kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
  let spec: unknown = v;
  for (const p of path) spec = isRec(spec) ? spec[p] : undefined;
  if (!isRec(spec) || !Array.isArray(spec.containers)) return;
  spec.containers.forEach((ct, ci) => {
    if (!isRec(ct)) return;
    for (const probe of PROBES) {
      const p = ct[probe];
      if (!isRec(p)) continue;
      const details: Details = { kind: probe.replace(/Probe$/, ''), workload: `${kind}/${wname}`, container: str(ct.name) ?? '?' };
      if (isRec(p.httpGet)) {
        details.check = `HTTP GET ${str(p.httpGet.path) ?? '/'}${p.httpGet.port !== undefined ? ` on port ${String(p.httpGet.port)}` : ''}`;
        if (str(p.httpGet.path)) details.path = str(p.httpGet.path)!;
      } else if (isRec(p.tcpSocket)) details.check = `TCP port ${String(p.tcpSocket.port)}`;
      else if (isRec(p.grpc)) details.check = `gRPC port ${String(p.grpc.port)}`;
      else if (isRec(p.exec)) details.check = 'command';
      for (const k of ['periodSeconds', 'initialDelaySeconds', 'failureThreshold', 'timeoutSeconds']) if (typeof p[k] === 'number') details[k] = p[k] as number;
      c.add(
        idOf.observability('probe', `${kind}/${wname}/${str(ct.name) ?? ci}/${probe}`),
        'health',
        `${probe} of ${kind}/${wname}`,
        { file, line: lineAtPath(y, doc, [...path, 'containers', ci, probe]) },
        {
          tech: 'kubernetes',
          ...componentOf(ctx, file),
          details,
        },
      );
    }
  });
}

function grafana(ctx: AnalyzerContext, c: ObsCollector, file: string, text: string): void {
  const v = ctx.json(file);
  const dash = isRec(v) && isRec(v.dashboard) ? v.dashboard : v;
  if (!isRec(dash) || typeof dash.title !== 'string') return;
  const panels: Rec[] = [];
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const p of list) {
      if (!isRec(p)) continue;
      if (p.type === 'row' && Array.isArray(p.panels)) walk(p.panels);
      else panels.push(p);
    }
  };
  walk(dash.panels);
  if (Array.isArray(dash.rows)) for (const r of dash.rows) if (isRec(r)) walk(r.panels);
  if (panels.length === 0 && !Array.isArray(dash.panels)) return;
  const titles = panels.map((p) => str(p.title)).filter((t): t is string => !!t && t.length > 0);
  const line = Math.max(
    1,
    text.split('\n').findIndex((l) => l.includes(`"title": ${JSON.stringify(dash.title)}`) || l.includes(`"title":${JSON.stringify(dash.title)}`)) + 1,
  );
  const details: Details = { panels: panels.length, file };
  if (titles.length) details.panelTitles = titles.slice(0, 30);
  if (str(dash.uid)) details.uid = str(dash.uid)!;
  c.add(idOf.observability('dashboard', dash.title), 'dashboards', dash.title, { file, line }, { tech: 'grafana', ...componentOf(ctx, file), details });
}

/** Top-level `resource "type" "name" { ... }` blocks of a Terraform file, with their body text. */
function terraformBlocks(text: string, types: RegExp): { type: string; name: string; line: number; body: string }[] {
  const out: { type: string; name: string; line: number; body: string }[] = [];
  const re = /^resource\s+"([^"]+)"\s+"([^"]+)"\s*\{/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!types.test(m[1]!)) continue;
    let depth = 1;
    let i = re.lastIndex;
    while (i < text.length && depth > 0) {
      const ch = text[i]!;
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      i++;
    }
    out.push({ type: m[1]!, name: m[2]!, line: text.slice(0, m.index).split('\n').length, body: text.slice(re.lastIndex, i - 1) });
  }
  return out;
}

function tfAttr(body: string, key: string): string | undefined {
  const m = new RegExp(`^\\s*${key}\\s*=\\s*("([^"]*)"|[^\\n#]+)`, 'm').exec(body);
  if (!m) return undefined;
  return (m[2] ?? m[1]!).trim();
}

function terraform(ctx: AnalyzerContext, c: ObsCollector, file: string, text: string): void {
  for (const b of terraformBlocks(
    text,
    /^(aws_cloudwatch_metric_alarm|aws_cloudwatch_log_group|datadog_monitor|google_monitoring_alert_policy|azurerm_monitor_metric_alert)$/,
  )) {
    const ev = { file, line: b.line };
    if (b.type === 'aws_cloudwatch_log_group') {
      const days = tfAttr(b.body, 'retention_in_days');
      const name = tfAttr(b.body, 'name') ?? b.name;
      c.add(idOf.observability('log-retention', `${b.type}.${b.name}`), 'logging', `Log group ${name}`, ev, {
        tech: 'cloudwatch-logs',
        ...componentOf(ctx, file),
        details: { retentionDays: days ?? null },
      });
      continue;
    }
    const details: Details = { source: b.type };
    let name = b.name;
    if (b.type === 'aws_cloudwatch_metric_alarm') {
      name = tfAttr(b.body, 'alarm_name') ?? b.name;
      const metric = tfAttr(b.body, 'metric_name');
      const op = tfAttr(b.body, 'comparison_operator');
      const th = tfAttr(b.body, 'threshold');
      if (metric)
        details.expr = `${tfAttr(b.body, 'namespace') ?? ''}${tfAttr(b.body, 'namespace') ? '/' : ''}${metric}${tfAttr(b.body, 'statistic') ? ` (${tfAttr(b.body, 'statistic')})` : ''}`;
      if (op && th) details.threshold = `${op} ${th}`;
      const periods = tfAttr(b.body, 'evaluation_periods');
      const period = tfAttr(b.body, 'period');
      if (periods && period) details.for = `${periods} × ${period} s`;
    } else if (b.type === 'datadog_monitor') {
      name = tfAttr(b.body, 'name') ?? b.name;
      const q = tfAttr(b.body, 'query');
      if (q) details.expr = q;
      const crit = /critical\s*=\s*([\d.]+)/.exec(b.body)?.[1];
      const warn = /warning\s*=\s*([\d.]+)/.exec(b.body)?.[1];
      if (crit) details.threshold = `critical ${crit}${warn ? `, warning ${warn}` : ''}`;
      const pri = tfAttr(b.body, 'priority');
      if (pri) details.severity = `P${pri}`;
    } else {
      name = tfAttr(b.body, 'display_name') ?? tfAttr(b.body, 'name') ?? b.name;
      const sev = tfAttr(b.body, 'severity');
      if (sev) details.severity = sev;
    }
    if (name.includes('${')) name = b.name;
    c.add(idOf.observability('alert', name), 'alerting', name, ev, { tech: b.type.split('_')[0]!, ...componentOf(ctx, file), details });
  }
}

function dockerfile(ctx: AnalyzerContext, c: ObsCollector, file: string, text: string): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*HEALTHCHECK\s+(?!\s)(.*)$/i.exec(lines[i]!);
    if (!m) continue;
    let body = m[1]!;
    for (let j = i; body.endsWith('\\') && j + 1 < lines.length; j++) body = body.slice(0, -1) + ' ' + lines[j + 1]!.trim();
    if (/^NONE\b/i.test(body)) continue;
    const details: Details = { kind: 'container' };
    const interval = /--interval=(\S+)/.exec(body)?.[1];
    if (interval) details.interval = interval;
    const path = /https?:\/\/[^/\s'"]+(\/[^\s'"|&;]*)/.exec(body)?.[1];
    if (path) details.path = path;
    details.check = /curl|wget/.test(body) ? 'HTTP request' : /node\s/.test(body) ? 'node script' : 'command';
    c.add(
      idOf.observability('healthcheck', file),
      'health',
      `Docker HEALTHCHECK (${file})`,
      { file, line: i + 1 },
      { tech: 'docker', ...componentOf(ctx, file), details },
    );
  }
}

/** docker-compose / Compose Specification file names (as the compose analyzer reads them). */
const COMPOSE_FILE = /(^|\/)(docker-compose|compose)([.-][\w.-]+)?\.ya?ml$/;

/**
 * `healthcheck:` of each compose service: how it checks (HTTP request or command, and the path of
 * an HTTP check), its interval, timeout and retries. The command itself is not copied (it may hold
 * a password reference); a disabled check is left out.
 */
function composeHealthchecks(ctx: AnalyzerContext, c: ObsCollector, file: string): void {
  const y = ctx.yaml(file);
  const doc = y?.documents[0];
  if (!y || !doc) return;
  const root = y.toJS(doc);
  const services = isRec(root) && isRec(root.services) ? root.services : undefined;
  if (!services) return;
  for (const name of Object.keys(services).sort()) {
    const svc = services[name];
    const h = isRec(svc) && isRec(svc.healthcheck) ? svc.healthcheck : undefined;
    if (!h || h.disable === true) continue;
    const test = Array.isArray(h.test) ? h.test.map(String) : typeof h.test === 'string' ? [h.test] : [];
    if (test.length === 0 || test[0] === 'NONE') continue;
    const cmd = (test[0] === 'CMD' || test[0] === 'CMD-SHELL' ? test.slice(1) : test).join(' ');
    const details: Details = { kind: 'container', service: name };
    details.check = /\b(curl|wget)\b/.test(cmd) ? 'HTTP request' : /\bnode\s/.test(cmd) ? 'node script' : 'command';
    const path = /https?:\/\/[^/\s'"]+(\/[^\s'"|&;]*)/.exec(cmd)?.[1];
    if (path) details.path = path;
    for (const k of ['interval', 'timeout', 'retries']) if (str(h[k]) !== undefined) details[k] = str(h[k])!;
    c.add(
      idOf.observability('healthcheck', `${file}#${name}`),
      'health',
      `Compose healthcheck of ${name}`,
      { file, line: lineAtPath(y, doc, ['services', name, 'healthcheck']) },
      {
        tech: 'docker-compose',
        ...componentOf(ctx, file),
        details,
      },
    );
  }
}

export function analyseConfigFiles(ctx: AnalyzerContext, c: ObsCollector): void {
  for (const file of ctx.files) {
    const base = file.split('/').pop()!;
    const lower = base.toLowerCase();
    if (/(^|\/)node_modules\//.test(file)) continue;
    if (COMPOSE_FILE.test(file) && !ctx.isSetAside(file)) {
      const t = ctx.read(file);
      if (t && /\bhealthcheck:/.test(t)) composeHealthchecks(ctx, c, file);
      continue;
    }
    if (/^dockerfile(\..*)?$|\.dockerfile$/.test(lower)) {
      const t = ctx.read(file);
      if (t && /HEALTHCHECK/i.test(t)) dockerfile(ctx, c, file, t);
      continue;
    }
    if (lower.endsWith('.tf')) {
      const t = ctx.read(file);
      if (t && /aws_cloudwatch_metric_alarm|aws_cloudwatch_log_group|datadog_monitor|google_monitoring_alert_policy|azurerm_monitor_metric_alert/.test(t))
        terraform(ctx, c, file, t);
      continue;
    }
    if (lower.endsWith('.json')) {
      if (lower === 'package.json' || lower === 'package-lock.json' || lower.startsWith('tsconfig') || ctx.isSetAside(file)) continue;
      const t = ctx.read(file);
      if (t && t.includes('"panels"') && t.includes('"title"')) grafana(ctx, c, file, t);
      continue;
    }
    if (!/\.ya?ml$/.test(lower) || lower === 'pnpm-lock.yaml') continue;
    const t = ctx.read(file);
    if (!t) continue;
    // Helm templates do not parse as YAML: leave them alone. (Sloth queries hold `{{.window}}`
    // inside strings, which is fine.)
    if (/\{\{-?\s*(\.Values|\.Release|\.Chart|include\b|template\b|if\b|range\b|end\b|toYaml\b)/.test(t)) continue;
    const interesting = /receivers:|groups:|kind:\s*PrometheusRule|route:|openslo|sloth|pyrra|slos:|ensure:|Probe:|scrape_configs:/.test(t);
    if (!interesting) continue;
    const y = ctx.yaml(file);
    if (!y) continue;
    for (const doc of y.documents) {
      const v = y.toJS(doc);
      if (!isRec(v)) continue;
      const apiVersion = str(v.apiVersion) ?? '';
      const kind = str(v.kind) ?? '';
      if (kind === 'PrometheusRule' && isRec(v.spec)) prometheusGroups(ctx, c, file, y, doc, v.spec.groups, ['spec', 'groups'], 'PrometheusRule');
      else if (Array.isArray(v.groups) && !kind) prometheusGroups(ctx, c, file, y, doc, v.groups, ['groups'], 'Prometheus rule file');
      else if (isRec(v.route) && Array.isArray(v.receivers)) alertmanager(ctx, c, file, y, doc, v);
      else if (isRec(v.receivers) && isRec(v.exporters) && isRec(v.service)) collector(ctx, c, file, y, doc, v);
      else if (apiVersion.startsWith('openslo/') && kind === 'SLO') sloOpenSlo(ctx, c, file, y, doc, v);
      else if (apiVersion.startsWith('sloth.slok.dev/')) sloSloth(ctx, c, file, y, doc, v, ['spec']);
      else if (str(v.version) === 'prometheus/v1' && Array.isArray(v.slos)) sloSloth(ctx, c, file, y, doc, v, []);
      else if (apiVersion.startsWith('pyrra.dev/') && kind === 'ServiceLevelObjective') sloPyrra(ctx, c, file, y, doc, v);
      else if (isRec(v.config) && (Array.isArray(v.scenarios) || isRec((v.config as Rec).ensure))) artillery(ctx, c, file, y, doc, v);
      else if (WORKLOAD_KINDS.has(kind)) k8sProbes(ctx, c, file, y, doc, v);
      else if (Array.isArray(v.scrape_configs)) {
        const jobs = v.scrape_configs
          .filter(isRec)
          .map((j) => str(j.job_name))
          .filter((x): x is string => !!x);
        c.add(
          idOf.observability('scrape', file),
          'metrics',
          'Prometheus scrape configuration',
          { file, line: lineAtPath(y, doc, ['scrape_configs']) },
          { tech: 'prometheus', ...componentOf(ctx, file), details: { jobs } },
        );
      }
    }
  }
}
