/** archdoc's public API: config and analyzer helpers, the model types, and the pipeline. */
export { defineConfig, type ArchdocConfig } from './config/define.js';
export { defineAnalyzer, type Analyzer, type AnalyzerMeta } from './analyzer/define.js';
export type { AnalyzerContext } from './analyzer/context.js';
export type { ProductName, Products } from './analyzer/products.js';
export * from './model/schema.js';
export { analyse } from './pipeline/analyse.js';
export { loadConfig, loadConfigSchema, resolveConfig, type ResolvedConfig } from './config/load.js';
export { main } from './cli/main.js';
