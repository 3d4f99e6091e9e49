/**
 * The truth-file format of the real-repository evaluation (eval/README.md), as a zod schema, and
 * its loader. A malformed file is rejected with a message naming the file and the key.
 *
 * Strict where a typo would silently lose a fact (top-level keys, the keys a fact is matched on,
 * `evidence`, category names), loose elsewhere: a fact or an area may carry extra keys (`how`,
 * `note`, `component`, `language`, `tie`…), which the scorer does not read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** `path:line` (or `path:line-line`): the line of the repository that shows the fact. */
export const EVIDENCE = /^\S(?:.*\S)?:\d+(?:-\d+)?$/;

const evidence = z.string().regex(EVIDENCE, { message: 'evidence must look like path:line (e.g. src/server.ts:12)' });
const text = z.string().trim().min(1);
const names = z.array(text);

export const STYLES = ['monolith', 'modular-monolith', 'microservices', 'serverless', 'event-driven', 'undetermined'] as const;
export const COMPONENT_KINDS = ['service', 'worker', 'frontend', 'library', 'cli', 'function', 'infrastructure'] as const;
export const OBSERVABILITY_CATEGORIES = ['tracing', 'metrics', 'logging', 'errors', 'health', 'alerts', 'dashboards', 'slo'] as const;
export const SECURITY_CATEGORIES = ['authentication', 'authorisation', 'cors', 'rate-limit', 'validation', 'headers', 'secrets'] as const;

/** Spellings accepted for a category and what they mean. */
const CATEGORY_ALIASES: Record<string, string> = {
  alerting: 'alerts',
  alert: 'alerts',
  dashboard: 'dashboards',
  error: 'errors',
  'error-tracking': 'errors',
  log: 'logging',
  logs: 'logging',
  metric: 'metrics',
  trace: 'tracing',
  traces: 'tracing',
  slos: 'slo',
  authn: 'authentication',
  authz: 'authorisation',
  authorization: 'authorisation',
  'rate-limiting': 'rate-limit',
  ratelimit: 'rate-limit',
  'security-headers': 'headers',
  secret: 'secrets',
};

function category<T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const k = v
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-');
    return CATEGORY_ALIASES[k] ?? k;
  }, z.enum(values));
}

function area<T extends z.ZodType>(item: T) {
  return z.looseObject({ complete: z.boolean(), items: z.array(item) });
}

const headline = z.looseObject({
  value: text,
  how: z.string().optional(),
  /** With `value: undetermined`: the candidates that tie; naming exactly these also counts as right. */
  tie: names.optional(),
});

export const TruthSchema = z.strictObject({
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: 'repository must look like owner/name' }),
  commit: z
    .string({ message: 'commit must be a hexadecimal commit id, in quotes when it is all digits (YAML reads it as a number)' })
    .regex(/^[0-9a-f]{7,40}$/, { message: 'commit must be a hexadecimal commit id' }),
  shape: z.string().optional(),
  written: z.union([z.string(), z.date()]).optional(),
  scope: z.string().optional(),
  headlines: z
    .strictObject({
      style: headline
        .extend({
          value: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(STYLES)),
        })
        .optional(),
      primaryDatabase: headline.optional(),
      platform: headline.optional(),
      messaging: headline.optional(),
    })
    .optional(),
  components: area(
    z.looseObject({
      path: text,
      kind: z.enum(COMPONENT_KINDS),
      language: z.string().optional(),
      evidence,
    }),
  ).optional(),
  endpoints: area(z.looseObject({ method: text, path: z.string().trim(), component: z.string().optional(), evidence })).optional(),
  entities: area(z.looseObject({ name: text, table: z.string().optional(), store: z.string().optional(), evidence })).optional(),
  stores: area(z.looseObject({ tech: text, evidence })).optional(),
  queues: area(
    z.looseObject({
      name: text,
      tech: z.string().optional(),
      producers: names.optional(),
      consumers: names.optional(),
      evidence,
    }),
  ).optional(),
  infrastructure: area(z.looseObject({ type: text, name: text, evidence })).optional(),
  ci: area(z.looseObject({ file: text, jobs: names.optional(), evidence })).optional(),
  observability: area(z.looseObject({ category: category(OBSERVABILITY_CATEGORIES), tech: z.string().optional(), evidence })).optional(),
  security: area(z.looseObject({ category: category(SECURITY_CATEGORIES), mechanism: z.string().optional(), evidence })).optional(),
  unread: z.array(z.looseObject({ what: text, evidence: evidence.optional() })).optional(),
  /** Files that are not the system (tests, examples, templates, e2e…): gitignore-style globs, `!` re-includes. */
  setAside: z.array(text).optional(),
  notes: z.string().optional(),
});

export type Truth = z.infer<typeof TruthSchema>;
export type HeadlineName = 'style' | 'primaryDatabase' | 'platform' | 'messaging';

export class TruthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruthError';
  }
}

/** `components.items[2].kind`: the key a zod issue is about, as it reads in the YAML. */
function keyPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${String(k)}`;
  return out || '(top level)';
}

/** Parse and validate a truth file's text; `file` names it in errors. */
export function parseTruth(source: string, file: string): Truth {
  let data: unknown;
  try {
    data = parseYaml(source, { prettyErrors: true });
  } catch (e) {
    throw new TruthError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new TruthError(`${file}: a truth file is a YAML mapping (repository, commit, headlines, areas…)`);
  const result = TruthSchema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 10).map((i) => {
      let msg = i.message;
      if (i.code === 'unrecognized_keys') msg = `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      return `  ${keyPath(i.path)}: ${msg}`;
    });
    const more = result.error.issues.length > 10 ? `\n  … and ${result.error.issues.length - 10} more` : '';
    throw new TruthError(`${file}: invalid truth file\n${lines.join('\n')}${more}`);
  }
  return result.data;
}

/** Read, parse and validate one truth file. */
export function loadTruth(file: string): Truth {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TruthError(`${file}: cannot read: ${(e as Error).message}`);
  }
  return parseTruth(source, path.relative(process.cwd(), file) || file);
}
