/**
 * One script's index from its text: parsed (src/analyzer/parse-script.ts) and indexed
 * (index-file.ts), with the warnings the parse gives. What the file pass builds on the main thread
 * or a worker and what the index cache keeps: plain data, so it survives a structured clone and
 * v8.serialize (maps included).
 */
import type ts from '../analyzer/typescript.cjs';
import { parseScript, type FileNote } from '../analyzer/parse-script.js';
import { indexFile, type FileIndex } from './index-file.js';

export interface Indexed {
  /** Absent when the script cannot be analysed as a tree, or indexing it failed. */
  index?: FileIndex;
  /** The parse's warnings (a syntax error, nesting too deep, a parser failure). */
  notes: FileNote[];
  /** Why indexing the tree failed (a bug, given as a warning on the file). */
  error?: string;
}

/** The index of a tree already parsed (with its parse's notes). */
export function indexTree(file: string, sf: ts.SourceFile | undefined, notes: FileNote[]): Indexed {
  if (!sf) return { notes };
  try {
    return { index: indexFile(file, sf), notes };
  } catch (e) {
    return { notes, error: (e as Error).message };
  }
}

/** Parse and index a script: the tree is returned too, for a caller that has other uses for it. */
export function buildIndex(t: typeof ts, file: string, text: string): { indexed: Indexed; sf?: ts.SourceFile } {
  const parsed = parseScript(t, file, text);
  return { indexed: indexTree(file, parsed.sf, parsed.notes), sf: parsed.sf };
}
