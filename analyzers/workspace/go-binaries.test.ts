import { afterAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/model/schema.js';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const kinds = (m: Model) => Object.fromEntries(m.components.map((c) => [c.path, `${c.kind}: ${c.kindReason}`]));
const owner = (m: Model, file: string) => m.endpoints.filter((e) => e.evidence[0]?.file === file).map((e) => `${e.method} ${e.path} ${e.component}`);

const goMod = (path: string) => `module ${path}\n\ngo 1.22\n`;
const main = (imports: string[], body: string) => `package main\n\nimport (\n${imports.map((i) => `\t"${i}"\n`).join('')})\n\nfunc main() {\n${body}\n}\n`;

describe('a Go module with several programs', () => {
  it('makes each program a Dockerfile builds a component, named for the folder above its cmd folder, with its own facts', async () => {
    const mod = 'github.com/acme/cqrs';
    const root = tempRepo('go-services', {
      'go.mod': goMod(mod),
      // Shared by both programs: stays with the module.
      'pkg/tracing/tracing.go': 'package tracing\n\nfunc Start(service string) {}\n',
      'gateway/cmd/main.go': main([`${mod}/gateway/internal/server`, `${mod}/pkg/tracing`], '\ttracing.Start("gateway")\n\tserver.Run()'),
      'gateway/internal/server/http.go':
        'package server\n\nimport "github.com/labstack/echo/v4"\n\nfunc Run() {\n\te := echo.New()\n\te.GET("/api/v1/orders/:id", nil)\n\te.Start(":5001")\n}\n',
      'writer/cmd/main.go': main([`${mod}/writer/internal/consumer`], '\tconsumer.Run()'),
      'writer/internal/consumer/consumer.go': `package consumer\n\nimport (\n\t"github.com/segmentio/kafka-go"\n\n\t"${mod}/pkg/tracing"\n)\n\nfunc Run() {\n\ttracing.Start("writer")\n\tr := kafka.NewReader(kafka.ReaderConfig{Topic: "orders"})\n\t_ = r\n}\n`,
      // Built by a development image that compiles on change: the program named in its build command.
      'docker/gateway.Dockerfile':
        'FROM golang:1.22-alpine\nWORKDIR /app\nCOPY . /app\nRUN go install github.com/githubnemo/CompileDaemon@latest\nENTRYPOINT CompileDaemon --build="go build -o main gateway/cmd/main.go" --command=./main\n',
      'docker/writer.Dockerfile': `FROM golang:1.22-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags "-s -w" -o /out/writer ${mod}/writer/cmd\n\nFROM alpine:3.20\nCOPY --from=build /out/writer /writer\nCMD ["/writer"]\n`,
      'docker-compose.yaml': [
        'services:',
        '  gateway:',
        '    build:',
        '      context: .',
        '      dockerfile: docker/gateway.Dockerfile',
        '    ports:',
        '      - "5001:5001"',
        '  writer:',
        '    build:',
        '      context: .',
        '      dockerfile: docker/writer.Dockerfile',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(kinds(m)).toEqual({
      '.': 'library: a Go module whose 2 programs are components of their own (gateway, writer); its shared packages are compiled into them',
      gateway: 'service: starts an echo HTTP server (Start)',
      writer: 'worker: consumes Kafka (kafka-go NewReader); starts no server',
    });
    const gateway = m.components.find((c) => c.path === 'gateway')!;
    // The image that deploys it, then its main function.
    expect(gateway.evidence.slice(0, 2)).toEqual([
      { file: 'docker/gateway.Dockerfile', line: 1 },
      { file: 'gateway/cmd/main.go', line: 8 },
    ]);
    expect(gateway.details).toMatchObject({ deployedBy: ['compose service gateway', 'docker/gateway.Dockerfile'], ports: ['5001'] });
    expect(gateway.language).toBe('Go');
    expect(owner(m, 'gateway/internal/server/http.go')).toEqual(['GET /api/v1/orders/:id component:gateway']);
    expect(m.deployment.workloads.map((w) => `${w.name} ${w.component}`).sort()).toEqual(['gateway component:gateway', 'writer component:writer']);
    // Both import the module's shared tracing package.
    expect(m.components.find((c) => c.path === 'writer')!.dependsOn).toEqual([
      { target: 'component:.', kind: 'import', count: 1, evidence: [{ file: 'writer/internal/consumer/consumer.go', line: 6 }] },
    ]);
    expect(gateway.dependsOn).toEqual([{ target: 'component:.', kind: 'import', count: 1, evidence: [{ file: 'gateway/cmd/main.go', line: 5 }] }]);
    const style = m.decisions.find((d) => d.topic === 'architecture-style')!;
    expect(style.decision).toMatch(/^A small set of services/);
  });

  it('follows Go imports: a package only one program imports is its code; one two programs import stays with the module', async () => {
    const mod = 'example.com/shop';
    const root = tempRepo('go-imports', {
      'go.mod': goMod(mod),
      'cmd/api/main.go': main([`${mod}/internal/httpapi`], '\thttpapi.Serve()'),
      'internal/httpapi/server.go': `package httpapi\n\nimport (\n\t"net/http"\n\n\t"${mod}/internal/catalogue"\n)\n\nfunc Serve() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc("GET /products", catalogue.List)\n\thttp.ListenAndServe(":8080", mux)\n}\n`,
      'internal/catalogue/list.go': 'package catalogue\n\nimport "net/http"\n\nfunc List(w http.ResponseWriter, r *http.Request) {}\n',
      'cmd/admin/main.go': main(
        [`${mod}/internal/catalogue`, 'net/http'],
        '\tmux := http.NewServeMux()\n\tmux.HandleFunc("GET /admin/products", catalogue.List)\n\thttp.ListenAndServe(":9090", mux)',
      ),
      // Nothing deploys it: it stays with the module, and so does what only it imports.
      'cmd/seed/main.go': main([`${mod}/internal/fixtures`], '\tfixtures.Load()'),
      'internal/fixtures/load.go': 'package fixtures\n\nfunc Load() {}\n',
      Procfile: 'web: bin/api --port $PORT\nadmin: go run ./cmd/admin\n',
    });
    const m = await analyseRepo(root);
    expect(kinds(m)).toEqual({
      '.': 'library: a Go module whose 2 programs are components of their own (cmd/admin, cmd/api); its shared packages are compiled into them',
      'cmd/admin': 'service: starts an HTTP server (net/http ListenAndServe)',
      'cmd/api': 'service: starts an HTTP server (net/http ListenAndServe)',
    });
    expect(owner(m, 'internal/httpapi/server.go')).toEqual(['GET /products component:cmd/api']);
    expect(owner(m, 'cmd/admin/main.go')).toEqual(['GET /admin/products component:cmd/admin']);
    expect(m.components.find((c) => c.path === 'cmd/api')!.details?.deployedBy).toEqual(['Procfile process web']);
    expect(m.components.find((c) => c.path === 'cmd/admin')!.evidence[0]).toEqual({ file: 'Procfile', line: 2 });
  });

  it('links a Kubernetes workload by the image named for a program, and keeps a module with one main as one component', async () => {
    const mod = 'example.com/jobs';
    const root = tempRepo('go-k8s', {
      'go.mod': goMod(mod),
      'cmd/scheduler/main.go': main(['fmt'], '\tfmt.Println("tick")'),
      'cmd/reporter/main.go': main(['fmt'], '\tfmt.Println("report")'),
      'deploy/scheduler.yaml': [
        'apiVersion: batch/v1',
        'kind: CronJob',
        'metadata:',
        '  name: scheduler',
        'spec:',
        '  schedule: "*/5 * * * *"',
        '  jobTemplate:',
        '    spec:',
        '      template:',
        '        spec:',
        '          containers:',
        '            - name: scheduler',
        '              image: ghcr.io/acme/scheduler:1.4.0',
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: reporter',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: reporter',
        '          image: ghcr.io/acme/reporter:1.4.0',
        '',
      ].join('\n'),
      // Nothing deploys it: it stays with the module.
      'cmd/backfill/main.go': main(['fmt'], '\tfmt.Println("backfill")'),
      // Another module with a single program: one component, as before.
      'notifier/go.mod': goMod('example.com/notifier'),
      'notifier/cmd/notifier/main.go': main(['fmt'], '\tfmt.Println("notify")'),
      'notifier/Dockerfile': 'FROM golang:1.22\nCOPY . .\nRUN go build -o /notifier ./cmd/notifier\nCMD ["/notifier"]\n',
    });
    const m = await analyseRepo(root);
    expect(kinds(m)).toMatchObject({
      'cmd/scheduler': 'cli: a Go program (package main) that starts no server and consumes no queue',
      notifier: expect.stringMatching(/^worker: built by notifier\/Dockerfile/),
    });
    expect(m.components.map((c) => c.path).sort()).toEqual(['.', 'cmd/reporter', 'cmd/scheduler', 'notifier'].sort());
    expect(m.deployment.workloads.find((w) => w.name === 'scheduler')?.component).toBe('component:cmd/scheduler');
    expect(m.deployment.workloads.find((w) => w.name === 'reporter')?.component).toBe('component:cmd/reporter');
    // A Deployment keeps it running: a worker, not a one-shot command.
    expect(kinds(m)['cmd/reporter']).toBe('worker: run by Deployment reporter with no port, Service or listener found');
  });

  it('keeps the module one component when only one of its programs is deployed', async () => {
    const mod = 'example.com/payments';
    const root = tempRepo('go-one-deployed', {
      'go.mod': goMod(mod),
      'cmd/server/main.go': main([`${mod}/internal/api`], '\tapi.Serve()'),
      'internal/api/api.go': 'package api\n\nimport "net/http"\n\nfunc Serve() {\n\thttp.ListenAndServe(":8080", nil)\n}\n',
      'cmd/reconcile/main.go': main(['fmt'], '\tfmt.Println("reconcile")'),
      Dockerfile:
        'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /server ./cmd/server\n\nFROM alpine:3.20\nCOPY --from=build /server /server\nEXPOSE 8080\nCMD ["/server"]\n',
    });
    const m = await analyseRepo(root);
    expect(kinds(m)).toEqual({ '.': 'service: starts an HTTP server (net/http ListenAndServe)' });
    expect(m.components[0]!.details).toEqual({ deployedBy: ['Dockerfile'], ports: ['8080'] });
  });

  it('reads a RUN continued over 100,000 lines (joined once, not re-trimmed at each line)', async () => {
    const mod = 'example.com/payments';
    const root = tempRepo('go-long-run', {
      'go.mod': goMod(mod),
      'cmd/server/main.go': main([`${mod}/internal/api`], '\tapi.Serve()'),
      'internal/api/api.go': 'package api\n\nimport "net/http"\n\nfunc Serve() {\n\thttp.ListenAndServe(":8080", nil)\n}\n',
      'cmd/reconcile/main.go': main(['fmt'], '\tfmt.Println("reconcile")'),
      Dockerfile: `FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /server ./cmd/server \\\n${'  && echo x \\\n'.repeat(100_000)}  && echo done\n\nFROM alpine:3.20\nCOPY --from=build /server /server\nCMD ["/server"]\n`,
    });
    const m = await analyseRepo(root);
    expect(kinds(m)).toEqual({ '.': 'service: starts an HTTP server (net/http ListenAndServe)' });
  });
});

describe('a Go module whose root is a program', () => {
  it('keeps the module one component when its Dockerfile builds every program (./...)', async () => {
    const root = tempRepo('go-root-main', {
      'go.mod': goMod('example.com/inventory'),
      'main.go': main(['net/http'], '\thttp.ListenAndServe(":8080", nil)'),
      'cmd/reindex/main.go': main(['fmt'], '\tfmt.Println("reindex")'),
      Dockerfile:
        'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/ ./...\n\nFROM alpine:3.20\nCOPY --from=build /out/inventory /inventory\nCMD ["/inventory"]\n',
    });
    const m = await analyseRepo(root);
    expect(kinds(m)).toEqual({ '.': 'service: starts an HTTP server (net/http ListenAndServe)' });
  });
});

describe('fixture go-cmd-binaries', () => {
  it('splits the module into its API, its Kafka worker and its migration command, from one multi-target Dockerfile and compose targets', async () => {
    const m = await analyseFixture('go-cmd-binaries');
    expect(kinds(m)).toEqual({
      '.': 'library: a Go module whose 3 programs are components of their own (cmd/api, cmd/migrate, cmd/worker); its shared packages are compiled into them',
      'cmd/api': 'service: starts a gin HTTP server (Run)',
      'cmd/migrate': 'cli: a Go program (package main) that starts no server and consumes no queue',
      'cmd/worker': 'worker: consumes Kafka (kafka-go NewReader); starts no server',
    });
    expect(m.endpoints.map((e) => `${e.method} ${e.path} ${e.component}`).sort()).toEqual([
      'GET /api/v1/parcels/:id component:cmd/api',
      'GET /healthz component:cmd/api',
      'POST /api/v1/parcels component:cmd/api',
    ]);
    // The Dockerfile's default image is its last stage's program.
    expect(m.components.find((c) => c.path === 'cmd/worker')!.details?.deployedBy).toEqual(['Dockerfile', 'compose service worker']);
    expect(m.components.find((c) => c.path === 'cmd/api')!.details).toMatchObject({ deployedBy: ['compose service api'], ports: ['8080'] });
  });
});
