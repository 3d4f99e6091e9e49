/**
 * Supabase's database client (PostgREST over PostgreSQL), which has no schema in code:
 * `supabase.from('orders').select(…)` — or `.insert`, `.update`, `.upsert`, `.delete` — names a
 * table the code uses, without its columns (a project's SQL migrations give those, and the two
 * merge by table). `supabase.storage.from('avatars')` is a storage bucket, not a table. The client
 * is whatever the chain starts from (a module's `supabase`, a service's getter): the chain's shape
 * is Supabase's own, and only packages that depend on a Supabase client package are read.
 * `createClient`, `createServerClient` and `createBrowserClient` imported from a Supabase package
 * are the database's evidence, with the environment variables their arguments read.
 */
import type { CallSite, FileIndex, Value } from '../../src/analysis/index-file.js';
import { newDraft, type Draft, type FileCtx } from './collect.js';

/** Packages whose client reaches a Supabase project's database. */
export const SUPABASE_PACKAGES = [
  '@supabase/supabase-js',
  '@supabase/ssr',
  '@supabase/auth-helpers-nextjs',
  '@supabase/auth-helpers-sveltekit',
  '@supabase/auth-helpers-remix',
  '@supabase/postgrest-js',
];
/** Query builders that follow `.from(table)` on a table (and not on a storage bucket). */
const TABLE_VERBS = new Set(['select', 'insert', 'update', 'upsert', 'delete']);
const CLIENT_FACTORIES = new Set(['createClient', 'createServerClient', 'createBrowserClient', 'createPagesServerClient', 'createRouteHandlerClient']);

export interface SupabaseUse {
  /** Tables used, one draft per file and table. */
  tables: Draft[];
  /** `file\0table` of the drafts. */
  seen: Set<string>;
  /** Client factories' calls: where the database is reached, and the environment variables read there. */
  clients: { file: string; line: number; envVars: string[] }[];
}

/** Environment variables a value reads, through the function's locals (`const url = process.env.SUPABASE_URL`). */
function envOf(v: Value | undefined, out: Set<string>, locals: ReadonlyMap<string, Value>, depth = 0): void {
  if (!v || depth > 4) return;
  if (v.k === 'env') out.add(v.name);
  else if (v.k === 'ref' && !v.path.includes('.')) envOf(locals.get(v.path), out, locals, depth + 1);
  else if (v.k === 'or') {
    envOf(v.left, out, locals, depth + 1);
    envOf(v.right, out, locals, depth + 1);
  }
  for (const name of 'env' in v && Array.isArray(v.env) ? v.env : []) out.add(name);
}

/** The table a chain names: `<client>.from('t')` followed by a table verb; its line. */
function tableOf(call: CallSite): { table: string; line: number } | undefined {
  const n = call.names;
  let inner = -1;
  for (let i = 0; i < n.length; i++) {
    if (n[i] !== '()') continue;
    inner++;
    if (n[i - 1] !== 'from' || !TABLE_VERBS.has(n[i + 1] ?? '')) continue;
    if ((i >= 2 && n[i - 2] === 'storage') || (i === 1 && call.root === 'storage')) continue;
    const arg = call.innerArgs[inner]?.[0];
    if (arg?.k !== 'str' || arg.v === '') return undefined;
    return { table: arg.v, line: call.lines?.[i - 1] ?? call.line };
  }
  return undefined;
}

export function supabaseFile(fc: Pick<FileCtx, 'file' | 'index'>, out: SupabaseUse): void {
  const index: FileIndex = fc.index;
  for (const fn of index.functions.values()) {
    for (const call of fn.calls) {
      if (call.names.length === 0 && CLIENT_FACTORIES.has(call.root)) {
        const from = index.imports.get(call.root)?.module;
        if (!from || !SUPABASE_PACKAGES.includes(from)) continue;
        const env = new Set<string>();
        for (const a of call.args) envOf(a, env, fn.locals);
        out.clients.push({ file: fc.file, line: call.line, envVars: [...env].sort() });
        continue;
      }
      const t = tableOf(call);
      if (!t || out.seen.has(`${fc.file}\0${t.table}`)) continue;
      out.seen.add(`${fc.file}\0${t.table}`);
      out.tables.push(newDraft('supabase', t.table, t.table, fc.file, t.line, { tech: 'postgresql' }));
    }
  }
}
