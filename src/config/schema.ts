/**
 * The user's configuration: loose on input (everything optional), normalised once into a strict
 * `ResolvedConfig` that the rest of archdoc reads. Errors name the key and say what is expected.
 */
import { z } from 'zod';
import { AUDIENCES, DEPTHS, FOCUS_AREAS, LAYOUTS } from './profile.js';
import { ROLES } from '../pipeline/roles.js';

export { AUDIENCES, DEPTHS, FOCUS_AREAS, LAYOUTS };

const analyzerSetting = z.union([z.boolean(), z.strictObject({ enabled: z.boolean().optional(), options: z.record(z.string(), z.unknown()).optional() })]);

/** One export target's settings: where its files go (a directory, relative to the root). */
const exportSetting = z.strictObject({ output: z.string().optional() });

const stakeholder = z.union([z.string(), z.strictObject({ role: z.string(), name: z.string() })]);

/** Keys a target may override; everything else is shared by all targets. */
const targetFields = {
  root: z.string().optional(),
  output: z.string().optional(),
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  templates: z.string().optional(),
  depth: z.enum(DEPTHS).optional(),
  audience: z.enum(AUDIENCES).optional(),
  focus: z.array(z.enum(FOCUS_AREAS)).optional(),
  /** 'arc42': the same facts and human blocks in arc42's twelve sections (default: archdoc's own order). */
  layout: z.enum(LAYOUTS).optional(),
};

export const TargetSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._@/-]+$/, 'letters, digits and . _ @ / - only'),
  ...targetFields,
  document: z
    .strictObject({
      title: z.string().optional(),
      version: z.string().optional(),
      status: z.string().optional(),
      lastUpdated: z.string().optional(),
      owner: z.string().optional(),
    })
    .optional(),
});

export const UserConfigSchema = z.strictObject({
  /** The JSON Schema an editor validates `archdoc.config.json` with (`schema/config.schema.json`); not read by archdoc. */
  $schema: z.string().optional(),
  root: z.string().optional(),
  output: z.string().optional(),
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  maxFileSize: z.number().int().positive().optional(),
  analyzers: z.record(z.string(), analyzerSetting).optional(),
  plugins: z.array(z.unknown()).optional(),
  templates: z.string().optional(),
  document: z
    .strictObject({
      title: z.string().optional(),
      version: z.string().optional(),
      status: z.string().optional(),
      lastUpdated: z.string().optional(),
      owner: z.string().optional(),
      stakeholders: z.array(stakeholder).optional(),
    })
    .optional(),
  depth: z.enum(DEPTHS).optional(),
  audience: z.enum(AUDIENCES).optional(),
  focus: z.array(z.enum(FOCUS_AREAS)).optional(),
  /** 'arc42': the same facts and human blocks in arc42's twelve sections (default: archdoc's own order). */
  layout: z.enum(LAYOUTS).optional(),
  diagrams: z
    .strictObject({
      maxNodes: z.number().int().positive().optional(),
      maxEdges: z.number().int().positive().max(500).optional(),
      maxChars: z.number().int().positive().max(49_000).optional(),
      /** 'svg' also writes docs/diagrams/<id>.svg (needs Chromium; see README). */
      render: z.enum(['mermaid', 'svg']).optional(),
      /** Chrome or Chromium executable for SVG rendering (default: PUPPETEER_EXECUTABLE_PATH, then system paths). */
      browser: z.string().optional(),
      /** false: only the high-level diagram; no component, ER, sequence, state, network or pipeline diagrams. */
      detailed: z.boolean().optional(),
    })
    .optional(),
  /** Present key design decisions as ADR-style entries with human blocks (default), or as a compact table. */
  adrs: z.boolean().optional(),
  /**
   * Several documents from one config: a list of targets (each overriding root, output, include,
   * exclude, templates, depth, audience, focus, document), or 'workspaces' for one document per
   * workspace package plus the system document at the root.
   */
  targets: z.union([z.literal('workspaces'), z.array(TargetSchema).min(1)]).optional(),
  /**
   * Corrections to file roles (src/pipeline/roles.ts), glob → role: `{ 'examples/reference-app/**':
   * 'production', 'legacy/**': 'vendored' }`. A folder pattern covers what is under it; when
   * several match a file, the last one written wins. Only production files feed the facts.
   */
  roles: z.record(z.string(), z.enum(ROLES)).optional(),
  /** Freshness cache for `archdoc check` (default: on, in node_modules/.cache/archdoc). */
  cache: z.union([z.boolean(), z.strictObject({ dir: z.string() })]).optional(),
  /**
   * `archdoc check`: with `exact: true`, moved evidence line numbers, patch versions and the
   * project's own version make a document stale too (default: they are set aside).
   */
  check: z.strictObject({ exact: z.boolean().optional() }).optional(),
  /**
   * Exports `archdoc generate` writes and `archdoc check` keeps fresh beside the document, by
   * target (README "Exports"): `{ backstage: { output: 'catalog' } }`; `structurizr`,
   * `structurizr-dsl` and `likec4` write into `docs/architecture` unless `output` names another directory.
   */
  exports: z
    .strictObject({
      backstage: exportSetting.optional(),
      structurizr: exportSetting.optional(),
      'structurizr-dsl': exportSetting.optional(),
      likec4: exportSetting.optional(),
    })
    .optional(),
});

export type UserConfig = z.infer<typeof UserConfigSchema>;
export type UserTarget = z.infer<typeof TargetSchema>;
export type Depth = (typeof DEPTHS)[number];
export type Audience = (typeof AUDIENCES)[number];
export type Layout = (typeof LAYOUTS)[number];
export type FocusArea = (typeof FOCUS_AREAS)[number];

type Issue = z.core.$ZodIssue;

/**
 * A union's error says only "Invalid input" at the union. When the value has the shape of one
 * branch (its issues reach deeper than the union itself), report that branch's issues instead.
 */
function unwrapUnions(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const depth = (branch: readonly Issue[]) => Math.min(...branch.map((i) => i.path.length));
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
      if (depth(best) > 0) {
        out.push(...unwrapUnions(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue)));
        continue;
      }
    }
    out.push(issue);
  }
  return out;
}

/** Format zod issues as `key: message` lines a user can act on; targets are named, not numbered. */
export function formatConfigIssues(error: z.ZodError, source: string, raw?: unknown): string {
  const targets = (raw as { targets?: unknown } | undefined)?.targets;
  return unwrapUnions(error.issues)
    .map((issue) => {
      const parts = issue.path.map(String);
      if (parts[0] === 'targets' && parts.length > 1 && Array.isArray(targets)) {
        const name = (targets[Number(parts[1])] as { name?: unknown } | undefined)?.name;
        if (typeof name === 'string') parts.splice(0, 2, `targets[${JSON.stringify(name)}]`);
      }
      const key = parts.length ? parts.join('.') : '(top level)';
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') message = `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${source}: \`${key}\`: ${message}`;
    })
    .join('\n');
}
