/** Fact ids are derived from content, never from counters, so they are stable across runs. */

/** `component:apps/api`; the repository root is `component:.`. */
export function componentId(path: string): string {
  return `component:${path === '' ? '.' : path}`;
}

/** A lowercase slug for ids built from free text: `Primary database` → `primary-database`. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9@/._-]+/g, '-')
    .replace(/^-+|(?<!-)-+$/g, '');
  return s === '' ? 'unnamed' : s;
}
