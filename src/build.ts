/**
 * The build's last step (`npm run build`, after `tsc`): what `tsc` does not emit. Copies the
 * compiler-API shim and its declarations into `dist`, and compiles the built-in templates once
 * (`dist/templates.compiled.json`, see `render/loader.ts`): no run pays for compiling them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compiledTemplatesFile, precompileTemplates } from './render/loader.js';
import { packageRoot } from './util/package.js';

const root = packageRoot();
const shimDir = path.join(root, 'dist', 'src', 'analyzer');
for (const f of ['typescript.cjs', 'typescript.d.cts']) fs.copyFileSync(path.join(root, 'src', 'analyzer', f), path.join(shimDir, f));

/** Write `text` to `file` through a temporary file, so a reader never sees half of it. */
function writeAtomic(file: string, text: string | Buffer): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

// V8's compiled code for the compiler is made on a user's first run, in their cache (see the shim):
// it fits one Node.js version only, so none is in the package. Drop one an older build left.
for (const f of ['typescript.v8cache', 'typescript.v8cache.json']) fs.rmSync(path.join(shimDir, f), { force: true });
writeAtomic(compiledTemplatesFile(), JSON.stringify(precompileTemplates()));
