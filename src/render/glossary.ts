import { replaceSpans } from '../util/linear-scan.js';

/**
 * Glossary: only terms the rendered document actually uses, with short British-English
 * definitions. A term is used when it appears as a whole word outside code spans.
 */
export const TERMS: Record<string, string> = {
  ADR: 'Architecture decision record: a short document recording one significant decision, its context and its consequences.',
  API: 'Application programming interface: the contract through which other software calls a component.',
  'CI/CD': 'Continuous integration and continuous delivery: automated building, testing and deployment of changes.',
  CDN: 'Content delivery network: caches and serves content from locations close to users.',
  CORS: 'Cross-origin resource sharing: browser rules for which web origins may call an API.',
  DLQ: 'Dead-letter queue: where messages that repeatedly fail processing are moved for inspection.',
  ECS: 'Amazon Elastic Container Service: runs containers on AWS.',
  GraphQL: 'A query language for APIs in which the client states exactly which fields it needs.',
  gRPC: 'A remote-procedure-call framework using HTTP/2 and Protocol Buffers.',
  HPA: 'Horizontal Pod Autoscaler: Kubernetes object that changes the number of pods with load.',
  IaC: 'Infrastructure as code: infrastructure declared in version-controlled files.',
  JWT: 'JSON Web Token: a signed token carrying claims about a user or client.',
  OIDC: 'OpenID Connect: an identity layer on top of OAuth 2.0.',
  ORM: 'Object-relational mapper: maps database tables to objects in code.',
  PII: 'Personally identifiable information: data that identifies a person.',
  RBAC: 'Role-based access control: permissions granted through roles rather than to individuals.',
  RDS: 'Amazon Relational Database Service: managed relational databases on AWS.',
  RPO: 'Recovery point objective: the maximum acceptable amount of data loss, measured in time.',
  RTO: 'Recovery time objective: the maximum acceptable time to restore service after a failure.',
  SLO: 'Service level objective: a target for a measured level of service, such as availability.',
  SQS: 'Amazon Simple Queue Service: a managed message queue on AWS.',
  TLS: 'Transport Layer Security: encryption for data in transit.',
  WAF: 'Web application firewall: filters malicious HTTP traffic before it reaches the application.',
  Monorepo: 'One repository holding several packages or services that are versioned together.',
};

export function glossaryFor(text: string): { term: string; definition: string }[] {
  // Ignore code spans, fenced blocks, links' targets and HTML comments. Links and comments are
  // found by one search each (as `/\]\([^)]*\)/g` and `/<!--[\s\S]*?-->/g` would, without rescanning
  // from every `](` or `<!--` when nothing closes them).
  const code = text.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const prose = replaceSpans(
    replaceSpans(code, [{ open: '](', close: ')' }], () => ']'),
    [{ open: '<!--', close: '-->' }],
    () => ' ',
  );
  const lower = prose.toLowerCase();
  const out: { term: string; definition: string }[] = [];
  for (const [term, definition] of Object.entries(TERMS)) {
    // Case matters except for "Monorepo", which starts sentences and sits inside them alike.
    if (usesWord(term === 'Monorepo' ? lower : prose, term === 'Monorepo' ? term.toLowerCase() : term)) out.push({ term, definition });
  }
  return out.sort((a, b) => (a.term.toLowerCase() < b.term.toLowerCase() ? -1 : 1));
}

const isWordChar = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** True when `term` (or its plural with "s") occurs in `text` as a whole word: a plain substring search, then the boundaries. */
function usesWord(text: string, term: string): boolean {
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    if (at > 0 && isWordChar(text.charCodeAt(at - 1))) continue;
    let end = at + term.length;
    if (end < text.length && text.charCodeAt(end) === 115 /* s */ && !(end + 1 < text.length && isWordChar(text.charCodeAt(end + 1)))) end++;
    if (end >= text.length || !isWordChar(text.charCodeAt(end))) return true;
  }
  return false;
}
