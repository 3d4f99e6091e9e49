import { defineConfig } from './src/config/define.js';

// archdoc documents itself: `npm run docs` writes docs/ARCHITECTURE.md and `npm test` checks it is fresh.
export default defineConfig({
  output: 'docs/ARCHITECTURE.md',
  // Fixture repositories, test corpora and evaluation truth describe other systems, not archdoc.
  exclude: ['fixtures/', 'test/', 'bench/', 'eval/'],
  document: {
    title: 'archdoc — System architecture',
    status: 'Living document',
    owner: 'archdoc maintainers',
  },
});
