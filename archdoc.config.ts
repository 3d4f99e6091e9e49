import { defineConfig } from './src/config/define.js';

// archdoc documents itself: `npm run docs` writes docs/ARCHITECTURE.md and `npm test` checks it is fresh.
export default defineConfig({
  output: 'docs/ARCHITECTURE.md',
  // Fixture repositories and test corpora describe other systems, not archdoc.
  exclude: ['fixtures/', 'test/', 'bench/'],
  document: {
    title: 'archdoc — System architecture',
    status: 'Living document',
    owner: 'archdoc maintainers',
  },
});
