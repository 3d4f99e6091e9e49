/**
 * SQL scripts a database container runs on first start: files a Dockerfile copies (`COPY`/`ADD`)
 * or a compose service mounts into `/docker-entrypoint-initdb.d`, the convention of the official
 * PostgreSQL, MySQL and MariaDB images. Each Dockerfile or compose service is one sequence, run in
 * file-name order; its database is the image the Dockerfile builds from or the service runs.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { dataStoreOfImage } from '../../src/data/images.js';
import type { Evidence } from '../../src/model/schema.js';
import { dirOf } from '../../src/util/paths.js';

const INITDB = '/docker-entrypoint-initdb.d';

export interface InitSet {
  /** The Dockerfile or compose file (with the service) that runs these scripts. */
  root: string;
  files: string[];
  tech?: string;
  storeEvidence?: Evidence;
}

function joinPath(dir: string, rel: string): string {
  const parts = dir === '' || dir === '.' ? [] : dir.split('/');
  for (const p of rel.replace(/^\.\//, '').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

/** SQL files a source pattern names: a file, a folder, or `dir/*` / `dir/*.sql`. */
function sqlFilesFor(ctx: AnalyzerContext, pattern: string): string[] {
  const star = pattern.indexOf('*');
  if (star < 0) {
    if (pattern.endsWith('.sql')) return ctx.has(pattern) ? [pattern] : [];
    const prefix = pattern.replace(/\/$/, '') + '/';
    return ctx.filesMatching((f) => f.startsWith(prefix) && f.endsWith('.sql') && !f.slice(prefix.length).includes('/'));
  }
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return ctx.filesMatching((f) => f.startsWith(prefix) && f.endsWith('.sql') && f.endsWith(suffix) && !f.slice(prefix.length).includes('/'));
}

function techOfImage(image: string | undefined): string | undefined {
  return image ? dataStoreOfImage(image)?.tech : undefined;
}

/** Dockerfiles: `COPY a.sql b/ /docker-entrypoint-initdb.d/` after `FROM postgres:16`. */
function fromDockerfiles(ctx: AnalyzerContext): InitSet[] {
  const out: InitSet[] = [];
  for (const file of ctx.filesMatching((f) => /(^|\/)Dockerfile[^/]*$/.test(f) && !ctx.isSetAside(f))) {
    const text = ctx.read(file);
    if (!text || !text.includes(INITDB)) continue;
    const lines = text.split('\n');
    let image: string | undefined;
    let fromLine = 0;
    const set: InitSet = { root: file, files: [] };
    for (let i = 0; i < lines.length; i++) {
      const words = lines[i]!.trim().split(/\s+/);
      const op = words[0]?.toUpperCase();
      if (op === 'FROM') {
        image = words.find((w, j) => j > 0 && !w.startsWith('--'));
        fromLine = i + 1;
      }
      if ((op !== 'COPY' && op !== 'ADD') || !lines[i]!.includes(INITDB)) continue;
      const args = words.slice(1).filter((w) => !w.startsWith('--'));
      const dest = args.pop();
      if (!dest?.startsWith(INITDB)) continue;
      for (const src of args) set.files.push(...sqlFilesFor(ctx, joinPath(dirOf(file), src)));
      const tech = techOfImage(image);
      if (tech && !set.tech) {
        set.tech = tech;
        set.storeEvidence = { file, line: fromLine };
      }
    }
    if (set.files.length > 0) out.push(set);
  }
  return out;
}

/** Compose services: `volumes: ["./init.sql:/docker-entrypoint-initdb.d/init.sql"]` beside `image: postgres`. */
function fromCompose(ctx: AnalyzerContext): InitSet[] {
  const out: InitSet[] = [];
  for (const file of ctx.filesMatching((f) => /(^|\/)(docker-)?compose[^/]*\.ya?ml$/.test(f) && !ctx.isSetAside(f))) {
    const text = ctx.read(file);
    if (!text || !text.includes(INITDB)) continue;
    const y = ctx.yaml(file);
    const doc = y?.documents[0] ? (y.toJS(y.documents[0]) as { services?: Record<string, { image?: unknown; volumes?: unknown }> } | undefined) : undefined;
    const lines = text.split('\n');
    for (const [name, svc] of Object.entries(doc?.services ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (!svc || !Array.isArray(svc.volumes)) continue;
      const set: InitSet = { root: `${file}#${name}`, files: [] };
      for (const v of svc.volumes) {
        const [src, dst] = typeof v === 'string' ? v.split(':') : [(v as { source?: string })?.source, (v as { target?: string })?.target];
        if (typeof src !== 'string' || typeof dst !== 'string' || !dst.startsWith(INITDB) || !/^\.{0,2}\//.test(src)) continue;
        set.files.push(...sqlFilesFor(ctx, joinPath(dirOf(file), src)));
      }
      const image = typeof svc.image === 'string' ? svc.image : undefined;
      const tech = techOfImage(image);
      if (tech) {
        set.tech = tech;
        const at = lines.findIndex((l) => l.includes('image:') && l.includes(image!));
        set.storeEvidence = { file, line: at + 1 };
      }
      if (set.files.length > 0) out.push(set);
    }
  }
  return out;
}

export function initdbSets(ctx: AnalyzerContext): InitSet[] {
  return [...fromDockerfiles(ctx), ...fromCompose(ctx)];
}
