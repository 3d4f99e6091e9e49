// Baseline (c): dependency-cruiser alone, with archdoc's options ("fast") or its defaults.
import fs from 'node:fs';
import path from 'node:path';
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const [root, mode] = process.argv.slice(2);
const tsConfig = path.join(root, 'tsconfig.json');
const options =
  mode === 'default'
    ? {}
    : { tsPreCompilationDeps: true, skipAnalysisNotInRules: true, exclude: { path: 'node_modules' }, doNotFollow: { path: 'node_modules' } };
if (fs.existsSync(tsConfig)) options.tsConfig = { fileName: tsConfig };
const cwd = process.cwd();
process.chdir(root);
const result = await cruise(['.'], options, undefined, fs.existsSync(tsConfig) ? { tsConfig: extractTSConfig(tsConfig) } : undefined);
process.chdir(cwd);
console.log(result.output.modules.length);
