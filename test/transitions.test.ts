/**
 * State transitions read from the writes of scripts' indexes (src/analysis/writes.ts, held by the
 * index and kept through its JSON round trip) against state machines (src/analysis/transitions.ts).
 */
import { describe, expect, it } from 'vitest';
import ts from '../src/analyzer/typescript.cjs';
import { buildIndex } from '../src/analysis/index-build.js';
import { indexFromJSON, indexToJSON } from '../src/analysis/index-file.js';
import { findTransitions, machineKey, type StateMachineInput } from '../src/analysis/transitions.js';

const ORDER: StateMachineInput = {
  entityId: 'entity:order',
  field: 'status',
  values: ['PENDING', 'PAID', 'SHIPPED', 'CANCELLED'],
  enumName: 'OrderStatus',
  delegates: ['order'],
};

/** The transitions of `machines` in one script, its index taken through JSON as the cache keeps it. */
function transitions(text: string, machines: StateMachineInput[] = [ORDER]): Record<string, string[]> {
  const { indexed } = buildIndex(ts, 'src/a.ts', text);
  const index = indexFromJSON(indexToJSON(indexed.index!));
  const found = findTransitions(machines, new Map([['src/a.ts', index.writes]]), () => text);
  const out: Record<string, string[]> = {};
  for (const m of machines) {
    const list = found.get(machineKey(m.entityId, m.field));
    if (list) out[m.entityId] = list.map((t) => `${t.from}->${t.to}@${t.evidence.map((e) => e.line).join(',')}`);
  }
  return out;
}

describe('state transitions from the index', () => {
  it('reads Prisma writes guarded in the same call, by an enclosing if, an else arm and a preceding throw; a create is an entry', () => {
    const text = [
      "import { OrderStatus } from '@prisma/client';",
      'export async function pay(prisma, id, order) {',
      "  await prisma.order.update({ where: { id, status: 'PENDING' }, data: { status: OrderStatus.PAID } });",
      "  if (order.status === 'PAID') await prisma.order.update({ where: { id }, data: { status: 'SHIPPED' } });",
      "  if (order.status !== 'PAID') {} else { await prisma.order.update({ where: { id }, data: { status: 'SHIPPED' } }); }",
      "  await prisma.order.create({ data: { status: 'PENDING' } });",
      "  await prisma.order.update({ where: { id }, data: { status: 'CANCELLED' } });",
      '}',
      'export async function cancel(prisma, id, order) {',
      "  if (![OrderStatus.PENDING, 'PAID'].includes(order.status)) throw new Error('late');",
      "  await prisma.order.update({ where: { id }, data: { status: { set: 'CANCELLED' } } });",
      "  await prisma.order.updateMany({ where: { id }, data: { status: 'CANCELLED' } });",
      '}',
    ].join('\n');
    expect(transitions(text)).toEqual({
      'entity:order': ['PAID->CANCELLED@12', 'PAID->SHIPPED@4,5', 'PENDING->CANCELLED@12', 'PENDING->PAID@3', '[*]->PENDING@6'],
    });
  });

  it('reads switch cases, assignments to the field, and the update shapes of Sequelize, TypeORM, Drizzle and Kysely', () => {
    const machines = [{ entityId: 'entity:ticket', field: 'state', values: ['open', 'closed', 'archived', 'held'] }];
    const text = [
      'export function step(ticket, repo, db, t, Ticket) {',
      '  switch (ticket.state) {',
      "    case 'open':",
      "      ticket.state = 'closed';",
      '      break;',
      '  }',
      "  Ticket.update({ state: 'archived' }, { where: { state: 'closed' } });",
      "  repo.update({ id: 1, state: 'open' }, { state: 'held' });",
      "  db.update(t).set({ state: 'open' }).where(and(eq(t.state, 'held'), eq(t.id, 1)));",
      "  db.updateTable('ticket').set({ state: 'closed' }).where('state', '=', 'held').execute();",
      "  ticket.state = 'archived';",
      '}',
    ].join('\n');
    expect(transitions(text, machines)).toEqual({
      'entity:ticket': ['closed->archived@7', 'held->closed@10', 'held->open@9', 'open->closed@4', 'open->held@8'],
    });
  });

  it('infers nothing from an unguarded write, and nothing from a script that names no delegate, enum or state', () => {
    expect(transitions("// prisma.order\nexport const f = (order) => { order.status = 'PAID'; };")).toEqual({});
    const noDelegate = ['export function f(x) {', "  if (x.status === 'PENDING') x.status = 'PAID';", '}'].join('\n');
    // The script names neither `.order.` nor OrderStatus: not read for this Prisma model.
    expect(transitions(noDelegate)).toEqual({});
    expect(transitions(`// prisma.order.x\n${noDelegate}`)).toEqual({ 'entity:order': ['PENDING->PAID@3'] });
  });
});
