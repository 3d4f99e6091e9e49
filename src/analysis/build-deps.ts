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
  ecosystem: 'go' | 'python' | 'maven' | 'nuget' | 'composer';
}

/** Which reader a file needs, from its name; undefined for files that declare no dependencies. */
export function buildFileKind(file: string): 'gomod' | 'requirements' | 'pyproject' | 'pipfile' | 'pom' | 'gradle' | 'csproj' | 'composer' | undefined {
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
  return undefined;
}

/** A Python requirement's distribution name, lower-cased with `_`/`.` as `-` (PEP 503). */
function pyName(spec: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  return m ? m[1]!.toLowerCase().replace(/[._]+/g, '-') : undefined;
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
      const m = /^(?:require\s+)?([\w.~/-]+)\s+v/.exec(line);
      if (m) out.push({ name: m[1]!, line: i + 1, ecosystem: 'go' });
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
  if (lines[i + 1]?.trim() !== '# via') return false;
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
    if (n) out.push({ name: n, line: i + 1, ecosystem: 'python' });
  });
  return out;
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
        if (n && /["']/.test(q)) out.push({ name: n, line: i + 1, ecosystem: 'python' });
      }
      return;
    }
    if (inList) {
      if (line.startsWith(']')) inList = false;
      else if (/^["']/.test(line)) {
        const n = pyName(line.slice(1));
        if (n) out.push({ name: n, line: i + 1, ecosystem: 'python' });
      }
      return;
    }
    if (table === '[tool.poetry.dependencies]') {
      const n = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=/.exec(line)?.[1];
      if (n && n.toLowerCase() !== 'python') out.push({ name: pyName(n)!, line: i + 1, ecosystem: 'python' });
    }
  });
  return out;
}

function pipfile(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  let table = '';
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('[')) table = line;
    else if (table === '[packages]') {
      const n = /^["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=/.exec(line)?.[1];
      if (n) out.push({ name: pyName(n)!, line: i + 1, ecosystem: 'python' });
    }
  });
  return out;
}

/** pom.xml `<dependency>` blocks: `groupId:artifactId`, at the artifactId's line; test and provided scopes left out. */
function pom(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  let dep: { group?: string; artifact?: string; line: number; scope?: string } | undefined;
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
    const tag = /^<(groupId|artifactId|scope)>\s*([^<\s]+)\s*<\//.exec(line.replace(/^<dependency>/, ''));
    if (tag) {
      if (tag[1] === 'groupId') dep.group = tag[2];
      else if (tag[1] === 'artifactId') {
        dep.artifact = tag[2];
        dep.line = i + 1;
      } else dep.scope = tag[2];
    }
    if (line.includes('</dependency>')) {
      if (!managed && dep.artifact && dep.scope !== 'test' && dep.scope !== 'provided')
        out.push({ name: `${dep.group ?? ''}:${dep.artifact}`, line: dep.line, ecosystem: 'maven' });
      dep = undefined;
    }
  });
  return out;
}

/** build.gradle(.kts): `implementation("g:a:v")`, `api 'g:a'`, `runtimeOnly(…)`; test configurations left out. */
function gradle(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  lines.forEach((raw, i) => {
    const m = /^\s*(implementation|api|compile|runtimeOnly|runtime)\s*(?:\(\s*)?(?:platform\s*\(\s*)?["']([\w.-]+):([\w.-]+)/.exec(raw);
    if (m) out.push({ name: `${m[2]}:${m[3]}`, line: i + 1, ecosystem: 'maven' });
  });
  return out;
}

function csproj(lines: string[]): BuildDep[] {
  const out: BuildDep[] = [];
  lines.forEach((raw, i) => {
    const m = /<PackageReference\s+Include\s*=\s*"([^"]+)"/i.exec(raw);
    if (m) out.push({ name: m[1]!, line: i + 1, ecosystem: 'nuget' });
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
        const n = /^"([\w.-]+\/[\w.-]+)"\s*:/.exec(line)?.[1];
        if (n) out.push({ name: n.toLowerCase(), line: i + 1, ecosystem: 'composer' });
      }
    }
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
  }
}
