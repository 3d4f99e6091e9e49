/**
 * OpenAPI 2.0 (Swagger), 3.0 and 3.1 documents in YAML or JSON, read through the shared context
 * (YAML with line numbers) and resolved with a small `$ref` resolver of our own: local pointers,
 * relative files and pointers into them, chained references, with cycles and broken references
 * reported as warnings. The `openapi` analyzer reads them once per run and provides them as the
 * product `openapi.specs`, which the `endpoints` analyzer consumes.
 */
import type { OpenAPI, OpenAPIV2, OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { AnalyzerContext } from '../analyzer/context.js';
import { compareStrings } from '../model/compare.js';
import { MAX_NESTING } from '../util/nesting.js';
import { dirOf, joinPosix } from '../util/paths.js';

export const SPEC_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface SpecOperation {
  method: string;
  /** Path as served: base path (servers / basePath) + path key, `{id}` style. */
  path: string;
  /** The path key as written in the spec. */
  specPath: string;
  operationId?: string;
  summary?: string;
  tags: string[];
  /** null when the spec says nothing about security for this operation. */
  authRequired: boolean | null;
  schemes: string[];
  deprecated: boolean;
  requestSchema?: string;
  responseSchema?: string;
  file: string;
  line: number;
}

export interface SpecSecurityScheme {
  name: string;
  type: string;
  detail?: string;
  file: string;
  line: number;
}

export interface Spec {
  file: string;
  version: '2.0' | '3.0' | '3.1';
  title?: string;
  basePath: string;
  operations: SpecOperation[];
  securitySchemes: SpecSecurityScheme[];
  /** Number of `$ref`s followed. */
  refs: number;
  /**
   * Whether a production file names the document (the openapi analyzer sets it; undefined: not
   * checked). A document nothing names describes the API without serving it: where code gives
   * its operations, the endpoints come from the code alone.
   */
  used?: boolean;
}

type Json = Record<string, unknown>;
type AnyOperation = OpenAPIV2.OperationObject | OpenAPIV3.OperationObject | OpenAPIV3_1.OperationObject;

interface Loaded {
  value: unknown;
  lineOf(pointer: readonly string[]): number;
}

/**
 * Deepest walk when checking references: a document nests at most MAX_NESTING levels, and
 * following its `$ref`s depth-first adds the levels of each schema referred to (a large spec's
 * chains of schemas go some hundreds deep); a few frames a level stay far inside the stack.
 */
const MAX_CHECK_DEPTH = 4 * MAX_NESTING;

const CANDIDATE = /\.(ya?ml|json)$/i;
const NAMED_LIKE_SPEC = /(openapi|swagger|oas|api|spec|contract)/i;
const NOT_SPEC = /(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json|composer\.json|renovate\.json|\.eslintrc[^/]*|pnpm-lock\.yaml|[^/]*\.lock)$/;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unescapePointer(s: string): string {
  return decodeURIComponent(s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

class SpecReader {
  private readonly docs = new Map<string, Loaded | null>();
  refs = 0;
  constructor(private readonly ctx: AnalyzerContext) {}

  load(file: string): Loaded | undefined {
    const hit = this.docs.get(file);
    if (hit !== undefined) return hit ?? undefined;
    let out: Loaded | undefined;
    if (/\.json$/i.test(file)) {
      const value = this.ctx.json(file);
      const text = this.ctx.read(file) ?? '';
      if (value !== undefined) out = { value, lineOf: (p) => jsonLine(text, p) };
    } else {
      const y = this.ctx.yaml(file);
      const doc = y?.documents[0];
      if (y && doc) {
        const value = y.toJS(doc);
        out = {
          value,
          lineOf: (p) => {
            let node: unknown = doc.contents;
            let offset = 0;
            for (const seg of p) {
              if (isMap(node)) {
                const pair = node.items.find((it) => String(isScalar(it.key) ? it.key.value : it.key) === seg);
                if (!pair) break;
                offset = (pair.key as YamlNode | null)?.range?.[0] ?? offset;
                node = pair.value;
              } else if (isSeq(node)) {
                const item = node.items[Number(seg)] as YamlNode | undefined;
                if (!item) break;
                offset = item.range?.[0] ?? offset;
                node = item;
              } else break;
            }
            return y.line(offset);
          },
        };
      }
    }
    this.docs.set(file, out ?? null);
    return out;
  }

  /** Follow a `$ref` (chains included) from `fromFile`. */
  resolve(ref: string, fromFile: string, depth = 0): { file: string; pointer: string[]; value: unknown } | undefined {
    if (depth > 20) return undefined;
    this.refs++;
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    if (/^[a-z]+:\/\//i.test(filePart)) return undefined; // remote references are not fetched
    const file = filePart === '' ? fromFile : joinPosix(dirOf(fromFile), filePart);
    if (!this.ctx.has(file)) return undefined;
    const doc = this.load(file);
    if (!doc) return undefined;
    const pointer = fragment
      .split('/')
      .filter((s, i) => i > 0 || s !== '')
      .map(unescapePointer);
    let value: unknown = doc.value;
    for (const seg of pointer) {
      if (Array.isArray(value)) value = value[Number(seg)];
      else if (isObject(value)) value = value[seg];
      else return undefined;
      if (value === undefined) return undefined;
    }
    if (isObject(value) && typeof value.$ref === 'string') return this.resolve(value.$ref, file, depth + 1);
    return { file, pointer, value };
  }

  /** Resolve every `$ref` under a value, warning about the broken ones. */
  check(value: unknown, file: string, pointer: string[], seen: Set<string>, budget: { n: number; deepWarned?: boolean }, depth = 0): void {
    if (budget.n-- <= 0) return;
    if (depth > MAX_CHECK_DEPTH) {
      // A document's own nesting is held to MAX_NESTING when it is read; chains of references go deeper.
      if (!budget.deepWarned)
        this.ctx.warn(
          file,
          this.load(file)?.lineOf(pointer) ?? 0,
          `OpenAPI values and $refs nest deeper than ${MAX_CHECK_DEPTH} levels; the $refs below this point are not checked`,
        );
      budget.deepWarned = true;
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        this.check(v, file, [...pointer, String(i)], seen, budget, depth + 1);
      });
      return;
    }
    if (!isObject(value)) return;
    if (typeof value.$ref === 'string') {
      const ref = value.$ref;
      const res = this.resolve(ref, file);
      if (!res) {
        if (!/^[a-z]+:\/\//i.test(ref)) {
          this.ctx.warn(file, this.load(file)?.lineOf(pointer) ?? 0, `OpenAPI $ref '${ref}' could not be resolved`);
        }
        return;
      }
      const key = `${res.file}#${res.pointer.join('/')}`;
      if (seen.has(key)) return;
      seen.add(key);
      this.check(res.value, res.file, res.pointer, seen, budget, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(value)) this.check(v, file, [...pointer, k], seen, budget, depth + 1);
  }

  /** The value behind a possible reference, with the file and pointer it lives at. */
  deref(value: unknown, file: string, pointer: string[]): { value: unknown; file: string; pointer: string[] } {
    if (isObject(value) && typeof value.$ref === 'string') {
      const res = this.resolve(value.$ref, file);
      if (res) return res;
    }
    return { value, file, pointer };
  }
}

function jsonLine(text: string, pointer: readonly string[]): number {
  let from = 0;
  for (const seg of pointer) {
    const i = text.indexOf(JSON.stringify(seg), from);
    if (i < 0) break;
    from = i;
  }
  let line = 1;
  for (let i = 0; i < from; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function basePathOf(doc: Json): string {
  if (typeof doc.basePath === 'string') return doc.basePath.replace(/(?<!\/)\/+$/, '');
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers.find(isObject) as OpenAPIV3.ServerObject | undefined;
  if (!first || typeof first.url !== 'string') return '';
  let url = first.url;
  for (const [name, v] of Object.entries(first.variables ?? {})) url = url.split(`{${name}}`).join(String(v.default ?? ''));
  const m = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(url);
  const path = m ? (m[1] ?? '') : url.startsWith('/') ? url : '';
  return path.replace(/(?<!\/)\/+$/, '');
}

function schemaName(reader: SpecReader, schema: unknown): string | undefined {
  if (!isObject(schema)) return undefined;
  const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  if (ref)
    return ref
      .split('/')
      .pop()
      ?.replace(/\.(ya?ml|json)$/, '');
  if (schema.type === 'array' && isObject(schema.items) && typeof schema.items.$ref === 'string') {
    const n = schema.items.$ref
      .split('/')
      .pop()
      ?.replace(/\.(ya?ml|json)$/, '');
    return n ? `${n}[]` : undefined;
  }
  void reader;
  return undefined;
}

function firstContentSchema(content: unknown): unknown {
  if (!isObject(content)) return undefined;
  const key =
    Object.keys(content)
      .sort(compareStrings)
      .find((k) => /json/.test(k)) ?? Object.keys(content)[0];
  const media = key ? content[key] : undefined;
  return isObject(media) ? media.schema : undefined;
}

function readSpec(ctx: AnalyzerContext, reader: SpecReader, file: string): Spec | undefined {
  const loaded = reader.load(file);
  const doc = loaded?.value;
  if (!isObject(doc) || !loaded) return undefined;
  const raw = typeof doc.openapi === 'string' ? doc.openapi : typeof doc.swagger === 'string' ? doc.swagger : String(doc.openapi ?? doc.swagger ?? '');
  const version = raw.startsWith('2') ? '2.0' : raw.startsWith('3.1') ? '3.1' : raw.startsWith('3') ? '3.0' : undefined;
  if (!version) {
    ctx.warn(file, 1, `OpenAPI version '${raw}' is not supported (2.0, 3.0 and 3.1 are)`);
    return undefined;
  }
  const api = doc as unknown as OpenAPI.Document;
  const refsBefore = reader.refs;
  const basePath = basePathOf(doc);
  const rootSecurity = (api as OpenAPIV3.Document).security;
  const operations: SpecOperation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  const seen = new Set<string>();
  const budget = { n: 20000 };
  for (const specPath of Object.keys(paths)) {
    const item = reader.deref(paths[specPath], file, ['paths', specPath]);
    if (!isObject(item.value)) {
      if (isObject(paths[specPath]) && typeof (paths[specPath] as Json).$ref === 'string') {
        ctx.warn(file, loaded.lineOf(['paths', specPath]), `OpenAPI $ref '${(paths[specPath] as Json).$ref}' could not be resolved`);
      }
      continue;
    }
    const itemFile = reader.load(item.file);
    for (const method of SPEC_METHODS) {
      const opRaw = item.value[method];
      if (!isObject(opRaw)) continue;
      const op = opRaw as unknown as AnyOperation;
      reader.check(opRaw, item.file, [...item.pointer, method], seen, budget);
      const security = (op.security ?? rootSecurity) as OpenAPIV3.SecurityRequirementObject[] | undefined;
      const schemes = [...new Set((security ?? []).flatMap((s) => Object.keys(s)))].sort(compareStrings);
      const authRequired = security === undefined ? null : !(security.length === 0 || security.some((s) => Object.keys(s).length === 0));
      let requestSchema: string | undefined;
      let responseSchema: string | undefined;
      if (version === '2.0') {
        const params = ((op as OpenAPIV2.OperationObject).parameters ?? []).map((p) => reader.deref(p, item.file, []).value);
        const body = params.find((p) => isObject(p) && p.in === 'body') as Json | undefined;
        requestSchema = schemaName(reader, body?.schema);
        const responses = (op as OpenAPIV2.OperationObject).responses ?? {};
        const ok = Object.keys(responses)
          .sort(compareStrings)
          .find((k) => /^2/.test(k));
        const res = ok ? reader.deref(responses[ok], item.file, []).value : undefined;
        responseSchema = schemaName(reader, isObject(res) ? res.schema : undefined);
      } else {
        const v3 = op as OpenAPIV3.OperationObject;
        const body = reader.deref(v3.requestBody, item.file, []).value;
        requestSchema = schemaName(reader, isObject(body) ? firstContentSchema(body.content) : undefined);
        const responses = v3.responses ?? {};
        const ok = Object.keys(responses)
          .sort(compareStrings)
          .find((k) => /^2/.test(k));
        const res = ok ? reader.deref(responses[ok], item.file, []).value : undefined;
        responseSchema = schemaName(reader, isObject(res) ? firstContentSchema(res.content) : undefined);
      }
      operations.push({
        method: method.toUpperCase(),
        path: (basePath + (specPath.startsWith('/') ? specPath : '/' + specPath)).replace(/(?<=[^/]|^\/)\/+$/, ''),
        specPath,
        operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
        summary:
          typeof op.summary === 'string'
            ? op.summary.trim()
            : typeof op.description === 'string'
              ? op.description.split('\n')[0]!.trim() || undefined
              : undefined,
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
        authRequired,
        schemes,
        deprecated: op.deprecated === true,
        requestSchema,
        responseSchema,
        file: item.file,
        line: itemFile?.lineOf([...item.pointer, method]) ?? 0,
      });
    }
  }
  const securitySchemes: SpecSecurityScheme[] = [];
  const defs = version === '2.0' ? doc.securityDefinitions : isObject(doc.components) ? doc.components.securitySchemes : undefined;
  const defsPointer = version === '2.0' ? ['securityDefinitions'] : ['components', 'securitySchemes'];
  if (isObject(defs)) {
    for (const name of Object.keys(defs).sort(compareStrings)) {
      const s = reader.deref(defs[name], file, [...defsPointer, name]);
      if (!isObject(s.value)) continue;
      const v = s.value as Json;
      const type = String(v.type ?? 'unknown');
      const detail =
        typeof v.scheme === 'string'
          ? `${v.scheme}${typeof v.bearerFormat === 'string' ? ` (${v.bearerFormat})` : ''}`
          : typeof v.in === 'string'
            ? `${String(v.name ?? '')} in ${v.in}`
            : typeof v.flow === 'string'
              ? v.flow
              : isObject(v.flows)
                ? Object.keys(v.flows).sort(compareStrings).join(', ')
                : undefined;
      securitySchemes.push({ name, type, detail, file, line: loaded.lineOf([...defsPointer, name]) });
    }
  }
  const info = isObject(doc.info) ? doc.info : {};
  return {
    file,
    version,
    title: typeof info.title === 'string' ? info.title : undefined,
    basePath,
    operations,
    securitySchemes,
    refs: reader.refs - refsBefore,
  };
}

/** Every OpenAPI/Swagger document in the repository (test and fixture trees left out). */
export function loadSpecs(ctx: AnalyzerContext): Spec[] {
  const reader = new SpecReader(ctx);
  const specs: Spec[] = [];
  for (const file of ctx.files) {
    if (!CANDIDATE.test(file) || NOT_SPEC.test(file) || !NAMED_LIKE_SPEC.test(file) || ctx.isSetAside(file)) continue;
    const text = ctx.read(file);
    if (!text) continue;
    const head = text.slice(0, 4000);
    if (!/^\s*["']?(openapi|swagger)["']?\s*:/m.test(head) && !/"(openapi|swagger)"\s*:/.test(head)) continue;
    // One document at a time: whatever goes wrong in one is a warning on it, and the others (and
    // the endpoints found in code, which read this list) are still there.
    try {
      const spec = readSpec(ctx, reader, file);
      if (spec) specs.push(spec);
    } catch (e) {
      ctx.warn(file, 0, `OpenAPI document could not be read: ${(e as Error).message}; its operations are left out`);
    }
  }
  return specs;
}
