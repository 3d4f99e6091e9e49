// Baseline (b): ts.createSourceFile on every TypeScript file, nothing else.
import fs from 'node:fs';
import ts from 'typescript';
import { listFiles } from './files.mjs';

let nodes = 0;
for (const f of listFiles(process.argv[2])) {
  if (!/\.[cm]?tsx?$/.test(f) || f.endsWith('.d.ts')) continue;
  const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
  nodes += sf.statements.length;
}
console.log(nodes);
