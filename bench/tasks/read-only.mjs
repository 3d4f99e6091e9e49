// Baseline (a): read every input file, nothing else.
import fs from 'node:fs';
import { listFiles } from './files.mjs';

let bytes = 0;
for (const f of listFiles(process.argv[2])) bytes += fs.readFileSync(f, 'utf8').length;
console.log(bytes);
