/**
 * What the Prisma schema text tells that the DMMF does not: where each block and field is (the
 * DMMF has no positions), the datasource provider and the names of its connection variables.
 */

export interface BlockPos {
  kind: 'model' | 'enum' | 'view' | 'type' | 'datasource' | 'generator';
  name: string;
  file: string;
  /** 1-based line of the block header. */
  line: number;
  /** 1-based last line (the closing brace). */
  endLine: number;
  /** Field (or enum value) name → 1-based line. */
  members: Map<string, number>;
}

export interface Datasource {
  name: string;
  provider?: string;
  providerLine: number;
  envVars: string[];
  file: string;
  line: number;
}

const HEADER = /^\s*(model|enum|view|type|datasource|generator)\s+(\w+)\s*\{/;
const URL_LINE = /^\s*(url|directUrl|shadowDatabaseUrl)\s*=/;

/** Block positions of one file; tolerant of broken text (an unclosed block ends at the next header). */
export function indexBlocks(file: string, text: string): BlockPos[] {
  const lines = text.split('\n');
  const blocks: BlockPos[] = [];
  let cur: BlockPos | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\/\/[\s\S]*$/, '');
    const h = HEADER.exec(raw);
    if (h) {
      if (cur) cur.endLine = i;
      cur = { kind: h[1] as BlockPos['kind'], name: h[2]!, file, line: i + 1, endLine: i + 1, members: new Map() };
      blocks.push(cur);
      if (/\}\s*$/.test(raw.slice(h[0].length))) {
        cur.endLine = i + 1;
        cur = undefined;
      }
      continue;
    }
    if (!cur) continue;
    if (/^\s*\}/.test(raw)) {
      cur.endLine = i + 1;
      cur = undefined;
      continue;
    }
    const m = /^\s*([A-Za-z_]\w*)\b/.exec(raw);
    if (m && !cur.members.has(m[1]!)) cur.members.set(m[1]!, i + 1);
  }
  if (cur) cur.endLine = lines.length;
  return blocks;
}

/**
 * The text Prisma 7 accepts: `url`, `directUrl` and `shadowDatabaseUrl` lines in datasource
 * blocks blanked (line count unchanged), with the datasource facts read first. Connection
 * strings are never kept: only the names inside `env("…")`.
 */
export function prepareSchema(file: string, text: string): { text: string; datasources: Datasource[] } {
  const lines = text.split('\n');
  const datasources: Datasource[] = [];
  let ds: Datasource | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const code = line.replace(/\/\/[\s\S]*$/, '');
    const h = /^\s*datasource\s+(\w+)\s*\{/.exec(code);
    if (h) {
      ds = { name: h[1]!, providerLine: 0, envVars: [], file, line: i + 1 };
      datasources.push(ds);
      continue;
    }
    if (!ds) continue;
    if (/^\s*\}/.test(code)) {
      ds = undefined;
      continue;
    }
    const p = /^\s*provider\s*=\s*"([^"]+)"/.exec(code);
    if (p) {
      ds.provider = p[1];
      ds.providerLine = i + 1;
    }
    if (URL_LINE.test(code)) {
      const env = /env\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)/.exec(code);
      if (env) ds.envVars.push(env[1]!);
      lines[i] = '';
    }
  }
  return { text: lines.join('\n'), datasources };
}

export interface PrismaError {
  file?: string;
  line: number;
  message: string;
}

/** Errors out of a get-dmmf failure (`error: …` followed by `-->  file:line`). */
export function parseErrors(reason: string, raw: string): PrismaError[] {
  let message = raw;
  try {
    const parsed = JSON.parse(raw.replace(/^[^{]*/, '')) as { message?: string };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the raw text
  }
  // eslint-disable-next-line no-control-regex
  const clean = message.replace(/\u001b\[[0-9;]*m/g, '');
  const out: PrismaError[] = [];
  const re = /error:\s*(.+)\n\s*-->\s*(.+?):(\d+)/g;
  for (const m of clean.matchAll(re)) {
    out.push({ message: m[1]!.replace(/^Error validating:\s*/, '').trim(), file: m[2]!.trim(), line: Number(m[3]) });
  }
  if (out.length === 0) out.push({ line: 0, message: `${reason}: ${clean.split('\n')[0]}` });
  return out;
}
