/**
 * What the rules of every language hand back: sites as the TypeScript rules make them (one per
 * value a channel name can take, the expression kept as label when unknown), and the unresolved
 * names to warn about, by file.
 */
import type { FileFacts, Site } from '../detect.js';
import { addSites } from '../sites.js';
import type { Val } from '../values.js';

export interface Unresolved {
  file: string;
  line: number;
  what: string;
  labelled?: string;
}

export class Collected {
  readonly sites: Site[] = [];
  readonly unresolved: Unresolved[] = [];

  /** Sites for a channel name's values at a line; a name with no value is only warned about. */
  add(file: string, line: number, vals: Val[], base: Omit<Site, 'channel' | 'at' | 'via'>, what: string): void {
    const facts: FileFacts = { sites: [], unresolved: [], subscriptions: new Map(), lists: [] };
    addSites(facts, file, line, vals, base, what);
    for (const site of facts.sites) this.sites.push(site);
    for (const u of facts.unresolved) this.unresolved.push({ file, ...u });
  }

  /** A site whose name is known as written (a literal in a command line or a route table). */
  known(file: string, line: number, channel: string, base: Omit<Site, 'channel' | 'at' | 'via'>): void {
    this.sites.push({ ...base, channel, at: { file, line }, via: [] });
  }
}
