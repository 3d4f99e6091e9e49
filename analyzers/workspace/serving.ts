/**
 * Servers started in code archdoc does not otherwise read (Go, Python, Java, Kotlin, C#, PHP): the
 * call that starts an HTTP or gRPC server, found by plain substring search on code lines, so a
 * unit in another language that serves is a service even when nothing deploys it with a port.
 * A worker or a command-line tool starts none of these.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Evidence } from '../../src/model/schema.js';
import { joinPosix } from '../../src/util/paths.js';
import { lineAt } from '../../src/util/text.js';

interface Start {
  /** File extensions (without the dot) the call is looked for in. */
  ext: string[];
  /** The call, found on a code line: the evidence. */
  call: string;
  /** Strings of which one must appear in the same file (the framework's import), when the call alone is ambiguous. */
  with?: string[];
  /** Only in a file of this base name. */
  base?: string;
  /** The component's build file (pom.xml, build.gradle…) must name one of these (Spring Boot serves HTTP only with a web starter). */
  build?: string[];
  why: string;
}

const SPRING_WEB = ['spring-boot-starter-web', 'spring-cloud-starter-gateway'];
const STARTS: Start[] = [
  { ext: ['go'], call: 'ListenAndServe', why: 'starts an HTTP server (net/http ListenAndServe)' },
  { ext: ['go'], call: '.Run(', with: ['"github.com/gin-gonic/gin"'], why: 'starts a gin HTTP server (Run)' },
  { ext: ['go'], call: '.Start(', with: ['"github.com/labstack/echo'], why: 'starts an echo HTTP server (Start)' },
  { ext: ['go'], call: '.Listen(', with: ['"github.com/gofiber/fiber'], why: 'starts a fiber HTTP server (Listen)' },
  { ext: ['go'], call: '.Serve(', with: ['"google.golang.org/grpc"'], why: 'serves gRPC (grpc.NewServer, Serve)' },
  { ext: ['py'], call: 'uvicorn.run(', why: 'starts an ASGI server (uvicorn.run)' },
  { ext: ['py'], call: 'web.run_app(', why: 'starts an aiohttp server (web.run_app)' },
  { ext: ['py'], call: '.run(', with: ['Flask('], why: 'starts a Flask server (app.run)' },
  { ext: ['py'], call: 'execute_from_command_line(', base: 'manage.py', why: 'a Django project (manage.py)' },
  { ext: ['py'], call: 'get_wsgi_application(', why: 'a Django WSGI application' },
  { ext: ['py'], call: 'get_asgi_application(', why: 'a Django ASGI application' },
  { ext: ['py'], call: 'grpc.server(', why: 'serves gRPC (grpc.server)' },
  { ext: ['java', 'kt'], call: 'SpringApplication.run(', build: SPRING_WEB, why: 'starts a Spring Boot web application (SpringApplication.run)' },
  { ext: ['kt'], call: 'runApplication<', build: SPRING_WEB, why: 'starts a Spring Boot web application (runApplication)' },
  { ext: ['java', 'kt'], call: 'ServerBuilder.forPort(', why: 'serves gRPC (ServerBuilder.forPort)' },
  { ext: ['cs'], call: 'WebApplication.CreateBuilder(', why: 'builds an ASP.NET Core web application (WebApplication.CreateBuilder)' },
  { ext: ['cs'], call: '.UseStartup<', why: 'hosts an ASP.NET Core application (UseStartup)' },
];
const BUILD_FILES = ['pom.xml', 'build.gradle', 'build.gradle.kts'];
/** Line comments by extension: a call named in a comment is not evidence. */
const COMMENT: Record<string, string[]> = { go: ['//'], py: ['#'], java: ['//', '*'], kt: ['//', '*'], cs: ['//', '*'], php: ['//', '#', '*'] };

/** Dependencies that make a Spring Boot application a platform service of the system's own, not a unit of its business code. */
const SPRING_INFRASTRUCTURE: [dep: string, what: string][] = [
  ['spring-cloud-config-server', 'a Spring Cloud Config server'],
  ['spring-cloud-starter-netflix-eureka-server', 'a Eureka service registry'],
  ['spring-boot-admin-starter-server', 'a Spring Boot Admin server'],
];

/** A configuration server, service registry or admin console the component's build file declares. */
export function platformServer(ctx: AnalyzerContext, folder: string): { evidence: Evidence; why: string } | undefined {
  for (const b of BUILD_FILES) {
    const file = joinPosix(folder, b);
    const text = ctx.has(file) ? ctx.read(file) : undefined;
    if (text === undefined) continue;
    for (const [dep, what] of SPRING_INFRASTRUCTURE) {
      const at = text.indexOf(dep);
      if (at >= 0) return { evidence: { file, line: lineAt(text, at) }, why: `${what} (${dep} in ${b})` };
    }
  }
  return undefined;
}

/**
 * The first server start among `files` (a component's own files), or a Laravel application
 * (`artisan` and `public/index.php` in the component's folder).
 */
export function serverStart(ctx: AnalyzerContext, folder: string, files: readonly string[]): { evidence: Evidence; why: string } | undefined {
  const buildText = BUILD_FILES.map((b) => joinPosix(folder, b))
    .filter((f) => ctx.has(f))
    .map((f) => ctx.read(f) ?? '')
    .join('\n');
  for (const file of files) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const ext = base.slice(base.lastIndexOf('.') + 1).toLowerCase();
    const live = STARTS.filter((s) => s.ext.includes(ext) && (s.base === undefined || s.base === base));
    if (live.length === 0) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    for (const s of live) {
      if (!text.includes(s.call)) continue;
      if (s.with && !s.with.some((w) => text.includes(w))) continue;
      if (s.build && !s.build.some((b) => buildText.includes(b))) continue;
      const lines = text.split('\n');
      const at = lines.findIndex((l) => {
        const t = l.trimStart();
        return l.includes(s.call) && !(COMMENT[ext] ?? []).some((c) => t.startsWith(c));
      });
      if (at >= 0) return { evidence: { file, line: at + 1 }, why: s.why };
    }
  }
  const artisan = joinPosix(folder, 'artisan');
  if (ctx.has(artisan) && ctx.has(joinPosix(folder, 'public/index.php')))
    return { evidence: { file: artisan, line: 1 }, why: 'a Laravel application (artisan, public/index.php)' };
  return undefined;
}
