/**
 * Error tracking: Sentry, Bugsnag, Rollbar, Honeybadger and Airbrake by import, and their init
 * (DSN and keys by environment variable NAME only, environment, sample rates, release). A key
 * written in source is also a low-severity security finding, without its value.
 */
import { objectOf, prop, type CallSite, type Opt } from '../../src/analysis/sites.js';
import type { Details } from '../../src/model/schema.js';
import { ev, type FileScope, type Rules } from './collector.js';
import { idOf } from '../../src/model/ids.js';

const ERROR_TRACKERS: { test: RegExp; key: string; name: string }[] = [
  { test: /^@sentry\//, key: 'sentry', name: 'Sentry' },
  { test: /^@bugsnag\//, key: 'bugsnag', name: 'Bugsnag' },
  { test: /^rollbar$/, key: 'rollbar', name: 'Rollbar' },
  { test: /^@honeybadger-io\//, key: 'honeybadger', name: 'Honeybadger' },
  { test: /^@airbrake\//, key: 'airbrake', name: 'Airbrake' },
];

/** An error tracker's options: `keys` read by environment variable name (a literal one is a finding), environment, sample rates, release. */
function errorsInit(s: FileScope, key: string, label: string, o: Opt | undefined, site: CallSite, keys: string[]): void {
  const { c, comp } = s;
  const details: Details = {};
  for (const k of keys) {
    const v = prop(o, k);
    if (!v) continue;
    if (v.env) details[`${k}Env`] = v.env;
    else if (v.str !== undefined) {
      details[`${k}Source`] = 'string literal in source';
      c.security.push({
        id: idOf.security('finding', `${key}-key-literal`, s.file),
        name: `${label} ${k === 'dsn' ? 'DSN' : k} written in source`,
        category: 'finding',
        severity: 'low',
        evidence: [ev(s, v)],
        ...comp,
      });
    }
  }
  const envx = prop(o, 'environment');
  if (envx) details.environment = envx.env ? `from ${envx.env}` : (envx.str ?? 'expression');
  for (const k of ['tracesSampleRate', 'profilesSampleRate', 'sampleRate']) {
    const n = prop(o, k)?.num;
    if (n !== undefined) details[k] = n;
  }
  const rel = prop(o, 'release');
  if (rel) details.release = rel.env ? `from ${rel.env}` : 'set';
  c.add(idOf.observability('errors', key), 'errors', label, ev(s, site), { tech: key, ...comp, details });
}

export const errorTracking: Rules = {
  onImport(s, m, at) {
    for (const t of ERROR_TRACKERS)
      if (t.test.test(m)) s.c.add(idOf.observability('errors', t.key), 'errors', t.name, at, { tech: t.key, ...s.comp, details: { sdk: [m] } });
  },
  onCall(s, call) {
    const { module, named, args } = call;
    if (module === undefined) return;
    if (/^@sentry\//.test(module) && named === 'init') errorsInit(s, 'sentry', 'Sentry', args[0], call, ['dsn']);
    if (/^@bugsnag\//.test(module) && (named === 'start' || named === 'createClient')) {
      const o = objectOf(args[0]);
      if (o) errorsInit(s, 'bugsnag', 'Bugsnag', o, call, ['apiKey']);
      else {
        const env = args[0]?.env;
        s.c.add('observability:errors:bugsnag', 'errors', 'Bugsnag', ev(s, call), { tech: 'bugsnag', ...s.comp, details: env ? { apiKeyEnv: env } : {} });
      }
    }
    if (module === 'rollbar' && named === 'init') errorsInit(s, 'rollbar', 'Rollbar', args[0], call, ['accessToken']);
    if (/^@honeybadger-io\//.test(module) && named === 'configure') errorsInit(s, 'honeybadger', 'Honeybadger', args[0], call, ['apiKey']);
  },
  onNew(s, call) {
    if (call.module === 'rollbar') errorsInit(s, 'rollbar', 'Rollbar', call.args[0], call, ['accessToken']);
  },
};
