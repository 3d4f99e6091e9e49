/** The SQL statement splitter: moved to the engine (src/analysis/sql/split.ts), which orm-entities reads too. */
export * from '../../src/analysis/sql/split.js';
