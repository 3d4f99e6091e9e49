/** The network diagram drawn from infrastructure code other than Terraform: CloudFormation, CDK, Pulumi, SST, CDK for Terraform. */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiagram } from '../src/diagrams/index.js';
import { unconnectedResources } from '../src/diagrams/network.js';
import type { Model } from '../src/model/schema.js';
import { analyseFixture } from './helpers.js';
import { mermaidError } from './mermaid-parse.js';

const opts = { maxNodes: 40, maxEdges: 80 };
let cfn: Model;
let cdk: Model;
let sst: Model;
let pulumi: Model;
beforeAll(async () => {
  [cfn, cdk, sst, pulumi] = await Promise.all([
    analyseFixture('cfn-ledger'),
    analyseFixture('cdk-app'),
    analyseFixture('sst-bookings'),
    analyseFixture('pulumi-invoicing'),
  ]);
}, 120_000);

const block = (code: string, title: string) => code.slice(code.indexOf(`["${title}"]`), code.indexOf('end', code.indexOf(`["${title}"]`)));

describe('network diagram from CloudFormation templates', () => {
  it('places the template resources in the VPC subnets and follows their references', async () => {
    const d = buildDiagram('network', cfn, undefined, opts)!;
    expect(await mermaidError(d.code)).toBeUndefined();
    expect(block(d.code, 'Private subnets')).toContain('AccountsDatabase · Aurora');
    expect(block(d.code, 'Private subnets')).toContain('ApiFunction · Lambda');
    expect(block(d.code, 'Public subnets')).toContain('NatGateway · NAT gateway');
    expect(block(d.code, 'Edge')).toContain('LedgerApi · API Gateway');
    expect(d.code).toMatch(/internet --> cloudformation_ledger_LedgerApi_\w+/);
    expect(d.code).toMatch(/cloudformation_ledger_LedgerApi_\w+ --> cloudformation_ledger_ApiFunctio_\w+/);
    // One template per part: the larger drawn first, the other below it.
    expect(d.notes[0]).toBe('Drawn from CloudFormation ledger; 1 other source of infrastructure code with connected resources is drawn below.');
    expect(d.parts?.map((p) => p.title)).toEqual(['CloudFormation edge']);
    expect(d.parts![0]!.diagram.code).toMatch(/cloudformation_edge_SiteDistribu_\w+ --> cloudformation_edge_SiteBucket_\w+/);
  });
});

describe('network diagram from infrastructure written in TypeScript', () => {
  it('draws the architectural resources of a CDK app, an SST app and a Pulumi program by their Terraform kind', async () => {
    const c = buildDiagram('network', cdk, undefined, opts)!;
    expect(await mermaidError(c.code)).toBeUndefined();
    expect(block(c.code, 'Edge')).toContain('ScansApi · API Gateway');
    expect(block(c.code, 'Compute')).toContain('TrackParcel · Lambda');
    expect(block(c.code, 'Data')).toContain('ParcelsTable · DynamoDB');
    // The WAF is not an entry point; wiring (log groups, alarms, the VPC itself) is not drawn.
    expect(c.code).not.toMatch(/internet --> cdk_ParcelsStack_ScansApiAcl/);
    expect(c.code).not.toContain('IngestScanLogs');
    // Connections from the constructs' props, event sources and API integrations; the pattern's service sits in the VPC its cluster is given.
    expect(c.code).toMatch(/cdk_ParcelsStack_ScansApi_\w+ --> cdk_ParcelsStack_IngestScan_\w+/);
    expect(c.code).toMatch(/cdk_ParcelsStack_TrackParcel_\w+ --> cdk_ParcelsStack_ParcelsTable_\w+/);
    expect(block(c.code, 'Private subnets')).toContain('Notifier · ECS service');
    // The SST app's resources have no reference between them: listed, not drawn.
    expect(buildDiagram('network', sst, undefined, opts)).toBeUndefined();
    const listed = unconnectedResources(sst).map((r) => `${r.resource} · ${r.kind}`);
    expect(listed).toContain('Bookings · DynamoDB');
    expect(listed).toContain('Confirmations · SQS');
    // Nor has the Pulumi program's: two resources named alike read apart by their kind, without their ids.
    expect(buildDiagram('network', pulumi, undefined, opts)).toBeUndefined();
    const programme = unconnectedResources(pulumi).map((r) => `${r.resource} · ${r.kind}`);
    expect(programme).toContain('invoices · API Gateway');
    expect(programme).toContain('billing · load balancer');
  });
});
