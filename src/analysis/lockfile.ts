/**
 * Installed package versions from the repository's root lockfile (package-lock.json, pnpm-lock.yaml
 * or yarn.lock), read as text: shared by the analyzers that need the version actually installed
 * rather than the declared range (tech-stack, security).
 */
import type { AnalyzerContext } from '../analyzer/context.js';

/** Installed versions from whichever lockfile the repository has. */
export function lockedVersions(ctx: AnalyzerContext): { manager?: string; file?: string; versions: Map<string, string> } {
  const versions = new Map<string, string>();
  if (ctx.has('package-lock.json')) {
    const lock = ctx.json('package-lock.json') as { packages?: Record<string, { version?: string }> } | undefined;
    for (const [key, value] of Object.entries(lock?.packages ?? {})) {
      const i = key.lastIndexOf('node_modules/');
      if (i < 0 || typeof value?.version !== 'string') continue;
      const name = key.slice(i + 'node_modules/'.length);
      // The hoisted (shortest) path is what the application resolves.
      if (!versions.has(name) || key === `node_modules/${name}`) versions.set(name, value.version);
    }
    return { manager: 'npm', file: 'package-lock.json', versions };
  }
  if (ctx.has('pnpm-lock.yaml')) {
    const text = ctx.read('pnpm-lock.yaml') ?? '';
    for (const m of text.matchAll(/^ {2}'?\/?((?:@[^/\s'@]+\/)?[^@\s'/]+)@([0-9][^(\s:']*)/gm)) {
      if (!versions.has(m[1]!)) versions.set(m[1]!, m[2]!);
    }
    return { manager: 'pnpm', file: 'pnpm-lock.yaml', versions };
  }
  if (ctx.has('yarn.lock')) {
    const text = ctx.read('yarn.lock') ?? '';
    for (const m of text.matchAll(/^"?((?:@[^/\s"@]+\/)?[^@\s"]+)@[^\n]*:\n\s+version:? "?([^"\n]+)"?/gm)) {
      if (!versions.has(m[1]!)) versions.set(m[1]!, m[2]!);
    }
    return { manager: 'yarn', file: 'yarn.lock', versions };
  }
  if (ctx.has('bun.lockb') || ctx.has('bun.lock')) return { manager: 'bun', file: ctx.has('bun.lock') ? 'bun.lock' : 'bun.lockb', versions };
  return { versions };
}
