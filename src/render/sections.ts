/**
 * Which sections a document has, in which order, for a reader profile. Depth decides how much,
 * focus decides which areas, audience decides the layout (each audience is its own section list,
 * not a word swap). Human block ids do not depend on the profile, so switching profile never
 * loses writing: blocks of sections left out move to Orphaned notes and return when they do.
 */
import type { Audience, Depth, FocusArea, Layout } from '../config/schema.js';

export interface Section {
  id: string;
  title: string;
  template: string;
  /** Listed in the table of contents. */
  toc: boolean;
}

interface Spec extends Section {
  focus: FocusArea[] | 'always';
  depths: Depth[];
}

const ALL: Depth[] = ['quick', 'standard', 'comprehensive'];
const FULL: Depth[] = ['standard', 'comprehensive'];

const s = (id: string, title: string, focus: Spec['focus'], depths: Depth[], toc = true, template = `sections/${id}.njk`): Spec => ({
  id,
  title,
  template,
  focus,
  depths,
  toc,
});

const HEAD: Spec[] = [
  s('document-information', 'Document information', 'always', ALL, false),
  s('executive-summary', 'Executive summary', 'always', ALL, false),
  s('table-of-contents', 'Table of contents', 'always', ALL, false),
];
const TAIL: Spec[] = [
  s('related-documentation', 'Related documentation', 'always', ALL),
  s('glossary', 'Glossary', 'always', FULL),
  s('analysis-notes', 'Analysis notes', 'always', ALL),
];
const HISTORY = s('document-history', 'Document history', 'always', FULL);

const TECHNICAL: Spec[] = [
  s('overview', 'Overview', ['overview'], FULL),
  s('design-goals', 'Design goals', ['overview', 'performance'], FULL),
  s('architecture-diagrams', 'Architecture diagrams', ['overview', 'deployment'], ALL),
  s('components', 'Components', ['overview'], ALL),
  s('data-architecture', 'Data architecture', ['data-flow'], FULL),
  s('data-flow', 'Data flow', ['data-flow'], FULL),
  s('key-design-decisions', 'Key design decisions', 'always', FULL),
  s('technology-stack', 'Technology stack', 'always', ALL),
  s('security-architecture', 'Security architecture', ['security'], FULL),
  s('performance-scalability', 'Performance and scalability', ['performance'], FULL),
  s('deployment', 'Deployment', ['deployment'], FULL),
  s('monitoring-observability', 'Monitoring and observability', ['performance', 'deployment'], FULL),
  s('disaster-recovery', 'Disaster recovery', ['deployment'], FULL),
];

const PRODUCT: Spec[] = [
  s('overview', 'Overview', ['overview'], FULL),
  s('capabilities', 'Capabilities', 'always', ALL),
  s('user-journeys', 'User journeys', ['data-flow', 'overview'], FULL),
  s('integration-points', 'Integration points', ['overview', 'data-flow'], ALL),
  s('key-design-decisions', 'Key design decisions', 'always', ['comprehensive']),
  s('technology-stack', 'Technology stack', 'always', FULL),
];

const CUSTOMER_SUCCESS: Spec[] = [
  s('capabilities', 'Capabilities', 'always', ALL),
  s('integration-points', 'Integration points', 'always', ALL),
  s('environments-status', 'Environments and status', ['deployment', 'performance', 'overview'], ALL),
  s('troubleshooting', 'Troubleshooting entry points', ['performance', 'deployment', 'security'], FULL),
  s('known-limits', 'Known limits', ['performance', 'security'], FULL),
];

const EVIDENCE = s('evidence', 'Evidence', 'always', ALL);

/**
 * arc42's twelve sections (https://arc42.org/overview), each a template under `arc42/` that puts
 * archdoc's own sections under it one heading level down: the same facts and the same human
 * blocks, so switching layout loses no writing. The architecture style, primary database and the
 * other headline decisions are the solution strategy; ADR-style decisions stay in section 9.
 */
const ARC42: Spec[] = [
  s('introduction-goals', 'Introduction and goals', ['overview'], FULL, true, 'arc42/introduction-goals.njk'),
  s('constraints', 'Architecture constraints', 'always', FULL, true, 'arc42/constraints.njk'),
  s('context-scope', 'System scope and context', ['overview'], ALL, true, 'arc42/context-scope.njk'),
  s('solution-strategy', 'Solution strategy', 'always', FULL, true, 'arc42/solution-strategy.njk'),
  s('building-blocks', 'Building block view', ['overview', 'data-flow'], ALL, true, 'arc42/building-blocks.njk'),
  s('runtime', 'Runtime view', ['data-flow'], FULL, true, 'arc42/runtime.njk'),
  s('deployment-view', 'Deployment view', ['deployment'], FULL, true, 'arc42/deployment-view.njk'),
  s('crosscutting', 'Cross-cutting concepts', ['security', 'performance', 'deployment'], FULL, true, 'arc42/crosscutting.njk'),
  s('decisions', 'Architecture decisions', 'always', FULL, true, 'arc42/decisions.njk'),
  s('quality', 'Quality requirements', ['performance'], FULL, true, 'arc42/quality.njk'),
  s('risks', 'Risks and technical debt', ['security', 'performance'], FULL, true, 'arc42/risks.njk'),
  s('glossary', 'Glossary', 'always', FULL),
];

function layout(audience: Audience, arrangement: Layout): Spec[] {
  // arc42 is one arrangement for every reader; product and support readers keep their evidence appendix.
  if (arrangement === 'arc42') return [...HEAD, ...ARC42, TAIL[0]!, TAIL[2]!, ...(evidenceInAppendix(audience) ? [EVIDENCE] : []), HISTORY];
  switch (audience) {
    case 'product':
      return [...HEAD, ...PRODUCT, ...TAIL, EVIDENCE, HISTORY];
    case 'customer-success':
      return [...HEAD, ...CUSTOMER_SUCCESS, ...TAIL, EVIDENCE, HISTORY];
    case 'mixed':
      // The executive part for everyone, then the technical deep dive.
      return [...HEAD, s('capabilities', 'Capabilities', 'always', ALL), ...TECHNICAL, ...TAIL, HISTORY];
    default:
      return [...HEAD, ...TECHNICAL, ...TAIL, HISTORY];
  }
}

/** The sections of a document for this profile, in order. */
export function sectionsFor(profile: { depth: Depth; audience: Audience; focus: FocusArea[]; layout?: Layout }): Section[] {
  const all = profile.focus.length === 0 || profile.focus.includes('all');
  return layout(profile.audience, profile.layout ?? 'default')
    .filter((x) => x.depths.includes(profile.depth))
    .filter((x) => all || x.focus === 'always' || x.focus.some((f) => profile.focus.includes(f)))
    .map(({ id, title, template, toc }) => ({ id, title, template, toc }));
}

/** Audiences whose body text carries no code paths: evidence goes to an appendix of footnotes. */
export function evidenceInAppendix(audience: Audience): boolean {
  return audience === 'product' || audience === 'customer-success';
}
