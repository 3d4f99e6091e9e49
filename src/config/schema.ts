/**
 * The user's configuration: loose on input (everything optional), normalised once into a strict
 * `ResolvedConfig` that the rest of archdoc reads. Errors name the key and say what is expected.
 */
import { z } from 'zod';

export const DEPTHS = ['quick', 'standard', 'comprehensive'] as const;
export const AUDIENCES = ['technical', 'product', 'customer-success', 'mixed'] as const;
export const FOCUS_AREAS = ['overview', 'data-flow', 'security', 'performance', 'deployment', 'all'] as const;

const analyzerSetting = z.union([
  z.boolean(),
  z.strictObject({ enabled: z.boolean().optional(), options: z.record(z.string(), z.unknown()).optional() }),
]);

const stakeholder = z.union([
  z.string(),
  z.strictObject({ role: z.string(), name: z.string() }),
]);

export const UserConfigSchema = z.strictObject({
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
  diagrams: z
    .strictObject({
      maxNodes: z.number().int().positive().optional(),
      maxEdges: z.number().int().positive().optional(),
    })
    .optional(),
});

export type UserConfig = z.infer<typeof UserConfigSchema>;
export type Depth = (typeof DEPTHS)[number];
export type Audience = (typeof AUDIENCES)[number];
export type FocusArea = (typeof FOCUS_AREAS)[number];

/** Format zod issues as `key: message` lines a user can act on. */
export function formatConfigIssues(error: z.ZodError, source: string): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') message = `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${source}: \`${key}\`: ${message}`;
    })
    .join('\n');
}
