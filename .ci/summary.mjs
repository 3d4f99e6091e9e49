// Prints "N passed, N failed" from vitest's JSON report; a missing report (npm test stopped
// before vitest ran, e.g. at the type check) counts as one failure.
import fs from 'node:fs';

const [file, status] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} catch {
  failed = 1;
}
// vitest passed but a later step of npm test (the docs freshness check) failed.
if (failed === 0 && status !== '0') failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
