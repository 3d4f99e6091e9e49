/**
 * A worker of the index pool (index-pool.ts): it takes batches of scripts ([path, text] pairs,
 * read by the main thread) and answers each with their indexes, built as the main thread builds
 * them (index-build.ts; TypeScript loaded through the same shim). It reads no file and keeps nothing.
 */
import { parentPort } from 'node:worker_threads';
import ts from '../analyzer/typescript.cjs';
import { buildIndex } from './index-build.js';

parentPort?.on('message', (batch: [string, string][]) => {
  parentPort!.postMessage(batch.map(([file, text]) => [file, buildIndex(ts, file, text).indexed]));
});
