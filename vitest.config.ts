import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'analyzers/**/*.test.ts', 'src/**/*.test.ts'],
    // A missing or different snapshot (golden document, model) fails everywhere, not only in CI:
    // new goldens are written only by `npm run test:update` (`-u`, which overrides this).
    update: 'none',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'node_modules/.cache/archdoc-test-results.json' },
  },
});
