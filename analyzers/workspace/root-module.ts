/**
 * A repository with no package.json, whose one component is therefore its root, but whose code is
 * one module in a subfolder (`src/Conduit/Conduit.csproj` beside a build script project and
 * tests): the component is that module's folder, the one with a build file whose code starts a
 * server. Run before the deployable units, so the root's Dockerfile and compose service deploy it.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { sortedUnique } from '../../src/model/compare.js';
import type { Model } from '../../src/model/schema.js';
import { idOf } from '../../src/model/ids.js';
import { isUnder } from '../../src/util/paths.js';
import { languageOfFile, SCRIPT_LANGUAGES } from '../../src/data/languages.js';
import { moduleNames } from './modules.js';
import { serverStart } from './serving.js';

/** Every string equal to `from` anywhere in `value` (arrays and plain objects) replaced by `to`. */
function repoint(value: unknown, from: string, to: string): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (value[i] === from) value[i] = to;
      else repoint(value[i], from, to);
    }
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (o[k] === from) o[k] = to;
      else repoint(o[k], from, to);
    }
  }
}

/** Moves the root component to its serving module's folder when the rule above holds; returns the new path. */
export function moveRootToModule(model: Model, ctx: AnalyzerContext): string | undefined {
  const root = ctx.workspace.packages.find((p) => p.path === '.');
  if (model.components.length !== 1 || model.components[0]!.path !== '.' || !root || root.manifestFile || root.projectFile) return undefined;
  const folders = sortedUnique(moduleNames(ctx).map((m) => m.folder));
  // A build file at the root makes the root the module.
  if (folders.includes('.')) return undefined;
  const code = ctx.files.filter((f) => {
    const lang = languageOfFile(f);
    return lang !== undefined && !SCRIPT_LANGUAGES.has(lang) && !ctx.isSetAside(f) && ctx.roleOf(f) === 'production';
  });
  const serving = folders.filter((folder) => {
    // The module's own files: not a deeper module's.
    const own = code.filter((f) => isUnder(f, folder) && !folders.some((o) => o !== folder && isUnder(o, folder) && isUnder(f, o)));
    return own.length > 0 && serverStart(ctx, folder, own) !== undefined;
  });
  if (serving.length !== 1) return undefined;
  const folder = serving[0]!;
  const c = model.components[0]!;
  const from = c.id;
  const to = idOf.component(folder);
  repoint(model, from, to);
  c.path = folder;
  c.name = folder.slice(folder.lastIndexOf('/') + 1);
  return folder;
}
