/**
 * Workers started from a command line: `rq worker <queues>` and `celery … worker -Q <queues>` in a
 * Procfile, a Dockerfile's CMD/ENTRYPOINT, a compose `command:`, a supervisor program's `command=`
 * or a shell script. Read line by line with plain string splitting (no regular expression over the
 * file). A worker consumes the queues it names; `rq worker` with none consumes RQ's `default`.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import { compareStrings } from '../../../src/model/compare.js';
import type { Collected } from './collect.js';

/** rq worker options that take a value (`-u redis://…`, `--name w1`); the rest are flags. */
const RQ_VALUE_OPTIONS = new Set([
  '-u',
  '--url',
  '-c',
  '--config',
  '-P',
  '--path',
  '-n',
  '--name',
  '-w',
  '--worker-class',
  '-j',
  '--job-class',
  '--queue-class',
  '--connection-class',
  '--exception-handler',
  '--pid',
  '-S',
  '--serializer',
  '-l',
  '--logging_level',
  '--logging-level',
  '--log-format',
  '--date-format',
  '--results-ttl',
  '--worker-ttl',
  '--job-monitoring-interval',
  '--sentry-dsn',
  '--max-jobs',
  '--max-idle-time',
  '--dequeue-strategy',
  '--maintenance-interval',
]);
const STOP = new Set(['&&', '||', ';', '|', '&']);
const TRIM = '[]"\',`';

function isCommandFile(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  return (
    base.startsWith('procfile') ||
    base.startsWith('dockerfile') ||
    base.endsWith('.dockerfile') ||
    ((base.startsWith('docker-compose') || base.startsWith('compose')) && (base.endsWith('.yml') || base.endsWith('.yaml'))) ||
    base.endsWith('.conf') ||
    base.endsWith('.ini') ||
    base.endsWith('.sh') ||
    base.startsWith('supervisord')
  );
}

/** A line's words: split on blanks and `=`, brackets, quotes and commas trimmed from each. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const raw of line.split(/[\s=]+/)) {
    let a = 0;
    let b = raw.length;
    while (a < b && TRIM.includes(raw[a]!)) a++;
    while (b > a && TRIM.includes(raw[b - 1]!)) b--;
    if (b > a) out.push(raw.slice(a, b));
  }
  return out;
}

/** The queues an `rq worker` at `i` (the index of `worker`) names; undefined when a name is not literal. */
function rqQueues(w: string[], i: number): string[] {
  const out: string[] = [];
  for (let j = i + 1; j < w.length; j++) {
    const x = w[j]!;
    if (STOP.has(x) || x.startsWith('>') || x.startsWith('#')) break;
    if (RQ_VALUE_OPTIONS.has(x)) j++;
    else if (!x.startsWith('-') && !x.includes('$') && !x.includes('{')) out.push(x);
  }
  return out.length ? out : ['default'];
}

/** The queues of a celery worker's `-Q a,b` / `--queues a,b` / `-Qa,b`. */
function celeryQueues(w: string[], i: number): string[] {
  for (let j = i + 1; j < w.length; j++) {
    const x = w[j]!;
    if (STOP.has(x)) break;
    let list: string | undefined;
    if (x === '-Q' || x === '--queues') list = w[j + 1];
    else if (x.startsWith('-Q') && x.length > 2) list = x.slice(2);
    if (list !== undefined) return list.split(',').filter((q) => q && !q.includes('$') && !q.includes('{'));
  }
  return [];
}

export function commandWorkers(ctx: Pick<AnalyzerContext, 'files' | 'read' | 'isSetAside'>, out: Collected): void {
  for (const file of ctx.files.filter(isCommandFile).sort(compareStrings)) {
    if (ctx.isSetAside(file)) continue;
    const text = ctx.read(file);
    if (!text || (!text.includes('rq') && !text.includes('celery'))) continue;
    text.split('\n').forEach((line, k) => {
      if (!line.includes('worker')) return;
      const w = words(line);
      for (let i = 1; i < w.length; i++) {
        if (w[i] !== 'worker') continue;
        const prog = w[i - 1]!;
        if (prog === 'rq' || prog.endsWith('/rq')) {
          for (const q of rqQueues(w, i)) out.known(file, k + 1, q, { tech: 'RQ', kind: 'queue', role: 'consumer' });
        } else if (w.slice(0, i).some((x) => x === 'celery' || x.endsWith('/celery'))) {
          for (const q of celeryQueues(w, i)) out.known(file, k + 1, q, { tech: 'Celery', kind: 'queue', role: 'consumer' });
        }
      }
    });
  }
}
