/**
 * Authentication flow: a sequence diagram drawn only from `model.authFlow` (built in the link phase
 * when a login route and token issuance were both found). Each step shown has evidence in the
 * model; a step that was not found is left out, not guessed.
 */
import type { Model } from '../model/schema.js';
import { nodeId, plainLabel, type Diagram } from './mermaid.js';

export function authFlow(model: Model): Diagram | undefined {
  const flow = model.authFlow;
  if (!flow) return undefined;
  const component = flow.component ? model.components.find((c) => c.id === flow.component) : undefined;
  const client = nodeId('actor:client');
  const api = nodeId(flow.component ?? 'component:api');
  const token = flow.tokenIssue;
  const lines = [
    'sequenceDiagram',
    '  autonumber',
    `  actor ${client} as ${plainLabel('Client')}`,
    `  participant ${api} as ${plainLabel(component?.name ?? 'API')}`,
    `  ${client}->>${api}: ${plainLabel(`${flow.login.name} with credentials`)}`,
  ];
  if (flow.passwordCheck) lines.push(`  ${api}->>${api}: ${plainLabel(`verify password (${flow.passwordCheck.name})`)}`);
  lines.push(`  ${api}->>${api}: ${plainLabel(`issue token (${token.name}${token.token ? ', ' + token.token : ''})`)}`);
  lines.push(`  ${api}-->>${client}: ${plainLabel('token')}`);
  if (flow.verifier) {
    lines.push(`  ${client}->>${api}: ${plainLabel('request with the token')}`);
    lines.push(`  ${api}->>${api}: ${plainLabel(`verify token (${flow.verifier.name})`)}`);
    lines.push(`  ${api}-->>${client}: ${plainLabel('response')}`);
  }
  return { code: lines.join('\n'), notes: [] };
}
