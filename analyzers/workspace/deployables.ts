/**
 * Deployable units (the workspace analyzer's link phase). A folder whose code lives in the
 * repository and is deployed is a component, whatever its language: built by a Dockerfile, a
 * compose `build:` context or a skaffold artifact, run by a Kubernetes workload whose image one of
 * those builds, or wired to a serverless function. Then every component gets its language (by
 * file extension), its ports and its kind from how it is deployed and run (the rule, in order, is
 * in README.md). Reads the merged model only; never another analyzer's code.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import type { Component, Container, Evidence, Model, Workload } from '../../src/model/schema.js';
import { dirOf, isUnder, joinPosix } from '../../src/util/paths.js';
import { codeOnly, lineAt } from '../../src/util/text.js';
import { languageOfFile, SCRIPT_LANGUAGES } from '../../src/data/languages.js';
import { namedForTests } from '../../src/data/test-tools.js';
import { idOf, parseId } from '../../src/model/ids.js';
import { platformServer, serverStart } from './serving.js';
import { moduleNames } from './modules.js';
import { moveRootToModule } from './root-module.js';
import { GoBinaries } from './go-binaries.js';

/** Images that serve static files: a front end when the folder holds an index.html. */
const WEB_SERVER_IMAGES = ['nginx', 'httpd', 'caddy', 'lighttpd'];
/** Proxies and gateways an image may be built on. */
const PROXY_IMAGES = ['haproxy', 'traefik', 'envoy', 'openresty'];
/** Monitoring and logging tools an image may be built on (with the repository's dashboards or scrape configuration). */
const MONITORING_IMAGES = [
  'grafana',
  'prometheus',
  'alertmanager',
  'loki',
  'promtail',
  'tempo',
  'zipkin',
  'opentelemetry-collector',
  'opentelemetry-collector-contrib',
  'fluentd',
  'fluent-bit',
  'logstash',
  'kibana',
];

/** First path segments of health and monitoring endpoints. */
const PROBES = new Set([
  'health',
  'healthz',
  'healthcheck',
  'health-check',
  'ready',
  'readyz',
  'readiness',
  'live',
  'livez',
  'liveness',
  'metrics',
  'status',
  'ping',
  '_health',
]);

const SKAFFOLD = /(^|\/)skaffold\.ya?ml$/;

/** The repository of an image reference, lower-cased, without registry templating, tag or digest. */
export function imageRepository(image: string): string {
  let s = image.trim();
  // Templating (`${REPO}/`, `{{ .Values.repo }}/`) removed by plain scanning.
  for (const [open, close] of [
    ['${', '}'],
    ['{{', '}}'],
  ] as const) {
    for (let i = s.indexOf(open); i >= 0; i = s.indexOf(open)) {
      const j = s.indexOf(close, i + open.length);
      s = s.slice(0, i) + (j < 0 ? '' : s.slice(j + close.length));
    }
  }
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  return s.replace(/^\/+|\/+$/g, '').toLowerCase();
}
/** The last path segment of an image's repository (`registry/team/rs-cart:1.2` → `rs-cart`). */
export function imageName(image: string): string {
  const repo = imageRepository(image);
  return repo.slice(repo.lastIndexOf('/') + 1);
}

/** Folder names that say what a folder holds, not what it is (`src/cartservice/src`): a component is named for the folder above. */
const GENERIC_FOLDERS = new Set(['src', 'source', 'sources', 'code', 'main']);
/** The name of the nearest folder, from `folder` up, that is not a generic one. */
function meaningfulName(folder: string): string {
  const parts = folder.split('/');
  for (let i = parts.length - 1; i >= 0; i--) if (!GENERIC_FOLDERS.has(parts[i]!.toLowerCase())) return parts[i]!;
  return parts[parts.length - 1]!;
}

/**
 * Components named after their folder (`lib/services/claims/app` → `app`) that share their name
 * with another component take as many of their folders' names as tell them apart
 * (`claims/app`, `customer/app`): a reader meets eight "app" otherwise. Names a manifest declares
 * are kept.
 */
function qualifySharedNames(components: Component[], named: ReadonlySet<string>): void {
  const byName = new Map<string, Component[]>();
  for (const c of components) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const group of byName.values()) {
    const own = group.filter((c) => named.has(c.id) && c.path !== '.');
    if (group.length < 2 || own.length === 0) continue;
    const segments = (c: Component) => c.path.split('/').filter((x) => !GENERIC_FOLDERS.has(x.toLowerCase()));
    for (let depth = 2; depth <= 8; depth++) {
      const names = own.map((c) => segments(c).slice(-depth).join('/'));
      const taken = new Set(group.filter((c) => !own.includes(c)).map((c) => c.name));
      if (new Set(names).size === names.length && names.every((n) => !taken.has(n))) {
        own.forEach((c, i) => {
          c.name = names[i]!;
        });
        break;
      }
    }
  }
}

interface Unit {
  folder: string;
  /** How it is deployed, for the reason: "Dockerfile payment/Dockerfile", "compose service web". */
  how: { label: string; evidence: Evidence }[];
  containers: Container[];
  workloads: Workload[];
  /** A Dockerfile whose final image is a static web server. */
  webServer?: Evidence;
  /** Wired to a serverless function. */
  lambda?: { label: string; evidence: Evidence };
  /** A Lambda function's own code folder, named by infrastructure code: a component even inside a package. */
  lambdaCode?: boolean;
  /** The unit is one script (a Terraform Lambda's handler file), not a folder. */
  file?: boolean;
}

interface Skaffold {
  image: string;
  folder: string;
  evidence: Evidence;
}

function skaffoldArtifacts(ctx: AnalyzerContext): Skaffold[] {
  const out: Skaffold[] = [];
  for (const file of ctx.files.filter((f) => SKAFFOLD.test(f))) {
    const y = ctx.yaml(file);
    if (!y) continue;
    for (const doc of y.documents) {
      const root = y.toJS(doc) as Record<string, unknown> | undefined;
      if (!root || typeof root !== 'object') continue;
      const builds = [root.build, ...(Array.isArray(root.profiles) ? root.profiles.map((p) => (p as Record<string, unknown> | null)?.build) : [])];
      for (const build of builds) {
        const artifacts = (build as Record<string, unknown> | null | undefined)?.artifacts;
        if (!Array.isArray(artifacts)) continue;
        for (const a of artifacts as Record<string, unknown>[]) {
          if (!a || typeof a.image !== 'string') continue;
          const context = typeof a.context === 'string' ? a.context : '.';
          // Jib builds one module of a multi-module project: `jib.project` is its folder within the context.
          const jib = a.jib as Record<string, unknown> | null | undefined;
          const module = jib && typeof jib === 'object' && typeof jib.project === 'string' ? jib.project : undefined;
          const text = ctx.read(file) ?? '';
          const i = text.indexOf(a.image);
          const folder = joinPosix(dirOf(file), context);
          out.push({ image: a.image, folder: module ? joinPosix(folder, module) : folder, evidence: { file, line: i < 0 ? 1 : lineAt(text, i) } });
        }
      }
    }
  }
  return out;
}

/**
 * The Dockerfile a compose `build:` names (`<context>` or `<context> (<dockerfile>)`): its folder
 * is what the service runs — `context: .` with `dockerfile: backend/Dockerfile` runs `backend`.
 */
function composeDockerfile(build: unknown): string | undefined {
  if (typeof build !== 'string') return undefined;
  const i = build.endsWith(')') ? build.lastIndexOf(' (') : -1;
  return i > 0 ? joinPosix(build.slice(0, i), build.slice(i + 2, -1)) : joinPosix(build, 'Dockerfile');
}

/** The listening side of a port: `8080:80` → 80, `80→8080` → 8080, `8080 (http)` → 8080. */
function listeningPort(p: string): string | undefined {
  const last = p.split(/[:→]/).pop()!.trim();
  let digits = '';
  for (const ch of last) {
    if (ch < '0' || ch > '9') break;
    digits += ch;
  }
  return digits === '' || digits === '0' ? undefined : digits;
}

/**
 * Handler references in SST/CDK code: a string `path/to/module.export` (`handler: "…"`, or an
 * `api.route("GET /notes", "packages/functions/src/list.main")`) that names a source file, resolved
 * from the root or from the file. Read in SST configs and in files that use `sst.aws` or aws-cdk.
 */
/** File extensions a module specifier ends in: after the last dot they are not an export's name. */
const SPECIFIER_EXTENSIONS = new Set([
  'js',
  'mjs',
  'cjs',
  'jsx',
  'ts',
  'mts',
  'cts',
  'tsx',
  'json',
  'node',
  'html',
  'css',
  'md',
  'yml',
  'yaml',
  'svg',
  'png',
  'txt',
  'sql',
  'graphql',
  'proto',
]);

/** Folder names that hold a function's handlers: the function's unit is the folder above them. */
const HANDLER_FOLDERS = new Set(['handlers', 'handler', 'functions', 'lambdas', 'lambda', 'src']);

/** The code folder of a Lambda whose entry (a file) or asset (a folder) CDK names. */
function lambdaFolder(ctx: AnalyzerContext, target: string): string | undefined {
  const isFile = ctx.has(target);
  const isFolder = !isFile && ctx.files.some((f) => f.startsWith(target + '/'));
  if (!isFile && !isFolder) return undefined;
  let folder = isFile ? dirOf(target) : target;
  // A handlers folder is its parent's code, unless it is a workspace package of its own (then the package is the function).
  if (HANDLER_FOLDERS.has(folder.slice(folder.lastIndexOf('/') + 1).toLowerCase()) && folder !== '.' && !ctx.workspace.packages.some((p) => p.path === folder))
    folder = dirOf(folder);
  return folder === '.' ? undefined : folder;
}

/**
 * The code of Lambda functions CDK code names: `entry: \`${__dirname}/../app/handlers/x.js\``,
 * `entry: path.join(__dirname, '..', 'app', 'x.ts')`, `Code.fromAsset(path.join(__dirname, 'lambda'))`
 * or `Code.fromAsset('lambda/orders')` (relative to the app's cdk.json). Plain scanning.
 */
function cdkLambdaCode(ctx: AnalyzerContext): { folder: string; evidence: Evidence }[] {
  const out: { folder: string; evidence: Evidence }[] = [];
  const appRoots = ctx.files.filter((f) => f === 'cdk.json' || f.endsWith('/cdk.json')).map(dirOf);
  for (const file of ctx.typescriptFiles()) {
    const text = ctx.read(file);
    if (!text || !(text.includes("'aws-cdk-lib") || text.includes('"aws-cdk-lib') || text.includes("'@aws-cdk/") || text.includes('"@aws-cdk/'))) continue;
    const here = dirOf(file);
    // A path is a Lambda's code only where it is given as `entry:` or to `Code.fromAsset(`: the
    // same path.join(__dirname, …) also names Docker image assets and other files.
    const asLambda = (at: number): boolean => {
      const before = text.slice(Math.max(text.lastIndexOf('\n', at) + 1, at - 80), at);
      return before.includes('entry') || before.includes('Code.fromAsset(');
    };
    const add = (target: string, at: number) => {
      if (!asLambda(at)) return;
      const folder = lambdaFolder(ctx, target);
      if (folder && !folder.startsWith('..')) out.push({ folder, evidence: { file, line: lineAt(text, at) } });
    };
    // `${__dirname}/…` template literals.
    for (let at = text.indexOf('`${__dirname}/'); at >= 0; at = text.indexOf('`${__dirname}/', at + 1)) {
      const end = text.indexOf('`', at + 1);
      if (end < 0 || end - at > 300) continue;
      const rel = text.slice(at + '`${__dirname}/'.length, end);
      if (!rel.includes('${')) add(joinPosix(here, rel), at);
    }
    // path.join(__dirname, 'a', 'b') and path.resolve(__dirname, …): the quoted parts, up to the `)`.
    for (const opener of ['join(__dirname,', 'resolve(__dirname,']) {
      for (let at = text.indexOf(opener); at >= 0; at = text.indexOf(opener, at + 1)) {
        const close = text.indexOf(')', at);
        if (close < 0 || close - at > 300) continue;
        const parts = text
          .slice(at + opener.length, close)
          .split(',')
          .map((p) => p.trim());
        if (parts.some((p) => p.length < 2 || !((p[0] === "'" || p[0] === '"') && p[p.length - 1] === p[0]))) continue;
        add(joinPosix(here, ...parts.map((p) => p.slice(1, -1))), at);
      }
    }
    // Code.fromAsset('lambda/orders'): relative to the CDK app's root.
    for (let at = text.indexOf('fromAsset('); at >= 0; at = text.indexOf('fromAsset(', at + 1)) {
      // Lambda code (`lambda.Code.fromAsset`), not a container image (`ContainerImage.fromAsset`).
      if (text.slice(at - 5, at) !== 'Code.') continue;
      const q = text[at + 'fromAsset('.length];
      if (q !== "'" && q !== '"') continue;
      const end = text.indexOf(q, at + 'fromAsset('.length + 1);
      if (end < 0 || end - at > 300) continue;
      const rel = text.slice(at + 'fromAsset('.length + 1, end);
      const root = appRoots.filter((r) => r === '.' || isUnder(file, r)).sort((a, b) => b.length - a.length)[0] ?? '.';
      add(joinPosix(root, rel), at + 'fromAsset('.length);
    }
  }
  return out;
}

function handlerReferences(ctx: AnalyzerContext): { target: string; evidence: Evidence }[] {
  const out: { target: string; evidence: Evidence }[] = [];
  const exts = ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.mts'];
  for (const file of ctx.typescriptFiles()) {
    const text = ctx.read(file);
    if (!text) continue;
    const base = file.slice(file.lastIndexOf('/') + 1);
    // CDK or SST code: it imports their libraries or builds SST components (a file that only
    // names them in a string or a comment is not).
    const imports = (lib: string) => [`from '${lib}`, `from "${lib}`, `require('${lib}`, `require("${lib}`].some((s) => text.includes(s));
    const infra = imports('aws-cdk-lib') || imports('@aws-cdk/') || imports('sst') || text.includes('new sst.aws.');
    if (!base.startsWith('sst.config.') && !infra) continue;
    for (let i = 0; i < text.length; i++) {
      const q = text[i];
      if (q !== '"' && q !== "'" && q !== '`') continue;
      let end = i + 1;
      while (end < text.length && end - i <= 300 && text[end] !== q && text[end] !== '\n') end++;
      if (text[end] !== q) continue;
      const value = text.slice(i + 1, end);
      i = end;
      const dot = value.lastIndexOf('.');
      const exported = value.slice(dot + 1);
      // `handlers/orders.main` names an export; `./stack.js` is a module specifier, not a handler.
      if (
        dot <= 0 ||
        !value.includes('/') ||
        value.startsWith('/') ||
        exported === '' ||
        SPECIFIER_EXTENSIONS.has(exported) ||
        !/^[A-Za-z_$][\w$]{0,100}$/.test(exported)
      )
        continue;
      const module = value.slice(0, dot);
      const candidates = [module, joinPosix(dirOf(file), module)].flatMap((m) => exts.map((e) => joinPosix(m) + e));
      const target = candidates.find((c) => ctx.has(c));
      if (target) out.push({ target, evidence: { file, line: lineAt(text, i) } });
    }
  }
  return out;
}

/** Extensions of a script a Lambda handler's module can be bundled from. */
const HANDLER_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts'];

/** Whether code (comments and strings blanked) exports a function under `name`. Plain scanning. */
function exportsName(code: string, name: string): boolean {
  const ident = (ch: string | undefined) =>
    ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_' || ch === '$');
  const words = code.split(/[\s;]+/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    // `exports.handler =`, `module.exports.handler =`
    if ((w === `exports.${name}` || w === `module.exports.${name}`) && words[i + 1]?.startsWith('=')) return true;
    if (w.startsWith(`exports.${name}=`) || w.startsWith(`module.exports.${name}=`)) return true;
    if (w !== 'export') continue;
    // `export const handler`, `export async function handler(`, `export { handler }`
    let j = i + 1;
    if (words[j] === 'async') j++;
    if (words[j] === 'const' || words[j] === 'let' || words[j] === 'var' || words[j] === 'function' || words[j] === 'function*') {
      const next = words[j + 1] ?? '';
      if (next.startsWith(name) && !ident(next[name.length])) return true;
    }
  }
  // `export { main as handler }`, `export { handler }`
  for (let at = code.indexOf('export {'); at >= 0; at = code.indexOf('export {', at + 1)) {
    const end = code.indexOf('}', at);
    if (end < 0) break;
    const names = code
      .slice(at + 'export {'.length, end)
      .split(',')
      .map((p) => p.trim().split(/\s+/).pop());
    if (names.includes(name)) return true;
  }
  return false;
}

/**
 * The script a Terraform Lambda's handler (`module.export`, locals substituted by the terraform
 * analyzer) is bundled from: the one production script whose base name is the module's last
 * segment and that exports the function. Several such scripts, or none: undefined.
 */
function terraformHandlerFile(ctx: AnalyzerContext, handler: string): string | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const module = handler.slice(0, dot);
  const exported = handler.slice(dot + 1);
  const base = module.slice(module.lastIndexOf('/') + 1);
  if (base === '' || exported === '') return undefined;
  const named = ctx
    .typescriptFiles()
    .filter((f) => !f.endsWith('.d.ts') && HANDLER_EXTENSIONS.some((e) => f.slice(f.lastIndexOf('/') + 1) === base + e) && ctx.roleOf(f) === 'production');
  if (named.length !== 1) return undefined;
  const text = ctx.read(named[0]!);
  return text !== undefined && exportsName(codeOnly(text), exported) ? named[0] : undefined;
}

export function linkDeployables(model: Model, ctx: AnalyzerContext): void {
  const dep = model.deployment;
  const dataStoreFiles = new Set(model.dataStores.flatMap((s) => s.evidence.map((e) => e.file)));
  // A root with no manifest whose code is one serving module in a subfolder: the module is the
  // component, and what deploys the root deploys it.
  const moved = moveRootToModule(model, ctx);
  // A Go module's several programs: which one a Dockerfile, compose service, image or Procfile runs.
  const go = new GoBinaries(ctx);
  const units = new Map<string, Unit>();
  const unit = (at: string): Unit => {
    const folder = at === '.' && moved !== undefined ? moved : at;
    let u = units.get(folder);
    if (!u) units.set(folder, (u = { folder, how: [], containers: [], workloads: [] }));
    return u;
  };

  // Dockerfiles: the folder that holds one. A database image built from the repository (its
  // base image is a data store) and development-environment images are not the system's code.
  const dockerfileFolders = new Map<string, string>();
  const databaseFolders = new Set<string>();
  /** Folders that build a data store's or a proxy's image from the repository: infrastructure, with why. */
  const infraFolders = new Map<string, { why: string; evidence: Evidence }>();
  for (const c of dep.containers) {
    if (c.details?.source !== 'dockerfile') continue;
    const file = c.evidence[0]?.file;
    if (file && dataStoreFiles.has(file)) {
      databaseFolders.add(dirOf(file));
      const store = model.dataStores.find((d) => d.evidence.some((e) => e.file === file));
      if (store)
        infraFolders.set(dirOf(file), { why: `builds a ${store.name} image from the repository (a data store with its own files)`, evidence: c.evidence[0]! });
    }
    // A test runner's image (`Dockerfile.playwright`) deploys nothing of the system.
    if (
      !file ||
      dataStoreFiles.has(file) ||
      file.includes('.devcontainer/') ||
      file.slice(file.lastIndexOf('/') + 1).startsWith('.') ||
      namedForTests(file.slice(file.lastIndexOf('/') + 1))
    )
      continue;
    const u = unit(go.dockerfileBinary(file) ?? dirOf(file));
    u.how.push({ label: file, evidence: c.evidence[0]! });
    u.containers.push(c);
    const base = typeof c.details?.baseImage === 'string' ? imageName(c.details.baseImage) : '';
    if (WEB_SERVER_IMAGES.some((w) => base === w || base.startsWith(w + '-'))) u.webServer = c.evidence[0];
    if ([...WEB_SERVER_IMAGES, ...PROXY_IMAGES].some((w) => base === w || base.startsWith(w + '-')))
      infraFolders.set(dirOf(file), {
        why: `builds a ${base} image with its configuration (a web server or proxy, no code of its own)`,
        evidence: c.evidence[0]!,
      });
    if (MONITORING_IMAGES.some((w) => base === w || base.startsWith(w + '-')))
      infraFolders.set(dirOf(file), { why: `builds a ${base} image with its configuration (a monitoring tool, no code of its own)`, evidence: c.evidence[0]! });
    dockerfileFolders.set(dirOf(file), file);
  }

  // Images and the folder that builds them: compose `build:` + `image:`, skaffold artifacts.
  const byImage = new Map<string, string>();
  const composeByName = new Map<string, string>();
  for (const w of dep.workloads) {
    if (w.details?.source !== 'compose') continue;
    const dockerfile = composeDockerfile(w.details.build);
    if (dockerfile === undefined) continue;
    const folder = go.serviceBinary(w.name, w.evidence[0]?.file, dockerfile) ?? dirOf(dockerfile);
    // A database image seeded from the repository, or a build from set-aside code (a load
    // generator, an e2e runner): no unit of the system, and the headline rules are told so.
    if (databaseFolders.has(folder) || ctx.isSetAside(dockerfile) || namedForTests(dockerfile.slice(dockerfile.lastIndexOf('/') + 1))) {
      w.details = { ...w.details, unit: databaseFolders.has(folder) ? 'database' : 'set-aside' };
      continue;
    }
    const u = unit(folder);
    u.how.push({ label: `compose service ${w.name}`, evidence: w.evidence[0]! });
    u.workloads.push(w);
    composeByName.set(w.name, folder);
    if (typeof w.details.image === 'string' && imageName(w.details.image)) byImage.set(imageName(w.details.image), folder);
  }
  for (const c of dep.containers) {
    if (c.details?.source !== 'compose') continue;
    const dockerfile = composeDockerfile(c.details.build);
    const folder = dockerfile === undefined ? undefined : (go.serviceBinary(c.name, c.evidence[0]?.file, dockerfile) ?? dirOf(dockerfile));
    if (folder !== undefined && units.has(folder) && composeByName.get(c.name) === folder) unit(folder).containers.push(c);
  }
  for (const a of skaffoldArtifacts(ctx)) {
    if (databaseFolders.has(a.folder)) continue;
    const u = unit(a.folder);
    u.how.push({ label: `skaffold artifact ${a.image}`, evidence: a.evidence });
    byImage.set(imageName(a.image), a.folder);
  }
  // A Dockerfile folder's own name, where no two Dockerfile folders share it.
  const names = new Map<string, string[]>();
  for (const folder of dockerfileFolders.keys()) {
    if (folder === '.') continue;
    const n = folder.slice(folder.lastIndexOf('/') + 1).toLowerCase();
    names.set(n, [...(names.get(n) ?? []), folder]);
  }
  for (const [n, folders] of names) if (folders.length === 1 && !byImage.has(n)) byImage.set(n, folders[0]!);

  // Images built outside the repository's Dockerfiles and compose builds (a Maven profile, Jib, a
  // CI job): the one folder whose build file names the image (artifactId, Jib image, Go module,
  // .csproj, or the folder's own name). Two folders known by one name link neither.
  const moduleFolders = new Map<string, Set<string>>();
  for (const m of moduleNames(ctx)) moduleFolders.set(m.name, (moduleFolders.get(m.name) ?? new Set()).add(m.folder));
  for (const [name, folder] of go.names()) moduleFolders.set(name, (moduleFolders.get(name) ?? new Set()).add(folder));
  const moduleOf = (image: string): string | undefined => {
    const folders = moduleFolders.get(imageName(image));
    return folders?.size === 1 ? [...folders][0] : undefined;
  };
  /** Compose services (workloads and containers) linked to a folder by their image alone: they run that folder's component. */
  const imageLinked = new Set<string>();
  for (const w of dep.workloads) {
    if (w.details?.source !== 'compose' || w.details.build !== undefined || typeof w.details.image !== 'string') continue;
    const folder = go.serviceBinary(w.name, w.evidence[0]?.file, undefined) ?? byImage.get(imageName(w.details.image)) ?? moduleOf(w.details.image);
    if (folder === undefined || databaseFolders.has(folder)) continue;
    const u = unit(folder);
    u.how.push({ label: `compose service ${w.name}`, evidence: w.evidence[0]! });
    u.workloads.push(w);
    imageLinked.add(w.id);
    for (const c of dep.containers) {
      if (c.details?.source !== 'compose' || c.name !== w.name || c.details.build !== undefined) continue;
      u.containers.push(c);
      imageLinked.add(c.id);
    }
  }

  // Kubernetes workloads run the images those folders build (exact: the image's last segment).
  const k8sFolder = new Map<string, string>();
  for (const w of dep.workloads) {
    if (w.details?.source !== 'kubernetes' || !Array.isArray(w.details.images)) continue;
    const images = w.details.images as unknown[];
    const folder =
      images.map((i) => (typeof i === 'string' ? byImage.get(imageName(i)) : undefined)).find((f) => f !== undefined && units.has(f)) ??
      images.map((i) => (typeof i === 'string' ? moduleOf(i) : undefined)).find((f) => f !== undefined);
    if (folder === undefined || databaseFolders.has(folder)) continue;
    const u = unit(folder);
    u.how.push({ label: `${w.kind} ${w.name}`, evidence: w.evidence[0]! });
    u.workloads.push(w);
    k8sFolder.set(w.id, folder);
  }
  for (const p of go.procfileProcesses()) unit(p.folder).how.push({ label: `Procfile process ${p.name}`, evidence: p.evidence });
  for (const c of dep.containers) {
    if (c.details?.source !== 'kubernetes' || !c.image) continue;
    const folder = byImage.get(imageName(c.image)) ?? moduleOf(c.image);
    if (folder !== undefined && units.has(folder)) unit(folder).containers.push(c);
  }

  // Serverless Framework services and SAM functions: the service's folder, or the function's code.
  for (const w of dep.workloads) {
    if (w.kind !== 'Lambda function' || (w.details?.source !== 'serverless' && w.details?.source !== 'sam')) continue;
    const handlerFile = typeof w.details.handlerFile === 'string' ? w.details.handlerFile : undefined;
    const yml = w.evidence.find((e) => /(^|\/)(serverless\.(ya?ml|ts|js|cjs|mjs)|(sam-)?template\.ya?ml)$/.test(e.file));
    const folder = w.details.source === 'serverless' ? (yml ? dirOf(yml.file) : undefined) : handlerFile ? dirOf(handlerFile) : undefined;
    if (folder === undefined) continue;
    const u = unit(folder);
    u.workloads.push(w);
    u.lambda ??= { label: `${w.details.source === 'sam' ? 'SAM' : 'Serverless Framework'} function ${w.name}`, evidence: yml ?? w.evidence[0]! };
  }

  // Terraform Lambdas whose handler names one production script exporting it: that script is the
  // function's unit (bundled one file per function), a component of its own even inside a package.
  const terraformLambdas = new Set<string>();
  for (const w of dep.workloads) {
    if (w.kind !== 'Lambda function' || w.details?.source !== 'terraform' || typeof w.details.handler !== 'string') continue;
    const file = terraformHandlerFile(ctx, w.details.handler);
    if (file === undefined) continue;
    const u = unit(file);
    u.file = true;
    u.lambdaCode = true;
    u.workloads.push(w);
    u.lambda ??= { label: `Terraform Lambda function ${w.name}`, evidence: w.evidence[0]! };
    terraformLambdas.add(w.id);
  }

  // Lambda code folders that CDK code names.
  for (const r of cdkLambdaCode(ctx)) {
    const u = unit(r.folder);
    u.lambdaCode = true;
    u.lambda ??= { label: 'Lambda function defined in CDK code', evidence: r.evidence };
  }
  // Lambda functions the cdk and pulumi analyzers read whose code is a production script: that script's code folder runs them.
  const cdkLambdas = new Set<string>();
  for (const w of dep.workloads) {
    const source = w.details?.source;
    if (
      w.kind !== 'Lambda function' ||
      !(source === 'cdk' || source === 'pulumi' || source === 'sst' || source === 'cdktf' || source === 'cloudformation') ||
      typeof w.details?.handlerFile !== 'string'
    )
      continue;
    const folder = lambdaFolder(ctx, w.details.handlerFile);
    if (folder === undefined || folder.startsWith('..')) continue;
    const u = unit(folder);
    u.lambdaCode = true;
    u.workloads.push(w);
    // Where the infrastructure code defines it, not the handler's own line.
    const defined = w.evidence.find((e) => e.file !== w.details?.handlerFile) ?? w.evidence[0]!;
    u.lambda ??= {
      label: `Lambda function defined in ${source === 'cdk' ? 'CDK' : source === 'sst' ? 'SST' : source === 'cdktf' ? 'CDK for Terraform' : source === 'cloudformation' ? 'CloudFormation' : 'Pulumi'} code`,
      evidence: defined,
    };
    cdkLambdas.add(w.id);
  }

  // Which component owns a file: the deepest component folder above it.
  const byPath = new Map(model.components.map((c) => [c.path, c]));
  const ownerOf = (file: string): Component | undefined => {
    // A script that is a component of its own (a Terraform Lambda's handler) owns itself.
    const self = byPath.get(file);
    // A Go package only one program imports is that program's code.
    const program = go.attached.get(file);
    if (program !== undefined && byPath.has(program)) return byPath.get(program);
    if (self) return self;
    for (let d = dirOf(file); ; d = dirOf(d)) {
      const c = byPath.get(d);
      if (c) return c;
      if (d === '.') return undefined;
    }
  };
  const ownerCounts = (): Map<string, Map<string, number>> => {
    const counts = new Map<string, Map<string, number>>();
    for (const f of ctx.files) {
      const lang = languageOfFile(f);
      const c = lang ? ownerOf(f) : undefined;
      if (!lang || !c) continue;
      const m = counts.get(c.path) ?? new Map<string, number>();
      m.set(lang, (m.get(lang) ?? 0) + 1);
      counts.set(c.path, m);
    }
    return counts;
  };

  // New components: each deployed folder with code of its own (not a deeper component's).
  const added = new Set<string>();
  const infraAdded = new Set<string>();
  for (const folder of [...units.keys()].sort((a, b) => b.split('/').length - a.split('/').length || compareStrings(a, b))) {
    if (byPath.has(folder)) continue;
    // The one deployed program of a Go module is the module's unit, as a module with one program is.
    if (go.deployedAlone(folder, units)) continue;
    // The root of a repository that has components already builds one of them (or all): not one more.
    if (folder === '.' && model.components.length > 0) continue;
    // Code of its own: a file in a programming language with no deeper component between. Inside
    // a package, only code in another language than the package's (a package is not split).
    const within = ownerOf(folder + '/x');
    const own = ctx.files.filter((f) => isUnder(f, folder) && languageOfFile(f) !== undefined && ownerOf(f) === within);
    const u0 = units.get(folder)!;
    // A Lambda's code folder is split off the repository's root package (one CDK app deploying
    // many functions), never off a package of its own (that package is the function).
    const split = u0.lambdaCode && within?.path === '.';
    const foreign = within && !split ? own.filter((f) => !SCRIPT_LANGUAGES.has(languageOfFile(f)!)) : own;
    if (foreign.length === 0) continue;
    const u = units.get(folder)!;
    const last = folder.slice(folder.lastIndexOf('/') + 1);
    const name = folder === '.' ? model.system.name : u.file && last.includes('.') ? last.slice(0, last.lastIndexOf('.')) : meaningfulName(folder);
    const c: Component = {
      id: idOf.component(folder),
      name,
      kind: 'library',
      path: folder,
      tech: [],
      dependsOn: go.dependsOn(folder, (m) => byPath.get(m)?.id),
      evidence: [u.how[0]?.evidence ?? u.lambda!.evidence, ...go.mainOf(folder)],
    };
    model.components.push(c);
    byPath.set(folder, c);
    added.add(c.id);
  }
  // Under a root with no manifest (the repository's own code, not a package's): a folder with a
  // build file in another language whose code starts a server is a unit of code of its own, even
  // where nothing in the repository deploys it (a script copies it to a virtual machine).
  const bareRoot = byPath.get('.');
  const rootPackage = ctx.workspace.packages.find((p) => p.path === '.');
  if (bareRoot && rootPackage && !rootPackage.manifestFile && !rootPackage.projectFile) {
    const modules = new Map<string, Evidence>();
    for (const m of moduleNames(ctx)) if (m.folder !== '.' && !modules.has(m.folder)) modules.set(m.folder, { file: m.evidence.file, line: 1 });
    for (const [folder, evidence] of [...modules].sort((a, b) => compareStrings(a[0], b[0]))) {
      if (byPath.has(folder) || ownerOf(folder + '/x') !== bareRoot) continue;
      const own = ctx.files.filter((f) => {
        const lang = isUnder(f, folder) ? languageOfFile(f) : undefined;
        return lang !== undefined && !SCRIPT_LANGUAGES.has(lang) && !ctx.isSetAside(f) && ownerOf(f) === bareRoot;
      });
      if (own.length === 0 || serverStart(ctx, folder, own) === undefined) continue;
      const c: Component = {
        id: idOf.component(folder),
        name: meaningfulName(folder),
        kind: 'library',
        path: folder,
        tech: [],
        dependsOn: [],
        evidence: [evidence],
      };
      model.components.push(c);
      byPath.set(folder, c);
      added.add(c.id);
    }
  }
  // Folders that build a data store's or a proxy's image and hold no code: infrastructure the
  // repository deploys (a database seeded with its scripts, a reverse proxy's configuration).
  // Deployable, but no unit of the system's own code (see the headline rules).
  for (const [folder, infra] of [...infraFolders].sort((a, b) => compareStrings(a[0], b[0]))) {
    if (folder === '.' || byPath.has(folder)) continue;
    const within = ownerOf(folder + '/x');
    if (within && within.path !== '.') continue;
    if (ctx.files.some((f) => isUnder(f, folder) && ownerOf(f) === within && (languageOfFile(f) !== undefined || f.endsWith('/index.html')))) continue;
    const c: Component = {
      id: idOf.component(folder),
      name: folder.slice(folder.lastIndexOf('/') + 1),
      kind: 'infrastructure',
      kindReason: infra.why,
      path: folder,
      tech: [],
      dependsOn: [],
      evidence: [infra.evidence],
    };
    model.components.push(c);
    byPath.set(folder, c);
    added.add(c.id);
    infraAdded.add(c.id);
  }
  if (added.size > 0) {
    qualifySharedNames(model.components, added);
    model.components.sort((a, b) => compareStrings(a.id, b.id));
    // Facts whose evidence lies in a new component's folder belong to it.
    const reassign = (facts: { component?: string; evidence: Evidence[] }[]) => {
      for (const f of facts) {
        const first = f.evidence[0];
        const owner = first ? ownerOf(first.file) : undefined;
        if (owner && added.has(owner.id)) f.component = owner.id;
      }
    };
    reassign(model.endpoints);
    reassign(model.schemas);
    reassign(dep.containers);
    reassign(dep.workloads);
    reassign(model.observability);
    reassign(model.security);
  }

  // Units without a component of their own serve the component that owns their folder.
  const unitsOf = new Map<string, Unit[]>();
  for (const u of units.values()) {
    const c = byPath.get(u.folder) ?? ownerOf(u.folder + '/x');
    // A folder without code at the root of a monorepo says nothing of which package it deploys.
    if (!c || (c.path !== u.folder && c.path === '.' && model.components.length > 1)) continue;
    unitsOf.set(c.id, [...(unitsOf.get(c.id) ?? []), u]);
    // What runs a Go program runs its component, wherever the Dockerfile or compose file lies.
    const program = go.mainOf(c.path).length > 0 && added.has(c.id);
    for (const w of u.workloads)
      if (program || k8sFolder.has(w.id) || terraformLambdas.has(w.id) || cdkLambdas.has(w.id) || imageLinked.has(w.id) || w.component === undefined)
        w.component = c.id;
    for (const x of u.containers) if (program || x.component === undefined || x.details?.source === 'kubernetes' || imageLinked.has(x.id)) x.component = c.id;
  }

  // A compose healthcheck belongs to the component its service runs.
  const linkedService = new Map(dep.workloads.filter((w) => imageLinked.has(w.id) && w.component).map((w) => [w.name, w.component!]));
  for (const o of model.observability) {
    const service = o.details?.service;
    if (o.tech === 'docker-compose' && typeof service === 'string' && linkedService.has(service)) o.component = linkedService.get(service);
  }

  // Queues a Terraform event source mapping feeds to a Lambda whose handler is a component: it consumes them.
  for (const w of dep.workloads) {
    if (!terraformLambdas.has(w.id) || !w.component || typeof w.details?.resource !== 'string') continue;
    const root = dirOf(w.evidence[0]!.file);
    for (const i of model.infrastructure) {
      const refs = i.type === 'aws_lambda_event_source_mapping' && i.details?.root === root && Array.isArray(i.details.references) ? i.details.references : [];
      if (!refs.includes(w.details.resource)) continue;
      for (const q of model.queues) {
        const by = Array.isArray(q.details?.provisionedBy) ? q.details.provisionedBy : [];
        if (!by.some((a) => refs.includes(a)) || !q.evidence.some((e) => dirOf(e.file) === root) || q.consumers.includes(w.component)) continue;
        q.consumers = [...q.consumers, w.component].sort(compareStrings);
      }
    }
  }

  // Services in front of workloads: every selector label is one of the workload's pod labels.
  const services = model.infrastructure.filter((i) => i.type === 'Service' && i.source === 'kubernetes' && Array.isArray(i.details?.selector));
  const fronting = (w: Workload) =>
    services.filter((s) => {
      const labels = Array.isArray(w.details?.podLabels) ? w.details.podLabels : [];
      const sel = s.details!.selector as string[];
      return sel.length > 0 && sel.every((l) => labels.includes(l)) && s.details?.namespace === w.details?.namespace;
    });

  // Handler references in SST/CDK code.
  const wired = new Map<string, Evidence>();
  for (const r of handlerReferences(ctx)) {
    const c = ownerOf(r.target);
    if (c && !wired.has(c.id)) wired.set(c.id, r.evidence);
  }
  // A queue's consumers as its consumer sites' owners now (a program's folder may have become a component of its own here).
  const siteOwners = (q: Model['queues'][number]): string[] => {
    const sites = Array.isArray(q.details?.consumerSites) ? q.details.consumerSites.filter((x): x is string => typeof x === 'string') : [];
    if (sites.length === 0) return q.consumers;
    return sites.flatMap((at) => ownerOf(at.slice(0, at.lastIndexOf(':')))?.id ?? []);
  };
  const consumers = new Set([...model.queues.flatMap(siteOwners), ...model.components.filter((c) => c.details?.consumes !== undefined).map((c) => c.id)]);
  // Whether every endpoint of a component is a probe: health, readiness, liveness, metrics, status or the root.
  const onlyProbes = (id: string) => {
    const own = model.endpoints.filter((e) => e.component === id);
    // No endpoint found says nothing (routes archdoc does not read): only probes found decide.
    return (
      own.length > 0 &&
      own.every((e) => {
        if (e.protocol !== 'http') return false;
        const first = e.path.split('/').filter(Boolean)[0]?.toLowerCase() ?? '';
        return first === '' || PROBES.has(first);
      })
    );
  };

  // Code in other languages than TypeScript or JavaScript, per owning component: a server started
  // there, or HTTP routes declared there, make a unit that says nothing else a service.
  const foreignFiles = new Map<string, string[]>();
  for (const f of ctx.files) {
    const lang = languageOfFile(f);
    if (!lang || SCRIPT_LANGUAGES.has(lang) || ctx.isSetAside(f)) continue;
    const c = ownerOf(f);
    if (!c) continue;
    const list = foreignFiles.get(c.id);
    if (list) list.push(f);
    else foreignFiles.set(c.id, [f]);
  }
  const foreignRoutes = new Map<string, Model['endpoints']>();
  for (const e of model.endpoints) {
    const lang = e.evidence[0] ? languageOfFile(e.evidence[0].file) : undefined;
    if (e.source !== 'code' || e.protocol !== 'http' || !e.component || !lang || SCRIPT_LANGUAGES.has(lang)) continue;
    const list = foreignRoutes.get(e.component);
    if (list) list.push(e);
    else foreignRoutes.set(e.component, [e]);
  }
  let start: ReturnType<typeof serverStart>;
  let goKind: ReturnType<GoBinaries['kind']>;

  const counts = ownerCounts();
  for (const c of model.components) {
    const langs = [...(counts.get(c.path) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]));
    if (langs.length > 0) {
      const top = langs.filter(([, n]) => n === langs[0]![1]).map(([l]) => l);
      c.language = top.join(' and ');
    }
    const us = unitsOf.get(c.id) ?? [];
    const ports = new Set<string>();
    const portEvidence: Evidence[] = [];
    for (const u of us) {
      for (const x of u.containers) {
        for (const p of x.ports) {
          const lp = listeningPort(p);
          if (lp) {
            ports.add(lp);
            portEvidence.push(x.evidence[0]!);
          }
        }
      }
      for (const w of u.workloads) {
        for (const s of fronting(w)) {
          for (const p of Array.isArray(s.details?.ports) ? (s.details.ports as string[]) : []) {
            const lp = listeningPort(p);
            if (lp) {
              ports.add(lp);
              portEvidence.push(s.evidence[0]!);
            }
          }
        }
      }
    }
    const sortedPorts = [...ports].sort((a, b) => Number(a) - Number(b));
    if (sortedPorts.length > 0 || us.length > 0) {
      c.details = { ...(c.details ?? {}) };
      if (sortedPorts.length > 0) c.details.ports = sortedPorts;
      const how = sortedUnique(us.flatMap((u) => u.how.map((h) => h.label)));
      if (how.length > 0) c.details.deployedBy = how;
    }
    const set = (kind: Component['kind'], why: string, evidence: Evidence | undefined) => {
      c.kind = kind;
      c.kindReason = why;
      if (evidence && !c.evidence.some((e) => e.file === evidence.file && e.line === evidence.line)) c.evidence.push(evidence);
    };
    if (infraAdded.has(c.id)) continue;
    const isNew = added.has(c.id);
    // A CDK app whose Lambda code folders are components of their own is the infrastructure that deploys them.
    if (c.kind === 'function' && c.kindReason === 'a CDK app that defines Lambda functions') {
      const split = [...added]
        .map((id) => parseId(id)!.key)
        .filter((path) => path.startsWith(c.path === '.' ? '' : c.path + '/') && units.get(path)?.lambdaCode);
      if (split.length > 0)
        set(
          'infrastructure',
          `a CDK app whose ${split.length === 1 ? 'Lambda function is a component' : `${split.length} Lambda functions are components`} of its own`,
          undefined,
        );
    }
    // A library whose exported handler (its kind's evidence) is now a Terraform Lambda's own component.
    const first = c.evidence[0];
    const movedTo = c.kind === 'library' && first ? ownerOf(first.file) : undefined;
    if (movedTo && movedTo.id !== c.id && added.has(movedTo.id) && units.get(movedTo.path)?.file) {
      const split = [...added].map((id) => parseId(id)!.key).filter((path) => units.get(path)?.file && isUnder(path, c.path));
      c.evidence = c.evidence.filter((e) => ownerOf(e.file)?.id === c.id);
      if (c.evidence.length === 0) c.evidence = [movedTo.evidence[0]!];
      set('library', `its Lambda handler${split.length === 1 ? ' is a component of its own' : `s (${split.length}) are components of their own`}`, undefined);
    }
    const lambda = us.find((u) => u.lambda)?.lambda;
    const web = us.find((u) => u.webServer)?.webServer;
    const deployed = us.flatMap((u) => u.how)[0];
    const run = us.flatMap((u) => u.workloads).find((w) => w.kind !== 'Lambda function');
    const hasIndexHtml = () => ctx.files.some((f) => f.endsWith('/index.html') && ownerOf(f)?.id === c.id) || (c.path === '.' && ctx.has('index.html'));
    if (lambda && c.kind !== 'function') set('function', `deployed as a ${lambda.label}`, lambda.evidence);
    else if (wired.has(c.id) && c.kind !== 'function') set('function', 'its handler is wired to a function by infrastructure code', wired.get(c.id));
    else if (c.kind === 'service' && consumers.has(c.id) && onlyProbes(c.id)) {
      const probes = sortedUnique(model.endpoints.filter((e) => e.component === c.id).map((e) => e.path));
      const at = typeof c.details?.consumesAt === 'string' ? c.details.consumesAt : '';
      const colon = at.lastIndexOf(':');
      const queue =
        colon > 0 ? { file: at.slice(0, colon), line: Number(at.slice(colon + 1)) } : model.queues.find((q) => q.consumers.includes(c.id))?.evidence[0];
      set('worker', `consumes a queue; its HTTP server serves only health checks (${probes.join(', ')})`, queue);
    } else if (web && hasIndexHtml() && c.kind !== 'function') set('frontend', 'static files served by a web-server image', web);
    else if ((isNew || c.kind === 'library') && (start = platformServer(ctx, c.path)) !== undefined) set('infrastructure', start.why, start.evidence);
    else if ((isNew || c.kind === 'library') && (start = serverStart(ctx, c.path, foreignFiles.get(c.id) ?? [])) !== undefined)
      set('service', start.why, start.evidence);
    else if ((isNew || c.kind === 'library') && foreignRoutes.has(c.id)) {
      const routes = foreignRoutes.get(c.id)!;
      const frameworks = sortedUnique(routes.map((e) => String(e.details?.framework ?? '')).filter((f) => f !== ''));
      set(
        'service',
        `serves ${routes.length} HTTP route${routes.length === 1 ? '' : 's'} declared in its ${languageOfFile(routes[0]!.evidence[0]!.file)} code${frameworks.length > 0 ? ` (${frameworks.join(', ')})` : ''}`,
        routes[0]!.evidence[0],
      );
    } else if (
      (goKind = go.kind(c, {
        isNew,
        deployed: us.length > 0,
        ports: sortedPorts.length > 0,
        runBy: us.flatMap((u) => u.workloads.map((w) => w.kind)),
        files: foreignFiles.get(c.id) ?? [],
        isComponent: (f) => byPath.has(f),
      })) !== undefined
    )
      set(goKind.kind, goKind.why, goKind.evidence);
    else if (
      sortedPorts.length > 0 &&
      (isNew || c.kind === 'library' || c.kind === 'cli') &&
      consumers.has(c.id) &&
      (foreignFiles.get(c.id) ?? []).some((f) => f.endsWith('.go'))
    ) {
      // Go code that consumes a queue and starts no server (serverStart reads Go's): the port its deployment declares serves nothing.
      const q = model.queues.find((x) => siteOwners(x).includes(c.id));
      const site = Array.isArray(q?.details?.consumerSites)
        ? q.details.consumerSites.find((at) => typeof at === 'string' && ownerOf(at.slice(0, at.lastIndexOf(':')))?.id === c.id)
        : undefined;
      const colon = typeof site === 'string' ? site.lastIndexOf(':') : -1;
      set(
        'worker',
        `consumes a queue and starts no server (the port${sortedPorts.length === 1 ? '' : 's'} its deployment declares, ${sortedPorts.join(', ')}, ${sortedPorts.length === 1 ? 'serves' : 'serve'} nothing found in its code)`,
        colon > 0 ? { file: (site as string).slice(0, colon), line: Number((site as string).slice(colon + 1)) } : q?.evidence[0],
      );
    } else if (sortedPorts.length > 0 && (isNew || c.kind === 'library' || c.kind === 'cli'))
      set('service', `deployed with port${sortedPorts.length === 1 ? '' : 's'} ${sortedPorts.join(', ')}`, portEvidence[0]);
    else if (consumers.has(c.id) && c.kind === 'library')
      set('worker', 'consumes a queue and has no listener', model.queues.find((q) => q.consumers.includes(c.id))?.evidence[0]);
    else if (run && (isNew || c.kind === 'library')) set('worker', `run by ${run.kind} ${run.name} with no port, Service or listener found`, run.evidence[0]);
    else if (deployed && isNew) set('worker', `built by ${deployed.label} with no port, Service or listener found`, deployed.evidence);
    else if (isNew) set('library', 'no deployment evidence of a running process', undefined);
    if (c.details?.consumes !== undefined) {
      delete c.details.consumes;
      delete c.details.consumesAt;
      if (Object.keys(c.details).length === 0) delete c.details;
    }
  }
}
