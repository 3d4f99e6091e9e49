/**
 * Building indexes on worker threads: the scripts not in the index cache, in batches, on a small
 * pool (index-worker.ts), the main thread taking batches too when it is free. Indexes are plain data and come back by structured clone (maps survive);
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

/**
 * Workers worth starting on this machine: one core stays with the main thread, and at most four.
 * None on two cores or fewer: one worker beside the main thread was measured slower there (novu,
 * 4,258 scripts, indexes only: 38.5 s against 35.3 s on a loaded machine), the worker's own
 * TypeScript load and the copies of texts and indexes costing more than the second core gives.
 */
export function poolSize(): number {
  const cores = os.availableParallelism();
  return cores <= 2 ? 0 : Math.min(cores - 1, 4);
}

/** A running pool: its batches not yet handed out can be taken by the caller to build itself. */
export interface Pool {
  /** The next batch no worker has taken (the caller builds it), or undefined when none is left. */
  take(): [string, string][] | undefined;
  /** What the workers built, once every batch handed to them is answered (or handed back). */
  done: Promise<PoolResult>;
}

/**
 * Build the indexes of `jobs` ([path, text] pairs) on `size` workers, each kept two batches ahead
 * (one to build, one waiting) so that it works on while the main thread is busy; the main thread
 * takes batches too (`take`) when it has nothing else to do. The time limit counts from a worker's
 * last answer, as seen once the main thread listens.
 */
export function startPool(jobs: readonly [string, string][], opts: PoolOptions): Pool {
  const built = new Map<string, Indexed>();
  const failed: string[] = [];
  const notes: string[] = [];
  const queue: [string, string][][] = [];
  for (let i = 0; i < jobs.length; i += BATCH) queue.push(jobs.slice(i, i + BATCH));
  const take = () => queue.shift();
  const worker = opts.worker ?? defaultWorker();
  if (!worker) {
    notes.push('no built index worker (running from sources); indexing on the main thread');
    return { take, done: Promise.resolve({ built, failed, notes }) };
  }
  const limit = opts.timeoutMs ?? TIMEOUT_MS;
  const run = (n: number) =>
    new Promise<void>((resolve) => {
      const w = new Worker(worker);
      const held: [string, string][][] = [];
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        done = true;
        clearTimeout(timer);
        void w.terminate();
        resolve();
      };
      const fail = (why: string) => {
        if (done) return;
        const left = held.flat();
        notes.push(`index worker ${n} ${why}; its ${left.length} script(s) are indexed on the main thread`);
        for (const [f] of left) failed.push(f);
        finish();
      };
      const give = () => {
        while (held.length < 2) {
          const b = take();
          if (!b) break;
          held.push(b);
          w.postMessage(b);
        }
        if (held.length === 0) return finish();
        clearTimeout(timer);
        timer = setTimeout(() => fail(`timed out after ${limit} ms`), limit);
      };
      w.on('message', (results: [string, Indexed][]) => {
        if (done) return;
        held.shift();
        for (const [f, indexed] of results) built.set(f, indexed);
        give();
      });
      w.on('error', (e) => fail(`failed (${e.message})`));
      w.on('exit', (code) => fail(`exited (code ${code})`));
      give();
    });
  const done = Promise.all(Array.from({ length: Math.max(1, opts.size) }, (_, i) => run(i + 1))).then(() => ({ built, failed, notes }));
  return { take, done };
}
