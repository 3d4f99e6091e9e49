/**
 * Error tracking: Sentry, Bugsnag, Rollbar, Honeybadger and Airbrake by import, and their init
 * (DSN and keys by environment variable NAME only, environment, sample rates, release). A key
 * written in source is also a low-severity security finding, without its value.
 */
import type ts from '../../src/analyzer/typescript.cjs';
import { prop } from '../../src/analysis/ast.js';
import { envVariable, numberValue, objectLiteral, stringValue } from '../../src/analysis/bindings.js';
import type { Details } from '../../src/model/schema.js';
import { ev, type FileScope, type Rules } from './collector.js';

const ERROR_TRACKERS: { test: RegExp; key: string; name: string }[] = [
  { test: /^@sentry\//, key: 'sentry', name: 'Sentry' },
  { test: /^@bugsnag\//, key: 'bugsnag', name: 'Bugsnag' },
  { test: /^rollbar$/, key: 'rollbar', name: 'Rollbar' },
  { test: /^@honeybadger-io\//, key: 'honeybadger', name: 'Honeybadger' },
  { test: /^@airbrake\//, key: 'airbrake', name: 'Airbrake' },
];

/** An error tracker's options: `keys` read by environment variable name (a literal one is a finding), environment, sample rates, release. */
function errorsInit(s: FileScope, key: string, label: string, o: ts.ObjectLiteralExpression | undefined, node: ts.Node, keys: string[]): void {
  const { c, info, comp } = s;
  const details: Details = {};
  for (const k of keys) {
    const v = prop(o, k);
    if (!v) continue;
    const env = envVariable(v, info);
    if (env) details[`${k}Env`] = env;
    else if (stringValue(v, info) !== undefined) {
      details[`${k}Source`] = 'string literal in source';
      c.security.push({
        id: `security:finding:${key}-key-literal:${info.file}`,
        name: `${label} ${k === 'dsn' ? 'DSN' : k} written in source`,
        category: 'finding',
        severity: 'low',
        evidence: [ev(info, v)],
        ...comp,
      });
    }
  }
  const envx = prop(o, 'environment');
  if (envx) {
    const e = envVariable(envx, info);
    details.environment = e ? `from ${e}` : stringValue(envx, info) ?? 'expression';
  }
  for (const k of ['tracesSampleRate', 'profilesSampleRate', 'sampleRate']) {
    const n = numberValue(prop(o, k), info);
    if (n !== undefined) details[k] = n;
  }
  const rel = prop(o, 'release');
  if (rel) details.release = envVariable(rel, info) ? `from ${envVariable(rel, info)}` : 'set';
  c.add(`observability:errors:${key}`, 'errors', label, ev(info, node), { tech: key, ...comp, details });
}

export const errorTracking: Rules = {
  onImport(s, m, at) {
    for (const t of ERROR_TRACKERS) if (t.test.test(m)) s.c.add(`observability:errors:${t.key}`, 'errors', t.name, at, { tech: t.key, ...s.comp, details: { sdk: [m] } });
  },
  onCall(s, { node, named, binding: b, args }) {
    const { info } = s;
    if (!b) return;
    if (/^@sentry\//.test(b.module) && named === 'init') errorsInit(s, 'sentry', 'Sentry', objectLiteral(args[0], info), node, ['dsn']);
    if (/^@bugsnag\//.test(b.module) && (named === 'start' || named === 'createClient')) {
      const o = objectLiteral(args[0], info);
      if (o) errorsInit(s, 'bugsnag', 'Bugsnag', o, node, ['apiKey']);
      else {
        const env = envVariable(args[0], info);
        s.c.add('observability:errors:bugsnag', 'errors', 'Bugsnag', ev(info, node), { tech: 'bugsnag', ...s.comp, details: env ? { apiKeyEnv: env } : {} });
      }
    }
    if (b.module === 'rollbar' && named === 'init') errorsInit(s, 'rollbar', 'Rollbar', objectLiteral(args[0], info), node, ['accessToken']);
    if (/^@honeybadger-io\//.test(b.module) && named === 'configure') errorsInit(s, 'honeybadger', 'Honeybadger', objectLiteral(args[0], info), node, ['apiKey']);
  },
  onNew(s, { node, binding: b, args }) {
    if (b?.module === 'rollbar') errorsInit(s, 'rollbar', 'Rollbar', objectLiteral(args[0], s.info), node, ['accessToken']);
  },
};
