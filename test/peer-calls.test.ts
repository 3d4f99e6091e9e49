/**
 * Calls between services that their deployment configures (src/analysis/peer-calls.ts, the
 * compose and kubernetes link phases): an environment value naming another deployed service
 * makes the caller's component depend on the callee's, with the variable and its line, and
 * nothing else of the value is kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { peerHosts } from '../src/analysis/peer-calls.js';
import { serviceOfHost } from '../analyzers/kubernetes/calls.js';
import { analyseRepo, removeTemps, tempRepo } from './helpers.js';

afterEach(removeTemps);

describe('peerHosts: the hosts an environment value names', () => {
  it('reads URLs and host:port, lower case, without credentials, paths or queries', () => {
    expect(peerHosts('http://catalog:8080/api/v1?x=1')).toEqual([{ host: 'catalog', scheme: 'http' }]);
    expect(peerHosts('postgres://orders:s3cret@orders-db:5432/orders')).toEqual([{ host: 'orders-db', scheme: 'postgres' }]);
    expect(peerHosts('HTTPS://Catalog.Shop.svc.cluster.local')).toEqual([{ host: 'catalog.shop.svc.cluster.local', scheme: 'https' }]);
    expect(peerHosts('catalog:50051')).toEqual([{ host: 'catalog' }]);
    expect(peerHosts(' kafka-1:9092, kafka-2:9092 ')).toEqual([{ host: 'kafka-1' }, { host: 'kafka-2' }]);
  });

  it('names nothing for the machine itself, interpolations, bare words and other settings', () => {
    for (const v of [
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      '${API_URL}',
      'http://{{ .Values.host }}:80',
      'catalog',
      'true',
      '8080',
      'ratio: 0.5',
      'a:b',
      ':8080',
      '1.2.3.4:80',
      'http://:80',
      'javascript:alert(1)',
      42,
      undefined,
      'x'.repeat(5000),
    ]) {
      expect(peerHosts(v), String(v).slice(0, 40)).toEqual([]);
    }
  });

  it('takes the Service and namespace from a cluster DNS name, and nothing from an outside host', () => {
    expect(serviceOfHost('catalog')).toEqual({ name: 'catalog' });
    expect(serviceOfHost('catalog.shop')).toEqual({ name: 'catalog', namespace: 'shop' });
    expect(serviceOfHost('catalog.shop.svc.cluster.local')).toEqual({ name: 'catalog', namespace: 'shop' });
    expect(serviceOfHost('api.stripe.com')).toBeUndefined();
  });
});

const pkg = (name: string) => JSON.stringify({ name, version: '1.0.0', scripts: { start: 'node src/main.js' }, dependencies: { express: '4.19.2' } });
const server = "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(8080);\n";

describe('calls configured by docker compose', () => {
  it('a service whose environment names another service (by name, hostname or alias) calls its component', async () => {
    const root = tempRepo('archdoc-peer-compose-', {
      'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['services/*'] }),
      'services/web/package.json': pkg('@shop/web'),
      'services/web/src/main.js': server,
      'services/web/Dockerfile': 'FROM node:20-alpine\nCOPY . .\nCMD ["node", "src/main.js"]\n',
      'services/orders/package.json': pkg('@shop/orders'),
      'services/orders/src/main.js': server,
      'services/orders/Dockerfile': 'FROM node:20-alpine\nCOPY . .\nCMD ["node", "src/main.js"]\n',
      'services/catalog/package.json': pkg('@shop/catalog'),
      'services/catalog/src/main.js': server,
      'services/catalog/Dockerfile': 'FROM node:20-alpine\nCOPY . .\nCMD ["node", "src/main.js"]\n',
      'docker-compose.yml': [
        'services:',
        '  web:',
        '    build: ./services/web',
        '    environment:',
        '      - ORDERS_URL=http://orders-api:8080/v1',
        '      - CATALOG_ADDR=catalog:8080',
        '      - DATABASE_URL=postgres://shop:pw@db:5432/shop',
        '      - SELF_URL=http://web:8080',
        '      - DOCS_URL=https://docs.example.org',
        '  orders:',
        '    build: ./services/orders',
        '    hostname: orders-api',
        '    environment:',
        '      CATALOG_URL: http://catalog-internal:8080',
        '  catalog:',
        '    build: ./services/catalog',
        '    networks:',
        '      back:',
        '        aliases: [catalog-internal]',
        '  db:',
        '    image: postgres:16',
        'networks:',
        '  back: {}',
        '',
      ].join('\n'),
    });
    const model = await analyseRepo(root);
    const deps = (id: string) => model.components.find((c) => c.id === id)?.dependsOn.filter((d) => d.kind === 'call');
    expect(deps('component:services/web')).toEqual([
      { target: 'component:services/catalog', kind: 'call', via: 'CATALOG_ADDR', evidence: [{ file: 'docker-compose.yml', line: 6 }] },
      { target: 'component:services/orders', kind: 'call', via: 'ORDERS_URL', protocol: 'http', evidence: [{ file: 'docker-compose.yml', line: 5 }] },
    ]);
    expect(deps('component:services/orders')).toEqual([
      { target: 'component:services/catalog', kind: 'call', via: 'CATALOG_URL', protocol: 'http', evidence: [{ file: 'docker-compose.yml', line: 14 }] },
    ]);
    expect(deps('component:services/catalog')).toEqual([]);
    // The password in DATABASE_URL is nowhere in the model; the database is no component to call.
    expect(JSON.stringify(model)).not.toContain('shop:pw');
  });
});

describe('calls configured by Kubernetes manifests', () => {
  it('a container whose environment names a Service calls the component of the workloads it selects', async () => {
    const deployment = (name: string, env: string) =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: ${name}`,
        '  namespace: shop',
        'spec:',
        '  selector:',
        `    matchLabels: { app: ${name} }`,
        '  template:',
        '    metadata:',
        `      labels: { app: ${name} }`,
        '    spec:',
        '      containers:',
        `        - name: ${name}`,
        `          image: ghcr.io/acme/${name}:1.0.0`,
        env,
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: ${name}-svc`,
        '  namespace: shop',
        'spec:',
        `  selector: { app: ${name} }`,
        '  ports: [{ port: 80, targetPort: 8080 }]',
        '',
      ].join('\n');
    const root = tempRepo('archdoc-peer-k8s-', {
      'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['services/*'] }),
      'services/web/package.json': pkg('web'),
      'services/web/src/main.js': server,
      'services/catalog/package.json': pkg('catalog'),
      'services/catalog/src/main.js': server,
      'k8s/web.yaml': deployment(
        'web',
        [
          '          env:',
          '            - name: CATALOG_URL',
          '              value: http://catalog-svc.shop.svc.cluster.local:80',
          '            - name: UNKNOWN_URL',
          '              value: http://nowhere:80',
        ].join('\n'),
      ),
      'k8s/catalog.yaml': deployment('catalog', '          env: []'),
    });
    const model = await analyseRepo(root);
    const web = model.components.find((c) => c.id === 'component:services/web');
    expect(web?.dependsOn.filter((d) => d.kind === 'call')).toEqual([
      { target: 'component:services/catalog', kind: 'call', via: 'CATALOG_URL', protocol: 'http', evidence: [{ file: 'k8s/web.yaml', line: 17 }] },
    ]);
  });
});
