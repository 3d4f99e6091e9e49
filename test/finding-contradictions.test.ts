/**
 * A finding never contradicts a fact the same document states: no "runs as root" finding for a
 * container or image whose deployment the Containers table states runs as a non-root user.
 * Read from every golden document, as a reader would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('./golden/', import.meta.url);
const goldens = readdirSync(dir).filter((f) => f.endsWith('.md'));

interface Row {
  name: string;
  user: string;
  component: string;
  evidenceFile: string;
}

const unescapeMarkdown = (s: string) => s.replace(/\\(.)/g, '$1').trim();

/** Splits a table row on unescaped pipes. */
function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  for (let i = 1; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      cur += ch + line[i + 1];
      i++;
    } else if (ch === '|') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  return cells.map(unescapeMarkdown);
}

/** The rows of the Containers table (Container, Image, Ports, User, Health check, Component, Evidence). */
function containerRows(text: string): Row[] {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => l.startsWith('| Container | Image | Ports | User |'));
  if (head < 0) return [];
  const rows: Row[] = [];
  for (let i = head + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    const c = cellsOf(lines[i]!);
    rows.push({ name: c[0]!, user: c[3]!, component: c[5]!, evidenceFile: /^\[([^\]:]+):\d+\]/.exec(c[6]!)?.[1] ?? '' });
  }
  return rows;
}

/** As the Containers table words a user: a Kubernetes `uid N` or `non-root (…)`, a Compose, ECS or Dockerfile user. */
function statesNonRoot(user: string): boolean {
  if (user.startsWith('non-root')) return true;
  const uid = /^uid (\d+)$/.exec(user)?.[1];
  if (uid !== undefined) return Number(uid) > 0;
  if (user === 'not set' || user === '—' || user === '' || user.startsWith('uid ')) return false;
  return !/^(root|0)(:.*)?$/.test(user) && !user.startsWith('root');
}

/** Each "runs as root" finding and the containers it concerns that the document states run as non-root. */
function contradictions(text: string): string[] {
  const rows = containerRows(text);
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!/^\| (high|medium|low|info) \|/.test(line) || !line.includes('runs as root')) continue;
    const finding = cellsOf(line)[1]!;
    const image = /^The image built by (\S+) runs as root/.exec(finding)?.[1];
    const k8s = /^Container (\S+) of \w+\/(\S+) runs as root/.exec(finding);
    const compose = /^Compose service (\S+) runs as root/.exec(finding)?.[1];
    let concerned: Row[] = [];
    if (image) {
      const own = rows.find((r) => r.evidenceFile === image);
      const deployed = own && own.component !== '—' ? rows.filter((r) => r !== own && r.component === own.component && !r.name.endsWith('(Dockerfile)')) : [];
      // The finding stands while any deployment of the image runs it as its Dockerfile does.
      concerned = deployed.length > 0 && deployed.every((r) => statesNonRoot(r.user)) ? deployed : [];
    } else if (k8s) concerned = rows.filter((r) => r.name === `${k8s[2]}/${k8s[1]}` && statesNonRoot(r.user));
    else if (compose) concerned = rows.filter((r) => r.name === compose && statesNonRoot(r.user));
    for (const r of concerned) out.push(`${finding} — but ${r.name} runs as ${r.user}`);
  }
  return out;
}

describe('findings never contradict the document', () => {
  it('reads a contradiction when there is one', () => {
    const doc = [
      '| medium | The image built by svc/Dockerfile runs as root (no USER instruction in the final stage) unless its deployment sets a non-root user | [svc/Dockerfile:1](x) |',
      '| medium | Container app of Deployment/web runs as root (runAsUser: 0) | [k.yaml:3](x) |',
      '| Container | Image | Ports | User | Health check | Component | Evidence |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| svc/svc | `svc:1` | — | non-root (runAsNonRoot) | none | svc | [k8s/svc.yaml:9](x) |',
      '| web/app | `web:1` | — | uid 1000 | none | web | [k.yaml:3](x) |',
      '| svc (Dockerfile) | built from `node:20` | — | root (no USER instruction) | none | svc | [svc/Dockerfile:1](x) |',
    ].join('\n');
    expect(contradictions(doc)).toHaveLength(2);
    expect(contradictions(doc.replace('non-root (runAsNonRoot)', 'not set').replace('uid 1000', 'uid 0'))).toEqual([]);
  });

  it.each(goldens)('%s', (file) => {
    expect(contradictions(readFileSync(new URL(file, dir), 'utf8'))).toEqual([]);
  });
});
