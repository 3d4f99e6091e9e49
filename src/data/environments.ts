/**
 * Deployment environment names, one canonical name for each (`prod` → `production`): shared by the
 * analyzers that name environments (ci, kubernetes, terraform).
 */
import { replaceSpans } from '../util/linear-scan.js';

const ENV_ALIASES: [RegExp, string][] = [
  [/^(prod|prd|production|live)$/, 'production'],
  [/^(stg|stag|stage|staging)$/, 'staging'],
  [/^(dev|develop|development)$/, 'development'],
  [/^(qa|test|testing)$/, 'test'],
  [/^(uat|acceptance)$/, 'uat'],
  [/^(preview|review|review-apps?|pr)$/, 'preview'],
  [/^(sandbox|sbx)$/, 'sandbox'],
  [/^(demo)$/, 'demo'],
];

/**
 * A deployment environment's canonical name (`prod` → `production`), so the same environment named
 * in CI, Kustomize overlays and Terraform roots becomes one fact. Undefined when the name is only
 * an expression (`${{ inputs.env }}`).
 */
export function canonicalEnvironment(raw: string): string | undefined {
  const cleaned = replaceSpans(raw, [{ open: '${{', close: '}}', without: '}' }], () => '')
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, '')
    .trim()
    .toLowerCase();
  const word = cleaned.split(/[/\s]/)[0]!;
  let end = word.length;
  while (end > 0 && '-_.'.includes(word[end - 1]!)) end--;
  const head = word.slice(0, end);
  if (head === '') return undefined;
  for (const [re, name] of ENV_ALIASES) if (re.test(head)) return name;
  return head;
}

/** True when a directory name looks like an environment (overlays/production, envs/staging). */
export function isEnvironmentName(name: string): boolean {
  const lower = name.toLowerCase();
  return ENV_ALIASES.some(([re]) => re.test(lower));
}
