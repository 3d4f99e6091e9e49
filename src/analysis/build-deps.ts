/**
 * Direct runtime dependencies declared in other languages' build files: go.mod `require` lines,
 * requirements*.txt (and the per-environment files of a requirements/ folder), pyproject.toml, Pipfile, pom.xml `<dependency>`, build.gradle(.kts),
 * *.csproj `<PackageReference>` and composer.json `require`. Test, development and indirect
 * dependencies are left out (a library only tests or tools use is not the system's): go.mod lines
 * marked `// indirect`, requirements files named for dev/test (or local, in a requirements/ folder), Pipfile `[dev-packages]`, Poetry dev
 * groups, Maven `<scope>test</scope>`, Gradle `test*`/`androidTest*` configurations, composer
 * `require-dev`. Read line by line with fixed-shape patterns (no backtracking over file text).
 */

/** One declared dependency: its name as the ecosystem writes it, and the line (1-based) that declares it. */
export interface BuildDep {
  name: string;
  line: number;
  ecosystem: 'go' | 'python' | 'maven' | 'nuget' | 'composer' | 'rubygems';
  /** The version or range the build file states literally (a Maven `${property}` resolved from the same file's `<properties>`); absent otherwise. */
  version?: string;
}

/** A version string as written, when it is short and states one (not `*`, not a variable). */
function literalVersion(v: string | undefined): string | undefined {
  const t = v?.trim();
  if (!t || t === '*' || t.length > 40 || t.includes('$') || t.includes('{')) return undefined;
  return t;
}

/** Which reader a file needs, from its name; undefined for files that declare no dependencies. */
export function buildFileKind(
  file: string,
): 'gomod' | 'requirements' | 'pyproject' | 'pipfile' | 'pom' | 'gradle' | 'csproj' | 'composer' | 'gemfile' | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (base === 'go.mod') return 'gomod';
  if (/^requirements[\w.-]*\.(txt|in)$/.test(base)) return /dev|test|lint|doc|ci/i.test(base) ? undefined : 'requirements';
  // A requirements/ folder of per-environment files (base.txt, production.txt; local.txt is the developer's).
  if (/(^|\/)requirements\/[\w.-]+\.(txt|in)$/.test(file)) return /dev|test|lint|doc|ci|local/i.test(base) ? undefined : 'requirements';
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'Pipfile') return 'pipfile';
  if (base === 'pom.xml') return 'pom';
  if (base === 'build.gradle' || base === 'build.gradle.kts') return 'gradle';
  if (base.endsWith('.csproj')) return 'csproj';
  if (base === 'composer.json') return 'composer';
  if (base === 'Gemfile') return 'gemfile';
  return undefined;
}

/** A Python requirement's distribution name, lower-cased with `_`/`.` as `-` (PEP 503). */
function pyName(spec: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  return m ? m[1]!.toLowerCase().replace(/[._]+/g, '-') : undefined;
}

/** The version specifier of a requirement (`fastapi[all]>=0.110,<1 ; python_version>"3"` → `>=0.110,<1`). */
function pySpec(spec: string): string | undefined {
  let rest = spec.replace(/^\s*[A-Za-z0-9][A-Za-z0-9._-]*/, '');
  for (const stop of [';', '#', '"', "'"]) {
    const at = rest.indexOf(stop);
    if (at >= 0) rest = rest.slice(0, at);
  }
  if (rest.trimStart().startsWith('[')) rest = rest.slice(rest.indexOf(']') + 1);
  const v = rest.replace(/\s+/g, '');
  return v.startsWith('==') ? literalVersion(v.slice(2)) : literalVersion(v);
}

function goMod(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  let block = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (block && line.startsWith(')')) block = false;
    else if (line.startsWith('require (') || line === 'require(') block = true;
    else if (block || line.startsWith('require ')) {
      if (line.includes('// indirect')) return;
      const m = /^(?:require\s+)?([\w.~/-]+)\s+(v[\w.+-]*)/.exec(line);
      if (m) out.push({ name: m[1]!, line: i + 1, ecosystem: 'go', version: m[2] });
    }
  });
  return out;
}

/**
 * Whether pip-compile wrote that the requirement at line `i` is there only because other packages
 * need it: its `# via` names packages, not a `-r requirements.in` or `-c` input file.
 */
function transitive(lines: string[], i: number): boolean {
  const own = lines[i]!;
  const inline = own.indexOf('# via ');
  if (inline >= 0)
    return !own
      .slice(inline + 6)
      .trim()
      .startsWith('-');
  const next = lines[i + 1]?.trim() ?? '';
  // One package on the next line (`    # via langchain-postgres`), or several on the lines after a bare `# via`.
  if (next.startsWith('# via ')) return !next.slice(6).trim().startsWith('-');
  if (next !== '# via') return false;
  for (let j = i + 2; j < lines.length && lines[j]!.trim().startsWith('#'); j++) {
    if (lines[j]!.trim().replace(/^#\s*/, '').startsWith('-')) return false;
  }
  return true;
}

function requirements(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('-') || transitive(lines, i)) return;
    const n = pyName(line);
    if (n) out.push(withVersion({ name: n, line: i + 1, ecosystem: 'python' }, pySpec(line)));
  });
  return out;
}

function withVersion(dep: BuildDep, version: string | undefined): BuildDep {
  if (version) dep.version = version;
  return dep;
}

/** pyproject.toml: PEP 621 `dependencies = [...]` and Poetry `[tool.poetry.dependencies]`; dev groups and optional extras left out. */
function pyproject(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  let table = '';
  let inList = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('[')) {
      table = line;
      inList = false;
      return;
    }
    if (table === '[project]' && /^dependencies\s*=\s*\[/.test(line)) {
      inList = !line.includes(']');
      for (const q of line.slice(line.indexOf('[') + 1).split(',')) {
        const n = pyName(q.replace(/^\s*["']/, ''));
        if (n && /["']/.test(q)) out.push(withVersion({ name: n, line: i + 1, ecosystem: 'python' }, pySpec(q.replace(/^\s*["']/, ''))));
      }
      return;
    }
    if (inList) {
      if (line.startsWith(']')) inList = false;
      else if (/^["']/.test(line)) {
        const n = pyName(line.slice(1));
        if (n) out.push(withVersion({ name: n, line: i + 1, ecosystem: 'python' }, pySpec(line.slice(1))));
      }
      return;
    }
    if (table === '[tool.poetry.dependencies]') {
      const n = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=/.exec(line)?.[1];
      if (n && n.toLowerCase() !== 'python') out.push(withVersion({ name: pyName(n)!, line: i + 1, ecosystem: 'python' }, tomlVersion(line)));
    }
  });
  return out;
}

/** A TOML dependency line's version: `x = "^1.2"` or `x = { version = "^1.2", … }`. */
function tomlVersion(line: string): string | undefined {
  const eq = line.indexOf('=');
  let rest = line.slice(eq + 1).trim();
  if (rest.startsWith('{')) {
    const at = rest.indexOf('version');
    if (at < 0) return undefined;
    rest = rest.slice(rest.indexOf('=', at) + 1).trim();
  }
  const q = rest[0];
  if (q !== '"' && q !== "'") return undefined;
  const end = rest.indexOf(q, 1);
  return end > 0 ? literalVersion(rest.slice(1, end)) : undefined;
}

function pipfile(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  let table = '';
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('[')) table = line;
    else if (table === '[packages]') {
      const n = /^["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=/.exec(line)?.[1];
      if (n) out.push(withVersion({ name: pyName(n)!, line: i + 1, ecosystem: 'python' }, tomlVersion(line)));
    }
  });
  return out;
}

/** pom.xml `<dependency>` blocks: `groupId:artifactId`, at the artifactId's line; test and provided scopes left out. */
function pom(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  const props = pomProperties(lines);
  let dep: { group?: string; artifact?: string; line: number; scope?: string; version?: string } | undefined;
  let managed = 0;
  let excluded = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    // `<dependencyManagement>` only pins versions: nothing there is a dependency of the module.
    if (line.startsWith('<dependencyManagement>')) managed++;
    if (line.startsWith('</dependencyManagement>')) managed = Math.max(0, managed - 1);
    if (line.startsWith('<dependency>')) dep = { line: i + 1 };
    if (!dep) return;
    // `<exclusions>` name what the dependency must NOT bring in.
    if (line.startsWith('<exclusions>')) excluded = true;
    if (line.startsWith('</exclusions>')) excluded = false;
    if (excluded) return;
    const tag = /^<(groupId|artifactId|scope|version)>\s*([^<\s]+)\s*<\//.exec(line.replace(/^<dependency>/, ''));
    if (tag) {
      if (tag[1] === 'groupId') dep.group = tag[2];
      else if (tag[1] === 'artifactId') {
        dep.artifact = tag[2];
        dep.line = i + 1;
      } else if (tag[1] === 'version') dep.version = resolveProperty(tag[2]!, props);
      else dep.scope = tag[2];
    }
    if (line.includes('</dependency>')) {
      if (!managed && dep.artifact && dep.scope !== 'test' && dep.scope !== 'provided')
        out.push(withVersion({ name: `${dep.group ?? ''}:${dep.artifact}`, line: dep.line, ecosystem: 'maven' }, literalVersion(dep.version)));
      dep = undefined;
    }
  });
  return out;
}

/** `<properties>` of a pom: `<mapstruct.version>1.6.3</mapstruct.version>` → mapstruct.version = 1.6.3. */
function pomProperties(lines: string[]): Map<string, string> {
  const props = new Map<string, string>();
  let inside = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('<properties>')) inside = true;
    else if (line.startsWith('</properties>')) inside = false;
    else if (inside) {
      const m = /^<([\w.-]+)>([^<]*)<\/([\w.-]+)>/.exec(line);
      if (m && m[1] === m[3]) props.set(m[1]!, m[2]!.trim());
    }
  }
  return props;
}

/** `${name}` from the pom's own properties; any other value as written. */
function resolveProperty(value: string, props: Map<string, string>): string | undefined {
  if (!value.startsWith('${')) return value;
  return props.get(value.slice(2, value.indexOf('}') > 0 ? value.indexOf('}') : undefined));
}

/**
 * build.gradle(.kts): `implementation("g:a:v")`, `api 'g:a'`, `runtimeOnly(…)`, and the further
 * coordinates of a Groovy list continued on the next lines (`implementation "g:a:v",` then
 * `"g:b:v"`); test configurations left out.
 */
function gradle(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  let continued = false;
  lines.forEach((raw, i) => {
    const m = /^\s*(implementation|api|compile|runtimeOnly|runtime)\s*(?:\(\s*)?(?:platform\s*\(\s*)?["']([\w.-]+):([\w.-]+)(?::([^"':]+))?/.exec(raw);
    const next = !m && continued ? /^\s*["']([\w.-]+):([\w.-]+)(?::([^"':]+))?/.exec(raw) : null;
    if (m) out.push(withVersion({ name: `${m[2]}:${m[3]}`, line: i + 1, ecosystem: 'maven' }, literalVersion(m[4])));
    else if (next) out.push(withVersion({ name: `${next[1]}:${next[2]}`, line: i + 1, ecosystem: 'maven' }, literalVersion(next[3])));
    continued = (m !== null || next !== null) && raw.trimEnd().endsWith(',');
  });
  return out;
}

function csproj(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  lines.forEach((raw, i) => {
    const m = /<PackageReference\s+Include\s*=\s*"([^"]+)"/i.exec(raw);
    if (m) out.push(withVersion({ name: m[1]!, line: i + 1, ecosystem: 'nuget' }, literalVersion(/\sVersion\s*=\s*"([^"]*)"/i.exec(raw)?.[1])));
  });
  return out;
}

/** composer.json `require` (not `require-dev`), at each key's line. */
function composer(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  let inRequire = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (/^"require"\s*:\s*\{/.test(line)) inRequire = !line.includes('}');
    else if (inRequire) {
      if (line.startsWith('}')) inRequire = false;
      else {
        const m = /^"([\w.-]+\/[\w.-]+)"\s*:\s*"([^"]*)"/.exec(line) ?? /^"([\w.-]+\/[\w.-]+)"\s*:/.exec(line);
        if (m) out.push(withVersion({ name: m[1]!.toLowerCase(), line: i + 1, ecosystem: 'composer' }, literalVersion(m[2])));
      }
    }
  });
  return out;
}

/**
 * Gemfile `gem 'name', '~> 7.1'` lines, outside `group :development`/`:test` blocks and without a
 * `group:` option naming only those.
 */
function gemfile(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  /** For each open `do` block, whether it is a development or test group. */
  const blocks: boolean[] = [];
  const devOnly = (groups: string) =>
    groups
      .split(',')
      .map((g) => g.trim().replace(/^:/, '').replace(/["']/g, ''))
      .every((g) => g === 'development' || g === 'test');
  lines.forEach((raw, i) => {
    // One space between words, so that no pattern below meets a run of blanks.
    const line = raw.trim().replace(/\s+/g, ' ');
    if (line.startsWith('#')) return;
    const pipe = line.endsWith('|') ? line.lastIndexOf('|', line.length - 2) : -1;
    const head = (pipe > 0 ? line.slice(0, pipe) : line).trimEnd();
    if (head === 'do' || head.endsWith(' do') || head.endsWith(')do')) {
      const groups = head.startsWith('group ') || head.startsWith('group(') ? head.slice(5, -2).replace(/[()]/g, '') : undefined;
      blocks.push(groups !== undefined && devOnly(groups));
      return;
    }
    if (line === 'end' || line.startsWith('end ')) {
      blocks.pop();
      return;
    }
    if (blocks.some(Boolean)) return;
    const m = /^gem ?\(? ?["']([\w.-]+)["'] ?(?:, ?["']([^"']+)["'])?/.exec(line);
    if (!m) return;
    const opt = /groups?: ?|:groups? ?=> ?/.exec(line);
    if (opt) {
      const rest = line.slice(opt.index + opt[0].length);
      const list = rest.startsWith('[') ? rest.slice(1, rest.indexOf(']') > 0 ? rest.indexOf(']') : undefined) : rest.split(',')[0]!;
      if (devOnly(list)) return;
    }
    out.push(withVersion({ name: m[1]!.toLowerCase(), line: i + 1, ecosystem: 'rubygems' }, literalVersion(m[2])));
  });
  return out;
}

/** The direct runtime dependencies a build file declares (none for a file no reader knows). */
export function buildDependencies(file: string, text: string): BuildDep[] {
  const kind = buildFileKind(file);
  if (!kind) return [];
  const lines = text.split('\n');
  switch (kind) {
    case 'gomod':
      return goMod(lines);
    case 'requirements':
      return requirements(lines);
    case 'pyproject':
      return pyproject(lines);
    case 'pipfile':
      return pipfile(lines);
    case 'pom':
      return pom(lines);
    case 'gradle':
      return gradle(lines);
    case 'csproj':
      return csproj(lines);
    case 'composer':
      return composer(lines);
    case 'gemfile':
      return gemfile(lines);
  }
}
