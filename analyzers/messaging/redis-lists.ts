/**
 * Redis lists used as queues in code archdoc does not parse (Python, C#, Go, Java, Ruby, Kotlin,
 * PHP): `rpush('votes', …)` in one service, `ListLeftPopAsync("votes")` / `BLPop(ctx, 0, "votes")`
 * in another. Plain string scanning for the command name followed by its first string literal on
 * the same line; no regular expression runs over the file's text. TypeScript and JavaScript are
 * read by the detector instead.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings } from '../../src/model/compare.js';
import type { Role, Site } from './detect.js';

export const OTHER_LANGUAGES = ['.py', '.cs', '.go', '.java', '.rb', '.kt', '.php'];

/** Redis list commands as client libraries of those languages spell them (lower-cased), with their role. */
const COMMANDS: [string, Role][] = [
  ['lpush', 'producer'],
  ['rpush', 'producer'],
  ['listleftpush', 'producer'],
  ['listrightpush', 'producer'],
  ['blpop', 'consumer'],
  ['brpop', 'consumer'],
  ['lpop', 'consumer'],
  ['rpop', 'consumer'],
  ['brpoplpush', 'consumer'],
  ['blmove', 'consumer'],
  ['listleftpop', 'consumer'],
  ['listrightpop', 'consumer'],
];

/** Blocking pops: a queue consumer by themselves. The rest count only with the other end somewhere. */
export const BLOCKING = new Set(['blpop', 'brpop', 'brpoplpush', 'blmove']);

export interface ListUse {
  key: string;
  role: Role;
  command: string;
  at: { file: string; line: number };
}

/** Redis list pushes and pops with a literal key in other-language files. */
export function otherLanguageListUses(ctx: Pick<AnalyzerContext, 'files' | 'read'>): ListUse[] {
  const out: ListUse[] = [];
  for (const file of [...ctx.files].filter((f) => OTHER_LANGUAGES.some((e) => f.endsWith(e))).sort(compareStrings)) {
    const text = ctx.read(file);
    if (!text) continue;
    const lower = text.toLowerCase();
    if (!lower.includes('redis') && !lower.includes('push') && !lower.includes('pop')) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!.toLowerCase();
      if (!l.includes('push') && !l.includes('pop')) continue;
      for (const [cmd, role] of COMMANDS) {
        let from = 0;
        for (;;) {
          const at = l.indexOf(cmd, from);
          if (at < 0) break;
          from = at + cmd.length;
          // A whole name: not inside a longer identifier (`blpop` inside `listblpop`; `lpop` inside `blpop`).
          const before = at > 0 ? l[at - 1]! : ' ';
          if (/[a-z0-9_]/.test(before)) continue;
          // `ListLeftPopAsync(` / `rpush(` / `RPush(ctx, `: an opening parenthesis after the name (and an Async suffix).
          let j = from;
          if (l.startsWith('async', j)) j += 5;
          if (l[j] !== '(') continue;
          const key = firstLiteral(lines[i]!, j + 1);
          if (key) out.push({ key, role, command: cmd, at: { file, line: i + 1 } });
        }
      }
    }
  }
  return out;
}

/** The first string literal after `from` on a line, before the call's closing parenthesis; bounded. */
function firstLiteral(line: string, from: number): string | undefined {
  for (let k = from; k < line.length && k < from + 80; k++) {
    const c = line[k]!;
    if (c === ')') return undefined;
    if (c === '"' || c === "'") {
      const end = line.indexOf(c, k + 1);
      if (end < 0 || end - k > 120) return undefined;
      const key = line.slice(k + 1, end);
      return key && !key.includes('{') && !key.includes('%') && !key.includes('$') ? key : undefined;
    }
  }
  return undefined;
}

/**
 * Sites for Redis lists used as queues: a key popped with a blocking pop, or pushed in one place
 * and popped in another (any language). A key only pushed, or only popped without blocking, is a
 * list, not a queue. `uses` come from both TypeScript (the detector) and other languages.
 */
export function listQueueSites(uses: ListUse[]): Site[] {
  const byKey = new Map<string, ListUse[]>();
  for (const u of uses) {
    if (!byKey.has(u.key)) byKey.set(u.key, []);
    byKey.get(u.key)!.push(u);
  }
  const out: Site[] = [];
  for (const [key, list] of byKey) {
    const pushed = list.some((u) => u.role === 'producer');
    const popped = list.some((u) => u.role === 'consumer');
    const blocking = list.some((u) => BLOCKING.has(u.command));
    if (!(pushed && popped) && !blocking) continue;
    for (const u of list) out.push({ channel: key, tech: 'Redis (lists)', kind: 'list', role: u.role, at: u.at, via: [] });
  }
  return out;
}
