/**
 * The built-in analyzers, in registry order: the order their facts merge in, and the one that
 * breaks ties in the run order, which is derived from what each provides and consumes
 * (src/analyzer/order.ts). Adding an analyzer is adding a folder beside this file and one line
 * here (a test fails when a folder is missing from this list, or when an analyzer has no README).
 */
import type { Analyzer } from '../src/analyzer/define.js';
import workspace from './workspace/index.js';
import techStack from './tech-stack/index.js';
import documents from './documents/index.js';
import prisma from './prisma/index.js';
import ormEntities from './orm-entities/index.js';
import sqlMigrations from './sql-migrations/index.js';
import imports from './imports/index.js';
import outbound from './outbound/index.js';
import flows from './flows/index.js';
import security from './security/index.js';
import observability from './observability/index.js';
import terraform from './terraform/index.js';
import compose from './compose/index.js';
import dockerfile from './dockerfile/index.js';
import kubernetes from './kubernetes/index.js';
import serverless from './serverless/index.js';
import cdk from './cdk/index.js';
import pulumi from './pulumi/index.js';
import cdktf from './cdktf/index.js';
import platforms from './platforms/index.js';
import ci from './ci/index.js';
import messaging from './messaging/index.js';
import asyncapi from './asyncapi/index.js';
import openapi from './openapi/index.js';
import endpoints from './endpoints/index.js';
import decisions from './decisions/index.js';

export const builtinAnalyzers: readonly Analyzer[] = [
  workspace,
  prisma,
  ormEntities,
  sqlMigrations,
  imports,
  outbound,
  flows,
  security,
  observability,
  terraform,
  platforms,
  ci,
  messaging,
  asyncapi,
  openapi,
  endpoints,
  // Its link phase reads each settled component's own manifests and language, so it amends
  // components after every reader of them; decisions reads the stack it completes.
  techStack,
  decisions,
  // Their link phases add the calls one service's environment configures to another's component, so they amend components after every reader of them.
  compose,
  kubernetes,
  // Its link phase drops the root finding of an image its deployments run as non-root, so it amends security after every reader of it.
  dockerfile,
  // Its link phase quotes a component's README as its responsibility, once components are settled.
  documents,
  // Their link phases give API Gateway routes their components, so they amend endpoints after every reader of them.
  serverless,
  cdk,
  pulumi,
  cdktf,
];
