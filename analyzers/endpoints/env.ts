/**
 * A configuration value a route path is built from, as the repository declares it in a `.env`-style
 * file (`.env`, `.env.example`, `.env.sample`, …): a NestJS global prefix read at run time
 * (`configService.get('API_GLOBAL_PREFIX')`, `process.env.API_PREFIX`). The file nearest to the code
 * wins (its folder, then each parent; in one folder `.env` before its variants). Only plain path
 * text is taken: a value with spaces, interpolation or a scheme is not a path.
 */
import { compareStrings } from '../../src/model/compare.js';
import { dirOf } from '../../src/util/paths.js';

const ENV_FILE = /(^|\/)\.env(\.[\w-]+)?$/;
const PATH_TEXT = /^[\w./:-]{1,100}$/;

export interface EnvFiles {
  files: readonly string[];
  read: (file: string) => string | undefined;
}

export type EnvLookup = (name: string, near: string) => { value: string; file: string; line: number } | undefined;

export function envLookup(src: EnvFiles): EnvLookup {
  const byDir = new Map<string, string[]>();
  for (const f of src.files) {
    if (!ENV_FILE.test(f)) continue;
    const d = f.includes('/') ? dirOf(f) : '';
    byDir.set(d, [...(byDir.get(d) ?? []), f].sort(compareStrings));
  }
  return (name, near) => {
    for (let d = near.includes('/') ? dirOf(near) : ''; ; d = d.includes('/') ? dirOf(d) : '') {
      for (const file of byDir.get(d) ?? []) {
        const lines = (src.read(file) ?? '').split('\n');
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i]!.trim().replace(/^export\s+/, '');
          if (!line.startsWith(`${name}=`)) continue;
          const value = line
            .slice(name.length + 1)
            .trim()
            .replace(/^(['"])(.*)\1$/, '$2');
          return PATH_TEXT.test(value) && !value.includes('://') ? { value, file, line: i + 1 } : undefined;
        }
      }
      if (d === '') return undefined;
    }
  };
}
