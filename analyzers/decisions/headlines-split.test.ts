/**
 * Headline rules where the evidence is split or partial (issue #22): compose services that build
 * a component's Dockerfile, test runners, hosted sites, quiet servers, compose beside another
 * platform, and databases whose users are in languages archdoc does not read.
 */
import { describe, expect, it } from 'vitest';
import type { Component, Model } from '../../src/model/schema.js';
import { platformHeadline, primaryDatabaseHeadline, styleHeadline } from './headlines.js';
import { decisionWords } from '../../src/render/view-decisions.js';
import { headlineModel } from './headlines-test-model.js';

const ev = (file: string, line = 1) => [{ file, line }];
const comp = (path: string, kind: Component['kind'], language = 'TypeScript', dependsOn: string[] = []): Component => ({
  id: `component:${path}`,
  name: path,
  kind,
  path,
  language,
  tech: [],
  dependsOn: dependsOn.map((t) => ({ target: `component:${t}`, kind: 'package', evidence: ev(`${path}/package.json`) })),
  evidence: ev(`${path}/package.json`),
});
type Workload = Model['deployment']['workloads'][number];
const workload = (name: string, kind: string, details: Workload['details'] = {}, component?: string): Workload => ({
  id: `workload:${kind}:${name}`,
  name,
  kind,
  details,
  evidence: ev(kind === 'compose service' ? 'docker-compose.yml' : `k8s/${name}.yaml`),
  ...(component ? { component } : {}),
});
const dockerfile = (path: string): Model['deployment']['containers'][number] => ({
  id: `container:${path}/Dockerfile`,
  name: path,
  component: `component:${path}`,
  ports: [],
  details: { source: 'dockerfile', baseImage: 'node:20-alpine' },
  evidence: ev(`${path}/Dockerfile`),
});
const endpoint = (component: string, path: string): Model['endpoints'][number] => ({
  id: `endpoint:GET ${path}`,
  name: `GET ${path}`,
  protocol: 'http',
  method: 'GET',
  path,
  component: `component:${component}`,
  evidence: ev(`${component}/src/app.ts`),
});
const store = (tech: string, name: string, usedBy: string[], kind: Model['dataStores'][number]['kind'] = 'relational'): Model['dataStores'][number] => ({
  id: `datastore:${tech}`,
  name,
  tech,
  kind,
  usedBy: usedBy.map((u) => `component:${u}`),
  evidence: ev('docker-compose.yml'),
});
const entity = (name: string, storeTech: string): Model['schemas'][number] =>
  ({
    id: `schema:${name}`,
    name,
    store: `datastore:${storeTech}`,
    fields: [],
    relations: [],
    evidence: ev(`${name}.ts`),
  }) as unknown as Model['schemas'][number];
const model = headlineModel;

describe('architecture style: what is one unit', () => {
  it('a compose service built from the root context with dockerfile: backend/Dockerfile is the backend, and a Playwright service is no unit', () => {
    const m = model({
      components: [comp('backend', 'worker', 'Python'), comp('frontend', 'frontend')],
      containers: [
        dockerfile('backend'),
        { ...dockerfile('frontend'), id: 'container:frontend/Dockerfile.playwright', evidence: ev('frontend/Dockerfile.playwright') },
      ],
      workloads: [
        workload('backend', 'compose service', { build: '. (backend/Dockerfile)' }),
        workload('playwright', 'compose service', { build: '. (frontend/Dockerfile.playwright)' }),
        workload('db', 'compose service', { image: 'postgres:18' }),
      ],
    });
    const h = styleHeadline(m)!;
    expect(h.decision).toBe('Monolith');
    expect(h.basis).toMatchObject({ servers: ['backend'] });
  });

  it('a front end a hosting platform runs with no endpoint, store or channel is a site: with a CLI beside it, Undetermined', () => {
    const m = model({
      components: [comp('cli', 'cli'), comp('www', 'frontend')],
      workloads: [workload('www', 'Vercel project', { platform: 'Vercel', unit: 'server' }, 'component:www')],
    });
    const h = styleHeadline(m)!;
    expect(h.decision).toBe('Undetermined');
    expect(h.basis).toMatchObject({ outcome: 'undetermined', servers: [], sites: ['www'] });
    expect(decisionWords(h.basis).context).toBe(
      'No part of a running system was found: 2 components (cli and frontend); the front end a hosting platform runs (www) serves no endpoint and reaches no data store or channel.',
    );
  });

  it('the same front end reaching a database through a workspace package it depends on is the monolith', () => {
    const m = model({
      components: [comp('apps/web', 'frontend', 'TypeScript', ['packages/db']), comp('packages/db', 'library')],
      dataStores: [store('postgresql', 'PostgreSQL', ['packages/db'])],
      workloads: [workload('web', 'Vercel project', { platform: 'Vercel', unit: 'server' }, 'component:apps/web')],
    });
    expect(styleHeadline(m)!.decision).toBe('Monolith');
  });

  it('a quiet server beside one with endpoints and data (an SMTP relay to the application) is not another service', () => {
    const m = model({
      components: [comp('apps/web', 'service'), comp('apps/smtp', 'service')],
      endpoints: [endpoint('apps/web', '/api/v1/emails')],
      dataStores: [store('postgresql', 'PostgreSQL', ['apps/web'])],
    });
    const h = styleHeadline(m)!;
    expect(h.decision).toBe('Monolith');
    expect(h.basis).toMatchObject({ servers: ['apps/web'], quiet: ['apps/smtp'] });
    expect(decisionWords(h.basis).context).toBe(
      'One long-running deployable unit (apps/web); apps/smtp beside it serves no endpoint and reaches no data store or channel: not counted as another service.',
    );
  });

  it('a web app and a job worker over one schema package and database are one application: Monolith, the worker said as its background process', () => {
    const entityOf = (name: string, component: string) => ({ ...entity(name, 'postgresql'), component: `component:${component}` });
    const m = model({
      components: [
        comp('apps/web', 'service', 'TypeScript', ['packages/db']),
        comp('apps/jobs', 'worker', 'TypeScript', ['packages/db']),
        comp('packages/db', 'library'),
      ],
      endpoints: [endpoint('apps/web', '/api/notes')],
      dataStores: [store('postgresql', 'PostgreSQL', ['packages/db', 'apps/web', 'apps/jobs'])],
      schemas: [entityOf('Note', 'packages/db'), entityOf('User', 'packages/db')],
    });
    const h = styleHeadline(m)!;
    expect(h.decision).toBe('Monolith');
    expect(h.basis).toMatchObject({ servers: ['apps/web'], processes: [{ process: 'apps/jobs', of: 'apps/web', model: 'packages/db' }] });
    expect(decisionWords(h.basis).context).toBe(
      'One long-running deployable unit (apps/web), with its background process apps/jobs, which shares its data model (packages/db) and database.',
    );
    // A worker with a data model of its own, and a second server over the same model, are units of their own.
    const own = model({
      components: [comp('apps/web', 'service', 'TypeScript', ['packages/db']), comp('apps/jobs', 'worker', 'TypeScript'), comp('packages/db', 'library')],
      endpoints: [endpoint('apps/web', '/api/notes')],
      dataStores: [store('postgresql', 'PostgreSQL', ['packages/db', 'apps/web', 'apps/jobs'])],
      schemas: [entityOf('Note', 'packages/db'), entityOf('Job', 'apps/jobs')],
    });
    expect(styleHeadline(own)!.decision).toBe('A small set of services');
    const two = model({
      components: [...m.components, comp('apps/admin', 'service', 'TypeScript', ['packages/db'])],
      endpoints: [endpoint('apps/web', '/api/notes'), endpoint('apps/admin', '/admin')],
      dataStores: [store('postgresql', 'PostgreSQL', ['packages/db', 'apps/web', 'apps/jobs', 'apps/admin'])],
      schemas: m.schemas,
    });
    expect(styleHeadline(two)!.decision).toBe('Microservices');
  });

  it('a second app mounting the same API package (every endpoint from the same shared definition) is another host of that API: Monolith', () => {
    const rpc = (component: string, path: string, line: number): Model['endpoints'][number] => ({
      id: `endpoint:${component}:rpc ${path}`,
      name: `rpc ${path}`,
      protocol: 'trpc',
      method: 'rpc',
      path,
      component: `component:${component}`,
      details: { routeFile: 'packages/api/src/router/post.ts', routeLine: line },
      evidence: ev(`${component}/src/api/trpc.ts`),
    });
    const m = model({
      components: [
        comp('apps/nextjs', 'frontend', 'TypeScript', ['packages/api']),
        comp('apps/start', 'frontend', 'TypeScript', ['packages/api']),
        comp('packages/api', 'library'),
      ],
      endpoints: [
        rpc('apps/nextjs', 'post.all', 10),
        rpc('apps/nextjs', 'post.byId', 14),
        endpoint('apps/nextjs', '/api/auth'),
        rpc('apps/start', 'post.all', 10),
        rpc('apps/start', 'post.byId', 14),
      ],
    });
    const h = styleHeadline(m)!;
    expect(h.decision).toBe('Monolith');
    expect(h.basis).toMatchObject({ servers: ['apps/nextjs'], hosts: [{ host: 'apps/start', of: 'apps/nextjs', from: 'packages/api' }] });
    expect(decisionWords(h.basis).context).toBe(
      'One long-running deployable unit (apps/nextjs); apps/start serves the same API from packages/api: another host of it, not another service.',
    );
    // Its own adapter routes for the shared API, spelt its framework's way (`/api/trpc/*` beside `/api/trpc/:trpc`), change nothing.
    const adapters = model({
      components: m.components,
      endpoints: [...m.endpoints, endpoint('apps/nextjs', '/api/trpc/:trpc'), endpoint('apps/start', '/api/trpc/*'), endpoint('apps/start', '/api/auth')],
    });
    expect(styleHeadline(adapters)!.decision).toBe('Monolith');
    // Endpoints of its own code, or two services with the same health route defined each in its own folder, are separate services.
    const own = model({ components: m.components, endpoints: [...m.endpoints, endpoint('apps/start', '/api/start-only')] });
    expect(styleHeadline(own)!.decision).toBe('A small set of services');
    const health = model({ components: [comp('a', 'service'), comp('b', 'service')], endpoints: [endpoint('a', '/health'), endpoint('b', '/health')] });
    expect(styleHeadline(health)!.decision).toBe('A small set of services');
  });

  it('quiet servers are counted when they are the most, or in a language archdoc does not read, or use a technology it does not read', () => {
    const most = model({ components: [comp('a', 'service'), comp('b', 'service'), comp('c', 'service')], endpoints: [endpoint('a', '/a')] });
    expect(styleHeadline(most)!.decision).toBe('Microservices');
    const polyglot = model({ components: [comp('web', 'service'), comp('ratings', 'service', 'PHP')], endpoints: [endpoint('web', '/')] });
    expect(styleHeadline(polyglot)!.decision).toBe('A small set of services');
    const hapi = model({ components: [comp('web', 'service'), comp('api', 'service')], endpoints: [endpoint('web', '/')] });
    hapi.techStack = [
      {
        id: 'tech:hapi',
        name: 'hapi',
        category: 'framework',
        usedBy: ['component:api'],
        evidence: ev('api/package.json'),
      } as Model['techStack'][number],
    ];
    expect(styleHeadline(hapi)!.decision).toBe('A small set of services');
  });
});

describe('deployment platform: compose beside another platform', () => {
  const services = ['asset', 'sensor', 'site', 'switch'];
  const components = services.map((s) => comp(`services/${s}`, 'service', 'Go'));

  it('compose running every service, Kubernetes manifests for some (matched by name): Docker Compose, with both counts', () => {
    const m = model({
      components,
      workloads: [
        ...services.map((s) => workload(`${s}-service`, 'compose service', { image: `acme/${s}-service:latest` })),
        workload('mongo', 'compose service', { image: 'mongo:4.2' }),
        workload('asset', 'Deployment'),
        workload('site', 'Deployment'),
      ],
    });
    const h = platformHeadline(m)!;
    expect(h.decision).toBe('Docker Compose');
    expect(h.basis).toMatchObject({
      outcome: 'platforms',
      platforms: [
        { name: 'Docker Compose', count: 4 },
        { name: 'Kubernetes', count: 2 },
      ],
    });
  });

  it('compose running as many units as Kubernetes is the local run: Kubernetes, with the compose count said', () => {
    const m = model({
      components,
      containers: services.map((s) => dockerfile(`services/${s}`)),
      workloads: [...services.map((s) => workload(s, 'compose service', { build: `services/${s}` })), ...services.map((s) => workload(s, 'Deployment'))],
    });
    const h = platformHeadline(m)!;
    expect(h.decision).toBe('Kubernetes');
    expect(h.basis).toMatchObject({ platforms: [{ name: 'Kubernetes', count: 4 }], composeLocal: 4 });
    expect(decisionWords(h.basis).counts).toContain(
      'not counted, Docker Compose: 4 deployable units, no more than the platform named runs: taken as the local run',
    );
  });

  it("a compose file in a service's folder running the project's own image names Docker Compose; a database image in the root compose does not", () => {
    const relay = model({
      components: [comp('apps/smtp', 'service')],
      workloads: [
        { ...workload('smtp', 'compose service', { image: 'acme/smtp-proxy:latest' }, 'component:apps/smtp'), evidence: ev('apps/smtp/docker-compose.yml') },
      ],
    });
    expect(platformHeadline(relay)!.decision).toBe('Docker Compose');
    const db = model({ components: [comp('.', 'service')], workloads: [workload('db', 'compose service', { image: 'mysql:8.4' }, 'component:.')] });
    expect(platformHeadline(db)).toBeUndefined();
  });

  it('compose running the images the CI publishes, named <scope>-<package> with a version variable: Docker Compose, both units', () => {
    const web = { ...comp('apps/web', 'service'), packageName: '@notes/web' };
    const jobs = { ...comp('apps/jobs', 'worker'), packageName: '@notes/jobs' };
    const m = model({
      components: [web, jobs],
      workloads: [
        workload('app', 'compose service', { image: 'ghcr.io/notes-org/notes-web:${NOTES_VERSION:-release}' }),
        workload('background', 'compose service', { image: 'ghcr.io/notes-org/notes-jobs:${NOTES_VERSION:-release}' }),
        workload('cache', 'compose service', { image: 'redis:7-alpine' }),
      ],
    });
    const h = platformHeadline(m)!;
    expect(h.decision).toBe('Docker Compose');
    expect(h.basis).toMatchObject({ platforms: [{ name: 'Docker Compose', count: 2 }] });
  });
});

describe('primary database: entity counts that are partial', () => {
  it('MongoDB used by Node services, MySQL by none of the code read, beside PHP and Go services: Undetermined, with why', () => {
    const m = model({
      components: [comp('catalogue', 'service', 'JavaScript'), comp('ratings', 'service', 'PHP'), comp('dispatch', 'worker', 'Go')],
      dataStores: [store('mongodb', 'MongoDB', ['catalogue'], 'document'), store('mysql', 'MySQL', [])],
      schemas: [entity('products', 'mongodb'), entity('users', 'mongodb'), entity('ratings', 'mysql')],
    });
    const h = primaryDatabaseHeadline(m)!;
    expect(h.decision).toBe('Undetermined');
    expect(h.basis).toMatchObject({
      outcome: 'unread-users',
      stores: [
        { name: 'MongoDB', count: 2 },
        { name: 'MySQL', count: 1 },
      ],
      unread: { stores: ['MySQL'], languages: ['Go', 'PHP'] },
    });
    expect(decisionWords(h.basis).context).toBe(
      '2 databases are found (MongoDB and MySQL); no TypeScript or JavaScript code uses MySQL, and the services in Go and PHP that may are not read: the entity counts are partial, so none is named.',
    );
  });

  it('Go programs importing the module whose migrations hold the entities had their data code read: the counts are whole', () => {
    const imports = (c: Component): Component => ({ ...c, dependsOn: [{ target: 'component:.', kind: 'import', evidence: ev(`${c.path}/main.go`) }] });
    const m = model({
      components: [comp('.', 'library', 'Go'), imports(comp('writer', 'service', 'Go')), imports(comp('reader', 'service', 'Go'))],
      dataStores: [store('postgresql', 'PostgreSQL', ['writer']), store('mongodb', 'MongoDB', ['reader'], 'document')],
      schemas: [{ ...entity('products', 'postgresql'), component: 'component:.' }],
    });
    const h = primaryDatabaseHeadline(m)!;
    expect(h.decision).toBe('PostgreSQL');
    expect(h.basis).toMatchObject({ outcome: 'most-entities' });
    // Without the imports they are services in a language whose data code was not read.
    const unread = model({ ...m, components: [comp('.', 'library', 'Go'), comp('writer', 'service', 'Go'), comp('reader', 'service', 'Go')] });
    expect(primaryDatabaseHeadline(unread)!.basis).toMatchObject({ outcome: 'unread-users' });
  });

  it('no entity names a store, and one of the databases is the one the deployment provisions (a Heroku add-on): that one', () => {
    const heroku = { ...store('postgresql', 'PostgreSQL', ['.']), details: { provisionedBy: ['Heroku add-on heroku-postgresql:essential-0'] } };
    const m = model({
      components: [comp('.', 'service', 'Python')],
      dataStores: [heroku, store('sqlite', 'SQLite', ['.'])],
      schemas: [entity('users', 'none'), entity('shares', 'none')].map((e) => ({ ...e, store: undefined })),
    });
    const h = primaryDatabaseHeadline(m)!;
    expect(h.decision).toBe('PostgreSQL');
    expect(h.basis).toMatchObject({ outcome: 'provisioned', provisioned: { name: 'PostgreSQL', by: ['Heroku add-on heroku-postgresql:essential-0'] } });
    expect(decisionWords(h.basis).context).toBe(
      'No entity is attributed to a store, and 2 databases are found (PostgreSQL and SQLite); PostgreSQL is the one the deployment provisions (Heroku add-on heroku-postgresql:essential-0).',
    );
    // Without it, nothing says which holds the data.
    expect(primaryDatabaseHeadline(model({ ...m, dataStores: [store('postgresql', 'PostgreSQL', ['.']), store('sqlite', 'SQLite', ['.'])] }))!.decision).toBe(
      'Undetermined',
    );
  });

  it('each service its own database and none holding two thirds of the entities: Undetermined, with the counts', () => {
    const split = model({
      components: [comp('auth', 'service'), comp('ecom', 'service'), comp('home', 'service'), comp('chat', 'service')],
      dataStores: [store('mysql', 'MySQL', ['auth', 'ecom']), store('mongodb', 'MongoDB', ['home', 'chat'], 'document')],
      schemas: [
        ...['Users', 'Roles', 'Products', 'Carts', 'Orders'].map((n) => entity(n, 'mysql')),
        ...['Post', 'Comment', 'Conversation'].map((n) => entity(n, 'mongodb')),
      ],
    });
    const h = primaryDatabaseHeadline(split)!;
    expect(h.decision).toBe('Undetermined');
    expect(h.basis).toMatchObject({
      outcome: 'undetermined',
      stores: [
        { name: 'MySQL', count: 5 },
        { name: 'MongoDB', count: 3 },
      ],
      attributed: 8,
    });
    expect(decisionWords(h.basis).context).toBe(
      'Each service has its own database (MySQL and MongoDB, no service using two), and MySQL holds 5 of the 8 entities, less than two thirds: none is the primary database.',
    );
    // Two thirds or more, or a service using both: the most entities name it.
    split.schemas.push(entity('Invoices', 'mysql'));
    expect(primaryDatabaseHeadline(split)!.decision).toBe('MySQL');
    split.schemas.pop();
    split.dataStores[1]!.usedBy = ['component:home', 'component:auth'];
    expect(primaryDatabaseHeadline(split)!.decision).toBe('MySQL');
  });

  it('the same stores with every service read, or one database only: the most-entities rule', () => {
    const read = model({
      components: [comp('catalogue', 'service', 'JavaScript')],
      dataStores: [store('mongodb', 'MongoDB', ['catalogue'], 'document'), store('mysql', 'MySQL', [])],
      schemas: [entity('products', 'mongodb'), entity('users', 'mongodb'), entity('ratings', 'mysql')],
    });
    expect(primaryDatabaseHeadline(read)!.decision).toBe('MongoDB');
    const one = model({
      components: [comp('vote', 'service', 'Python')],
      dataStores: [store('postgresql', 'PostgreSQL', [])],
      schemas: [entity('votes', 'postgresql')],
    });
    expect(primaryDatabaseHeadline(one)!.decision).toBe('PostgreSQL');
  });
});
