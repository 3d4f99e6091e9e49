/**
 * Schema files read without a parser dependency: GraphQL SDL (`.graphql`/`.gql` files and
 * `gql` tagged templates) for Query/Mutation/Subscription fields, and Protocol Buffers `.proto`
 * files for gRPC services and rpcs. Comments and strings are blanked first (offsets kept), so
 * line numbers stay exact.
 */
import { NextIndex, replaceSpans } from '../../src/util/linear-scan.js';
import { LineIndex } from '../../src/util/text.js';
import type { Found } from './types.js';

const blank = (m: string) => m.replace(/[^\n]/g, ' ');
const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * Blank what `/"(?:[^"\\\n]|\\.)*"/g` matches: strings closed on their line, `\` escaping any
 * character but a line break. One pass: a string that fails at a line break (or at the end) makes
 * every quote it passed fail there too, so the search goes on from that point.
 */
function blankStrings(text: string): string {
  let out = '';
  let last = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i)) {
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 34 /* " */ || c === 10) break;
      if (c === 92 /* \ */) {
        if (j + 1 >= text.length || isLineBreak(text.charCodeAt(j + 1))) break;
        j++;
      }
    }
    if (j < text.length && text.charCodeAt(j) === 34) {
      out += text.slice(last, i) + blank(text.slice(i, j + 1));
      last = j + 1;
    }
    i = j + 1;
  }
  return out + text.slice(last);
}

/** Blank `# comments`, block strings and strings in GraphQL SDL. */
function cleanGraphql(text: string): string {
  return blankStrings(text.replace(/"""[\s\S]*?"""/g, blank)).replace(/#[^\n]*/g, blank);
}

/**
 * The root operation types a `schema { query: Q … }` block names, as the first match of
 * `/\bschema\s*(?:@[^{]*)?\{([^}]*)\}/` gives it, each brace searched for once.
 */
function schemaBlock(src: string): string | undefined {
  const openBrace = new NextIndex(src, '{');
  const closeBrace = new NextIndex(src, '}');
  const re = /\bschema\s*/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const at = m.index + m[0].length;
    const brace = src[at] === '{' ? at : src[at] === '@' ? openBrace.at(at) : -2;
    if (brace === -2) continue;
    const close = brace < 0 ? -1 : closeBrace.at(brace + 1);
    // No brace left to open or close a block: no later `schema` can have one either.
    if (close < 0) return undefined;
    return src.slice(brace + 1, close);
  }
  return undefined;
}

const AUTH_DIRECTIVE =
  /@(auth|authenticated|isAuthenticated|requireAuth|hasRole|hasScope|hasPermission|aws_cognito_user_pools|aws_iam|aws_oidc|requiresScopes|authorized)\b/;

/**
 * Operations of a GraphQL document. `lineBase` is added to lines (for templates inside a
 * TypeScript file); `file` is the evidence file.
 */
export function graphqlOperations(text: string, file: string, lineBase = 0, framework = 'graphql-schema'): Found[] {
  const src = cleanGraphql(text);
  // A composed Apollo Federation supergraph (it declares `enum join__Graph`) repeats its subgraphs'
  // operations for a router to serve: they are listed where the subgraphs declare them.
  if (/\benum\s+join__Graph\b/.test(src)) return [];
  const lines = new LineIndex(src);
  const roots: Record<string, string> = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' };
  const schema = schemaBlock(src);
  if (schema !== undefined) {
    for (const m of schema.matchAll(/\b(query|mutation|subscription)\s*:\s*([A-Za-z_]\w*)/g)) roots[m[2]!] = m[1]!;
  }
  const out: Found[] = [];
  // `type Name … {`: the name by expression, the brace by a search made once for all of them.
  const typeRe = /\b(?:extend\s+)?type\s+([A-Za-z_]\w*)/g;
  const openBrace = new NextIndex(src, '{');
  for (let m = typeRe.exec(src); m; m = typeRe.exec(src)) {
    const brace = openBrace.at(typeRe.lastIndex);
    if (brace < 0) break;
    typeRe.lastIndex = brace + 1;
    const op = roots[m[1]!];
    if (!op) continue;
    let depth = 0;
    let i = brace + 1;
    let fieldStart = true;
    for (; i < src.length; i++) {
      const c = src[i]!;
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      else if (c === '}' && depth === 0) break;
      else if (depth === 0 && fieldStart && /[A-Za-z_]/.test(c)) {
        const name = /^[A-Za-z_]\w*/.exec(src.slice(i))![0];
        const after = src.slice(i + name.length).trimStart();
        if (after.startsWith(':') || after.startsWith('(')) {
          // The field runs to the next field start: find its directives on the same logical line.
          const end = src.indexOf('\n', i);
          const rest = src.slice(i, end < 0 ? undefined : end);
          const directive = AUTH_DIRECTIVE.exec(rest);
          out.push({
            protocol: 'graphql',
            method: op,
            path: name,
            file,
            line: lineBase + lines.line(i),
            framework,
            mechanisms: directive ? [`@${directive[1]} directive`] : [],
          });
        }
        fieldStart = false;
        i += name.length - 1;
        continue;
      } else if (depth === 0 && (c === '\n' || c === ',')) fieldStart = true;
      if (depth === 0 && c === '\n') fieldStart = true;
    }
    // Types do not nest: the next one is searched for after this body, so a run of unclosed
    // `type Query {` is read once, not once per opening.
    typeRe.lastIndex = i + 1;
  }
  return out;
}

/** gRPC services and rpcs of a .proto file; paths are `/package.Service/Method`. */
export function protoOperations(text: string, file: string): Found[] {
  const src = replaceSpans(text, [{ open: '/*', close: '*/' }], blank).replace(/\/\/[^\n]*/g, (m) => m.replace(/./g, ' '));
  const pkg = /\bpackage\s+([\w.]+)\s*;/.exec(src)?.[1];
  const lines = new LineIndex(src);
  const out: Found[] = [];
  const serviceRe = /\bservice\s+(\w+)\s*\{/g;
  for (let s = serviceRe.exec(src); s; s = serviceRe.exec(src)) {
    const start = s.index + s[0].length;
    let depth = 1;
    let end = start;
    for (; end < src.length && depth > 0; end++) {
      if (src[end] === '{') depth++;
      else if (src[end] === '}') depth--;
    }
    const body = src.slice(start, end);
    // Services do not nest: the next one is searched for after this body, so a run of unclosed
    // `service S {` is read once, not once per opening.
    serviceRe.lastIndex = end;
    for (const r of body.matchAll(/\brpc\s+(\w+)\s*\(\s*(stream\s+)?([\w.]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([\w.]+)\s*\)/g)) {
      const clientStream = !!r[2];
      const serverStream = !!r[4];
      const streaming = clientStream && serverStream ? 'bidirectional' : clientStream ? 'client' : serverStream ? 'server' : undefined;
      out.push({
        protocol: 'grpc',
        method: 'rpc',
        path: `/${pkg ? pkg + '.' : ''}${s[1]}/${r[1]}`,
        file,
        line: lines.line(start + r.index!),
        framework: 'grpc-proto',
        mechanisms: [],
        details: { service: s[1]!, request: r[3]!, response: r[5]!, ...(streaming ? { streaming } : {}) },
      });
    }
  }
  return out;
}
