/**
 * Reading architecture decision records in the formats teams use: archdoc's own template,
 * adr-tools (`# 1. Title`, `Date:`, `## Status`), MADR 2 (`* Status: accepted`), MADR 3/4 and
 * log4brains (YAML front matter or `- Status:` bullets). Also rewriting an ADR's status.
 */

export interface AdrInfo {
  number?: number;
  title: string;
  status?: string;
  date?: string;
  tags: string[];
  /** An explicit link to a detected decision: front matter `decision: primary-database`. */
  decision?: string;
  /** 1-based line of the title heading. */
  line: number;
}

export const ADR_PATH = /(^|\/)(adrs?|decisions|architecture-decisions|decision-records|architecture\/decisions)\/[^/]+\.md$/i;

const STATUSES = ['proposed', 'accepted', 'rejected', 'deprecated', 'superseded', 'draft'];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

function normaliseStatus(raw: string): string | undefined {
  const first = raw
    .trim()
    .replace(/^[*_`]+|(?<![*_`])[*_`]+$/g, '')
    .toLowerCase();
  const hit = STATUSES.find((s) => first.startsWith(s));
  return hit
    ? cap(hit)
    : raw.trim()
      ? cap(
          raw
            .trim()
            .split(/\s+/)[0]!
            .replace(/[^A-Za-z]/g, ''),
        ) || undefined
      : undefined;
}

export function parseAdr(file: string, text: string): AdrInfo | undefined {
  const lines = text.split('\n');
  const info: AdrInfo = { title: '', tags: [], line: 1 };
  const num = /(?:^|\/)(\d{1,5})[-_ ]/.exec(file);
  if (num) info.number = Number(num[1]);
  let i = 0;
  // YAML front matter (MADR 3/4, log4brains).
  if (lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0) {
      for (const l of lines.slice(1, end)) {
        const m = /^([A-Za-z-]+):\s*(?!\s)(.*)$/.exec(l.trim());
        if (!m) continue;
        const key = m[1]!.toLowerCase();
        const value = m[2]!.replace(/^["']|["']$/g, '').trim();
        if (key === 'status') info.status = normaliseStatus(value);
        else if (key === 'date') info.date = value;
        else if (key === 'decision') info.decision = value;
        else if (key === 'tags')
          info.tags = value
            .replace(/^\[|\]$/g, '')
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean);
      }
      i = end + 1;
    }
  }
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    const heading = /^#\s+(\S.*|[^\S\n\r\u2028\u2029])$/.exec(l);
    if (heading && !info.title) {
      let title = heading[1]!.trim();
      const numbered = /^(\d+)[.:]?\s+(?!\s)(.*)$/.exec(title);
      if (numbered) {
        info.number ??= Number(numbered[1]);
        title = numbered[2]!;
      }
      info.title = title;
      info.line = i + 1;
      continue;
    }
    const bullet = /^\s*[-*]\s+\**(Status|Date|Tags|Decision)(?=(\**:?\**\s*:?\s*))\2(.*)$/i.exec(l);
    if (bullet) {
      const key = bullet[1]!.toLowerCase();
      const value = bullet[3]!.replace(/\*\*/g, '').trim();
      if (key === 'status' && !info.status) info.status = normaliseStatus(value);
      else if (key === 'date' && !info.date) info.date = value;
      else if (key === 'tags' && info.tags.length === 0)
        info.tags = value
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
      else if (key === 'decision' && !info.decision) info.decision = value;
      continue;
    }
    const plain = /^(Status|Date):\s*(\S.*|[^\S\n\r\u2028\u2029])$/i.exec(l);
    if (plain) {
      if (plain[1]!.toLowerCase() === 'status' && !info.status) info.status = normaliseStatus(plain[2]!);
      if (plain[1]!.toLowerCase() === 'date' && !info.date) info.date = plain[2]!.trim();
      continue;
    }
    if (/^##\s+Status\s*$/i.test(l) && !info.status) {
      const next = lines.slice(i + 1).find((x) => x.trim() !== '');
      if (next) info.status = normaliseStatus(next);
    }
  }
  if (!info.title) return undefined;
  return info;
}

/**
 * Replace an ADR's status, in whichever format it states it. Returns undefined when the file has
 * no recognisable status to change (the caller then says so instead of guessing).
 */
export function setAdrStatus(text: string, status: string): string | undefined {
  const lines = text.split('\n');
  if (lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1);
    for (let i = 1; i > 0 && i < end; i++) {
      if (/^status:/i.test(lines[i]!.trim())) {
        lines[i] = `status: ${status}`;
        return lines.join('\n');
      }
    }
  }
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const bullet = /^(\s*[-*]\s+\**Status(?=(\**:?\**\s*:?\s*))\2)(.*)$/i.exec(l);
    if (bullet) {
      lines[i] = `${bullet[1]}${status}`;
      return lines.join('\n');
    }
    const plain = /^(Status:\s*(?!\s))(.*)$/i.exec(l);
    if (plain) {
      lines[i] = `${plain[1]}${status}`;
      return lines.join('\n');
    }
    if (/^##\s+Status\s*$/i.test(l)) {
      let j = i + 1;
      while (j < lines.length && lines[j]!.trim() === '') j++;
      if (j < lines.length && !lines[j]!.startsWith('#')) lines[j] = status;
      else lines.splice(i + 1, 0, '', status);
      return lines.join('\n');
    }
  }
  return undefined;
}
