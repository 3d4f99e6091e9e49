/**
 * The built-in analyzers, in the order they run. Adding an analyzer is adding a folder beside
 * this file and one line here (a test fails when a folder is missing from this list, or when an
 * analyzer has no README).
 */
import type { Analyzer } from '../src/analyzer/define.js';
import workspace from './workspace/index.js';
import techStack from './tech-stack/index.js';
import documents from './documents/index.js';
import prisma from './prisma/index.js';
import security from './security/index.js';
import observability from './observability/index.js';
import messaging from './messaging/index.js';
import asyncapi from './asyncapi/index.js';

export const builtinAnalyzers: readonly Analyzer[] = [workspace, techStack, documents, prisma, security, observability, messaging, asyncapi];
