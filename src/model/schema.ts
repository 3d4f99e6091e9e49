/**
 * The architecture model: a plain-JSON, versioned contract.
 *
 * The zod schema is the single source of truth: the TypeScript types are inferred from it and
 * `schema/model.schema.json` is generated from it (a test keeps the committed file in step).
 * Every fact carries a content-derived `id`, a `name` and `evidence` (repo-relative POSIX path,
 * 1-based line). Later analyzers add facts; they never change the meaning of a field.
 */
import { z } from 'zod';
import {
  ComponentDetailsSchema,
  ContainerDetailsSchema,
  DataStoreDetailsSchema,
  DecisionDetailsSchema,
  DocumentDetailsSchema,
  EndpointDetailsSchema,
  EntityDetailsSchema,
  EnvironmentDetailsSchema,
  ExternalServiceDetailsSchema,
  InfrastructureDetailsSchema,
  QueueDetailsSchema,
  PeerCallSchema,
  RolloutSchema,
  ScalingPolicySchema,
  WorkloadDetailsSchema,
  type Flattened,
  observabilityUnion,
  recoveryUnion,
  scalingUnion,
  securityUnion,
} from './details.js';

export const SCHEMA_VERSION = 1;

/** Where a fact was seen: repo-relative POSIX path and 1-based line (0 when the whole file). */
export const EvidenceSchema = z.strictObject({
  file: z.string().describe('Repository-relative POSIX path'),
  line: z.number().int().min(0).describe('1-based line; 0 means the file as a whole'),
});

const base = {
  id: z.string().describe('Stable id derived from content, e.g. endpoint:GET /orders/:id'),
  name: z.string(),
  evidence: z.array(EvidenceSchema),
};

/**
 * An analyzer's draft of a fact's details, as it builds them. Each collection's schema declares
 * its keys and their types (src/model/details.ts) and rejects any other key.
 */
export const DetailsSchema = z.record(
  z.string(),
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.array(z.string()),
    z.null().describe('retentionDays: kept for ever'),
    RolloutSchema,
    z.array(ScalingPolicySchema),
    z.array(PeerCallSchema),
  ]),
);

export const ComponentKind = z.enum(['service', 'worker', 'frontend', 'library', 'cli', 'function', 'infrastructure']);

export const DependencySchema = z.strictObject({
  target: z.string().describe('Component id depended upon'),
  kind: z
    .enum(['package', 'import', 'rpc', 'call'])
    .describe(
      "Declared in a manifest, seen as imports, a remote call (a gRPC client stub of a service the target registers), or a call its deployment configures (an environment value naming the target's service: http://catalog:8080)",
    ),
  count: z.number().int().optional().describe('Number of imports, when kind is import'),
  via: z.string().optional().describe('For a configured call: the environment variable whose value names the target (CATALOG_URL)'),
  protocol: z.string().optional().describe('For a configured call: the scheme of that value (http, grpc, amqp), when it has one'),
  evidence: z.array(EvidenceSchema),
});

export const ComponentSchema = z.strictObject({
  ...base,
  kind: ComponentKind,
  path: z.string().describe('Directory of the component, repo-relative ("." for the root)'),
  packageName: z.string().optional(),
  version: z.string().optional(),
  description: z
    .string()
    .optional()
    .describe(
      "What the package says it does: its manifest's description, or its README's first paragraph, when real text (never a placeholder or generator boilerplate)",
    ),
  descriptionFrom: z
    .strictObject({ source: z.enum(['manifest', 'readme']), evidence: EvidenceSchema })
    .optional()
    .describe("Where the description is quoted from: the manifest's description line, or the README paragraph's first line"),
  kindReason: z.string().optional().describe('Why the kind was inferred, in words'),
  language: z.string().optional().describe('Main programming language of its files, by extension (most files wins; a tie names each)'),
  tech: z.array(z.string()).describe('Tech-stack ids used by this component'),
  dependsOn: z.array(DependencySchema),
  keyFiles: z.array(EvidenceSchema).optional(),
  details: ComponentDetailsSchema.optional(),
});

export const EndpointSchema = z.strictObject({
  ...base,
  method: z.string().describe('HTTP method, or query/mutation/subscription, or rpc'),
  path: z.string().describe('Path as served, all prefixes resolved'),
  protocol: z
    .enum(['http', 'graphql', 'grpc', 'websocket', 'rpc', 'trpc'])
    .describe(
      'rpc: a request/response call over a transport other than gRPC (NestJS TCP, Redis, NATS microservices); trpc: a tRPC procedure (method rpc, path its dotted path from the root router)',
    ),
  component: z.string().optional(),
  servedAt: EvidenceSchema.nullable()
    .optional()
    .describe(
      'gRPC: where the code serving it registers the service (its component is the one owning that file); null when only a .proto declares it and no server in the repository registers it',
    ),
  summary: z.string().optional(),
  handler: z.string().optional().describe('Handler name when known'),
  auth: z
    .strictObject({
      required: z.boolean().nullable().describe('null when it cannot be told'),
      mechanisms: z.array(z.string()),
    })
    .optional(),
  source: z.enum(['code', 'spec', 'both']).optional(),
  tags: z.array(z.string()).optional(),
  details: EndpointDetailsSchema.optional(),
});

export const FieldSchema = z.strictObject({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean().optional(),
  id: z.boolean().optional(),
  unique: z.boolean().optional(),
  default: z.string().optional(),
});

export const RelationSchema = z.strictObject({
  name: z.string(),
  target: z.string().describe('Schema (entity) id'),
  cardinality: z.enum(['one-to-one', 'one-to-many', 'many-to-one', 'many-to-many']),
  foreignKey: z.string().optional(),
});

export const EntitySchema = z.strictObject({
  ...base,
  table: z.string().optional(),
  store: z.string().optional().describe('Data store id'),
  component: z.string().optional(),
  orm: z.string().optional(),
  fields: z.array(FieldSchema),
  relations: z.array(RelationSchema),
  indexes: z.array(z.string()).optional(),
  states: z
    .array(
      z.strictObject({
        field: z.string(),
        values: z.array(z.string()),
        initial: z.string().optional().describe('Default value of the field, when declared'),
        transitions: z
          .array(z.strictObject({ from: z.string(), to: z.string(), evidence: z.array(EvidenceSchema) }))
          .optional()
          .describe('Only transitions statically clear in code; never inferred'),
      }),
    )
    .optional()
    .describe('Enum-typed status/state fields'),
  details: EntityDetailsSchema.optional(),
});

export const DataStoreSchema = z.strictObject({
  ...base,
  tech: z.string(),
  kind: z.enum(['relational', 'document', 'key-value', 'search', 'object', 'cache', 'other']).optional(),
  usedBy: z.array(z.string()).describe('Component ids'),
  envVars: z.array(z.string()).optional().describe('Names only, never values'),
  details: DataStoreDetailsSchema.optional(),
});

export const QueueSchema = z.strictObject({
  ...base,
  tech: z.string(),
  producers: z.array(z.string()),
  consumers: z.array(z.string()),
  messages: z.array(z.string()).optional().describe('Job or message names'),
  details: QueueDetailsSchema.optional(),
});

export const ExternalServiceSchema = z.strictObject({
  ...base,
  kind: z.string().describe('http, sdk, cloud, identity…'),
  usedBy: z.array(z.string()),
  details: ExternalServiceDetailsSchema.optional(),
});

export const InfrastructureSchema = z.strictObject({
  ...base,
  type: z.string().describe('Resource type, e.g. aws_db_instance'),
  role: z.enum(['network', 'edge', 'compute', 'data', 'messaging', 'secrets', 'observability', 'identity', 'other']),
  provider: z.string().optional(),
  source: z.string().optional().describe('terraform, kubernetes, compose, serverless…'),
  details: InfrastructureDetailsSchema.optional(),
});

export const EnvironmentSchema = z.strictObject({
  ...base,
  protection: z.string().optional(),
  details: EnvironmentDetailsSchema.optional(),
});

export const PipelineSchema = z.strictObject({
  ...base,
  tool: z.string(),
  triggers: z.array(z.string()),
  jobs: z.array(
    z.strictObject({
      name: z.string(),
      needs: z.array(z.string()),
      environment: z.string().optional(),
      manual: z.boolean().optional(),
      commands: z.array(z.string()).optional(),
      deploys: z
        .array(
          z.strictObject({
            platform: z.string().describe('Platform id: heroku, fly, vercel, netlify, cloudflare-workers, cloud-run, kubernetes, ecs, lambda…'),
            command: z.string(),
            evidence: EvidenceSchema,
          }),
        )
        .optional()
        .describe("Platforms the job deploys to with the platform's own CLI or action"),
    }),
  ),
});

export const ContainerSchema = z.strictObject({
  ...base,
  image: z.string().optional(),
  component: z.string().optional(),
  ports: z.array(z.string()),
  user: z.string().optional(),
  healthcheck: z.string().optional(),
  details: ContainerDetailsSchema.optional(),
});

export const WorkloadSchema = z.strictObject({
  ...base,
  kind: z.string().describe('Deployment, StatefulSet, compose service, Lambda function…'),
  component: z.string().optional(),
  details: WorkloadDetailsSchema.optional(),
});

/** The fields every categorised fact shares; `category` and its typed `details` come from src/model/details.ts. */
const categorisedFact = {
  ...base,
  tech: z.string().optional(),
  component: z.string().optional(),
};

export const ObservabilitySchema = observabilityUnion(categorisedFact);
export const SecuritySchema = securityUnion({
  ...categorisedFact,
  severity: z.enum(['info', 'low', 'medium', 'high']).optional().describe('For findings'),
});
export const ScalingSchema = scalingUnion(categorisedFact);
export const RecoverySchema = recoveryUnion(categorisedFact);

export const TechLayer = z.enum(['frontend', 'backend', 'data', 'infrastructure', 'observability', 'tooling']);

/** What a technology is, as the tech-stack analyzer and its catalogue (src/data/tech-catalogue.ts) file it. */
export const TechCategory = z
  .enum([
    'language',
    'runtime',
    'package-manager',
    'framework',
    'validation',
    'state',
    'styling',
    'orm',
    'query-builder',
    'database-client',
    'storage-client',
    'messaging',
    'workflow',
    'security',
    'logging',
    'metrics',
    'tracing',
    'errors',
    'iac',
    'container',
    'orchestration',
    'ci',
    'monorepo',
    'build',
    'lint',
    'test',
  ])
  .describe(
    'language, runtime, package-manager; framework (server, client, GraphQL, RPC), validation, state (client state), styling; orm, query-builder, database-client, storage-client; messaging, workflow; security; logging, metrics, tracing, errors (error tracking); iac, container, orchestration, ci; monorepo, build, lint, test',
  );

export const TechSchema = z.strictObject({
  ...base,
  category: TechCategory,
  layer: TechLayer,
  version: z.string().optional(),
  purpose: z.string().optional(),
  usedBy: z.array(z.string()),
});

const named = (what: string) => z.strictObject({ name: z.string(), count: z.number().int().min(0).describe(what) });

/**
 * Which rule of a decision fired and the numbers it used (analyzers/decisions/README.md); the
 * document's sentences about it are built from these by src/render/view-decisions.ts.
 */
export const DecisionBasisSchema = z.discriminatedUnion('rule', [
  z.strictObject({
    rule: z.literal('architecture-style'),
    outcome: z.enum(['undetermined', 'serverless', 'monolith', 'modular-monolith', 'services']),
    servers: z.array(z.string()).describe('Long-running deployable units, by label'),
    functions: z.number().int().min(0),
    channels: z.number().int().min(0).describe('Message channels with a producer or consumer in the code'),
    modules: z.array(z.string()).optional().describe('Module folders with their own layers (modular monolith)'),
    quiet: z
      .array(z.string())
      .optional()
      .describe('Not counted: servers with no endpoint, store, channel or unread code, no more of them than servers that have them'),
    sites: z.array(z.string()).optional().describe('Not counted: front ends a hosting platform runs with no endpoint, store or channel of their own'),
    processes: z
      .array(z.strictObject({ process: z.string(), of: z.string(), model: z.string() }))
      .optional()
      .describe("Not counted as services: workers that are a server's background processes (sharing its data model and database)"),
    hosts: z
      .array(z.strictObject({ host: z.string(), of: z.string(), from: z.string() }))
      .optional()
      .describe('Not counted as services: servers whose every endpoint another serves from the same shared definition (another host of that API)'),
    components: z.number().int().min(0).describe('Components in all'),
    componentKinds: z.array(z.string()).describe('Their kinds, sorted'),
  }),
  z.strictObject({
    rule: z.literal('primary-database'),
    outcome: z.enum(['most-entities', 'tie', 'only-database', 'provisioned', 'undetermined', 'unread-users']),
    stores: z.array(named('Entities attributed to it')).describe('Databases counted, most entities first'),
    notCounted: z.array(
      z.strictObject({ name: z.string(), kind: z.string(), cache: z.boolean().describe('A cache or queue backend engine (Redis and its kin)') }),
    ),
    attributed: z.number().int().min(0).describe('Entities attributed to a counted store'),
    entities: z.number().int().min(0).describe('Entities in all'),
    unread: z
      .strictObject({ stores: z.array(z.string()), languages: z.array(z.string()) })
      .optional()
      .describe('unread-users: databases no code archdoc reads uses, beside services in these languages it does not read'),
    provisioned: z
      .strictObject({ name: z.string(), by: z.array(z.string()) })
      .optional()
      .describe('provisioned: the one database the deployment provisions (a platform add-on, an infrastructure resource), and what provisions it'),
  }),
  z.strictObject({
    rule: z.literal('messaging'),
    outcome: z.enum(['channels', 'imported-only', 'broker', 'declared-only']),
    channels: z.array(named('Channels')).describe('Technologies of the channels counted'),
    ownJobs: z.array(named('Channels')).describe("Not counted: a component's own background jobs"),
    declaredOnly: z.array(named('Channels')).describe('Declared, with no producer or consumer in the code'),
    imported: z
      .array(z.strictObject({ name: z.string(), channelsRead: z.boolean().describe('archdoc reads its channels (none was found)'), evidence: EvidenceSchema }))
      .describe('Imported by production code, with no channel read'),
    broker: z
      .strictObject({ name: z.string(), languages: z.array(z.string()), evidence: EvidenceSchema })
      .optional()
      .describe('A broker the deployment runs, its users in languages not read'),
  }),
  z.strictObject({
    rule: z.literal('deployment-platform'),
    outcome: z.enum(['platforms', 'split', 'ci', 'ci-tie', 'environment', 'images-unrun']),
    platforms: z.array(named('Deployable units it runs')).describe('Most units first'),
    ci: z
      .array(z.strictObject({ name: z.string(), jobs: z.number().int().min(0), commands: z.array(z.string()).describe('Up to two, sorted') }))
      .describe('CI deploy targets, most jobs first'),
    images: z.number().int().min(0).describe('Images built from Dockerfiles that nothing runs'),
    composeLocal: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Units Docker Compose runs beside a platform that runs as many or more: the local run, not counted'),
    environment: z
      .strictObject({ name: z.string(), variables: z.array(z.string()), files: z.number().int().min(1) })
      .optional()
      .describe('With nothing that deploys the code: the one platform whose own environment variables production code reads (VERCEL_URL)'),
  }),
  z.strictObject({ rule: z.literal('api-style'), protocols: z.array(named('Endpoints')).describe('Most endpoints first') }),
  z.strictObject({
    rule: z.literal('authentication'),
    mechanisms: z.array(named('Places in production code')),
    facts: z.number().int().min(0).describe('Mechanism facts with production evidence'),
    setAside: z.array(z.string()).describe('Found only in tests and examples'),
  }),
  z.strictObject({ rule: z.literal('orm'), libraries: z.array(z.string()) }),
  z.strictObject({ rule: z.literal('monorepo-tool'), packages: z.number().int().min(0) }),
  z.strictObject({ rule: z.literal('iac-tool'), tools: z.array(z.string()) }),
  z.strictObject({
    rule: z.literal('internal-pattern'),
    folders: z.array(named('Files')).describe('Up to six layer folders, most files first'),
    imports: z.number().int().min(0).describe('Imports between layers'),
    breaches: z.number().int().min(0).describe('Imports against the pattern'),
  }),
]);

export const DecisionSchema = z.strictObject({
  ...base,
  topic: z
    .string()
    .describe(
      'architecture-style, internal-pattern, primary-database, orm, messaging, deployment-platform, authentication, api-style, monorepo-tool, iac-tool',
    ),
  basis: DecisionBasisSchema.optional().describe('The rule that fired and the numbers it used (absent only in hand-made models)'),
  decision: z.string().describe('What the code shows'),
  component: z.string().optional().describe('For per-component decisions (internal pattern)'),
  adrs: z.array(z.string()).optional().describe('Document ids of architecture decision records about it'),
  details: DecisionDetailsSchema.optional(),
});

export const DocumentLinkSchema = z.strictObject({
  ...base,
  kind: z.enum(['readme', 'adr', 'openapi', 'asyncapi', 'runbook', 'changelog', 'contributing', 'docs']),
  details: DocumentDetailsSchema.optional().describe('For ADRs: number, status, date, tags, decision'),
});

export const WarningSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().min(0),
  message: z.string(),
  analyzer: z.string(),
});

export const FlowStepSchema = z.strictObject({
  from: z.string().describe('Participant id (a component, data store, queue or external service)'),
  to: z.string(),
  action: z.string().describe('What happens, e.g. "OrdersService.create" or "write order"'),
  kind: z.enum(['sync', 'async']),
  branch: z
    .strictObject({ id: z.string().describe('file:line of the if statement'), arm: z.enum(['then', 'else']), condition: z.string() })
    .optional()
    .describe('When the step happens on one arm of an if/else'),
  evidence: z.array(EvidenceSchema),
});

export const FlowSchema = z.strictObject({
  ...base,
  entry: z.string().describe('Entry point id: an endpoint, queue consumer or scheduled job'),
  entryKind: z.enum(['endpoint', 'consumer', 'schedule']),
  component: z.string().optional(),
  steps: z.array(FlowStepSchema),
  participants: z.array(z.string()).describe('Distinct participant ids reached, the entry component first'),
  rank: z.number().int().min(1).describe('1 = most participants (ties by id)'),
  featured: z.boolean().optional().describe('Among the top flows drawn in the document (flows analyzer option `top`)'),
  stoppedAt: z.array(z.string()).optional().describe('Why tracing stopped early, when it did'),
});

/** One step of the authentication flow: what does it (a route, a library, a strategy or guard) and where. */
export const AuthFlowStepSchema = z.strictObject({
  name: z.string().describe('The route (`POST /auth/login`), library (`bcrypt`) or mechanism (`Passport jwt strategy`)'),
  evidence: z.array(EvidenceSchema),
});

/** The authentication flow: login, password check, token issuance and the check of the token on later requests (post-link). */
export const AuthFlowSchema = z.strictObject({
  component: z.string().optional().describe('The component that serves the login route'),
  login: AuthFlowStepSchema.describe('The login route the client sends its credentials to'),
  passwordCheck: AuthFlowStepSchema.optional().describe('The password hashing library that checks the credentials'),
  tokenIssue: AuthFlowStepSchema.extend({ token: z.string().optional().describe('Algorithm and expiry, e.g. `RS256, expires in 15m`') }).describe(
    'The library that issues the token',
  ),
  verifier: AuthFlowStepSchema.extend({
    mechanism: z.enum(['passport-strategy', 'guard', 'token-library']).describe('How a token is checked on later requests'),
  })
    .optional()
    .describe('What checks the token on later requests, when found'),
  evidence: z.array(EvidenceSchema).describe('Evidence of the login, password check and token issuance together'),
});

export const SystemSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  version: z.string().optional(),
  repository: z.string().optional(),
  evidence: z.array(EvidenceSchema),
});

/** What discovery set aside: files that are not production (tests, examples, templates …), by role. */
export const FileRolesSchema = z.strictObject({
  roles: z
    .array(
      z.strictObject({
        role: z.string().describe('test | e2e | example | fixture | template | generated | vendored | documentation | benchmark | tooling | unused'),
        count: z.number().int().min(1),
        folders: z.array(z.string()).describe('Up to five folders holding most of them, by count'),
        folderCount: z.number().int().min(1).describe('Folders holding them in all'),
        languages: z
          .array(z.string())
          .optional()
          .describe('Languages other than TypeScript and JavaScript among them (a Python load test), sorted; absent when none'),
        tools: z
          .array(
            z.strictObject({
              tool: z
                .enum(['prisma', 'kysely', 'plugins', 'unreachable'])
                .describe(
                  "prisma: no package depends on Prisma; kysely: nothing runs the migrations; plugins: the framework's plugin settings switch them off or do not name them; unreachable: modules no entry of a package of functions reaches",
                ),
              count: z.number().int().min(1),
              folders: z.array(z.string()).describe('Up to five schema files or migrations folders, by count'),
              folderCount: z.number().int().min(1),
            }),
          )
          .optional()
          .describe('For the unused role: its schema and migration files by the tool nothing uses, by tool'),
      }),
    )
    .describe('Set-aside roles with files, in the order of the roles list'),
  droppedEvidence: z.number().int().min(0).describe('Evidence entries that pointed into set-aside files, dropped after analysis'),
  droppedFacts: z.number().int().min(0).describe('Facts left with no evidence by that, dropped'),
});

/** One catalogued technology that is present, and whether archdoc read facts from it (see analyzers/tech-stack). */
export const CoverageTechSchema = z.strictObject({
  ...base,
  category: z.enum(['api', 'graphql', 'data', 'messaging', 'infrastructure', 'observability', 'identity']),
  yields: z.string().describe('What it yields when read: routes, procedures, entities, queues, resources…'),
  status: z.enum(['read', 'unread']).describe('read: an analyzer reads it (facts may be 0); unread: no analyzer does'),
  facts: z.number().int().min(0).describe('Facts of the model read from it'),
  components: z.array(z.string()).describe('Component ids that depend on it'),
  paths: z.array(z.string()).describe('Where it is present: component paths, or the folders of its files'),
});

/** Code in a language archdoc does not analyse, counted from the discovered files. */
export const CoverageLanguageSchema = z.strictObject({
  ...base,
  files: z.number().int().min(0),
  routes: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Present when archdoc reads this language's HTTP route declarations: the endpoints declared in its files"),
  entities: z.number().int().min(1).optional().describe("The ORM entities read from this language's files, when there are any"),
  queues: z.number().int().min(1).optional().describe("The queues whose producers or consumers were read in this language's files, when there are any"),
  folders: z.array(z.strictObject({ path: z.string(), files: z.number().int().min(0) })).describe('Most files first'),
});

export const CoverageSchema = z.strictObject({
  technologies: z.array(CoverageTechSchema),
  languages: z.array(CoverageLanguageSchema),
});

export const ModelSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  system: SystemSchema,
  components: z.array(ComponentSchema),
  endpoints: z.array(EndpointSchema),
  schemas: z.array(EntitySchema),
  dataStores: z.array(DataStoreSchema),
  queues: z.array(QueueSchema),
  externalServices: z.array(ExternalServiceSchema),
  infrastructure: z.array(InfrastructureSchema),
  deployment: z.strictObject({
    environments: z.array(EnvironmentSchema),
    pipelines: z.array(PipelineSchema),
    containers: z.array(ContainerSchema),
    workloads: z.array(WorkloadSchema),
  }),
  observability: z.array(ObservabilitySchema),
  security: z.array(SecuritySchema),
  scaling: z.array(ScalingSchema),
  recovery: z.array(RecoverySchema),
  techStack: z.array(TechSchema),
  decisions: z.array(DecisionSchema),
  documents: z.array(DocumentLinkSchema),
  flows: z.array(FlowSchema).optional().describe('Traced data flows from entry points (post-link)'),
  authFlow: AuthFlowSchema.optional().describe('The authentication flow, when a login route and token issuance were both found (post-link)'),
  coverage: CoverageSchema.optional().describe('What archdoc read and did not read (post-link)'),
  files: FileRolesSchema.optional().describe('File roles: what was set aside from the architecture facts'),
  warnings: z.array(WarningSchema),
});

export type Evidence = z.infer<typeof EvidenceSchema>;
export type Details = z.infer<typeof DetailsSchema>;
export type Component = z.infer<typeof ComponentSchema>;
export type ComponentKind = z.infer<typeof ComponentKind>;
export type Dependency = z.infer<typeof DependencySchema>;
export type Endpoint = z.infer<typeof EndpointSchema>;
export type Entity = z.infer<typeof EntitySchema>;
export type DataStore = z.infer<typeof DataStoreSchema>;
export type Queue = z.infer<typeof QueueSchema>;
export type ExternalService = z.infer<typeof ExternalServiceSchema>;
export type Infrastructure = z.infer<typeof InfrastructureSchema>;
export type Environment = z.infer<typeof EnvironmentSchema>;
export type Pipeline = z.infer<typeof PipelineSchema>;
export type Container = z.infer<typeof ContainerSchema>;
export type Workload = z.infer<typeof WorkloadSchema>;
export type ObservabilityFact = Flattened<z.infer<typeof ObservabilitySchema>>;
export type SecurityFact = Flattened<z.infer<typeof SecuritySchema>>;
export type ScalingFact = Flattened<z.infer<typeof ScalingSchema>>;
export type RecoveryFact = Flattened<z.infer<typeof RecoverySchema>>;
export type Tech = z.infer<typeof TechSchema>;
export type TechCategory = z.infer<typeof TechCategory>;
export type TechLayer = z.infer<typeof TechLayer>;
export type Decision = z.infer<typeof DecisionSchema>;
export type DecisionBasis = z.infer<typeof DecisionBasisSchema>;
export type DocumentLink = z.infer<typeof DocumentLinkSchema>;
export type Warning = z.infer<typeof WarningSchema>;
export type Flow = z.infer<typeof FlowSchema>;
export type FlowStep = z.infer<typeof FlowStepSchema>;
export type AuthFlow = z.infer<typeof AuthFlowSchema>;
export type SystemInfo = z.infer<typeof SystemSchema>;
/** The model as code handles it: categorised facts flattened (see `Flattened`). */
export type Model = Omit<z.infer<typeof ModelSchema>, 'observability' | 'security' | 'scaling' | 'recovery'> & {
  observability: ObservabilityFact[];
  security: SecurityFact[];
  scaling: ScalingFact[];
  recovery: RecoveryFact[];
};
export type Coverage = z.infer<typeof CoverageSchema>;
export type CoverageTech = z.infer<typeof CoverageTechSchema>;
export type CoverageLanguage = z.infer<typeof CoverageLanguageSchema>;

/**
 * The collections analyzers emit into. `environments`, `pipelines`, `containers` and `workloads`
 * are gathered under `model.deployment`; every other name is a top-level array of the model.
 */
export interface FactCollections {
  components: Component;
  endpoints: Endpoint;
  schemas: Entity;
  dataStores: DataStore;
  queues: Queue;
  externalServices: ExternalService;
  infrastructure: Infrastructure;
  environments: Environment;
  pipelines: Pipeline;
  containers: Container;
  workloads: Workload;
  observability: ObservabilityFact;
  security: SecurityFact;
  scaling: ScalingFact;
  recovery: RecoveryFact;
  techStack: Tech;
  decisions: Decision;
  documents: DocumentLink;
}
export type CollectionName = keyof FactCollections;
export type AnyFact = FactCollections[CollectionName];

export const COLLECTIONS: readonly CollectionName[] = [
  'components',
  'endpoints',
  'schemas',
  'dataStores',
  'queues',
  'externalServices',
  'infrastructure',
  'environments',
  'pipelines',
  'containers',
  'workloads',
  'observability',
  'security',
  'scaling',
  'recovery',
  'techStack',
  'decisions',
  'documents',
];
