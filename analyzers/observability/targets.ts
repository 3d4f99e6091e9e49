/**
 * Targets in code: k6 `options.thresholds` (a file importing k6), each metric's expressions with
 * the target kind and a readable target where k6 defines the metric as latency, errors, checks or
 * request rate. Targets in configuration (OpenSLO, Sloth, Pyrra, Artillery) are in configs.ts.
 */
import { prop, type VarsSite } from '../../src/analysis/sites.js';
import type { Details } from '../../src/model/schema.js';
import { cutTrailing } from '../../src/util/linear-scan.js';
import { ev, imports, type FileScope, type Rules } from './collector.js';
import { idOf } from '../../src/model/ids.js';

/** A fraction as a percentage without floating-point noise: 0.07 → "7". */
function percent(fraction: string): string {
  return String(Number((Number(fraction) * 100).toPrecision(12)));
}

/**
 * Target kind and a readable target for a k6 threshold. Every expression of the metric is kept
 * (`p(95)<400`, `p(99)<1000` → "p95 < 400 ms; p99 < 1000 ms"); a metric k6 does not define as
 * latency, errors, checks or request rate yields no target.
 */
function k6Target(metric: string, exprs: string[]): Details {
  const m0 = cutTrailing(metric, ['{'], '}');
  const parts: string[] = [];
  let kind: string | undefined;
  for (const raw of exprs) {
    const e = raw.replace(/\s+/g, '');
    const p = /^(p\((\d+(?:\.\d+)?)\)|avg|med|max|min)(<=?|>=?)(\d+(?:\.\d+)?)$/.exec(e);
    if (p && /duration|waiting|latency|connecting|time/.test(m0)) {
      kind = 'latency';
      parts.push(`${p[2] ? `p${p[2]}` : p[1]} ${p[3]} ${p[4]} ms`);
      continue;
    }
    const r = /^(rate|count)(<=?|>=?)(\d+(?:\.\d+)?)$/.exec(e);
    if (!r) continue;
    if (/failed|error/.test(m0) && r[1] === 'rate') {
      kind = 'error-rate';
      parts.push(`error rate ${r[2]} ${percent(r[3]!)}%`);
    } else if (/^checks$/.test(m0) && r[1] === 'rate') {
      kind = 'success-rate';
      parts.push(`checks passing ${r[2]} ${percent(r[3]!)}%`);
    } else if (/^(http_reqs|iterations|grpc_reqs)$/.test(m0)) {
      kind = 'throughput';
      parts.push(
        r[1] === 'rate'
          ? `${r[2]} ${r[3]} ${m0 === 'iterations' ? 'iterations' : 'requests'}/s`
          : `${r[2]} ${r[3]} ${m0 === 'iterations' ? 'iterations' : 'requests'} in total`,
      );
    }
  }
  return kind ? { targetKind: kind, target: parts.join('; ') } : {};
}

/** k6: `export const options = { thresholds: { http_req_duration: ['p(95)<500'] } }`. */
function k6Options(s: FileScope, vars: VarsSite): void {
  if (!imports(s, (m) => m === 'k6' || m.startsWith('k6/'))) return;
  const th = prop(vars.objects.findLast((d) => d.name === 'options')?.v, 'thresholds');
  if (!th?.obj) return;
  for (const p of th.obj) {
    if (!p.v || p.short) continue;
    const metric = p.written ?? p.key!;
    const exprs: string[] = [];
    for (const it of p.v.arr ?? [p.v]) {
      const t = it.str ?? prop(it, 'threshold')?.str;
      if (t) exprs.push(t);
    }
    if (exprs.length === 0) continue;
    s.c.add(idOf.observability('target', 'k6', `${s.file}#${metric}`), 'slo', `${metric} ${exprs.join(', ')}`, ev(s, p), {
      tech: 'k6',
      ...s.comp,
      details: { source: 'k6 threshold', metric, thresholds: exprs, ...k6Target(metric, exprs) },
    });
  }
}

export const targets: Rules = { onVars: k6Options };
