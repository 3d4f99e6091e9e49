/**
 * A structural check of Structurizr DSL as `archdoc export structurizr-dsl` writes it, read the way
 * Structurizr's own parser reads it (structurizr-java's structurizr-dsl: StructurizrDslParser,
 * Tokenizer, Tokens, IdentifiersRegister), since no Structurizr DSL parser installs from npm:
 *
 * - the text is read line by line; a line that starts with `//` or `#` is a comment;
 * - a line is split into tokens at whitespace, a token in double quotes running to the next quote
 *   that no backslash precedes; in a token `\"` is a quote and `\n` a line break, and `${NAME}`
 *   is replaced by a constant or an environment variable;
 * - `name = keyword …` assigns an identifier: a word character, then letters, digits, `_` or `-`,
 *   one namespace for elements and relationships whatever the case;
 * - a line whose last token is `{` opens a block, a line `}` closes one.
 *
 * On top of that, what Structurizr would refuse: a keyword out of place, an identifier used twice or
 * used before it is declared, a relationship or instance naming nothing, a view of an element that
 * does not exist. `!include` is followed into the files given, as the parser inlines them.
 */

export interface DslElement {
  id: string;
  keyword: string;
  name: string;
  /** Identifier of the block it is declared in (a container's system), if any. */
  parent?: string;
}

export interface DslReading {
  problems: string[];
  elements: DslElement[];
  relationships: { source: string; destination: string; description: string; technology?: string }[];
  views: { kind: string; key: string; scope?: string }[];
  /** Every string token, decoded as Structurizr decodes it. */
  strings: string[];
}

/** Structurizr's tokenizer: whitespace-separated tokens, double-quoted tokens with `\"` kept. */
export function tokenize(line: string): { text: string; quoted: boolean; open?: boolean }[] {
  const tokens: { text: string; quoted: boolean; open?: boolean }[] = [];
  const s = line.trim();
  let started = false;
  let quoted = false;
  let token = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!started) {
      if (c === '"') {
        quoted = true;
        started = true;
        token = '';
      } else if (!/\s/.test(c)) {
        quoted = false;
        started = true;
        token = c;
      }
    } else if (c === '"' && s[i - 1] === '\\') token += c;
    else if (quoted && c === '"') {
      tokens.push({ text: token, quoted: true });
      started = false;
      quoted = false;
    } else if (!quoted && /\s/.test(c)) {
      tokens.push({ text: token, quoted: false });
      started = false;
    } else token += c;
  }
  // An unterminated string is a token too (Structurizr takes it as one): flagged by the caller.
  if (started) tokens.push({ text: token, quoted: false, ...(quoted ? { open: true } : {}) });
  return tokens;
}

/** A token's value as Structurizr's `Tokens.get` gives it. */
export function decode(token: string): string {
  return token.replaceAll('\\"', '"').replaceAll('\\n', '\n');
}

const IDENTIFIER = /^\w[a-zA-Z0-9_-]*$/;

/** Keywords allowed in each block, and the block each opens. */
const ELEMENTS: Record<string, { in: string[]; opens: string }> = {
  person: { in: ['model'], opens: 'element' },
  softwareSystem: { in: ['model'], opens: 'softwareSystem' },
  container: { in: ['softwareSystem'], opens: 'container' },
  component: { in: ['container'], opens: 'element' },
  deploymentEnvironment: { in: ['model'], opens: 'deploymentEnvironment' },
  deploymentNode: { in: ['deploymentEnvironment', 'deploymentNode'], opens: 'deploymentNode' },
};
const ELEMENT_BLOCKS = ['element', 'softwareSystem', 'container', 'deploymentNode'];
const SETTINGS: Record<string, string[]> = {
  description: ELEMENT_BLOCKS,
  technology: ['container', 'element', 'deploymentNode'],
  tags: [...ELEMENT_BLOCKS, 'relationship'],
  instances: ['deploymentNode'],
  title: ['view'],
  include: ['view'],
  autolayout: ['view'],
};
const VIEWS: Record<string, 'system' | 'container'> = { systemContext: 'system', container: 'system', component: 'container', deployment: 'system' };

/**
 * Read a workspace (or a fragment, with `start` the block it is included in: `model` or `views`),
 * following `!include` into `files` (by name). Structurizr's rules, as far as archdoc's output uses them.
 */
export function readDsl(text: string, files: Record<string, string> = {}, start = 'root'): DslReading {
  const out: DslReading = { problems: [], elements: [], relationships: [], views: [], strings: [] };
  const ids = new Map<string, DslElement>();
  const stack: { kind: string; id?: string }[] = [{ kind: start }];
  const declare = (id: string, keyword: string, name: string, where: string) => {
    if (!IDENTIFIER.test(id)) out.problems.push(`${where}: ${JSON.stringify(id)} is not an identifier`);
    if (ids.has(id.toLowerCase())) out.problems.push(`${where}: identifier ${id} is already in use`);
    const parent = [...stack].reverse().find((b) => b.id)?.id;
    const e: DslElement = { id, keyword, name, ...(parent ? { parent } : {}) };
    ids.set(id.toLowerCase(), e);
    out.elements.push(e);
  };
  const known = (id: string, where: string, keywords?: string[]) => {
    const e = ids.get(id.toLowerCase());
    if (!e) out.problems.push(`${where}: ${id} is not declared`);
    else if (keywords && !keywords.includes(e.keyword)) out.problems.push(`${where}: ${id} is a ${e.keyword}, not a ${keywords.join(' or ')}`);
  };
  const lines = (source: string, file: string): void => {
    for (const [n, raw] of source.split('\n').entries()) {
      const where = `${file}:${n + 1}`;
      const line = raw.trim();
      if (line === '' || line.startsWith('//') || line.startsWith('#')) continue;
      if (raw.endsWith('\\')) out.problems.push(`${where}: ends with a backslash (Structurizr joins the next line to it)`);
      if (raw.endsWith('"""')) out.problems.push(`${where}: ends with """ (Structurizr starts a text block)`);
      const tokens = tokenize(line);
      if (tokens.some((t) => t.open)) out.problems.push(`${where}: a string is not closed`);
      for (const t of tokens) {
        if (!t.quoted) continue;
        if (/\$\{[a-zA-Z0-9-_.]+?\}/.test(t.text)) out.problems.push(`${where}: ${JSON.stringify(t.text)} would be substituted from the environment`);
        out.strings.push(decode(t.text));
      }
      const words = tokens.map((t) => t.text);
      const block = stack[stack.length - 1]!.kind;
      const opens = words[words.length - 1] === '{' && !tokens[tokens.length - 1]!.quoted;
      const first = words[0]!;
      if (first === '}' && words.length === 1) {
        if (stack.length === 1) out.problems.push(`${where}: } closes no block`);
        else stack.pop();
        continue;
      }
      if (first.startsWith('!')) {
        if (first === '!include') {
          const name = words[1] ?? '';
          if (!(name in files)) out.problems.push(`${where}: !include ${name}: no such file given`);
          else lines(files[name]!, name);
        } else if (first === '!identifiers' && block === 'workspace') {
          if (words[1] !== 'flat') out.problems.push(`${where}: identifiers are ${words[1]}, the fragments need flat`);
        } else out.problems.push(`${where}: directive ${first} here`);
        continue;
      }
      // `a -> b "description" ["technology"] [{]`
      if (words[1] === '->') {
        if (block !== 'model') out.problems.push(`${where}: a relationship in ${block}`);
        known(words[0]!, where);
        known(words[2]!, where);
        const [description, technology] = tokens.slice(3).filter((t) => t.quoted);
        out.relationships.push({
          source: words[0]!,
          destination: words[2]!,
          description: decode(description?.text ?? ''),
          ...(technology ? { technology: decode(technology.text) } : {}),
        });
        if (opens) stack.push({ kind: 'relationship' });
        continue;
      }
      const assigned = words[1] === '=';
      const keyword = assigned ? words[2]! : first;
      const id = assigned ? first : undefined;
      // In a views block, `container` is a view (in a software system, an element).
      if (keyword in VIEWS && block === 'views') {
        const scope = words[1] ?? '';
        known(scope, where, VIEWS[keyword] === 'system' ? ['softwareSystem'] : ['container']);
        if (keyword === 'deployment') known(words[2] ?? '', where, ['deploymentEnvironment']);
        const key = decode(tokens[keyword === 'deployment' ? 3 : 2]?.text ?? '');
        if (out.views.some((v) => v.key === key)) out.problems.push(`${where}: view key ${key} is used twice`);
        out.views.push({ kind: keyword, key, scope });
        if (opens) stack.push({ kind: 'view' });
        continue;
      }
      if (keyword in ELEMENTS) {
        const rule = ELEMENTS[keyword]!;
        if (!rule.in.includes(block)) out.problems.push(`${where}: ${keyword} in ${block}`);
        const name = tokens[assigned ? 3 : 1];
        if (!name?.quoted) out.problems.push(`${where}: ${keyword} without a quoted name`);
        if (id) declare(id, keyword, decode(name?.text ?? ''), where);
        else out.problems.push(`${where}: ${keyword} without an identifier`);
        if (opens) stack.push({ kind: rule.opens, ...(id ? { id } : {}) });
        continue;
      }
      if (assigned) {
        out.problems.push(`${where}: ${first} = ${keyword}: not an element archdoc declares`);
        continue;
      }
      if (keyword === 'workspace' && block === 'root') {
        if (opens) stack.push({ kind: 'workspace' });
        continue;
      }
      if ((keyword === 'model' || keyword === 'views') && block === 'workspace') {
        if (opens) stack.push({ kind: keyword });
        continue;
      }
      if (keyword === 'properties' && [...ELEMENT_BLOCKS, 'relationship'].includes(block)) {
        if (opens) stack.push({ kind: 'properties' });
        continue;
      }
      if (block === 'properties') {
        if (tokens.length !== 2 || !tokens.every((t) => t.quoted)) out.problems.push(`${where}: a property is a quoted name and a quoted value`);
        continue;
      }
      if (keyword === 'containerInstance' && block === 'deploymentNode') {
        known(words[1] ?? '', where, ['container']);
        continue;
      }
      if ((keyword === 'styles' && block === 'views') || (keyword === 'element' && block === 'styles')) {
        if (opens) stack.push({ kind: keyword === 'styles' ? 'styles' : 'style' });
        continue;
      }
      if (block === 'style') continue;
      if (keyword in SETTINGS) {
        if (!SETTINGS[keyword]!.includes(block)) out.problems.push(`${where}: ${keyword} in ${block}`);
        continue;
      }
      out.problems.push(`${where}: ${JSON.stringify(first)} is nothing Structurizr reads in ${block}`);
    }
  };
  lines(text, 'workspace');
  if (stack.length !== 1) out.problems.push(`${stack.length - 1} block(s) not closed: ${stack.map((b) => b.kind).join(' > ')}`);
  return out;
}
