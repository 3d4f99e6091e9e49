/** The schema migrations build: moved to the engine (src/analysis/sql/apply.ts), which orm-entities reads too for tables created by SQL strings in code. */
export * from '../../src/analysis/sql/apply.js';
