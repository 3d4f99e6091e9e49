/**
 * What a build file states besides its dependency list: the framework it builds on (a Spring Boot
 * or Micronaut parent pom, the Spring Boot, Quarkus or Micronaut Gradle plugin, the ASP.NET Core
 * SDK of a .csproj) and the language version (go.mod `go 1.22`, `<java.version>` or a Gradle
 * `JavaVersion.VERSION_17`/`jvmToolchain(17)`, the Kotlin Gradle plugin, a .csproj
 * `<TargetFramework>net8.0</TargetFramework>`, composer.json `"php"`, `requires-python`). Read line
 * by line with fixed-shape patterns (no backtracking over file text); versions only where written
 * literally (a Maven `${property}` from the same file's `<properties>`).
 */
import { buildFileKind } from './build-deps.js';

/** One statement: `name` is a key of the tech catalogue's PLATFORMS (`spring-boot`, `aspnetcore`, `dotnet`…) or a language's (`go`, `java`, `kotlin`, `php`, `python`). */
export interface BuildPlatform {
  name: string;
  version?: string;
  line: number;
}

const SHORT = 40;
/** A literal version: short, no variable. */
const literal = (v: string | undefined): string | undefined => (v && v.length <= SHORT && !v.includes('$') && !v.includes('{') ? v : undefined);

function pom(lines: string[]): BuildPlatform[] {
  const out: BuildPlatform[] = [];
  const props = new Map<string, { value: string; line: number }>();
  let section = '';
  let parent: { artifact?: string; version?: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('<properties>')) section = 'properties';
    else if (line.startsWith('</properties>')) section = '';
    else if (line.startsWith('<parent>')) parent = { line: i + 1 };
    else if (line.startsWith('</parent>') && parent) {
      const name = parent.artifact === 'spring-boot-starter-parent' ? 'spring-boot' : parent.artifact === 'micronaut-parent' ? 'micronaut' : undefined;
      if (name) out.push({ name, line: parent.line, ...(literal(parent.version) ? { version: parent.version } : {}) });
      parent = undefined;
    } else {
      const m = /^<([\w.-]+)>([^<]*)<\/([\w.-]+)>/.exec(line);
      if (!m || m[1] !== m[3]) return;
      if (section === 'properties') props.set(m[1]!, { value: m[2]!.trim(), line: i + 1 });
      else if (parent && m[1] === 'artifactId') {
        parent.artifact = m[2]!.trim();
        parent.line = i + 1;
      } else if (parent && m[1] === 'version') parent.version = m[2]!.trim();
    }
  });
  const java = props.get('java.version') ?? props.get('maven.compiler.release') ?? props.get('maven.compiler.source');
  if (java && literal(java.value)) out.push({ name: 'java', version: java.value, line: java.line });
  const kotlin = props.get('kotlin.version');
  if (kotlin && literal(kotlin.value)) out.push({ name: 'kotlin', version: kotlin.value, line: kotlin.line });
  const quarkus = props.get('quarkus.platform.version') ?? props.get('quarkus.version');
  if (quarkus) out.push({ name: 'quarkus', line: quarkus.line, ...(literal(quarkus.value) ? { version: quarkus.value } : {}) });
  return out;
}

/** A Gradle plugin line's id and literal version: `id("org.springframework.boot") version "3.1.5"`, `id 'x' version 'y'`, `kotlin("jvm") version "1.9.10"`. */
function gradlePlugin(line: string): { id: string; version?: string } | undefined {
  const m = /^(id|kotlin) ?\(? ?["']([\w.-]+)["'] ?\)?(?: version ["']([^"']+)["'])?/.exec(line);
  if (!m) return undefined;
  return { id: m[1] === 'kotlin' ? `kotlin.${m[2]}` : m[2]!, ...(m[3] ? { version: m[3] } : {}) };
}

const GRADLE_PLUGINS: Record<string, string> = {
  'org.springframework.boot': 'spring-boot',
  'io.quarkus': 'quarkus',
  'io.micronaut.application': 'micronaut',
  'io.micronaut.minimal.application': 'micronaut',
  'kotlin.jvm': 'kotlin',
  'org.jetbrains.kotlin.jvm': 'kotlin',
};

function gradle(lines: string[]): BuildPlatform[] {
  const out: BuildPlatform[] = [];
  let java: BuildPlatform | undefined;
  lines.forEach((raw, i) => {
    // One space between words, so that the patterns below never meet a run of blanks.
    const line = raw.trim().replace(/\s+/g, ' ');
    const plugin = gradlePlugin(line);
    const name = plugin ? GRADLE_PLUGINS[plugin.id] : undefined;
    if (name) out.push({ name, line: i + 1, ...(literal(plugin!.version) ? { version: plugin!.version } : {}) });
    const v =
      /JavaVersion\.VERSION_(\d+)(?:_(\d+))?/.exec(line) ?? /jvmToolchain ?\( ?(\d+) ?\)/.exec(line) ?? /JavaLanguageVersion\.of ?\( ?(\d+) ?\)/.exec(line);
    if (v && !java) java = { name: 'java', version: v[2] && v[1] === '1' ? `1.${v[2]}` : v[1]!, line: i + 1 };
  });
  if (java) out.push(java);
  return out;
}

function csproj(lines: string[]): BuildPlatform[] {
  const out: BuildPlatform[] = [];
  lines.forEach((raw, i) => {
    const sdk = /<Project\s+Sdk\s*=\s*"([^"]+)"/i.exec(raw);
    if (sdk && (sdk[1] === 'Microsoft.NET.Sdk.Web' || sdk[1]!.startsWith('Microsoft.NET.Sdk.Web/'))) out.push({ name: 'aspnetcore', line: i + 1 });
    const tf = /<TargetFrameworks?>\s*net(\d+\.\d+)/i.exec(raw);
    if (tf) out.push({ name: 'dotnet', version: tf[1]!, line: i + 1 });
  });
  return out;
}

export function buildPlatforms(file: string, text: string): BuildPlatform[] {
  const kind = buildFileKind(file);
  const lines = text.split('\n');
  switch (kind) {
    case 'pom':
      return pom(lines);
    case 'gradle':
      return gradle(lines);
    case 'csproj':
      return csproj(lines);
    case 'gomod': {
      const at = lines.findIndex((l) => /^go \d/.test(l.trim()));
      const v = at >= 0 ? literal(lines[at]!.trim().slice(3).trim()) : undefined;
      return v ? [{ name: 'go', version: v, line: at + 1 }] : [];
    }
    case 'composer': {
      const at = lines.findIndex((l) => /^"php"\s*:\s*"/.test(l.trim()));
      const v = at >= 0 ? literal(/^"php"\s*:\s*"([^"]*)"/.exec(lines[at]!.trim())?.[1]) : undefined;
      return v ? [{ name: 'php', version: v, line: at + 1 }] : [];
    }
    case 'pyproject': {
      const at = lines.findIndex((l) => /^(requires-python|python)\s*=\s*["']/.test(l.trim()));
      const v = at >= 0 ? literal(/^[\w-]+\s*=\s*["']([^"']*)["']/.exec(lines[at]!.trim())?.[1]) : undefined;
      return v ? [{ name: 'python', version: v, line: at + 1 }] : [];
    }
    default:
      return [];
  }
}
