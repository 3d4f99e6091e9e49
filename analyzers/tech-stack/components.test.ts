/**
 * The tech-stack analyzer's link phase: every component's own manifests (package.json outside the
 * workspaces, go.mod, pom.xml, build.gradle(.kts), requirements.txt, pyproject.toml, *.csproj,
 * composer.json, Gemfile) and its language, and the readers it relies on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { buildDependencies } from '../../src/analysis/build-deps.js';
import { buildPlatforms } from '../../src/analysis/build-platforms.js';
import { buildEntries } from '../../src/data/tech-catalogue.js';
import type { Model } from '../../src/model/schema.js';

afterAll(removeTemps);

const deps = (file: string, text: string) => buildDependencies(file, text).map((d) => `${d.name}@${d.line}${d.version ? `=${d.version}` : ''}`);

describe('build files: versions, platforms and hostile input', () => {
  it('go.mod: the required version, and the go directive as the language version', () => {
    const text =
      'module example.com/quotes\n\ngo 1.22.4\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/stretchr/testify v1.9.0 // indirect\n)\n';
    expect(deps('go.mod', text)).toEqual(['github.com/gin-gonic/gin@6=v1.10.0']);
    expect(buildPlatforms('go.mod', text)).toEqual([{ name: 'go', version: '1.22.4', line: 3 }]);
  });

  it('pom.xml: the Spring Boot parent and its version, a ${property} version, the Java version', () => {
    const pom = [
      '<project>',
      '  <parent>',
      '    <groupId>org.springframework.boot</groupId>',
      '    <artifactId>spring-boot-starter-parent</artifactId>',
      '    <version>3.3.2</version>',
      '  </parent>',
      '  <properties>',
      '    <java.version>21</java.version>',
      '    <pg.version>42.7.3</pg.version>',
      '  </properties>',
      '  <dependencies>',
      '    <dependency>',
      '      <groupId>org.postgresql</groupId>',
      '      <artifactId>postgresql</artifactId>',
      '      <version>${pg.version}</version>',
      '    </dependency>',
      '    <dependency>',
      '      <groupId>org.springframework.boot</groupId>',
      '      <artifactId>spring-boot-starter-web</artifactId>',
      '    </dependency>',
      '  </dependencies>',
      '</project>',
    ].join('\n');
    expect(deps('orders/pom.xml', pom)).toEqual(['org.postgresql:postgresql@14=42.7.3', 'org.springframework.boot:spring-boot-starter-web@19']);
    expect(buildPlatforms('orders/pom.xml', pom)).toEqual([
      { name: 'spring-boot', version: '3.3.2', line: 4 },
      { name: 'java', version: '21', line: 8 },
    ]);
  });

  it('a Spring Boot starter is Spring Boot and what it starts', () => {
    const names = buildEntries({ name: 'org.springframework.boot:spring-boot-starter-webflux', line: 1, ecosystem: 'maven' }).map((e) => e.name);
    expect(names.sort()).toEqual(['Spring Boot', 'Spring WebFlux']);
    expect(buildEntries({ name: 'org.example:spring-boot-starter-webflux', line: 1, ecosystem: 'maven' })).toEqual([]);
  });

  it('build.gradle(.kts): plugin versions, continued Groovy lists, a variable version left out', () => {
    const kts =
      'plugins {\n    id("org.springframework.boot") version "3.1.5"\n    kotlin("jvm") version "1.9.10"\n}\njava { sourceCompatibility = JavaVersion.VERSION_17 }\ndependencies {\n    implementation("org.springframework.boot:spring-boot-starter-webflux")\n    implementation("com.h2database:h2:$h2Version")\n}\n';
    expect(deps('build.gradle.kts', kts)).toEqual(['org.springframework.boot:spring-boot-starter-webflux@7', 'com.h2database:h2@8']);
    expect(buildPlatforms('build.gradle.kts', kts)).toEqual([
      { name: 'spring-boot', version: '3.1.5', line: 2 },
      { name: 'kotlin', version: '1.9.10', line: 3 },
      { name: 'java', version: '17', line: 5 },
    ]);
    const groovy =
      'dependencies {\n    implementation "io.grpc:grpc-stub:1.64.0",\n            "io.grpc:grpc-netty:1.64.0"\n    testImplementation "junit:junit:4.13"\n}\n';
    expect(deps('build.gradle', groovy)).toEqual(['io.grpc:grpc-stub@2=1.64.0', 'io.grpc:grpc-netty@3=1.64.0']);
  });

  it('requirements, pyproject and Pipfile: the specifier as written; pip-compile’s one-line `# via` is transitive', () => {
    const req = 'Flask==3.0.3\nredis>=5,<6  # cache\nsqlalchemy==2.0.43\n    # via langchain-postgres\ngunicorn\n';
    expect(deps('requirements.txt', req)).toEqual(['flask@1=3.0.3', 'redis@2=>=5,<6', 'gunicorn@5']);
    const poetry = '[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = { version = "^0.115", extras = ["standard"] }\ncelery = "*"\n';
    expect(deps('pyproject.toml', poetry)).toEqual(['fastapi@3=^0.115', 'celery@4']);
    expect(buildPlatforms('pyproject.toml', poetry)).toEqual([{ name: 'python', version: '^3.12', line: 2 }]);
  });

  it('csproj: the Web SDK is ASP.NET Core, the target framework .NET; composer: the PHP version', () => {
    const csproj =
      '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.4" />\n  </ItemGroup>\n</Project>\n';
    expect(deps('Api/Api.csproj', csproj)).toEqual(['Npgsql.EntityFrameworkCore.PostgreSQL@6=8.0.4']);
    expect(buildPlatforms('Api/Api.csproj', csproj)).toEqual([
      { name: 'aspnetcore', line: 1 },
      { name: 'dotnet', version: '8.0', line: 3 },
    ]);
    const composer = '{\n    "require": {\n        "php": "^8.2",\n        "laravel/framework": "^11.0"\n    }\n}\n';
    expect(deps('composer.json', composer)).toEqual(['laravel/framework@4=^11.0']);
    expect(buildPlatforms('composer.json', composer)).toEqual([{ name: 'php', version: '^8.2', line: 3 }]);
  });

  it('Gemfile: gems outside development and test groups, with their versions', () => {
    const gemfile = [
      "source 'https://rubygems.org'",
      "gem 'rails', '~> 7.1.3'",
      "gem 'sidekiq'",
      'group :development, :test do',
      "  gem 'rspec-rails'",
      'end',
      "gem 'pry', group: :development",
      "gem 'pg', '>= 1.1'",
      "Dir.glob('gems/*') do |f|",
      "  gem 'nested'",
      'end',
    ].join('\n');
    expect(deps('Gemfile', gemfile)).toEqual(['rails@2=~> 7.1.3', 'sidekiq@3', 'pg@8=>= 1.1', 'nested@10']);
  });

  it('malformed and hostile build files: nothing read, no throw, linear time', () => {
    const long = 'a'.repeat(200_000);
    const blanks = ' '.repeat(200_000);
    const hostile = [
      `<dependency>${'<groupId>'.repeat(20_000)}`,
      `gem${blanks}x`,
      `group${blanks}:test${blanks}`,
      `id${blanks}("x"${blanks}`,
      `implementation "${long}`,
      `require (\n${long} v${long}`,
      `"php"${blanks}:${blanks}`,
      `<Project Sdk="${long}`,
      `requires-python${blanks}=${blanks}'`,
    ].join('\n');
    const started = performance.now();
    for (const file of [
      'go.mod',
      'pom.xml',
      'build.gradle',
      'build.gradle.kts',
      'requirements.txt',
      'pyproject.toml',
      'Pipfile',
      'x.csproj',
      'composer.json',
      'Gemfile',
    ]) {
      expect(() => buildDependencies(file, hostile)).not.toThrow();
      expect(() => buildPlatforms(file, hostile)).not.toThrow();
    }
    // Not a timing test: a backtracking pattern would take minutes on these lines, not a margin.
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(buildPlatforms('pom.xml', '<project><parent>')).toEqual([]);
    expect(buildDependencies('Gemfile', 'end\nend\ngem\n')).toEqual([]);
  });
});

describe('tech-stack: each component’s own manifests and language', () => {
  let model: Model;
  beforeAll(async () => {
    const root = tempRepo('tech-components', {
      // The workspaces list only the web app: the checkout service's package.json is its own.
      'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['web'] }, null, 2),
      'web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '^18.3.0' } }, null, 2),
      'web/src/main.tsx': 'export const App = () => null;\n',
      'checkout/package.json': JSON.stringify({ name: 'checkout', dependencies: { '@nestjs/core': '^10.4.0', ioredis: '^5.4.0' } }, null, 2),
      'checkout/src/main.ts':
        "import { NestFactory } from '@nestjs/core';\nexport async function main(): Promise<void> {\n  const app = await NestFactory.create({});\n  await app.listen(3000);\n}\n",
      'checkout/Dockerfile': 'FROM node:20\nCMD ["node", "dist/main.js"]\n',
      'catalog/go.mod':
        'module example.com/catalog\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/stretchr/testify v1.9.0\n\tgorm.io/gorm v1.25.12\n)\n',
      'catalog/main.go':
        'package main\n\nimport (\n\t"github.com/gin-gonic/gin"\n\t"gorm.io/gorm"\n)\n\nvar _ *gorm.DB\n\nfunc main() {\n\tr := gin.Default()\n\tr.GET("/products", func(c *gin.Context) {})\n\tr.Run(":8080")\n}\n',
      // Generated stubs sort first, but are not the language's evidence.
      'catalog/genproto/catalog.pb.go': 'package genproto\n',
      'catalog/main_test.go': 'package main\n\nimport "github.com/stretchr/testify/assert"\n\nvar _ = assert.Equal\n',
      'catalog/Dockerfile': 'FROM golang:1.22\nCMD ["/catalog"]\n',
      'orders/pom.xml': [
        '<project>',
        '  <parent>',
        '    <groupId>org.springframework.boot</groupId>',
        '    <artifactId>spring-boot-starter-parent</artifactId>',
        '    <version>3.3.2</version>',
        '  </parent>',
        '  <properties>',
        '    <java.version>21</java.version>',
        '  </properties>',
        '  <dependencies>',
        '    <dependency>',
        '      <groupId>org.springframework.boot</groupId>',
        '      <artifactId>spring-boot-starter-web</artifactId>',
        '    </dependency>',
        '    <dependency>',
        '      <groupId>org.springframework.boot</groupId>',
        '      <artifactId>spring-boot-starter-data-jpa</artifactId>',
        '    </dependency>',
        '  </dependencies>',
        '</project>',
      ].join('\n'),
      'orders/src/main/java/shop/orders/OrdersApplication.java':
        'package shop.orders;\n\nimport org.springframework.boot.SpringApplication;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n\n@SpringBootApplication\npublic class OrdersApplication {\n  public static void main(String[] args) {\n    SpringApplication.run(OrdersApplication.class, args);\n  }\n}\n',
      'orders/Dockerfile': 'FROM eclipse-temurin:21\nCMD ["java", "-jar", "app.jar"]\n',
      'reports/requirements.txt': 'fastapi==0.115.0\n',
      'reports/app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get("/reports")\ndef reports():\n    return []\n',
      'reports/Dockerfile': 'FROM python:3.12\nCMD ["uvicorn", "app:app"]\n',
      // A load generator outside every component: its libraries are not the system's.
      'tools/load/requirements.txt': 'locust==2.31.0\nflask==3.0.0\n',
      // A broken manifest: a warning at most, never a crash.
      'broken/Gemfile': "gem 'rails', '~> 7\ngroup :test do\n",
    });
    model = await analyseRepo(root);
  }, 60_000);

  const tech = (name: string) => model.techStack.find((t) => t.name === name);
  const comp = (path: string) => model.components.find((c) => c.path === path);

  it('reads a package.json no workspace lists', () => {
    expect(tech('NestJS')).toMatchObject({ version: '^10.4.0', usedBy: ['component:checkout'], evidence: [{ file: 'checkout/package.json', line: 4 }] });
    expect(tech('ioredis')?.usedBy).toEqual(['component:checkout']);
  });

  it('reads go.mod requirements the component’s production Go files import, not a test library', () => {
    expect(tech('Gin')).toMatchObject({
      category: 'framework',
      version: 'v1.10.0',
      usedBy: ['component:catalog'],
      evidence: [{ file: 'catalog/go.mod', line: 6 }],
    });
    expect(tech('GORM')).toMatchObject({ category: 'orm', usedBy: ['component:catalog'] });
    expect(model.techStack.some((t) => /testify/i.test(t.name))).toBe(false);
  });

  it('reads pom.xml: Spring Boot at its parent with the parent’s version, and what each starter starts', () => {
    expect(tech('Spring Boot')).toMatchObject({ version: '3.3.2', usedBy: ['component:orders'], evidence: [{ file: 'orders/pom.xml', line: 4 }] });
    expect(tech('Spring Web MVC')).toMatchObject({ usedBy: ['component:orders'], evidence: [{ file: 'orders/pom.xml', line: 13 }] });
    expect(tech('Spring Data JPA')?.category).toBe('orm');
  });

  it('reads requirements.txt of a component, and nothing of a build file outside every component', () => {
    expect(tech('FastAPI')).toMatchObject({ version: '0.115.0', usedBy: ['component:reports'] });
    expect(tech('Flask')).toBeUndefined();
  });

  it('gives each component its language as a technology, with the version its build file states', () => {
    expect(tech('Go')).toMatchObject({
      category: 'language',
      layer: 'backend',
      version: '1.22',
      usedBy: ['component:catalog'],
      evidence: [{ file: 'catalog/main.go', line: 1 }],
    });
    expect(tech('Java')).toMatchObject({ version: '21', usedBy: ['component:orders'] });
    expect(tech('Python')?.usedBy).toEqual(['component:reports']);
    expect(tech('TypeScript')).toMatchObject({ layer: 'backend', usedBy: ['component:checkout', 'component:web'] });
  });

  it('completes each component’s tech list from the entries that name it', () => {
    expect(comp('catalog')?.tech).toEqual(expect.arrayContaining(['tech:gin', 'tech:gorm', 'tech:go']));
    expect(comp('orders')?.tech).toEqual(expect.arrayContaining(['tech:spring-boot', 'tech:spring-web-mvc', 'tech:java']));
    for (const c of model.components) for (const id of c.tech) expect(model.techStack.some((t) => t.id === id && t.usedBy.includes(c.id))).toBe(true);
  });
});
