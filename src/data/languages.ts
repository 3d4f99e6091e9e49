/**
 * Programming languages by file extension, and the build files that mark a unit of code in one:
 * shared by the deployable-units link (a component's language), the coverage ledger (code archdoc
 * does not analyse), the workspace analyzer (a package with code) and the root search of the CLI.
 */

/** Programming languages by file extension, lower case, without the dot (markup, styles, data and shell are not counted). */
const LANGUAGES: Record<string, string> = {
  ts: 'TypeScript',
  tsx: 'TypeScript',
  mts: 'TypeScript',
  cts: 'TypeScript',
  js: 'JavaScript',
  jsx: 'JavaScript',
  mjs: 'JavaScript',
  cjs: 'JavaScript',
  go: 'Go',
  py: 'Python',
  java: 'Java',
  kt: 'Kotlin',
  kts: 'Kotlin',
  cs: 'C#',
  fs: 'F#',
  rb: 'Ruby',
  php: 'PHP',
  rs: 'Rust',
  scala: 'Scala',
  swift: 'Swift',
  ex: 'Elixir',
  exs: 'Elixir',
  erl: 'Erlang',
  clj: 'Clojure',
  dart: 'Dart',
  c: 'C',
  cpp: 'C++',
  cc: 'C++',
};

/** The languages archdoc analyses (and a package.json covers). */
export const SCRIPT_LANGUAGES: ReadonlySet<string> = new Set(['TypeScript', 'JavaScript']);

/** Languages whose HTTP route declarations archdoc reads (analyzers/endpoints/polyglot); nothing else of them. */
export const ROUTES_READ_LANGUAGES: ReadonlySet<string> = new Set(['Python', 'Go', 'Java', 'Kotlin', 'C#', 'PHP']);

/** Every language archdoc does not analyse, by name. */
export const OTHER_LANGUAGE_NAMES: readonly string[] = [...new Set(Object.values(LANGUAGES).filter((l) => !SCRIPT_LANGUAGES.has(l)))];

/** A file's programming language by its extension (`.d.ts` declarations are none). */
export function languageOfFile(file: string): string | undefined {
  if (file.endsWith('.d.ts')) return undefined;
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? LANGUAGES[base.slice(dot + 1).toLowerCase()] : undefined;
}

/**
 * Build files that mark the root of a unit of code in another language than TypeScript or
 * JavaScript (a Go module, a Maven project, a Python package…).
 */
export const LANGUAGE_MANIFESTS: ReadonlySet<string> = new Set([
  'go.mod',
  'requirements.txt',
  'pyproject.toml',
  'setup.py',
  'Pipfile',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'Cargo.toml',
  'Gemfile',
  'composer.json',
  'mix.exs',
  'build.sbt',
  'Package.swift',
  'pubspec.yaml',
  'CMakeLists.txt',
]);
