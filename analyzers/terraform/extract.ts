/**
 * What each resource tells the document: TLS policies, encryption, public exposure, multi-AZ,
 * backups, replicas, versioning, autoscaling, log retention and instance classes. The rules live
 * in resources/, one file per concern, each a table keyed by resource type; this file only
 * dispatches. Only whitelisted attributes are read, so passwords, variable defaults and secret
 * values never reach the model.
 */
import type { Block, Out, Rule, Rules } from './out.js';
import { COMPUTE } from './resources/compute.js';
import { DATABASES } from './resources/databases.js';
import { EDGE } from './resources/edge.js';
import { MESSAGING } from './resources/messaging.js';
import { NETWORK } from './resources/network.js';
import { OBSERVABILITY } from './resources/observability.js';
import { SCALING } from './resources/scaling.js';
import { SECRETS } from './resources/secrets.js';
import { STORAGE } from './resources/storage.js';
import { tlsSettings } from './resources/tls.js';

/** Every rule table; a resource type belongs to one table only. */
const RULE_TABLES: Readonly<Record<string, Rules>> = { NETWORK, EDGE, COMPUTE, SCALING, DATABASES, STORAGE, MESSAGING, SECRETS, OBSERVABILITY };

function byType(tables: Readonly<Record<string, Rules>>): Map<string, Rule> {
  const rules = new Map<string, Rule>();
  for (const [table, entries] of Object.entries(tables)) {
    for (const [type, rule] of Object.entries(entries)) {
      if (rules.has(type)) throw new Error(`${type} has a rule in ${table} and in another table`);
      rules.set(type, rule);
    }
  }
  return rules;
}

const RULES = byType(RULE_TABLES);

/** Describe one block: fill `b.details` and emit its findings, recovery, scaling and data facts. */
export function describe(out: Out, b: Block): void {
  tlsSettings(out, b);
  RULES.get(b.type)?.({ out, b, d: b.details, body: b.body, type: b.type });
}
