// Preloaded into every measured process: records its peak resident set size at exit.
import fs from 'node:fs';

const out = process.env.ARCHDOC_BENCH_RSS_FILE;
if (out) process.on('exit', () => fs.writeFileSync(out, String(process.resourceUsage().maxRSS)));
