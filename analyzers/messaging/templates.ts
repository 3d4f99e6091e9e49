/**
 * Channels whose name is known only in part (`bid-processing-{CONSUMER_QUEUE_ID}`, a template
 * whose variable is set per replica; `{msg.fields.routingKey}.retry`): when the repository declares
 * channels of the same technology and kind whose names the template matches — each placeholder
 * standing for one or more letters, digits, `_` or `-`, never a `.` — the template's producers and
 * consumers are theirs, and the template is no channel of its own. A template matching none stays,
 * as written. Matching is a bounded scan over positions, not a regular expression.
 */
import { sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { Queue } from '../../src/model/schema.js';

/** Longest channel name matched against a template. */
const MAX_NAME = 255;
/** Literal characters a template needs outside its placeholders to be matched at all. */
const MIN_LITERAL = 3;

type Part = { lit: string } | { hole: true };

/** `a-{X}.b` → literal `a-`, hole, literal `.b`; undefined for a name without a closed placeholder. */
export function templateParts(name: string): Part[] | undefined {
  if (!name.includes('{') || name.length > MAX_NAME) return undefined;
  const parts: Part[] = [];
  let i = 0;
  while (i < name.length) {
    const open = name.indexOf('{', i);
    if (open < 0) {
      parts.push({ lit: name.slice(i) });
      break;
    }
    const close = name.indexOf('}', open);
    if (close < 0) return undefined;
    if (open > i) parts.push({ lit: name.slice(i, open) });
    parts.push({ hole: true });
    i = close + 1;
  }
  const literal = parts.reduce((n, p) => n + ('lit' in p ? p.lit.length : 0), 0);
  return parts.some((p) => 'hole' in p) && literal >= MIN_LITERAL ? parts : undefined;
}

const holeChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

/** Whether `name` is one the template's parts can spell. */
export function matchesTemplate(parts: readonly Part[], name: string): boolean {
  if (name.length > MAX_NAME || name.includes('{')) return false;
  let at = new Set<number>([0]);
  for (const p of parts) {
    const next = new Set<number>();
    for (const i of at) {
      if ('lit' in p) {
        if (name.startsWith(p.lit, i)) next.add(i + p.lit.length);
      } else {
        for (let j = i; j < name.length && holeChar(name.charCodeAt(j)); j++) next.add(j + 1);
      }
    }
    if (next.size === 0) return false;
    at = next;
  }
  return at.has(name.length);
}

/** Template-against-name matches tried in one run at most (a hostile repository's thousands of each): past it, templates stay as written. */
const MAX_MATCHES = 200_000;

/** Folds each matching template into the declared channels it stands for; returns the list without them. */
export function foldTemplates(queues: Queue[]): Queue[] {
  const folded = new Set<Queue>();
  let budget = MAX_MATCHES;
  for (const t of queues) {
    const parts = templateParts(t.name);
    if (!parts) continue;
    const kind = t.details?.kind;
    const targets = queues.filter(
      (q) => q !== t && q.tech === t.tech && q.details?.kind === kind && !q.name.includes('{') && budget-- > 0 && matchesTemplate(parts, q.name),
    );
    if (budget <= 0) break;
    if (targets.length === 0) continue;
    for (const q of targets) {
      q.producers = sortedUnique([...q.producers, ...t.producers]);
      q.consumers = sortedUnique([...q.consumers, ...t.consumers]);
      for (const key of ['producerSites', 'consumerSites'] as const) {
        const more = (t.details?.[key] as string[] | undefined) ?? [];
        if (more.length) q.details![key] = sortedUnique([...((q.details![key] as string[] | undefined) ?? []), ...more]);
      }
      q.details!.nameTemplates = sortedUnique([...((q.details!.nameTemplates as string[] | undefined) ?? []), t.name]);
      q.evidence = sortedEvidence([...q.evidence, ...t.evidence]);
    }
    folded.add(t);
  }
  return folded.size ? queues.filter((q) => !folded.has(q)) : queues;
}
