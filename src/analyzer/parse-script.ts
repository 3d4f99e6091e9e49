/**
 * Parsing one script, away from the run's shared state: the tree and the warnings its parse gives
 * (a syntax error, syntax nested too deeply, a parser failure), each with its line. The shared
 * state (context.ts) parses through this and gives the warnings; the file pass's index builder,
 * on the main thread or a worker, does the same and keeps the warnings with the index.
 */
import type ts from './typescript.cjs';
import { lineAt } from '../util/text.js';

/** Deepest syntax tree handed to analyzers (hand-written code stays far below; minified libraries reach ~800). */
export const MAX_SYNTAX_DEPTH = 1000;

/** A warning about one file, without its file and analyzer (the caller knows both). */
export interface FileNote {
  line: number;
  message: string;
}

/** A parse: the tree, unless the file cannot be analysed as one, and the warnings to give for it. */
export interface Parsed {
  sf?: ts.SourceFile;
  notes: FileNote[];
}

/** The script kind TypeScript would infer from the file name (JSX is parsed only where allowed). */
function scriptKind(t: typeof ts, file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return t.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return t.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return t.ScriptKind.JS;
  return t.ScriptKind.TS;
}

/**
 * The tree of a script (raw compiler nodes with parent pointers; `fileName` is the repo-relative
 * path with a leading slash), or none with a warning when the parser fails or the tree is nested
 * more than MAX_SYNTAX_DEPTH levels deep; a syntax error is a warning on a tree still given.
 */
export function parseScript(t: typeof ts, file: string, text: string): Parsed {
  const notes: FileNote[] = [];
  try {
    // No analyzer reads JSDoc: leaving it unparsed makes trees smaller and parsing faster.
    const sf = t.createSourceFile(
      '/' + file,
      text,
      { languageVersion: t.ScriptTarget.Latest, jsDocParsingMode: t.JSDocParsingMode.ParseNone },
      true,
      scriptKind(t, file),
    );
    const diagnostics = (sf as unknown as { parseDiagnostics?: { start?: number; messageText: unknown }[] }).parseDiagnostics;
    const first = diagnostics?.[0];
    if (first) {
      const message = typeof first.messageText === 'string' ? first.messageText : 'syntax error';
      notes.push({ line: lineAt(text, first.start ?? 0), message: `TypeScript syntax error: ${message} (facts from this file may be incomplete)` });
    }
    const deep = firstTooDeep(t, sf, MAX_SYNTAX_DEPTH);
    if (deep === undefined) return { sf, notes };
    // Analyzers may walk trees recursively; a tree this deep would overflow their stack.
    notes.push({ line: lineAt(text, deep), message: `file skipped: syntax nested more than ${MAX_SYNTAX_DEPTH} levels deep (generated or minified code?)` });
  } catch (e) {
    const why = e instanceof RangeError ? 'nested too deeply for the TypeScript parser' : (e as Error).message;
    notes.push({ line: 0, message: `could not be parsed: ${why}` });
  }
  return { notes };
}

/** Position of the first node deeper than `limit`, found without recursion; undefined when none is. */
function firstTooDeep(t: typeof ts, root: ts.SourceFile, limit: number): number | undefined {
  // A tree of at most `limit` nodes cannot be deeper than `limit` (the parser counts its nodes).
  const count = (root as unknown as { nodeCount?: number }).nodeCount;
  if (typeof count === 'number' && count <= limit) return undefined;
  const nodes: ts.Node[] = [root];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return node.pos;
    t.forEachChild(node, (child) => {
      nodes.push(child);
      depths.push(depth + 1);
    });
  }
  return undefined;
}
