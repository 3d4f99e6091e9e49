/**
 * Schema files read without a parser dependency: GraphQL SDL (`.graphql`/`.gql` files and
 * `gql` tagged templates) for Query/Mutation/Subscription fields, and Protocol Buffers `.proto`
 * files for gRPC services and rpcs. Comments and strings are blanked first (offsets kept), so
 * line numbers stay exact.
 */
import type { Found } from './types.js';

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Blank `# comments`, block strings and strings in GraphQL SDL. */
function cleanGraphql(text: string): string {
  let out = text;
  for (const re of [/"""[\s\S]*?"""/g, /"(?:[^"\\\n]|\\.)*"/g, /#[^\n]*/g]) {
    out = out.replace(re, (m) => m.replace(/[^\n]/g, ' '));
  }
  return out;
}

const AUTH_DIRECTIVE = /@(auth|authenticated|isAuthenticated|requireAuth|hasRole|hasScope|hasPermission|aws_cognito_user_pools|aws_iam|aws_oidc|requiresScopes|authorized)\b/;

/**
 * Operations of a GraphQL document. `lineBase` is added to lines (for templates inside a
 * TypeScript file); `file` is the evidence file.
 */
export function graphqlOperations(text: string, file: string, lineBase = 0, framework = 'graphql-schema'): Found[] {
  const src = cleanGraphql(text);
  const roots: Record<string, string> = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' };
  const schema = /\bschema\s*(?:@[^{]*)?\{([^}]*)\}/.exec(src);
  if (schema) {
    for (const m of schema[1]!.matchAll(/\b(query|mutation|subscription)\s*:\s*([A-Za-z_]\w*)/g)) roots[m[2]!] = m[1]!;
  }
  const out: Found[] = [];
  const typeRe = /\b(?:extend\s+)?type\s+([A-Za-z_]\w*)[^{]*\{/g;
  for (const m of src.matchAll(typeRe)) {
    const op = roots[m[1]!];
    if (!op) continue;
    let depth = 0;
    let i = m.index! + m[0].length;
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
            line: lineBase + lineOf(src, i),
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
  }
  return out;
}

/** gRPC services and rpcs of a .proto file; paths are `/package.Service/Method`. */
export function protoOperations(text: string, file: string): Found[] {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, (m) => m.replace(/./g, ' '));
  const pkg = /\bpackage\s+([\w.]+)\s*;/.exec(src)?.[1];
  const out: Found[] = [];
  for (const s of src.matchAll(/\bservice\s+(\w+)\s*\{/g)) {
    const start = s.index! + s[0].length;
    let depth = 1;
    let end = start;
    for (; end < src.length && depth > 0; end++) {
      if (src[end] === '{') depth++;
      else if (src[end] === '}') depth--;
    }
    const body = src.slice(start, end);
    for (const r of body.matchAll(/\brpc\s+(\w+)\s*\(\s*(stream\s+)?([\w.]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([\w.]+)\s*\)/g)) {
      const clientStream = !!r[2];
      const serverStream = !!r[4];
      const streaming = clientStream && serverStream ? 'bidirectional' : clientStream ? 'client' : serverStream ? 'server' : undefined;
      out.push({
        protocol: 'grpc',
        method: 'rpc',
        path: `/${pkg ? pkg + '.' : ''}${s[1]}/${r[1]}`,
        file,
        line: lineOf(src, start + r.index!),
        framework: 'grpc-proto',
        mechanisms: [],
        details: { service: s[1]!, request: r[3]!, response: r[5]!, ...(streaming ? { streaming } : {}) },
      });
    }
  }
  return out;
}
