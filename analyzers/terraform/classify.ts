/**
 * Terraform-only classification: providers by type prefix and public-module sources by name (the
 * resources the network diagram draws are ranked in src/data/cloud-resources.ts). Resource roles live in
 * src/data/cloud-resources.ts, shared with the serverless analyzer.
 */
import type { Infrastructure } from '../../src/model/schema.js';

type Role = Infrastructure['role'];

export function providerOf(type: string): string {
  const p = type.split('_')[0]!;
  return p === 'azurerm' || p === 'azuread' ? 'azure' : p === 'google' ? 'gcp' : p;
}

/** The resources the network diagram draws, by rank: shared with the other infrastructure-code analyzers. */
export { networkRank as primaryRank } from '../../src/data/cloud-resources.js';

/** Public-module sources recognised by name (terraform-aws-modules/rds/aws → data). */
export function roleOfModule(source: string): Role {
  const s = source.toLowerCase();
  if (/(^|[/-])(vpc|network|subnets?|security-group|nat)([/-]|$)/.test(s)) return 'network';
  if (/(^|[/-])(alb|elb|lb|cloudfront|waf|apigateway|api-gateway|route53|acm|cdn|dns)([/-]|$)/.test(s)) return 'edge';
  if (/(^|[/-])(ecs|eks|lambda|ec2|autoscaling|asg|cloud-run|gke|kubernetes-engine|aks|app-service|batch|fargate)([/-]|$)/.test(s)) return 'compute';
  if (
    /(^|[/-])(rds|rds-aurora|aurora|dynamodb|dynamodb-table|elasticache|redis|s3|s3-bucket|sql|cloudsql|sql-db|postgres(ql)?|mysql|cosmosdb|storage|opensearch|memorystore|documentdb)([/-]|$)/.test(
      s,
    )
  )
    return 'data';
  if (/(^|[/-])(sqs|sns|msk|kafka|eventbridge|pubsub|servicebus|kinesis)([/-]|$)/.test(s)) return 'messaging';
  if (/(^|[/-])(kms|secrets?-manager|secrets?|key-vault|vault)([/-]|$)/.test(s)) return 'secrets';
  if (/(^|[/-])(cloudwatch|monitoring|logging|datadog|alarms?)([/-]|$)/.test(s)) return 'observability';
  if (/(^|[/-])(iam|identity)([/-]|$)/.test(s)) return 'identity';
  return 'other';
}
