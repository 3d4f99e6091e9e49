/**
 * Everything archdoc writes for readers is British English. A maintained list of American
 * spellings is searched for in every template and every generated document (goldens and
 * archdoc's own), outside code spans, code blocks, links' targets and HTML comments.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

/** American spelling → what the document should say. Stems match whole words that start with them. */
const AMERICAN: [RegExp, string][] = [
  [/\bauthoriz/i, 'authoris-'],
  [/\borganiz/i, 'organis-'],
  [/\bbehavior/i, 'behaviour'],
  [/\boptimiz/i, 'optimis-'],
  [/\butiliz/i, 'utilis-'],
  [/\banalyz(e|es|ed|ing)\b/i, 'analyse'],
  [/\binitializ/i, 'initialis-'],
  [/\bvisualiz/i, 'visualis-'],
  [/\bfavor/i, 'favour'],
  [/\bcolor(s|ed|ing)?\b/i, 'colour'],
  [/\bcent(er|ers|ered)\b/i, 'centre'],
  [/\bcatalog(s)?\b/i, 'catalogue'],
  [/\blicense (is|was|for|of|holder)\b/i, 'licence (noun)'],
  [/\bprioritiz/i, 'prioritis-'],
  [/\bsummariz/i, 'summaris-'],
  [/\brecogniz/i, 'recognis-'],
  [/\bminimiz/i, 'minimis-'],
  [/\bmaximiz/i, 'maximis-'],
  [/\bcustomiz/i, 'customis-'],
  [/\bnormaliz/i, 'normalis-'],
  [/\bserializ/i, 'serialis-'],
  [/\bcanceled\b/i, 'cancelled'],
  [/\bmodeling\b/i, 'modelling'],
  [/\blabeled\b/i, 'labelled'],
  [/\bdefense\b/i, 'defence'],
  [/\bjudgment\b/i, 'judgement'],
];

/** Prose only: drop code, link targets, comments and template tags. */
function prose(text: string): string {
  return (
    text
      .replace(/```[\s\S]*?```/g, ' ')
      .replace(/`[^`\n]*`/g, ' ')
      .replace(/\]\([^)]*\)/g, ']')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/\{%[\s\S]*?%\}/g, ' ')
      .replace(/\{\{[\s\S]*?\}\}/g, ' ')
      .replace(/\{#[\s\S]*?#\}/g, ' ')
      // Evidence link texts are file paths.
      .replace(/\[[^\]\n]*[/.][^\]\n]*\]/g, ' ')
      // Identifiers from the analysed code (package names, paths, dotted or hyphenated names) are not prose.
      .replace(/[\w@]*[./@_-][\w@./-]*/g, ' ')
  );
}

function filesUnder(dir: string, ext: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, ext));
    else if (e.name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

const files = [
  ...filesUnder(path.join(REPO_ROOT, 'templates'), '.njk'),
  ...filesUnder(path.join(REPO_ROOT, 'test', 'golden'), '.md'),
  ...filesUnder(path.join(REPO_ROOT, 'docs'), '.md'),
];

describe('British English', () => {
  it('has documents and templates to read', () => {
    expect(files.length).toBeGreaterThan(20);
  });
  it('the word list catches what it should, and not code', () => {
    const hits = (t: string) => AMERICAN.filter(([re]) => re.test(prose(t))).map(([, fix]) => fix);
    expect(hits('Requests are authorized by the gateway.')).toEqual(['authoris-']);
    expect(hits('The `authorize()` guard and [src/authorize.ts:3](x)')).toEqual([]);
    expect(hits('The analyzer reads files.')).toEqual([]);
    expect(hits('Redacts req.headers.authorization; serves @shop/catalog-service.')).toEqual([]);
    expect(hits('The catalog lists products.')).toEqual(['catalogue']);
  });
  for (const file of files) {
    it(path.relative(REPO_ROOT, file), () => {
      let raw = fs.readFileSync(file, 'utf8');
      // In generated documents, table rows hold facts from the analysed code (service names and
      // the like); the templates that draw those tables are checked whole above.
      if (file.endsWith('.md'))
        raw = raw
          .split('\n')
          .filter((l) => !l.startsWith('|'))
          .join('\n');
      const text = prose(raw);
      const found: string[] = [];
      for (const [re, fix] of AMERICAN) {
        const m = new RegExp(re.source, 'gi').exec(text);
        if (m) found.push(`"${m[0]}" → ${fix}`);
      }
      expect(found).toEqual([]);
    });
  }
});
