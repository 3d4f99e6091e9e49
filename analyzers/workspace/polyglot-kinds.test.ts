import { afterAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/model/schema.js';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const pom = (artifactId: string, deps: string[], extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.acme</groupId>\n    <artifactId>clinic-parent</artifactId>\n    <version>1.0.0</version>\n  </parent>\n  <!-- <artifactId>not-this-one</artifactId> -->\n  <artifactId>${artifactId}</artifactId>\n  <dependencies>\n${deps.map((d) => `    <dependency>\n      <groupId>org.springframework</groupId>\n      <artifactId>${d}</artifactId>\n    </dependency>\n`).join('')}  </dependencies>\n${extra}</project>\n`;
const springMain = (pkg: string, cls: string) =>
  `package org.acme.${pkg};\n\nimport org.springframework.boot.SpringApplication;\n\n@SpringBootApplication\npublic class ${cls} {\n  // SpringApplication.run(Other.class) in a comment is not evidence\n  public static void main(String[] args) {\n    SpringApplication.run(${cls}.class, args);\n  }\n}\n`;

const kinds = (m: Model) => Object.fromEntries(m.components.map((c) => [c.path, `${c.kind}: ${c.kindReason}`]));

describe('units in other languages than TypeScript', () => {
  it('links compose images to the Maven modules, Go modules and folders that build them, and types them from their code and build files', async () => {
    const root = tempRepo('poly-images', {
      'pom.xml':
        '<project>\n  <artifactId>clinic-parent</artifactId>\n  <packaging>pom</packaging>\n  <modules>\n    <module>owners</module>\n  </modules>\n</project>\n',
      // Image `acme/clinic-owners-service` = the module's artifactId (its folder is named otherwise).
      'owners/pom.xml': pom('clinic-owners-service', ['spring-boot-starter-webmvc', 'spring-boot-starter-data-jpa']),
      'owners/src/main/java/org/acme/owners/OwnersApplication.java': springMain('owners', 'OwnersApplication'),
      // A configuration server: infrastructure of the system, not a service of its own.
      'config-server/pom.xml': pom('clinic-config-server', ['spring-cloud-config-server']),
      'config-server/src/main/java/org/acme/config/ConfigApplication.java': springMain('config', 'ConfigApplication'),
      // A Spring Boot application without a web starter: its run call starts no HTTP server.
      'billing/pom.xml': pom('clinic-billing', ['spring-kafka']),
      'billing/src/main/java/org/acme/billing/BillingApplication.java': springMain('billing', 'BillingApplication'),
      // Jib's target image names the module.
      'reports/pom.xml': pom(
        'clinic-reports',
        [],
        '  <build>\n    <plugins>\n      <plugin>\n        <artifactId>jib-maven-plugin</artifactId>\n        <configuration>\n          <to>\n            <image>${docker.image.prefix}/clinic-reporting:1.0</image>\n          </to>\n        </configuration>\n      </plugin>\n    </plugins>\n  </build>\n',
      ),
      'reports/src/main/java/org/acme/reports/Reports.java': 'package org.acme.reports;\n\nclass Reports {}\n',
      // A Go module whose path's last segment (before /v2) is the image; it starts net/http.
      'services/notify/go.mod': 'module github.com/acme/notifier/v2\n\ngo 1.22\n',
      'services/notify/main.go':
        'package main\n\nimport "net/http"\n\nfunc main() {\n\t// http.ListenAndServe in a comment\n\thttp.ListenAndServe(":8080", nil)\n}\n',
      // A module nothing here deploys (a script copies it to a VM) whose code starts a server: a component of its own.
      'legacy/monolith/pom.xml': pom('clinic-monolith', ['spring-boot-starter-web']),
      'legacy/monolith/src/main/java/org/acme/monolith/MonolithApplication.java': springMain('monolith', 'MonolithApplication'),
      // A module of classes only stays in the root.
      'legacy/shared/pom.xml': pom('clinic-shared', []),
      'legacy/shared/src/main/java/org/acme/shared/Money.java': 'package org.acme.shared;\n\npublic record Money(long cents) {}\n',
      // Two folders named `tools` with build files: an image named `tools` links neither.
      'a/tools/go.mod': 'module example.com/a/tools\n',
      'a/tools/main.go': 'package main\n\nfunc main() {}\n',
      'b/tools/go.mod': 'module example.com/b/tools\n',
      'b/tools/main.go': 'package main\n\nfunc main() {}\n',
      // A Dockerfile built on a monitoring tool's image with its dashboards: infrastructure.
      'docker/grafana/Dockerfile': 'FROM grafana/grafana:11.0.0\nCOPY dashboards /etc/grafana/dashboards\n',
      'docker/grafana/dashboards/clinic.json': '{}\n',
      'docker-compose.yml': [
        'services:',
        '  owners:',
        '    image: acme/clinic-owners-service',
        '    ports:',
        '      - 8081:8081',
        '    healthcheck:',
        '      test: ["CMD", "curl", "-f", "http://localhost:8081"]',
        '  config:',
        '    image: acme/clinic-config-server',
        '    ports:',
        '      - 8888:8888',
        '  billing:',
        '    image: acme/clinic-billing:latest',
        '  reporting:',
        '    image: acme/clinic-reporting',
        '  notifier:',
        '    image: ghcr.io/acme/notifier:2.1',
        '  tools:',
        '    image: acme/tools',
        '  grafana:',
        '    build: ./docker/grafana',
        '    ports:',
        '      - 3000:3000',
        '  cache:',
        '    image: redis:7',
        '',
      ].join('\n'),
    });
    const model = await analyseRepo(root);
    const k = kinds(model);
    expect(k.owners).toBe('service: starts a Spring Boot web application (SpringApplication.run)');
    expect(k['config-server']).toBe('infrastructure: a Spring Cloud Config server (spring-cloud-config-server in pom.xml)');
    expect(k.billing).toBe('worker: run by compose service billing with no port, Service or listener found');
    expect(k.reports).toBe('worker: run by compose service reporting with no port, Service or listener found');
    expect(k['services/notify']).toBe('service: starts an HTTP server (net/http ListenAndServe)');
    expect(k['docker/grafana']).toMatch(/^infrastructure: builds a grafana image with its configuration \(a monitoring tool/);
    expect(k['legacy/monolith']).toBe('service: starts a Spring Boot web application (SpringApplication.run)');
    expect(k['legacy/shared']).toBeUndefined();
    expect(k['a/tools']).toBeUndefined();
    expect(k['b/tools']).toBeUndefined();
    const owners = model.components.find((c) => c.path === 'owners')!;
    expect(owners.details?.deployedBy).toEqual(['compose service owners']);
    expect(owners.details?.ports).toEqual(['8081']);
    expect(owners.evidence).toContainEqual({ file: 'owners/src/main/java/org/acme/owners/OwnersApplication.java', line: 9 });
    // The compose service, its container and its healthcheck belong to the module's component.
    expect(model.deployment.workloads.find((w) => w.name === 'owners')?.component).toBe(owners.id);
    expect(model.deployment.containers.find((c) => c.name === 'owners' && c.details?.source === 'compose')?.component).toBe(owners.id);
    expect(model.observability.find((o) => o.details?.service === 'owners')?.component).toBe(owners.id);
    // A data store's image and the ambiguous name stay with the root.
    expect(model.deployment.workloads.find((w) => w.name === 'tools')?.component).toBe('component:.');
  });

  it('makes a unit that starts a server or declares HTTP routes a service, and leaves one that does neither a library', async () => {
    const gin = await analyseRepo(
      tempRepo('poly-gin', {
        'go.mod': 'module github.com/acme/blog\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n',
        'hello.go':
          'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n\tr.GET("/api/ping", func(c *gin.Context) { c.JSON(200, nil) })\n\tr.Run()\n}\n',
      }),
    );
    expect(kinds(gin)['.']).toBe('service: starts a gin HTTP server (Run)');
    // Flask routes run by `flask run` (no app.run in code): the routes decide.
    const flask = await analyseRepo(
      tempRepo('poly-flask', {
        'requirements.txt': 'flask==3.0.0\n',
        'blog/__init__.py': 'from flask import Flask\n\napp = Flask(__name__)\n\nfrom blog import routes\n',
        'blog/routes.py': "from blog import app\n\n\n@app.route('/posts')\ndef posts():\n    return []\n",
      }),
    );
    expect(kinds(flask)['.']).toMatch(/^service: serves 1 HTTP route declared in its Python code \(flask\)$/);
    const django = await analyseRepo(
      tempRepo('poly-django', {
        'requirements.txt': 'Django==5.0\n',
        'manage.py':
          'import os\nimport sys\n\nif __name__ == "__main__":\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n',
        'shop/settings.py': 'INSTALLED_APPS = []\n',
      }),
    );
    expect(kinds(django)['.']).toBe('service: a Django project (manage.py)');
    const cli = await analyseRepo(
      tempRepo('poly-cli', {
        'go.mod': 'module github.com/acme/tool\n',
        'main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\t// http.ListenAndServe(":8080", nil) moved to the server\n\tfmt.Println("done")\n}\n',
      }),
    );
    expect(kinds(cli)['.']).toBe('library: no server, worker, frontend or command-line entry point found');
  });

  it('moves a root without a manifest to the one module that serves, and names a component after a meaningful folder', async () => {
    const model = await analyseRepo(
      tempRepo('poly-root', {
        Dockerfile:
          'FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nCOPY . .\nRUN dotnet publish src/Clinic -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY --from=build /out .\nEXPOSE 8080\nENTRYPOINT ["dotnet", "Clinic.dll"]\n',
        'docker-compose.yml': 'services:\n  clinic:\n    build: .\n    ports:\n      - 8080:8080\n',
        'src/Clinic/Clinic.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
        'src/Clinic/Program.cs': 'var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n',
        'build/build.csproj': '<Project Sdk="Microsoft.NET.Sdk"></Project>\n',
        'build/Program.cs': 'Console.WriteLine("publish");\n',
        'services/cart/src/Dockerfile': 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nEXPOSE 7070\n',
        'services/cart/src/Startup.cs': 'class Startup {}\n',
      }),
    );
    expect(model.components.map((c) => [c.path, c.name, c.kind])).toEqual([
      ['services/cart/src', 'cart', 'service'],
      ['src/Clinic', 'Clinic', 'service'],
    ]);
    const clinic = model.components[1]!;
    expect(clinic.details?.deployedBy).toEqual(['Dockerfile', 'compose service clinic']);
    expect(model.deployment.workloads.find((w) => w.name === 'clinic')?.component).toBe('component:src/Clinic');
  });
});
