/**
 * Development images and the compose files that run them: `Dockerfile.dev` (also `dev.Dockerfile`,
 * `Dockerfile.local`, `Dockerfile.development`) beside a plain Dockerfile is the image a developer
 * runs with the source mounted and a watcher; a compose file named for development
 * (`docker-compose.dev.yaml`, `compose.local.yml`) beside one that is not, whose built services
 * all use such images, is the developer's environment. Both are tooling: the deployment is
 * described by their plain siblings. A development compose file that builds nothing (only the
 * databases a developer runs the code against) or that is the only compose file stays production.
 * Plain string scanning; no regular expression runs on repository text.
 */
import { dirOf } from '../util/paths.js';

const DEV_WORDS = new Set(['dev', 'local', 'development', 'debug']);

function words(base: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of base) {
    if (c === '.' || c === '-' || c === '_') {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

const baseOf = (file: string) => file.slice(file.lastIndexOf('/') + 1).toLowerCase();
const isDockerfile = (base: string) =>
  base === 'dockerfile' || base.startsWith('dockerfile.') || base.startsWith('dockerfile-') || base.endsWith('.dockerfile');
const isCompose = (base: string) => (base.startsWith('docker-compose') || base.startsWith('compose')) && (base.endsWith('.yml') || base.endsWith('.yaml'));
const named = (base: string) => words(base).some((w) => DEV_WORDS.has(w));

/** The values of `dockerfile:` keys in a compose file's text, as their base names. */
function dockerfilesNamed(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.toLowerCase().startsWith('dockerfile:')) continue;
    let v = t.slice('dockerfile:'.length).trim();
    const hash = v.indexOf(' #');
    if (hash >= 0) v = v.slice(0, hash).trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    if (v) out.push(baseOf(v));
  }
  return out;
}

/** The development Dockerfiles and compose files among `files` (each a plain sibling's variant). */
export function developmentFiles(files: readonly string[], read: (file: string) => string | undefined): Set<string> {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const b = baseOf(f);
    if (!isDockerfile(b) && !isCompose(b)) continue;
    const d = dirOf(f);
    const list = byDir.get(d);
    if (list) list.push(f);
    else byDir.set(d, [f]);
  }
  const out = new Set<string>();
  const devImages = new Set<string>();
  for (const list of byDir.values()) {
    const plainImage = list.some((f) => isDockerfile(baseOf(f)) && !named(baseOf(f)));
    for (const f of list) {
      const b = baseOf(f);
      if (isDockerfile(b) && named(b) && plainImage) {
        out.add(f);
        devImages.add(b);
      }
    }
  }
  for (const list of byDir.values()) {
    const plainCompose = list.some((f) => isCompose(baseOf(f)) && !named(baseOf(f)));
    if (!plainCompose) continue;
    for (const f of list) {
      const b = baseOf(f);
      if (!isCompose(b) || !named(b)) continue;
      const images = dockerfilesNamed(read(f) ?? '');
      if (images.length > 0 && images.every((i) => devImages.has(i))) out.add(f);
    }
  }
  return out;
}
