import type { UserConfig } from './schema.js';
import type { Analyzer } from '../analyzer/define.js';

/** The shape of archdoc.config.ts, with custom analyzers typed. */
export type ArchdocConfig = Omit<UserConfig, 'plugins'> & { plugins?: Analyzer[] };

/** Identity function that gives archdoc.config.ts its types. */
export function defineConfig(config: ArchdocConfig): ArchdocConfig {
  return config;
}
