/** The reader profiles a document can be written for (kept apart from the zod schema, so reading them loads no validator). */
export const DEPTHS = ['quick', 'standard', 'comprehensive'] as const;
export const AUDIENCES = ['technical', 'product', 'customer-success', 'mixed'] as const;
export const FOCUS_AREAS = ['overview', 'data-flow', 'security', 'performance', 'deployment', 'all'] as const;
/** How the sections are arranged: archdoc's own order, or arc42's twelve sections (src/render/sections.ts). */
export const LAYOUTS = ['default', 'arc42'] as const;
