/**
 * CloudFormation YAML (SAM templates, serverless.yml `resources`) as plain values with the
 * intrinsic functions' short forms read as references, never evaluated: `!Ref Queue` →
 * `{ Ref: 'Queue' }`, `!GetAtt Queue.Arn` → `{ 'Fn::GetAtt': ['Queue', 'Arn'] }`, `!Sub '…'` →
 * `{ 'Fn::Sub': '…' }` (any other `!Name` → `{ 'Fn::Name': value }`). The YAML reader keeps an
 * unknown tag's value untagged, so `!Ref Queue` would read as the literal name "Queue"; walking the
 * parsed nodes keeps the tag. Aliases are followed within a budget of nodes.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/** Nodes visited per document at most (aliases can repeat a subtree many times). */
const NODE_BUDGET = 100_000;

function tagged(tag: string, value: unknown): unknown {
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

/** The document's value with CloudFormation short forms as long forms; undefined when it is over budget. */
export function cfnValue(doc: Document.Parsed): unknown {
  let budget = NODE_BUDGET;
  const walk = (node: unknown, depth: number): unknown => {
    if (--budget < 0 || depth > 200) throw new RangeError('over budget');
    if (isAlias(node)) return walk(node.resolve(doc), depth + 1);
    let value: unknown;
    if (isScalar(node)) value = node.value;
    else if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        // `<<` merge keys: the merged map's entries, then this map's own.
        if (key === '<<') {
          const merged = walk(pair.value, depth + 1);
          for (const m of Array.isArray(merged) ? merged : [merged])
            if (m && typeof m === 'object' && !Array.isArray(m)) for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
          continue;
        }
        out[String(key)] = walk(pair.value, depth + 1);
      }
      value = out;
    } else if (isSeq(node)) value = node.items.map((i) => walk(i, depth + 1));
    else return undefined;
    const tag = (node as Node).tag;
    return tag && tag.startsWith('!') && !tag.startsWith('!!') ? tagged(tag, value) : value;
  };
  try {
    return walk(doc.contents, 0);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
