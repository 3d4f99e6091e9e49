/**
 * `archdoc adr new "Title"`: a numbered architecture decision record from the ADR template.
 * Numbers are the highest existing number plus one (the file is created exclusively, so two
 * concurrent runs cannot take the same number); `--supersedes N` marks the old record superseded
 * and links both ways.
 */
import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { parseAdr, setAdrStatus } from '../analysis/adr-files.js';
import type { Io } from '../pipeline/run.js';
import { ArchdocError, EXIT } from '../util/errors.js';
import { builtinTemplatesDir } from '../util/package.js';
import { toPosix } from '../util/paths.js';
import { confined, isInside, readConfined } from '../util/safe-fs.js';
import { writeAtomic } from '../pipeline/write.js';
import { projectRootSaid } from './init.js';

export const ADR_STATUSES = ['Proposed', 'Accepted', 'Deprecated', 'Superseded'] as const;
const CANDIDATE_DIRS = ['docs/adr', 'doc/adr', 'docs/decisions', 'docs/architecture/decisions', 'adr', 'decisions'];

export function kebab(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'decision'
  );
}

/** The ADR directory: the configured one, else the first existing conventional one, else docs/adr. */
export function adrDir(root: string, configured?: string): string {
  if (configured) return path.resolve(root, configured);
  const found = CANDIDATE_DIRS.find((d) => fs.existsSync(path.join(root, d)));
  return path.join(root, found ?? 'docs/adr');
}

function existing(dir: string): { file: string; number: number }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((file) => ({ file, m: /^(\d{1,5})[-_]/.exec(file) }))
    .filter((x) => x.m && x.file.endsWith('.md'))
    .map((x) => ({ file: x.file, number: Number(x.m![1]) }));
}

export interface AdrNewOptions {
  root?: string;
  dir?: string;
  status?: string;
  date?: string;
  supersedes?: string;
}

export async function runAdrNew(io: Io, title: string, opts: AdrNewOptions): Promise<number> {
  if (title.trim() === '') throw new ArchdocError('adr new needs a title: archdoc adr new "Use PostgreSQL for orders"', EXIT.usage);
  const root = opts.root !== undefined ? path.resolve(io.cwd, opts.root) : projectRootSaid(io);
  const dir = adrDir(root, opts.dir);
  const status = opts.status ?? 'Proposed';
  if (!(ADR_STATUSES as readonly string[]).includes(status)) {
    throw new ArchdocError(`--status must be one of ${ADR_STATUSES.join(', ')}, not "${status}"`, EXIT.usage);
  }
  const date = opts.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ArchdocError(`--date must look like 2026-11-24, not "${date}"`, EXIT.usage);
  // The ADR directory and every ADR read or written resolve inside the root, links followed;
  // only a --dir the user typed may lie outside it, and then that directory is the boundary.
  const boundary = opts.dir !== undefined && !isInside(dir, root) ? dir : root;
  const shown = (f: string) => toPosix(path.relative(io.cwd, f)) || '.';
  const realDir = confined(dir, boundary, shown(dir), 'directory').real;
  try {
    fs.mkdirSync(realDir, { recursive: true });
  } catch (e) {
    throw new ArchdocError(`cannot create ${shown(dir)}: ${(e as Error).message}`, EXIT.usage);
  }

  let old: { file: string; number: number; text: string } | undefined;
  if (opts.supersedes !== undefined) {
    const n = Number(opts.supersedes);
    const found = existing(realDir).find((x) => x.number === n);
    if (!found) throw new ArchdocError(`--supersedes ${opts.supersedes}: no ADR numbered ${opts.supersedes} in ${shown(dir)}`, EXIT.usage);
    // Read (and so checked) before anything is written.
    old = { ...found, text: readConfined(path.join(realDir, found.file), boundary, shown(path.join(dir, found.file))) ?? '' };
  }

  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(builtinTemplatesDir()), { autoescape: false, trimBlocks: true, lstripBlocks: true });
  // Take the next number; on a clash with a concurrent run, take the one after.
  for (let attempt = 0; attempt < 20; attempt++) {
    const number = Math.max(0, ...existing(realDir).map((x) => x.number)) + 1 + attempt;
    const padded = String(number).padStart(4, '0');
    const file = path.join(realDir, `${padded}-${kebab(title)}.md`);
    const oldTitle = old ? parseAdr(old.file, old.text)?.title : undefined;
    const text = env.render('adr.md.njk', {
      number: padded,
      title: title.trim(),
      status,
      date,
      supersedes: old ? { label: `${String(old.number).padStart(4, '0')}. ${oldTitle ?? old.file}`, file: old.file } : undefined,
    });
    try {
      // Created exclusively: an existing file, or a link planted under the name, is never written through.
      fs.writeFileSync(file, text, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new ArchdocError(`cannot write ${shown(file)}: ${(e as Error).message}`, EXIT.usage);
    }
    if (old) {
      const oldPath = path.join(realDir, old.file);
      const updated = setAdrStatus(old.text, `Superseded by [${padded}. ${title.trim()}](${path.basename(file)})`);
      if (updated === undefined) {
        io.stderr(`archdoc: ${old.file} has no status line archdoc recognises; mark it superseded by hand\n`);
      } else {
        writeAtomic(oldPath, updated, { boundary, name: shown(path.join(dir, old.file)) });
        io.stderr(`archdoc: marked ${old.file} as superseded\n`);
      }
    }
    io.stdout(`${shown(path.join(dir, path.basename(file)))}\n`);
    return EXIT.ok;
  }
  throw new ArchdocError('could not find a free ADR number', EXIT.usage);
}
