/** Test helper: runs one language group's rules over in-memory files (no repository on disk). */
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import { polyglotLanguageOf } from '../../../src/analysis/polyglot/lex.js';
import { Program } from '../../../src/analysis/polyglot/program.js';
import type { Site } from '../detect.js';
import { Collected } from './collect.js';
import { goMessaging } from './go.js';
import { jvmMessaging } from './jvm.js';
import { PolyNames } from './names.js';
import { pythonMessaging } from './python.js';

/** `channel tech kind role [message] [binding] @file:line`, sorted: what a test compares. */
export function show(s: Site): string {
  return [
    s.channel,
    s.tech,
    s.kind,
    s.role,
    s.message ? `(${s.message})` : '',
    s.binding ? `[${s.binding}]` : '',
    s.unresolved ? 'unresolved' : '',
    `@${s.at.file}:${s.at.line}`,
  ]
    .filter(Boolean)
    .join(' ');
}

export function runRules(files: Record<string, string>): Collected {
  const out = new Collected();
  const indexes = Object.entries(files).flatMap(([f, text]) => {
    const lang = polyglotLanguageOf(f);
    return lang ? [indexPolyglot(f, text, lang)] : [];
  });
  const ctx = { files: Object.keys(files), read: (f: string) => files[f] };
  const names = new PolyNames(new Program(indexes), ctx);
  const lang = indexes[0]?.language;
  if (lang === 'python') pythonMessaging(names, indexes, out);
  else if (lang === 'go') goMessaging(names, indexes, ctx.read, out);
  else jvmMessaging(names, indexes, ctx.read, out);
  return out;
}

export function sites(files: Record<string, string>): string[] {
  return runRules(files).sites.map(show).sort();
}
