/** Test helpers for the engine: indexes of in-memory sources and a small module resolver over them. */
import path from 'node:path';
import ts from '../../src/analyzer/typescript.cjs';
import { indexFile, type FileIndex } from '../../src/analysis/index-file.js';

export function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(
    '/' + file,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    true,
    file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS,
  );
}

export function indexOf(file: string, text: string): FileIndex {
  return indexFile(file, parse(file, text));
}

/** Every file's index, by file. */
export function indexesOf(files: Record<string, string>): Map<string, FileIndex> {
  return new Map(Object.entries(files).map(([f, text]) => [f, indexOf(f, text)]));
}

/**
 * Relative specifiers (with `.ts`, `.js` and `/index.ts` tried) and bare aliases (as tsconfig paths or a
 * workspace package would give them); undefined for anything else, as for an installed package.
 */
export function resolverOf(files: Record<string, string>, aliases: Record<string, string> = {}): (from: string, specifier: string) => string | undefined {
  return (from, specifier) => {
    if (!specifier.startsWith('.')) return aliases[specifier];
    const base = path.posix.join(path.posix.dirname(from), specifier);
    return [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`].find((c) => c in files);
  };
}
