/**
 * Other languages' observability libraries, from the build files that declare them (go.mod,
 * requirements*.txt, pyproject.toml, Pipfile, pom.xml, build.gradle(.kts), *.csproj,
 * composer.json; direct runtime dependencies only, src/analysis/build-deps.ts) through the
 * catalogue in src/data/build-dep-facts.ts, and the logging configuration files of the JVM and
 * Laravel (logback.xml, log4j2.xml, config/logging.php); in Go and Python code, the framework
 * request loggers (gin, echo: src/analysis/code-facts.ts), and the catalogued libraries Go code
 * imports when no build file declares them directly. The evidence is the line that shows it.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { buildDependencies, buildFileKind } from '../../src/analysis/build-deps.js';
import { codeFacts, goImportFacts } from '../../src/analysis/code-facts.js';
import { depFact } from '../../src/data/build-dep-facts.js';
import { idOf } from '../../src/model/ids.js';
import type { ObsCollector } from './collector.js';

/** A technology as an id key: `Spring Boot Actuator` → `spring-boot-actuator`. */
const keyOf = (tech: string): string => tech.toLowerCase().replace(/[^a-z0-9@/.]+/g, '-');

/** Logging configuration files named by the library that reads them. */
const LOG_CONFIGS: [RegExp, string][] = [
  [/(^|\/)logback(-spring)?\.xml$/, 'Logback'],
  [/(^|\/)log4j2(-spring)?\.(xml|properties|ya?ml|json)$/, 'Log4j2'],
];

export function dependencyFacts(ctx: AnalyzerContext, c: ObsCollector): void {
  for (const file of ctx.files) {
    if (ctx.isSetAside(file)) continue;
    const component = ctx.componentOf(file);
    const comp = component ? { component } : {};
    if (buildFileKind(file)) {
      const text = ctx.read(file);
      if (text === undefined) continue;
      for (const dep of buildDependencies(file, text)) {
        const f = depFact(dep);
        if (!f || f.area !== 'observability') continue;
        const category = f.category as 'logging';
        c.add(
          idOf.observability(f.kind === 'health-library' ? 'health-library' : category, keyOf(f.tech)),
          category,
          f.name,
          { file, line: dep.line },
          { tech: f.tech, ...comp },
        );
      }
      continue;
    }
    if (/\.(go|py)$/.test(file)) {
      for (const { fact, line } of codeFacts(file, ctx.read(file) ?? '', (f, l, t) => ctx.polyglotIndex(f, l, t)))
        if (fact.area === 'observability')
          c.add(idOf.observability(fact.kind, keyOf(fact.tech)), fact.category as 'logging', fact.name, { file, line }, { tech: fact.tech, ...comp });
      continue;
    }
    const conf = LOG_CONFIGS.find(([re]) => re.test(file));
    if (conf) {
      c.add(idOf.observability('logging', keyOf(conf[1])), 'logging', `Logging with ${conf[1]}`, { file, line: 1 }, { tech: conf[1], ...comp });
      continue;
    }
    // Laravel's log channels are Monolog handlers (config/logging.php uses Monolog\Handler classes).
    if (/(^|\/)config\/logging\.php$/.test(file)) {
      const text = ctx.read(file) ?? '';
      const at = text.indexOf('Monolog\\');
      if (at >= 0)
        c.add(
          'observability:logging:monolog',
          'logging',
          'Logging with Monolog',
          { file, line: text.slice(0, at).split('\n').length },
          { tech: 'Monolog', ...comp },
        );
    }
  }
  // Libraries Go code imports that no build file declared as direct dependencies: the first file (in path order) is the evidence.
  for (const file of ctx.files) {
    if (!file.endsWith('.go') || ctx.isSetAside(file)) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    for (const { fact: f, line } of goImportFacts(file, text, (g, l, t) => ctx.polyglotIndex(g, l, t))) {
      const category = f.category as 'logging';
      const id = idOf.observability(f.kind === 'health-library' ? 'health-library' : category, keyOf(f.tech));
      if (f.area !== 'observability' || c.facts.has(id)) continue;
      const component = ctx.componentOf(file);
      c.add(id, category, f.name, { file, line }, { tech: f.tech, ...(component ? { component } : {}) });
    }
  }
}
