/**
 * Mermaid's own parser under Node, for tests. Mermaid needs a DOM even to parse (DOMPurify and
 * d3 look for `window` when the module loads), so jsdom globals are installed once, before the
 * first dynamic import. No browser is involved: this checks syntax, not layout.
 */
import { JSDOM } from 'jsdom';

type MermaidApi = {
  initialize(config: Record<string, unknown>): void;
  parse(text: string): Promise<unknown>;
};

let loading: Promise<MermaidApi> | undefined;

function installDom(): void {
  if ((globalThis as { window?: unknown }).window) return;
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
  const g = globalThis as Record<string, unknown>;
  g.window = dom.window;
  g.document = dom.window.document;
  for (const key of ['DOMParser', 'Element', 'HTMLElement', 'SVGElement', 'Node', 'navigator', 'MutationObserver']) {
    // Node 20 defines `navigator` as a getter: leave what is already there.
    if (!(key in g)) g[key] = (dom.window as unknown as Record<string, unknown>)[key];
  }
}

/** The mermaid module, loaded once per test file. */
export function loadMermaid(): Promise<MermaidApi> {
  loading ??= (async () => {
    installDom();
    const mod = (await import('mermaid')) as unknown as { default: MermaidApi };
    mod.default.initialize({ startOnLoad: false, securityLevel: 'strict' });
    return mod.default;
  })();
  return loading;
}

/** Parse Mermaid source; resolves to undefined when valid, or the parser's first error line(s). */
export async function mermaidError(code: string): Promise<string | undefined> {
  const mermaid = await loadMermaid();
  try {
    await mermaid.parse(code);
    return undefined;
  } catch (e) {
    return String((e as Error).message ?? e)
      .split('\n')
      .slice(0, 4)
      .join('\n');
  }
}

/** Every ```mermaid fence in a Markdown text, with the 1-based line of its opening fence. */
export function mermaidFences(markdown: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```mermaid') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
    out.push({ line: start + 1, code: body.join('\n') });
  }
  return out;
}
