/**
 * The typed `details` of each collection: every key an analyzer writes, with its type and meaning.
 *
 * A collection's `details` is a strict object, so a key no schema declares is rejected where the
 * model is validated (plugin facts as they are emitted; every fixture's model in the tests). The
 * categorised collections (observability, security, scaling, recovery) are discriminated unions on
 * `category`: each category declares its own keys. Values read from configuration files as they are
 * written (Terraform attributes) are `setting`s: a string, number or boolean, as the file has it.
 */
import { z } from 'zod';
import { INFRA_STATEMENTS } from './infra-statements.js';

const text = z.string();
const count = z.number().int();
const num = z.number();
const flag = z.boolean();
const names = z.array(z.string());
/** A configuration value as written: `t3.micro`, `2`, `true`. */
const setting = z.union([z.string(), z.number(), z.boolean()]);

/** How a new version of a workload replaces the old one; worded by src/render/view-infrastructure.ts. */
export const RolloutSchema = z.strictObject({
  kind: z
    .enum(['rolling-update', 'recreate', 'blue-green', 'canary', 'external', 'unspecified', 'other'])
    .describe(
      'rolling-update, recreate, blue-green or canary; external: a controller outside the platform runs it; unspecified: the controller is named, its strategy not; other: a type archdoc does not know',
    ),
  controller: z.enum(['argo-rollouts', 'codedeploy']).optional().describe('What runs it, when not the platform itself'),
  defaulted: flag.optional().describe("Not written: the platform's default"),
  rollingUpdate: z
    .strictObject({ maxSurge: text.optional(), maxUnavailable: text.optional() })
    .optional()
    .describe('The rolling update settings as written; a setting left out takes its default'),
  type: text.optional().describe('other: the type as written (`OnDelete`)'),
});
export type Rollout = z.infer<typeof RolloutSchema>;

/** One rule an autoscaler follows; worded by src/render/view-infrastructure.ts. */
export const ScalingPolicySchema = z.discriminatedUnion('by', [
  z.strictObject({
    by: z.literal('resource'),
    resource: text.optional().describe('cpu, memory or another resource name; absent when not named'),
    utilisation: setting.optional().describe('Target average utilisation in per cent'),
    average: setting.optional().describe('Target average value'),
  }),
  z.strictObject({
    by: z.literal('metric'),
    source: text.describe('Where the metric comes from, as the manifest names it in lower case: pods, object, external'),
    metric: text.optional(),
    target: setting.optional(),
  }),
  z.strictObject({
    by: z.literal('target-tracking'),
    metric: text.optional().describe('Predefined or custom metric; absent: a custom metric not named'),
    target: setting.optional(),
  }),
  z.strictObject({ by: z.literal('trigger'), trigger: text.describe('KEDA trigger type') }),
  z.strictObject({ by: z.literal('policy-type'), type: text.optional().describe('Policy type as written; absent: step scaling') }),
  z.strictObject({ by: z.literal('lambda-concurrency') }),
]);
export type ScalingPolicy = z.infer<typeof ScalingPolicySchema>;

/** Every key optional, none other allowed. */
function details<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape).partial();
}

export const ComponentDetailsSchema = details({
  deployedBy: names.describe('How the component is deployed: compose services, workloads, platform units'),
  ports: names.describe('Ports it listens on, from its deployment'),
  importCycle: names.describe('Component ids it imports and that import it back'),
  consumes: text.describe('Why the package looks like a consumer of a queue; read and removed by the link phase'),
  consumesAt: text.describe('file:line of that evidence; read and removed by the link phase'),
});

export const EndpointDetailsSchema = details({
  authDrift: text.describe('How the specification and the code disagree about authentication'),
  authOptOut: text.describe('The decorator or option that makes a guarded route public'),
  catchAll: flag.describe('A catch-all route (`*`, `[...slug]`)'),
  drift: text.describe('Where the endpoint is declared: only in the specification, or only in code'),
  event: text.describe('Serverless event type that serves it'),
  framework: text.describe('Framework that serves it'),
  function: text.describe('Serverless function that serves it'),
  graphql: flag.describe('A GraphQL endpoint served over HTTP'),
  handlerFile: text.describe('File of the handler code'),
  hostnames: names.describe('Other names it answers to on its network: compose hostname, container_name and network aliases'),
  input: names.describe("tRPC: the fields of the procedure's zod input object, as `name: type` (`name?: type` when optional)"),
  mount: text.describe("'not found' when the sub-router's mount point was not found"),
  namespace: text.describe('WebSocket namespace'),
  operationId: text.describe('OpenAPI operationId'),
  pattern: text.describe('Message or event pattern of a microservice handler'),
  procedure: text.describe('tRPC: the procedure type, query, mutation or subscription'),
  registeredBy: text.describe('The call that registers the route'),
  request: text.describe('Request type name'),
  requestSchema: text.describe('Request schema named by the specification'),
  response: text.describe('Response type name'),
  responseSchema: text.describe('Response schema named by the specification'),
  roles: names.describe('Roles required, from decorators or guards'),
  routeFile: text.describe('File declaring the route, when not the handler file'),
  routeLine: count.describe('Line of the route declaration in routeFile'),
  service: text.describe('gRPC service name'),
  specFile: text.describe('Specification file that declares it'),
  specPath: text.describe("The specification's spelling of the path, when it differs from the code's"),
  streaming: text.describe('gRPC streaming: client, server or bidi'),
  unresolvedPath: text.describe('The path expression that could not be resolved statically (shown in braces)'),
  url: text.describe("tRPC: the URL the procedure is served at, from the adapter's endpoint or mount (`/api/trpc/post.byId`)"),
});

export const EntityDetailsSchema = details({
  kind: z
    .enum(['view', 'global'])
    .describe('view: a database view rather than a table; global: a Payload global, one document rather than a collection of them'),
  models: names.describe('ORM model names mapped to the same table'),
  auth: flag.describe('Its documents are users who sign in (a Payload auth collection)'),
  upload: flag.describe('Its documents are uploaded files (a Payload upload collection)'),
  managedBy: text.describe('The framework that creates and keeps the table itself, not the project (Payload)'),
  repository: text.describe('Class that stores it: a subclass of a generic repository over a database client'),
  tableCandidates: names.describe(
    "Names its repository's base writes where it is built; the link phase keeps the one a provisioned table has, as its table, and drops this",
  ),
});

export const DataStoreDetailsSchema = details({
  buckets: names.describe('Object-storage buckets'),
  cacheTtlSeconds: names.describe('Cache time-to-live values in seconds, as configured'),
  client: text.describe('How the client is chosen, when several are possible (chosen at run time)'),
  clients: names.describe('Client libraries that connect to it'),
  composeServices: names.describe('Compose services that run it'),
  databases: names.describe('Databases bound by a platform manifest'),
  datasets: names.describe('Analytics datasets bound by a platform manifest'),
  dataModel: text.describe('Data model of a store of kind other, e.g. time-series'),
  engineVersion: setting.describe('Engine version of a managed database'),
  helmDependencies: names.describe('Helm chart dependencies that install it'),
  images: names.describe('Container images that run it'),
  instanceClass: setting.describe('Instance class of a managed database'),
  instanceType: setting.describe('Instance type of a managed search domain'),
  kubernetesWorkloads: names.describe('Kubernetes workloads that run it'),
  migrations: names.describe('Migration tools or folders that shape its schema'),
  multiAz: setting.describe('Managed database replicated across availability zones (as written: true, or the expression that sets it)'),
  namespaces: names.describe('Key-value namespaces bound by a platform manifest'),
  nodeType: setting.describe('Node type of a managed cache'),
  orm: names.describe('ORMs that map it'),
  provisionedBy: names.describe('Infrastructure resources that provision it'),
  schemas: names.describe('Database schemas declared for it'),
  service: text.describe('Managed service that provides it, e.g. Amazon DocumentDB'),
  sku: setting.describe('SKU of an Azure database or cache'),
  tables: names.describe('Tables of a key-value store (DynamoDB)'),
  tier: setting.describe('Tier of a Cloud SQL instance or Memorystore'),
});

export const QueueDetailsSchema = details({
  activities: names.describe('Activities a Temporal worker on it registers: name (file:line)'),
  bindings: names.describe('Exchange bindings: routing key → queue'),
  brokers: setting.describe('Broker nodes of a Kafka cluster'),
  consumedBy: names.describe('Functions or handlers that consume it'),
  consumerSites: names.describe('file:line of each consumer'),
  deadLetterQueue: text.describe('Queue that receives messages it fails to deliver'),
  declaredAt: names.describe('file:line where it is declared'),
  declaredIn: names.describe('Files or resources that declare it'),
  declaredName: text.describe('Name as declared, when it differs from the name used'),
  documentedIn: names.describe('AsyncAPI documents that describe it'),
  drainedBy: names.describe('Queue ids an exchange or topic delivers into'),
  envVars: names.describe('Environment variables naming it'),
  exportNames: names.describe('CloudFormation export names whose value it is (another stack imports it with Fn::ImportValue)'),
  fedBy: names.describe('Exchange or topic ids that deliver into it'),
  fifo: flag.describe('A FIFO queue or topic'),
  filters: names.describe(
    'What a subscription filter policy or rule pattern lets into it: name=value (values of one name are alternatives; every name must match; value ? when not known)',
  ),
  kafkaVersion: setting.describe('Kafka version of a managed cluster'),
  kind: text.describe('exchange, topic, queue or stream'),
  messageAttributes: names.describe('Message attributes each producer site publishes with: file:line name=value'),
  nameFrom: names.describe('Configuration keys its name is read from'),
  nameUnresolved: flag.describe('Its name could not be resolved statically'),
  nameTemplates: names.describe('Names the code writes with a part not known statically (a template) that match it'),
  partitions: setting.describe('Partitions of an event hub'),
  patterns: names.describe('NestJS message patterns a RabbitMQ queue carries: pattern (handled at file:line; sent from file:line)'),
  producedBy: names.describe('Infrastructure that publishes to it (a Step Functions task), not a component'),
  producerSites: names.describe('file:line of each producer'),
  provisionedBy: names.describe('Infrastructure resources that provision it'),
  retentionHours: setting.describe('Record retention in hours (Kinesis)'),
  retentionSeconds: setting.describe('Message retention in seconds'),
  routedProducers: names.describe('Producers that publish to it through a routing key'),
  routedProducerSites: names.describe('file:line of publishers routed to it whose folder became a component only in the link phase'),
  shards: setting.describe('Shards of a stream'),
  sources: names.describe('Analyzers or files that report it'),
  technologies: names.describe('Messaging technologies seen for it, when more than one'),
  visibilityTimeoutSeconds: setting.describe('Visibility timeout in seconds'),
  workflows: names.describe('Workflows a Temporal worker on it registers: name (file:line)'),
});

export const ExternalServiceDetailsSchema = details({
  envVars: names.describe('Environment variables that configure it'),
  methods: names.describe('HTTP methods called on it'),
});

/** Infrastructure resources: Terraform, Kubernetes, Helm, Kustomize, compose and serverless templates. */
export const InfrastructureDetailsSchema = details({
  // Wiring: read by diagrams and sections, not shown as settings.
  connectsTo: names.describe('Resource ids it sends traffic to'),
  primary: flag.describe('A main resource of its kind, drawn in the network diagram'),
  references: names.describe('Resource addresses it references'),
  root: text.describe('Terraform root module folder that holds it'),
  source: text.describe('Where it was declared: helm, kustomize, compose, serverless, sam…'),
  origin: text.describe('Manifest origin: raw manifest, Helm chart or Kustomize overlay'),
  subnet: text.describe('public or private, from the subnet it is placed in'),
  terraformType: text.describe('The Terraform type it corresponds to, when its own type is written otherwise (CDK, Pulumi, SST, CloudFormation)'),
  // Terraform roots and modules.
  dataSources: names.describe('Data sources of a Terraform root'),
  files: count.describe('Terraform files of a root'),
  localSource: text.describe('Local source folder of a module call'),
  modules: names.describe('Module calls of a Terraform root'),
  outputs: names.describe('Outputs of a Terraform root'),
  providers: names.describe('Providers of a Terraform root'),
  requiredVersion: text.describe('Required Terraform version'),
  resources: z.union([count, names]).describe('Resources of a Terraform root (a count) or of a Kustomization (paths)'),
  sensitiveVariables: names.describe('Variables marked sensitive'),
  stateBackend: text.describe('Terraform state backend'),
  terragruntSource: text.describe('Terragrunt module source'),
  tfvarsFiles: names.describe('.tfvars files of a root'),
  variables: names.describe('Variables of a Terraform root'),
  // Terraform resource settings, as written.
  ackDeadlineSeconds: setting.describe('Pub/Sub acknowledgement deadline in seconds'),
  allocatedStorageGb: setting.describe('Allocated storage in GB'),
  automaticFailover: flag.describe('Automatic failover enabled'),
  availabilityType: setting.describe('Cloud SQL availability type'),
  availabilityZone: setting.describe('Availability zone'),
  availabilityZones: count.describe('Number of availability zones of a VPC module'),
  backupRetentionDays: setting.describe('Backup retention in days'),
  backupWindow: setting.describe('Backup window'),
  billingMode: setting.describe('DynamoDB billing mode'),
  brokers: setting.describe('Number of Kafka brokers'),
  bucket: text.describe('Bucket name'),
  capacityProviders: names.describe('ECS capacity providers'),
  cidr: setting.describe('CIDR block'),
  circuitBreakerRollback: flag.describe('ECS deployment circuit breaker rolls back'),
  comparison: setting.describe('Alarm comparison operator'),
  compatibilities: names.describe('ECS launch types the task definition supports'),
  consistency: setting.describe('Cosmos DB consistency level'),
  containerInsights: setting.describe('ECS Container Insights setting'),
  count: setting.describe('Instances made by count, as written'),
  cpu: setting.describe('CPU units'),
  customerManagedKey: flag.describe('Encrypted with a customer-managed key'),
  databaseVersion: setting.describe('Cloud SQL database version'),
  deadLetter: flag.describe('A dead-letter queue is configured'),
  deadLetterQueue: text.describe('Dead-letter queue it redrives to'),
  defaultAction: setting.describe('Default action of a load-balancer listener'),
  deletionProtection: flag.describe('Deletion protection enabled'),
  deletionWindowDays: setting.describe('KMS key deletion window in days'),
  deploymentMode: setting.describe('Broker deployment mode'),
  deploymentStrategy: RolloutSchema.describe('ECS deployment, by its deployment controller'),
  desired: setting.describe('Desired instance count'),
  desiredCount: setting.describe('ECS desired task count'),
  dimension: setting.describe('Scalable dimension'),
  encrypted: flag.describe('Encrypted at rest'),
  encryptedAtRest: flag.describe('Encrypted at rest'),
  encryptedInTransit: flag.describe('Encrypted in transit'),
  encryption: text.describe('Encryption setting'),
  engine: setting.describe('Database or cache engine'),
  engineMode: setting.describe('Aurora engine mode'),
  engineVersion: setting.describe('Engine version'),
  environment: names.describe('Environment variable names of a function'),
  fifo: flag.describe('A FIFO queue or topic'),
  forEach: flag.describe('Instances are made by for_each'),
  handler: setting.describe('Function handler'),
  hashKey: setting.describe('DynamoDB hash key'),
  ingress: setting.describe('Ingress setting of a Cloud Run service'),
  ingressRules: count.describe('Ingress rules'),
  instanceClass: setting.describe('Database instance class'),
  instanceCount: setting.describe('Instance count'),
  instanceType: setting.describe('Instance type'),
  instanceTypes: names.describe('Instance types of a node group'),
  internal: flag.describe('An internal (not internet-facing) load balancer'),
  kafkaVersion: setting.describe('Kafka version'),
  keyRotation: flag.describe('Key rotation enabled'),
  launchType: setting.describe('ECS launch type'),
  lifecycleRules: count.describe('Bucket lifecycle rules'),
  loadBalancerType: setting.describe('Load-balancer type'),
  location: setting.describe('Region or location'),
  machineType: setting.describe('Compute machine type'),
  managedRuleGroups: names.describe('Managed WAF rule groups'),
  max: setting.describe('Maximum capacity'),
  maxAllocatedStorageGb: setting.describe('Storage autoscaling limit in GB'),
  maximumPercent: setting.describe('ECS deployment maximum percent'),
  memory: setting.describe('Memory in MiB'),
  memoryGb: setting.describe('Memory in GB'),
  memoryMb: setting.describe('Function memory in MB'),
  metric: setting.describe('Alarm metric'),
  min: setting.describe('Minimum capacity'),
  minTlsVersion: setting.describe('Minimum TLS version'),
  minimumHealthyPercent: setting.describe('ECS deployment minimum healthy percent'),
  minimumProtocolVersion: setting.describe('CloudFront minimum TLS protocol version'),
  monitorName: setting.describe('Monitor name'),
  monitorType: setting.describe('Monitor type'),
  multiAz: flag.describe('Replicated across availability zones'),
  networkMode: setting.describe('ECS network mode'),
  nodeType: setting.describe('Cache node type'),
  nodes: count.describe('Cache nodes'),
  origins: count.describe('CloudFront origins'),
  packageType: setting.describe('Lambda package type'),
  parameterType: setting.describe('SSM parameter type'),
  performanceInsights: flag.describe('Performance Insights enabled'),
  pointInTimeRecovery: flag.describe('Point-in-time recovery enabled'),
  port: setting.describe('Listener port'),
  priceClass: setting.describe('CloudFront price class'),
  profile: setting.describe('Configuration profile'),
  protocol: setting.describe('Listener protocol'),
  provisionedBy: names.describe('Resources that provision it'),
  public: flag.describe('Publicly readable'),
  publicAccessBlocked: flag.describe('Public access blocked'),
  publicEndpoint: flag.describe('Has a public endpoint'),
  publicIp: flag.describe('Gets a public IP address'),
  publiclyAccessible: flag.describe('Publicly accessible database'),
  queueName: setting.describe('Queue name'),
  rangeKey: setting.describe('DynamoDB range key'),
  rateLimiting: flag.describe('WAF rate-based rule present'),
  recoveryWindowDays: setting.describe('Secret recovery window in days'),
  redirect: text.describe('Redirect of a listener'),
  replicaOf: text.describe('Resource it replicates'),
  replicaRegions: names.describe('Regions it is replicated to'),
  replication: setting.describe('Replication setting'),
  reservedConcurrency: setting.describe('Reserved concurrency'),
  retentionDays: setting.nullable().describe('Retention in days; null: kept for ever (a CloudWatch log group without retention_in_days)'),
  retentionHours: setting.describe('Retention in hours'),
  retentionSeconds: setting.describe('Retention in seconds'),
  rotationDays: setting.describe('Rotation period in days'),
  rules: count.describe('WAF rules'),
  runtime: setting.describe('Function runtime'),
  scope: setting.describe('WAF scope'),
  secretName: setting.describe('Secret name'),
  shards: setting.describe('Shards'),
  sku: setting.describe('Azure SKU'),
  snapshotRetentionDays: setting.describe('Snapshot retention in days'),
  stage: setting.describe('API stage'),
  status: setting.describe('Versioning status'),
  stream: setting.describe('DynamoDB stream view type, or enabled when none is given'),
  tableName: setting.describe('Table name'),
  threshold: setting.describe('Alarm threshold'),
  tier: setting.describe('Service tier'),
  timeoutSeconds: setting.describe('Function timeout in seconds'),
  tlsPolicy: setting.describe('Listener TLS policy'),
  topicName: setting.describe('Topic name'),
  version: text.describe('Version (Helm chart)'),
  versioning: flag.describe('Bucket versioning enabled'),
  viewerProtocolPolicy: setting.describe('CloudFront viewer protocol policy'),
  visibilityTimeoutSeconds: setting.describe('Queue visibility timeout in seconds'),
  vmSize: setting.describe('Azure VM size'),
  waf: flag.describe('A web application firewall is attached'),
  // AWS CDK constructs.
  stacks: names.describe('CDK stacks that deploy it (every stack that instantiates its construct class)'),
  grants: names.describe('CDK grants on it: the grant method and the construct granted'),
  globalIndexes: names.describe('DynamoDB global secondary indexes'),
  removalPolicy: setting.describe('CDK removal policy: destroy, retain, snapshot'),
  // CDK for Terraform constructs.
  construct: text.describe('The construct class as written (DynamodbTable) of the Terraform type it synthesises to'),
  website: flag.describe('An S3 bucket that serves a static website (a website configuration names it)'),
  // Kubernetes, Helm and Kustomize.
  appVersion: text.describe('Helm chart appVersion'),
  backends: names.describe('Services an Ingress or route sends to'),
  bases: names.describe('Kustomize bases'),
  certificateIssuer: text.describe('cert-manager issuer'),
  chartDir: text.describe('Helm chart folder'),
  components: names.describe('Kustomize components'),
  condition: text.describe('Condition of a Helm dependency or Ingress'),
  dependencies: names.describe('Helm chart dependencies'),
  deploysTo: text.describe('Environment a Kustomize overlay deploys to'),
  dir: text.describe('Kustomization folder'),
  egressRules: count.describe('NetworkPolicy egress rules'),
  hosts: names.describe('Host names served'),
  image: text.describe('Container image'),
  images: names.describe('Image overrides'),
  ingressClass: text.describe('Ingress class'),
  keys: names.describe('Keys of a ConfigMap or Secret (never values)'),
  listeners: names.describe('Gateway listeners: protocol and port'),
  maxUnavailable: text.describe('PodDisruptionBudget maxUnavailable'),
  minAvailable: text.describe('PodDisruptionBudget minAvailable'),
  namePrefix: text.describe('Kustomize namePrefix'),
  namespace: text.describe('Namespace'),
  parents: names.describe('Gateways a route attaches to'),
  patches: names.describe('Kustomize patches'),
  podSelector: names.describe('NetworkPolicy pod selector'),
  policyTypes: names.describe('NetworkPolicy policy types'),
  ports: names.describe('Ports exposed'),
  secretType: text.describe('Kubernetes Secret type'),
  selector: names.describe('Service selector'),
  serviceType: text.describe('Kubernetes Service type'),
  tls: flag.describe('Ingress terminates TLS'),
  tlsRequired: flag.describe('A database parameter group requires TLS of clients (rds.force_ssl, require_secure_transport)'),
  tlsProtocols: text.describe('TLS protocols allowed'),
  // Compose and serverless.
  service: text.describe('Cloud service of a serverless resource'),
  tech: text.describe('Technology of the image'),
});

export const EnvironmentDetailsSchema = details({
  declaredAs: names.describe('How it is declared: a CI environment, a Terraform workspace, a Kustomize overlay…'),
  kustomize: names.describe('Kustomize overlays that deploy to it'),
  manualApproval: flag.describe('Deployments to it wait for a manual approval'),
  pipelines: names.describe('Pipelines that deploy to it'),
  terraform: names.describe('Terraform roots or tfvars files for it'),
});

export const ContainerDetailsSchema = details({
  baseImage: text.describe('Base image of the final Dockerfile stage'),
  build: text.describe('Build context (and Dockerfile)'),
  cmd: text.describe('CMD of the image'),
  entrypoint: text.describe('ENTRYPOINT of the image'),
  allowPrivilegeEscalation: flag.describe('securityContext allowPrivilegeEscalation, as written'),
  capabilitiesAdded: names.describe('Linux capabilities added (securityContext capabilities.add)'),
  capabilitiesDropped: names.describe('Linux capabilities dropped (securityContext capabilities.drop)'),
  envFrom: names.describe('ConfigMaps and Secrets it takes environment from'),
  environment: names.describe('Environment variable names (never values)'),
  finalStage: text.describe('Name of the final Dockerfile stage'),
  healthcheckDeclared: flag.describe('A health check is declared whose command archdoc does not read (ECS container definitions)'),
  cpuLimit: names.describe('CPU limit as written (250m, 1); more than one when files that merge into it differ'),
  cpuRequest: names.describe('CPU request as written; more than one when files that merge into it differ'),
  limits: names.describe('Resource limits'),
  memoryLimit: names.describe('Memory limit as written (512Mi); more than one when files that merge into it differ'),
  memoryRequest: names.describe('Memory request as written; more than one when files that merge into it differ'),
  origin: text.describe('Manifest origin: raw manifest, Helm chart or Kustomize overlay'),
  readOnlyRootFilesystem: flag.describe('securityContext readOnlyRootFilesystem, as written'),
  requests: names.describe('Resource requests'),
  secrets: names.describe('Secrets mounted or referenced'),
  source: text.describe('dockerfile, compose, kubernetes or ecs'),
  stages: names.describe('Dockerfile stages'),
  taskDefinition: text.describe('ECS task definition that holds it'),
  workload: text.describe('Workload that runs it'),
});

/** A host a workload's environment names: `CATALOG_URL=http://catalog:8080` → host `catalog`, scheme `http`. */
export const PeerCallSchema = z.strictObject({
  host: z.string().describe('Host named by the value, lower case (never the rest of the value)'),
  variable: z.string().describe('Environment variable that holds it'),
  scheme: z.string().optional().describe('Scheme of the value (http, grpc, amqp), when it has one'),
  file: z.string().describe('File that sets it'),
  line: z.number().int().describe('Line that sets it'),
});
export type PeerCall = z.infer<typeof PeerCallSchema>;

export const WorkloadDetailsSchema = details({
  build: text.describe('Build context (and Dockerfile)'),
  calls: z
    .array(PeerCallSchema)
    .describe('Hosts its environment values name as URLs or host:port: the services it is configured to call, resolved to components at link time'),
  cpuLimit: names.describe('Compose deploy.resources.limits.cpus as written; more than one when compose files that merge into it differ'),
  cpuRequest: names.describe('Compose deploy.resources.reservations.cpus as written'),
  dependsOn: names.describe('Compose services it depends on'),
  envFiles: names.describe('Compose env_file entries'),
  environment: names.describe('Environment variable names (never values)'),
  events: names.describe('Events that trigger a function'),
  file: text.describe('File that declares it'),
  functions: text.describe('Functions folder of a platform manifest'),
  handler: text.describe('Function handler'),
  handlerFile: text.describe('File of the handler code'),
  hostnames: names.describe('Other names it answers to on its network: compose hostname, container_name and network aliases'),
  image: text.describe('Container image'),
  images: names.describe('Container images'),
  internalPort: count.describe('Port the app listens on inside a platform (fly.toml internal_port)'),
  launchType: setting.describe('ECS launch type'),
  main: text.describe('Entry script named by a platform manifest (wrangler.toml main)'),
  memoryLimit: names.describe('Compose deploy.resources.limits.memory as written'),
  memoryMb: text.describe('Function memory in MB'),
  memoryRequest: names.describe('Compose deploy.resources.reservations.memory as written'),
  namespace: text.describe('Kubernetes namespace'),
  networks: names.describe('Compose networks'),
  origin: text.describe('Manifest origin: raw manifest, Helm chart or Kustomize overlay'),
  platform: text.describe('Hosting platform named by its manifest'),
  podLabels: names.describe('Pod labels'),
  ports: names.describe('Published ports'),
  profiles: names.describe('Compose profiles'),
  publish: text.describe('Folder a platform publishes'),
  region: text.describe('Region'),
  replicas: setting.describe('Replicas'),
  resource: text.describe('Infrastructure resource that defines it'),
  restart: text.describe('Compose restart policy'),
  runtime: setting.describe('Runtime'),
  schedule: text.describe('CronJob schedule'),
  serviceAccount: text.describe('Kubernetes service account'),
  sizedBy: text.describe(
    'Infrastructure id of the resource that states its CPU and memory: the ECS task definition a service runs, a CDK Fargate service, a Pulumi function',
  ),
  source: text.describe('compose, kubernetes, ecs, serverless, sam, or a platform'),
  strategy: RolloutSchema.describe('Rollout strategy'),
  target: text.describe('Build target named by a platform manifest'),
  timeoutSeconds: text.describe('Function timeout in seconds'),
  volumeClaims: z
    .array(
      z.strictObject({
        name: z.string().describe('Claim template name'),
        storage: z.string().optional().describe('Requested size as written (20Gi)'),
        storageClass: z.string().optional().describe('Storage class as written'),
      }),
    )
    .describe("A StatefulSet's volume claim templates: the persistent volume each replica gets"),
  traefikPorts: names.describe('Ports routed to it by Traefik labels'),
  type: text.describe('Service type named by a platform manifest (render.yaml: web, worker…)'),
  unit: text.describe('What kind of deployable unit it is: server, function, worker, static, database, set-aside'),
  volumes: names.describe('Compose volumes'),
});

export const DecisionDetailsSchema = details({
  breaches: names.describe('Imports that break the internal pattern, file:line'),
  channels: count.describe('Messaging channels counted'),
  counts: names.describe('The numbers behind the decision, one line each'),
  declaredOnly: count.describe('Messaging technologies declared but not used'),
  endpoints: count.describe('Endpoints counted'),
  entities: count.describe('Entities attributed to a store'),
  functions: count.describe('Functions counted'),
  importedUnread: count.describe('Imported packages archdoc does not read'),
  libraries: count.describe('Libraries counted'),
  mechanisms: count.describe('Authentication mechanisms counted'),
  modules: names.describe('Feature modules of a component'),
  pattern: text.describe('Internal pattern name'),
  servers: count.describe('Servers counted'),
  stores: count.describe('Data stores counted'),
  unattributed: count.describe('Entities not attributed to a store'),
  used: count.describe('Messaging technologies used'),
});

export const DocumentDetailsSchema = details({
  date: text.describe('ADR date'),
  decision: text.describe('ADR decision, first sentence'),
  number: count.describe('ADR number'),
  status: text.describe('ADR status'),
  tags: names.describe('ADR tags'),
});

// ---------------------------------------------------------------- categorised collections

/** One member of a categorised collection: its category literal and the keys it declares. */
function categorised<C extends string, R extends z.ZodRawShape, T extends z.ZodRawShape>(category: C, rest: R, shape: T) {
  return z.strictObject({ ...rest, category: z.literal(category), details: details(shape).optional() });
}

/** An OpenTelemetry collector pipeline, one per signal: metrics, tracing or logging. */
const collectorKeys = {
  exporters: names.describe('Exporters'),
  flow: text.describe('Collector pipeline as receivers → processors → exporters'),
  pipeline: text.describe('Collector pipeline name; only collector pipelines have one'),
  processors: names.describe('Processors'),
  receivers: names.describe('Receivers'),
};

/** What a health check is: a health route's kind by its path, a Kubernetes probe, or a container's own HEALTHCHECK (Dockerfile, Compose). */
export const HEALTH_KINDS = ['health', 'liveness', 'readiness', 'startup', 'ping', 'status', 'container'] as const;
export type HealthKind = (typeof HEALTH_KINDS)[number];

const healthKeys = {
  check: text.describe('What the check tests'),
  checks: names.describe('Checks it runs'),
  container: text.describe('Container probed'),
  initialDelaySeconds: count.describe('Probe initial delay in seconds'),
  interval: text.describe('Check interval'),
  kind: z
    .enum(HEALTH_KINDS)
    .describe('health, liveness, readiness, startup, ping or status; container: a container healthcheck (Dockerfile HEALTHCHECK, Compose healthcheck)'),
  path: text.describe('HTTP path checked'),
  periodSeconds: count.describe('Probe period in seconds'),
  service: text.describe('Compose service checked'),
  workload: text.describe('Workload probed'),
};

/** Observability facts by category (tracing, errors, metrics, logging, alerting, dashboards, health, slo). */
export function observabilityUnion<R extends z.ZodRawShape>(rest: R) {
  return z.discriminatedUnion('category', [
    categorised('tracing', rest, {
      exporterEndpointEnv: names.describe('Environment variables naming the exporter endpoint'),
      exporterEndpoints: names.describe('Exporter endpoints written in code'),
      ...collectorKeys,
      instrumentations: names.describe('Instrumentations enabled'),
      logInjection: flag.describe('Trace ids injected into logs'),
      runtimeMetrics: flag.describe('Runtime metrics enabled'),
      sampleRate: num.describe('Sampling rate'),
      sampler: text.describe('Sampler'),
      sdk: text.describe('Tracing SDK'),
      serverUrlEnv: text.describe('Environment variable naming the APM server'),
      serviceName: text.describe('Service name reported'),
      spanProcessors: names.describe('Span processors'),
      tokenEnv: text.describe('Environment variable holding the APM token'),
    }),
    categorised('errors', rest, {
      accessTokenSource: text.describe('Where the access token comes from'),
      apiKeyEnv: text.describe('Environment variable holding the API key'),
      dsnEnv: text.describe('Environment variable holding the DSN'),
      dsnSource: text.describe('Where the DSN comes from'),
      environment: text.describe('Environment reported'),
      release: text.describe('Release reported'),
      sdk: names.describe('Error-tracking SDKs'),
      tracesSampleRate: num.describe('Traces sample rate'),
    }),
    categorised('metrics', rest, {
      buckets: text.describe('Histogram buckets'),
      ...collectorKeys,
      exporter: text.describe('Exporter class serving the endpoint'),
      exposes: text.describe('Metric the endpoint exposes'),
      expr: text.describe('Recording rule expression'),
      help: text.describe('Metric help text'),
      hostEnv: text.describe('Environment variable naming the StatsD host'),
      jobs: names.describe('Prometheus scrape jobs'),
      labels: names.describe('Metric labels'),
      library: text.describe('Metrics library'),
      path: text.describe('Metrics endpoint path'),
      percentiles: text.describe('Summary percentiles'),
      port: text.describe('Metrics endpoint port'),
      prefix: text.describe('Metric name prefix'),
      type: text.describe('counter, gauge, histogram, summary…'),
      unit: text.describe('Metric unit'),
    }),
    categorised('logging', rest, {
      ...collectorKeys,
      format: text.describe('Log format'),
      integration: text.describe('Framework integration'),
      level: text.describe('Log level'),
      loggerName: text.describe('Logger name'),
      redact: names.describe('Paths redacted from log records'),
      redactCensor: text.describe('Replacement for redacted values'),
      retentionDays: setting
        .nullable()
        .describe('Log retention of a log group in days, as written; null: kept for ever (no retention_in_days); only log-group facts have one'),
      transports: names.describe('Log transports'),
    }),
    categorised('alerting', rest, {
      expr: text.describe('Alert expression'),
      for: text.describe('How long the condition holds before firing'),
      group: text.describe('Rule group'),
      receiverKinds: names.describe('Kinds of receivers'),
      receivers: names.describe('Receivers'),
      routes: names.describe('Alertmanager routes; only Alertmanager routing facts have them'),
      severity: text.describe('Severity label'),
      source: text.describe('Where the rule is declared'),
      summary: text.describe('Summary annotation'),
      target: text.describe('Objective the alert guards, e.g. p95 < 500 ms'),
      targetKind: text.describe('latency, availability, error rate…'),
      threshold: text.describe('Threshold'),
    }),
    categorised('dashboards', rest, {
      file: text.describe('Dashboard file'),
      panelTitles: names.describe('Panel titles'),
      panels: count.describe('Panels'),
      uid: text.describe('Dashboard uid'),
    }),
    categorised('health', rest, healthKeys),
    categorised('slo', rest, {
      alertName: text.describe('Alert the objective raises'),
      description: text.describe('Description'),
      indicator: text.describe('Indicator kind'),
      metric: text.describe('Metric measured'),
      service: text.describe('Service'),
      source: text.describe('Where the objective is declared'),
      target: text.describe('Objective, e.g. 99.9%'),
      targetKind: text.describe('latency, availability, error rate…'),
      targets: names.describe('Objectives'),
      thresholds: names.describe('Thresholds'),
      window: text.describe('Window'),
    }),
  ]);
}

/**
 * What a Terraform rule observed, as data (src/model/infra-statements.ts): the statement and the
 * setting, value and resource it concerns. src/render/view-infrastructure.ts words it.
 */
const statementKeys = {
  statement: z.enum(INFRA_STATEMENTS).describe('Which observation of the resource this is'),
  setting: text.describe('The attribute or environment variable concerned, as written'),
  value: setting.describe('Its value, as written'),
  values: names.describe('The attributes concerned, when several'),
  container: text.describe('Container concerned'),
  grantedBy: text.describe('Resource that grants the access'),
  module: text.describe('Source of the module that sets it'),
  schedule: text.describe('Backup schedule, as written'),
};

const infraFindingKeys = {
  ...statementKeys,
  chart: text.describe('Helm chart'),
  dockerfile: text.describe('Dockerfile'),
  images: names.describe('Images concerned'),
  ingress: text.describe('Ingress concerned'),
  keys: names.describe('Keys concerned (never values)'),
  ports: names.describe('Ports concerned'),
  resource: text.describe('Resource concerned'),
  rule: text.describe('Rule id'),
  secret: text.describe('Secret concerned'),
  service: text.describe('Service concerned'),
  variables: names.describe('Variables concerned'),
  workload: text.describe('Workload concerned'),
};

/** Security facts by category. */
export function securityUnion<R extends z.ZodRawShape>(rest: R) {
  return z.discriminatedUnion('category', [
    categorised('authentication', rest, {
      algorithms: names.describe('Token signing algorithms'),
      clientIdEnv: text.describe('Environment variable holding the OAuth client id'),
      cookieHttpOnly: flag.describe('Session cookie httpOnly'),
      cookieMaxAge: text.describe('Session cookie maxAge'),
      cookieSameSite: text.describe('Session cookie sameSite'),
      cookieSecure: flag.describe('Session cookie secure'),
      detail: text.describe('What the code shows'),
      expiresIn: names.describe('Token lifetimes'),
      header: text.describe('Header the credential is read from'),
      issuer: text.describe('Token issuer'),
      kind: text.describe('Mechanism kind'),
      loginRoute: text.describe('Login route'),
      operations: names.describe('Steps of the authentication flow, as drawn'),
      passwordCheck: text.describe('How the password is checked'),
      paths: names.describe('Paths it applies to'),
      providers: names.describe('Identity providers'),
      route: text.describe('Route'),
      scheme: text.describe('Authentication scheme'),
      secretSource: text.describe('Where the signing secret comes from'),
      secretSources: names.describe('Where the signing secrets come from'),
      sessionStrategy: text.describe('Session strategy'),
      spec: text.describe('Specification that declares it'),
      store: text.describe('Session store'),
      strategy: text.describe('Passport strategy name (`jwt`, `local`)'),
      strategyClass: text.describe('Strategy class'),
      token: text.describe('Token kind'),
      tokenFrom: text.describe('Where the token is read from'),
      tokenLibrary: text.describe('Token library'),
      type: text.describe('Security scheme type'),
    }),
    categorised('authorisation', rest, {
      appliedThrough: names.describe('How it is applied'),
      appliedTo: names.describe('What it is applied to'),
      decorators: names.describe('Decorators'),
      definedIn: names.describe('Files that define it'),
      middleware: names.describe('Middleware'),
      model: text.describe('Access-control model file (Casbin)'),
      roles: names.describe('Roles'),
      scope: text.describe('Scope'),
    }),
    categorised('credentials', rest, {
      costFactors: names.describe('Hash cost factors'),
      iterations: names.describe('PBKDF2 iteration counts'),
      memoryCost: count.describe('Argon2 memory cost'),
      timeCost: count.describe('Argon2 time cost'),
      variant: text.describe('Algorithm variant'),
    }),
    categorised('transport', rest, {
      contentSecurityPolicy: text.describe('Content-Security-Policy'),
      credentials: flag.describe('CORS credentials allowed'),
      hsts: text.describe('Strict-Transport-Security'),
      limit: num.describe('Rate limit: requests per window'),
      limits: names.describe('Rate limits'),
      maxAge: text.describe('HSTS max-age'),
      methods: names.describe('CORS methods'),
      origins: names.describe('CORS origins'),
      overrides: names.describe('Per-route overrides'),
      scope: text.describe('Scope'),
    }),
    categorised('validation', rest, {
      files: names.describe('Files'),
      options: names.describe('Options'),
    }),
    categorised('data', rest, {
      envVars: names.describe('Environment variables (names only)'),
      fields: names.describe('Personal-data fields'),
      source: text.describe('Where the fields are declared'),
    }),
    categorised('finding', rest, {
      envVars: names.describe('Environment variables (names only)'),
      names: names.describe('Names concerned'),
      routes: names.describe('Routes concerned'),
      ...infraFindingKeys,
    }),
    categorised('infrastructure', rest, infraFindingKeys),
  ]);
}

const scalingKeys = {
  ...statementKeys,
  condition: text.describe('Condition'),
  desired: setting.describe('Desired count'),
  dimension: text.describe('Scalable dimension'),
  hpa: text.describe('HorizontalPodAutoscaler'),
  max: setting.describe('Maximum'),
  metric: text.describe('Unit of capacity, e.g. ACU'),
  min: setting.describe('Minimum'),
  origin: text.describe('Manifest origin'),
  overrides: names.describe('Overrides by overlay or values file'),
  policies: z.array(ScalingPolicySchema).describe('Scaling policies'),
  resource: text.describe('Resource scaled'),
  workload: text.describe('Id of the workload it scales, when it scales one'),
};

/** Scaling facts by category. */
export function scalingUnion<R extends z.ZodRawShape>(rest: R) {
  return z.discriminatedUnion('category', [
    categorised('autoscaling', rest, scalingKeys),
    categorised('replicas', rest, scalingKeys),
    categorised('concurrency', rest, scalingKeys),
  ]);
}

const resourceKey = {
  resource: text.describe('Resource protected'),
  store: text.describe('Id of the infrastructure resource protected, the data store it is'),
  ...statementKeys,
};

/** Recovery facts by category. */
export function recoveryUnion<R extends z.ZodRawShape>(rest: R) {
  return z.discriminatedUnion('category', [
    categorised('backup', rest, {
      ...resourceKey,
      retentionDays: setting.describe('Backup retention in days'),
      copiedElsewhere: flag.describe('Copied to another vault or region'),
    }),
    categorised('deletion-protection', rest, resourceKey),
    categorised('disruption-budget', rest, { minAvailable: text.describe('minAvailable'), maxUnavailable: text.describe('maxUnavailable') }),
    categorised('final-snapshot', rest, resourceKey),
    categorised('multi-az', rest, resourceKey),
    categorised('multi-region', rest, { ...resourceKey, regions: names.describe('Regions it is replicated to') }),
    categorised('point-in-time-recovery', rest, { ...resourceKey, windowDays: setting.describe('Recovery window in days') }),
    categorised('read-replica', rest, { ...resourceKey, replica: text.describe('Replica resource'), instances: setting.describe('Replica instances') }),
    categorised('replica', rest, resourceKey),
    categorised('replication', rest, { ...resourceKey, configuredBy: text.describe('Resource that configures the replication') }),
    categorised('versioning', rest, resourceKey),
  ]);
}

// ---------------------------------------------------------------- types for code

type AllKeys<U> = U extends unknown ? keyof U : never;
type ValueAt<U, K extends PropertyKey> = U extends { [P in K]?: infer V } ? V : never;
/** Every key any member of a union declares, each with the union of its types. */
type MergedDetails<U> = { [K in AllKeys<U>]?: Exclude<ValueAt<U, K>, undefined> };

/**
 * A categorised fact as code handles it: the fields every category shares, `category` one of the
 * categories, and `details` with every key of every category. The schema still checks, per
 * category, that only that category's keys are present.
 */
export type Flattened<F extends { category: string; details?: unknown }> = Omit<F, 'category' | 'details'> & {
  category: F['category'];
  details?: MergedDetails<NonNullable<F['details']>>;
};
