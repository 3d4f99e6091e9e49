import { describe, expect, it } from 'vitest';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { COMPOSE_FILE } from '../../src/data/compose-files.js';
import { canonicalEnvironment, isEnvironmentName } from '../../src/data/environments.js';
import { componentOfImage, dataStoreOfImage, imageRepository, supportOfImage } from '../../src/data/images.js';

describe('src/data/images', () => {
  it('parses image references', () => {
    expect(imageRepository('registry.example.com:5000/team/api:1.2@sha256:abc')).toEqual({ repository: 'team/api', base: 'api', tag: '1.2' });
    expect(imageRepository('docker.io/library/postgres:16')).toEqual({ repository: 'postgres', base: 'postgres', tag: '16' });
    expect(imageRepository('localhost/api')).toEqual({ repository: 'api', base: 'api', tag: undefined });
    expect(imageRepository('ghcr.io/acme/acme-web:${VERSION:-release}')).toEqual({ repository: 'acme/acme-web', base: 'acme-web', tag: undefined });
    expect(imageRepository('${REGISTRY}/api:{{ .Values.tag }}')).toEqual({ repository: 'api', base: 'api', tag: undefined });
  });

  it('recognises data stores, and SQL Server only under mssql/', () => {
    expect(dataStoreOfImage('bitnami/postgresql:15')?.tech).toBe('postgresql');
    expect(dataStoreOfImage('redis:7-alpine')).toEqual({ tech: 'redis', name: 'Redis', kind: 'cache' });
    expect(dataStoreOfImage('mcr.microsoft.com/mssql/server:2022-latest')?.tech).toBe('sqlserver');
    expect(dataStoreOfImage('ghcr.io/acme/server:1')).toBeUndefined();
    expect(dataStoreOfImage('shop/api:1')).toBeUndefined();
    // Search engines by name, not as a generic "search engine".
    expect(dataStoreOfImage('getmeili/meilisearch:v1.6')).toEqual({ tech: 'meilisearch', name: 'Meilisearch', kind: 'search' });
    expect(dataStoreOfImage('typesense/typesense:27.1')?.name).toBe('Typesense');
  });

  it('recognises brokers, observability stacks and proxies', () => {
    expect(supportOfImage('rabbitmq:3-management')).toEqual({ role: 'messaging', tech: 'rabbitmq' });
    expect(supportOfImage('confluentinc/cp-kafka:7.5.0')).toEqual({ role: 'messaging', tech: 'kafka' });
    expect(supportOfImage('grafana/grafana')?.role).toBe('observability');
    expect(supportOfImage('traefik:v3')).toEqual({ role: 'edge', tech: 'proxy' });
    expect(supportOfImage('postgres:16')).toBeUndefined();
  });

  it('links an image to the component whose package or directory it names', () => {
    const ctx = {
      workspace: {
        packages: [
          { path: '.', name: 'shop', componentId: 'component:root' },
          { path: 'services/orders', name: '@shop/orders-service', componentId: 'component:orders' },
          { path: 'apps/web', name: 'web', componentId: 'component:web' },
        ],
      },
    } as unknown as AnalyzerContext;
    expect(componentOfImage(ctx, 'ghcr.io/shop/orders:1.0')).toBe('component:orders');
    expect(componentOfImage(ctx, 'shop/orders-service')).toBe('component:orders');
    expect(componentOfImage(ctx, 'registry/shop-web:${TAG}')).toBe('component:web');
    expect(componentOfImage(ctx, 'shop')).toBeUndefined();
    expect(componentOfImage(ctx, 'postgres:16')).toBeUndefined();
  });
});

describe('src/data/environments', () => {
  it('canonicalises environment names', () => {
    expect(canonicalEnvironment('prod')).toBe('production');
    expect(canonicalEnvironment('Staging')).toBe('staging');
    expect(canonicalEnvironment('review/$CI_COMMIT_REF_SLUG')).toBe('preview');
    expect(canonicalEnvironment('${{ inputs.environment }}')).toBeUndefined();
    expect(canonicalEnvironment('eu-west')).toBe('eu-west');
  });

  it('tells environment directory names from others', () => {
    expect(['production', 'PRD', 'stage', 'dev', 'uat', 'sandbox'].map(isEnvironmentName)).toEqual([true, true, true, true, true, true]);
    expect(['base', 'components', 'prod-eu', 'overlays'].map(isEnvironmentName)).toEqual([false, false, false, false]);
  });
});

describe('src/data/compose-files', () => {
  it('matches compose files in any folder and nothing else', () => {
    for (const f of ['docker-compose.yml', 'deploy/compose.yaml', 'docker-compose.prod.yml', 'compose-dev.yaml']) expect(COMPOSE_FILE.test(f), f).toBe(true);
    for (const f of ['k8s/deployment.yaml', 'mycompose.yml', 'docker-compose.json', 'compose/values.yaml']) expect(COMPOSE_FILE.test(f), f).toBe(false);
  });
});
