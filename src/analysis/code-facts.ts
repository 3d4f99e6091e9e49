/**
 * CODE_FACTS (src/data/build-dep-facts.ts) over Go and Python source: the imports and calls of the
 * polyglot index (src/analysis/polyglot/index-source.ts), for the files whose text names one of
 * the packages. Each fact is evidenced by the call, or by the import when no call is asked for.
 */
import { CODE_FACT_HINT, CODE_FACTS, type DepFact, depFact } from '../data/build-dep-facts.js';
import { indexPolyglot, type PolyglotIndex } from './polyglot/index-source.js';
import { polyglotLanguageOf } from './polyglot/lex.js';

/** `index` gives a file's polyglot index (the run's shared one, `ctx.polyglotIndex`, in an analyzer). */
export function codeFacts(
  file: string,
  text: string,
  index: (file: string, language: 'go' | 'python', text: string) => PolyglotIndex = (f, l, t) => indexPolyglot(f, t, l),
): { fact: DepFact; line: number }[] {
  const language = polyglotLanguageOf(file);
  if ((language !== 'go' && language !== 'python') || !CODE_FACT_HINT.test(text)) return [];
  const ix = index(file, language, text);
  const out: { fact: DepFact; line: number }[] = [];
  for (const rule of CODE_FACTS) {
    const imp = ix.imports.find((i) => i.module === rule.module && (rule.imported === undefined || i.name === rule.imported));
    if (!imp) continue;
    if (!rule.calls) {
      out.push({ fact: rule.fact, line: imp.line });
      continue;
    }
    // Go binds an import to its last path segment unless it is renamed.
    const wanted = new Set(rule.calls.map((c) => `${imp.alias}.${c.slice(c.indexOf('.') + 1)}`));
    const call = ix.calls.find((c) => c.callee.length === 2 && wanted.has(c.callee.join('.')));
    if (call) out.push({ fact: rule.fact, line: call.line });
  }
  return out;
}

/**
 * The catalogued libraries (src/data/build-dep-facts.ts) a Go file imports, each at its import line:
 * a module the code uses is the system's even when its go.mod marks it `// indirect` (written by
 * `go get` before `go mod tidy`) or there is no go.mod. An import of a module's subpackage counts
 * for the module. Callers add these only for what no build file already showed.
 */
export function goImportFacts(
  file: string,
  text: string,
  index: (file: string, language: 'go' | 'python', text: string) => PolyglotIndex = (f, l, t) => indexPolyglot(f, t, l),
): { fact: DepFact; line: number }[] {
  if (polyglotLanguageOf(file) !== 'go' || !text.includes('import')) return [];
  const out: { fact: DepFact; line: number }[] = [];
  for (const imp of index(file, 'go', text).imports) {
    const parts = imp.module.split('/');
    // A module path has a host and at least one more segment (go.uber.org/zap); the standard library none.
    if (!parts[0]!.includes('.')) continue;
    for (let n = parts.length; n >= 2; n--) {
      const fact = depFact({ name: parts.slice(0, n).join('/'), line: imp.line, ecosystem: 'go' });
      if (fact) {
        out.push({ fact, line: imp.line });
        break;
      }
    }
  }
  return out;
}
