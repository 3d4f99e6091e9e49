/**
 * Building indexes on worker threads: the scripts not in the index cache, in batches, on a small
 * pool (index-worker.ts). Indexes are plain data and come back by structured clone (maps survive);
 * they are merged by path, so the run's output is the same whatever the pool's size and whichever
 * worker built what. A worker that fails, exits or stays silent past the time limit is ended, and
 * the scripts it held are handed back for the main thread to build, with a note saying so.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Indexed } from './index-build.js';

/** Scripts a worker is given at a time: large enough to amortise a message, small enough to balance. */
const BATCH = 64;
/** A worker that has not answered a batch after this long is taken to be stuck. */
const TIMEOUT_MS = 60_000;

export interface PoolOptions {
  size: number;
  /** The worker module (tests point it at a failing one). */
  worker?: URL;
  timeoutMs?: number;
}

export interface PoolResult {
  built: Map<string, Indexed>;
  /** Scripts no worker built: the main thread builds them. */
  failed: string[];
  /** What went wrong, for --verbose. */
  notes: string[];
}

/** The built worker beside this module; undefined when archdoc runs from its TypeScript sources (tests). */
export function defaultWorker(): URL | undefined {
  const url = new URL('./index-worker.js', import.meta.url);
  return fs.existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Workers worth starting on this machine: one core stays with the main thread, and at most four. */
export function poolSize(): number {
  return Math.max(0, Math.min(os.availableParallelism() - 1, 4));
}

/** The indexes of `jobs` ([path, text] pairs), built on `size` workers. */
export async function indexOnWorkers(jobs: readonly [string, string][], opts: PoolOptions): Promise<PoolResult> {
  const built = new Map<string, Indexed>();
  const failed: string[] = [];
  const notes: string[] = [];
  const worker = opts.worker ?? defaultWorker();
  if (!worker) return { built, failed: jobs.map(([f]) => f), notes: ['no built index worker (running from sources); indexing on the main thread'] };
  const batches: [string, string][][] = [];
  for (let i = 0; i < jobs.length; i += BATCH) batches.push(jobs.slice(i, i + BATCH));
  let next = 0;
  const run = (n: number) =>
    new Promise<void>((resolve) => {
      const w = new Worker(worker);
      let held: [string, string][] | undefined;
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const finish = () => {
        done = true;
        clearTimeout(timer);
        void w.terminate();
        resolve();
      };
      const give = () => {
        held = batches[next++];
        if (!held) return finish();
        clearTimeout(timer);
        timer = setTimeout(() => fail(`timed out after ${opts.timeoutMs ?? TIMEOUT_MS} ms`), opts.timeoutMs ?? TIMEOUT_MS);
        w.postMessage(held);
      };
      const fail = (why: string) => {
        if (done) return;
        notes.push(`index worker ${n} ${why}; its ${held?.length ?? 0} script(s) are indexed on the main thread`);
        for (const [f] of held ?? []) failed.push(f);
        held = undefined;
        finish();
      };
      w.on('message', (results: [string, Indexed][]) => {
        if (done) return;
        for (const [f, indexed] of results) built.set(f, indexed);
        give();
      });
      w.on('error', (e) => fail(`failed (${e.message})`));
      w.on('exit', (code) => fail(`exited (code ${code})`));
      give();
    });
  await Promise.all(Array.from({ length: Math.max(1, opts.size) }, (_, i) => run(i + 1)));
  // Batches left when every worker had failed.
  for (const b of batches.slice(next)) for (const [f] of b) failed.push(f);
  return { built, failed, notes };
}
