/**
 * Names that mark tests rather than the system: test, e2e, benchmark and example folders, and the
 * test runners and load generators whose name a compose service or a Dockerfile carries
 * (`playwright`, `frontend/Dockerfile.playwright`, `e2e.Dockerfile`, `load-test`).
 */
export const NOT_SYSTEM_WORDS = ['e2e', 'test', 'tests', 'bench', 'benchmark', 'benchmarks', 'example', 'examples', 'sample', 'samples'];

const TEST_TOOLS = new Set([...NOT_SYSTEM_WORDS, 'playwright', 'cypress', 'selenium', 'puppeteer', 'k6', 'locust', 'jest', 'vitest']);

/** Whether a name (a compose service, a file's base name) has a word, split at `-`, `_` and `.`, that names tests or a test tool. */
export function namedForTests(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[-_.]/)
    .some((w) => TEST_TOOLS.has(w));
}
