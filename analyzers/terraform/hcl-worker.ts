/**
 * hcl2json, run in a worker thread. The parser is a Go program compiled to WebAssembly: on some
 * inputs it slows down far faster than linearly, and its runtime can stop for good ("fatal error:
 * malloc deadlock"); in the main thread that leaves a parse that never settles, and the whole run
 * ends (exit 13). In a worker, a parse that takes too long is stopped by terminating the worker,
 * and a runtime that stops ends only the worker: either way the file is reported and a fresh
 * worker parses the rest.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Longest one HCL file may keep the parser busy, all its parses together (a file with a syntax
 * error is parsed again block by block). Hand-written files take milliseconds; a hostile one can
 * take minutes (a 32 KB heredoc of `$` takes about 11 s). A fresh worker's start is not counted.
 */
export const HCL_PARSE_TIMEOUT_MS = 5000;

/** Longest a fresh worker may take to load and compile the parser (about 0.3 s). */
const START_TIMEOUT_MS = 60_000;

/** The parser was stopped, or stopped by itself, before it answered: the file is not parsed. */
export class HclParserStopped extends Error {}

/**
 * For tests only: a file name whose parse ends the worker's Go runtime as a fatal error would
 * (`crashOn`), or keeps the worker busy for good (`hangOn`).
 */
export const hclWorkerTestHooks: { crashOn?: string; hangOn?: string } = {};

/**
 * The worker, plain CommonJS so it runs the same from the sources and from `dist`. The parser is
 * loaded by absolute path (resolved from archdoc's own location, never from the working
 * directory). Its Go runtime's exit only prints a line; here any exit ends the thread, so the
 * main thread sees it at once. What the runtime writes (a fatal error and its goroutine traces)
 * is dropped: the main thread reports the file instead. Replies carry JSON text, which a reader
 * of any depth can take.
 */
const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
require(workerData.bridge);
let go;
globalThis.Go = class extends globalThis.Go {
  constructor() {
    super();
    go = this;
    this.exit = () => process.exit(70);
  }
};
const quiet = (fd) => fd === 1 || fd === 2;
globalThis.fs = Object.assign(Object.create(fs), {
  writeSync: (fd, buf, ...rest) => (quiet(fd) ? buf.length : fs.writeSync(fd, buf, ...rest)),
  write: (fd, buf, offset, length, position, callback) => (quiet(fd) ? callback(null, length) : fs.write(fd, buf, offset, length, position, callback)),
});
const { parse } = require(workerData.hcl2json);
const answer = async ({ file, text }) => {
  if (file === workerData.crashOn) go.exit(2);
  if (file === workerData.hangOn) for (;;);
  try {
    parentPort.postMessage({ json: JSON.stringify(await parse(file, text)) });
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  }
};
parse('start.tf', '').then(() => {
  parentPort.on('message', answer);
  parentPort.postMessage({ ready: true });
});
`;

type Reply = { ready: true } | { json: string } | { error: string } | { stopped: 'timeout' | 'ended' };

let paths: { hcl2json: string; bridge: string } | undefined;

function parserPaths(): { hcl2json: string; bridge: string } {
  const require = createRequire(import.meta.url);
  return (paths ??= { hcl2json: require.resolve('@cdktf/hcl2json'), bridge: require.resolve('@cdktf/hcl2json/wasm/bridge_wasm_exec.js') });
}

/** Seconds for a message: `5`, `0.5`. */
function seconds(ms: number): string {
  return String(ms / 1000);
}

/**
 * One worker for a run, started on the first parse and again after one is stopped; `close` ends
 * it. Parses run one at a time.
 */
export class HclParser {
  private worker: Worker | undefined;
  private waiting: ((reply: Reply) => void) | undefined;

  constructor(readonly timeoutMs = HCL_PARSE_TIMEOUT_MS) {}

  /** A budget for one file: every parse of that file draws on it. */
  budget(): { ms: number } {
    return { ms: this.timeoutMs };
  }

  /**
   * Parse one HCL text. Rejects with the parser's message on invalid HCL, and with
   * HclParserStopped when the parser outruns the file's budget or its worker ends.
   */
  async parse(file: string, text: string, budget: { ms: number }): Promise<Record<string, unknown>> {
    if (!this.worker) {
      this.start();
      const started = await this.wait(START_TIMEOUT_MS);
      if (!('ready' in started)) {
        await this.close();
        throw new HclParserStopped(
          `the HCL parser could not start${'stopped' in started && started.stopped === 'timeout' ? ` in ${seconds(START_TIMEOUT_MS)} s` : ''}`,
        );
      }
    }
    const began = Date.now();
    const answer = this.wait(Math.max(budget.ms, 0));
    this.worker!.postMessage({ file, text });
    const reply = await answer;
    budget.ms -= Date.now() - began;
    if ('json' in reply) return JSON.parse(reply.json) as Record<string, unknown>;
    if ('error' in reply) throw new Error(reply.error);
    // The thread has ended (WebAssembly is interrupted at once) before the file is reported.
    await this.close();
    if ('stopped' in reply && reply.stopped === 'timeout') throw new HclParserStopped(`the HCL parser took longer than ${seconds(this.timeoutMs)} s`);
    throw new HclParserStopped('the HCL parser stopped unexpectedly');
  }

  /** End the worker, if one is running; the next parse starts a fresh one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...parserPaths(), ...hclWorkerTestHooks },
      stdout: true,
      stderr: true,
    });
    // Its output is not archdoc's: read and dropped. A worker never keeps the process alive.
    worker.stdout.resume();
    worker.stderr.resume();
    worker.unref();
    const settle = (reply: Reply) => {
      if (this.worker !== worker) return;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(reply);
    };
    worker.on('message', (m: Reply) => settle(m));
    worker.on('messageerror', () => settle({ stopped: 'ended' }));
    worker.on('error', () => settle({ stopped: 'ended' }));
    worker.on('exit', () => settle({ stopped: 'ended' }));
    this.worker = worker;
  }

  /** The worker's next reply, or `timeout` after `ms`. */
  private wait(ms: number): Promise<Reply> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        resolve({ stopped: 'timeout' });
      }, ms);
      this.waiting = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
    });
  }
}
