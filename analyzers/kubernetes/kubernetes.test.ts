import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { parse } from 'yaml';
import { hpaPoliciesOf } from './manifests.js';
import { scrubTemplated, staticTemplate } from './helm.js';

let m: Model;
beforeAll(async () => {
  m = await analyseFixture('k8s-helm-platform');
}, 60_000);

describe('kubernetes analyzer on k8s-helm-platform', () => {
  it('reads workloads once across base and overlay trees', () => {
    const catalog = m.deployment.workloads.find((w) => w.id === 'workload:kubernetes:Deployment/catalog');
    expect(catalog?.component).toBe('component:services/catalog');
    expect(catalog?.details).toMatchObject({ replicas: 2, strategy: { kind: 'rolling-update', rollingUpdate: { maxSurge: '1', maxUnavailable: '0' } } });
    expect(catalog?.evidence).toEqual([
      { file: 'deploy/k8s/base/catalog.yaml', line: 2 },
      { file: 'deploy/k8s/overlays/production/catalog-patch.yaml', line: 2 },
    ]);
    expect(m.deployment.workloads.find((w) => w.id === 'workload:kubernetes:CronJob/catalog-reindex')?.details?.schedule).toBe('0 3 * * *');
  });

  it('describes containers with probes, users and environment names only', () => {
    const c = m.deployment.containers.find((x) => x.id === 'container:kubernetes:Deployment/catalog/catalog');
    expect(c).toMatchObject({ image: 'ghcr.io/shop/catalog:2.3.0', ports: ['8080 (http)'], user: 'non-root (runAsNonRoot)' });
    expect(c?.healthcheck).toBe('readiness: HTTP GET /healthz on port http; liveness: HTTP GET /healthz on port http');
    expect(c?.details?.environment).toEqual(['DATABASE_PASSWORD', 'NODE_ENV', 'SEARCH_API_TOKEN']);
  });

  it('merges the HPA, replica count and Kustomize overrides into one scaling fact', () => {
    const s = m.scaling.find((x) => x.id === 'scaling:kubernetes:Deployment/catalog');
    expect(s).toMatchObject({ category: 'autoscaling' });
    expect(s?.details).toMatchObject({
      min: 2,
      max: 12,
      desired: 2,
      policies: [
        { by: 'resource', resource: 'cpu', utilisation: 70 },
        { by: 'resource', resource: 'memory', utilisation: 80 },
      ],
      overrides: ['production: 4 replicas', 'staging: 1 replica'],
    });
  });

  it('keeps Secret keys and never Secret data', () => {
    expect(m.infrastructure.find((i) => i.id === 'infra:kubernetes:Secret/catalog-db')?.details?.keys).toEqual(['password', 'username']);
    const json = JSON.stringify(m);
    for (const v of ['c3VwZXItc2VjcmV0LWRiLXBhc3N3b3Jk', 'Y2F0YWxvZw==', 'tok_live_8f2a9c0d1e', 'sk_test_51H8xyzNotARealKey', 'glpat-hardcoded-example'])
      expect(json).not.toContain(v);
    const rules = m.security.filter((s) => s.tech === 'kubernetes' || s.tech === 'helm').map((s) => s.id);
    expect(rules).toEqual([
      'security:container-runs-as-root:kubernetes:StatefulSet/catalog-db/postgres',
      'security:helm-values-secret:checkout',
      'security:k8s-committed-secret:Deployment/catalog/catalog',
      'security:k8s-secret-committed:catalog-db',
    ]);
  });

  it('reads a container securityContext: read-only root filesystem, capabilities, privilege escalation', () => {
    const c = m.deployment.containers.find((x) => x.id === 'container:kubernetes:Deployment/catalog/catalog');
    expect(c?.details).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilitiesDropped: ['ALL'] });
    expect(m.deployment.containers.find((x) => x.id === 'container:kubernetes:CronJob/catalog-reindex/reindex')?.user).toBe('uid 1000');
  });

  it('raises no finding from a block behind a Helm condition the chart values never enable', () => {
    // deployment.yaml sets hostNetwork under `{{- if .Values.debug.hostNetwork }}`; values.yaml sets it false.
    expect(m.security.filter((s) => s.details?.rule === 'host-namespace')).toEqual([]);
  });

  it('reads Helm templates statically and warns once per chart', () => {
    const d = m.deployment.workloads.find((w) => w.id === 'workload:kubernetes:Deployment/checkout');
    expect(d).toMatchObject({ component: 'component:services/checkout', evidence: [{ file: 'deploy/charts/checkout/templates/deployment.yaml', line: 2 }] });
    // replicas sits in `if not .Values.autoscaling.enabled`, off with the chart's defaults.
    expect(d?.details?.replicas).toBeUndefined();
    expect(m.deployment.containers.find((c) => c.id === 'container:kubernetes:Deployment/checkout/checkout')?.image).toBe('ghcr.io/shop/checkout:1.9.1');
    expect(m.scaling.find((s) => s.id === 'scaling:kubernetes:Deployment/checkout')?.details).toMatchObject({
      min: 2,
      max: 8,
      policies: [{ by: 'resource', resource: 'cpu', utilisation: 75 }],
    });
    const ingress = m.infrastructure.find((i) => i.id === 'infra:kubernetes:Ingress/checkout');
    expect(ingress?.details?.condition).toBe('.Values.ingress.enabled (off by default)');
    const helmWarnings = m.warnings.filter((w) => w.message.startsWith('Helm chart'));
    expect(helmWarnings).toHaveLength(1);
    expect(m.dataStores.find((s) => s.id === 'datastore:redis')?.evidence).toContainEqual({ file: 'deploy/charts/checkout/Chart.yaml', line: 8 });
  });

  it('warns about a malformed YAML document and keeps the rest of the file', () => {
    expect(m.warnings).toContainEqual(expect.objectContaining({ file: 'deploy/k8s/jobs.yaml', line: 25, analyzer: 'kubernetes' }));
    expect(m.infrastructure.some((i) => i.id === 'infra:kubernetes:Service/catalog-metrics')).toBe(true);
  });

  it('records ingress TLS, disruption budgets and overlay environments', () => {
    expect(m.infrastructure.find((i) => i.id === 'infra:kubernetes:Ingress/shop')?.details).toMatchObject({
      tls: true,
      hosts: ['shop.example.com'],
      backends: ['catalog', 'checkout'],
    });
    expect(m.recovery.find((r) => r.id === 'recovery:disruption-budget:kubernetes:catalog')?.details).toEqual({ minAvailable: '1' });
    const prod = m.deployment.environments.find((e) => e.id === 'environment:production');
    expect(prod?.evidence).toContainEqual({ file: 'deploy/k8s/overlays/production/kustomization.yaml', line: 1 });
  });
});

describe('static Helm templates', () => {
  it('keeps line numbers and substitutes values, never secrets', () => {
    const t = staticTemplate(
      [
        '{{- if .Values.on }}',
        'kind: Secret',
        'metadata:',
        '  name: {{ include "c.fullname" . }}',
        'data:',
        '  token: {{ .Values.apiToken }}',
        '  size: {{ .Values.size | default 3 }}',
        '{{- end }}',
      ].join('\n'),
      { on: true, apiToken: 'abc', size: 5 },
      'chart',
    );
    expect(t.text.split('\n')).toEqual(['', 'kind: Secret', 'metadata:', '  name: chart', 'data:', '  token: TEMPLATED', '  size: 5', '']);
    expect(t.conditions[2]).toEqual(['on']);
  });

  it('writes toYaml of a values mapping on its own line in flow style, never one that holds a secret', () => {
    const t = staticTemplate(
      [
        'spec:',
        '  securityContext:',
        '    {{- toYaml .Values.securityContext | nindent 4 }}',
        '  {{- with .Values.resources }}',
        '  resources:',
        '    {{- toYaml . | nindent 4 }}',
        '  {{- end }}',
        '  env:',
        '    {{- toYaml .Values.env | nindent 4 }}',
        '  auth:',
        '    {{- toYaml .Values.auth | nindent 4 }}',
      ].join('\n'),
      {
        auth: { user: 'u', password: 'hunter2' },
        securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
        resources: { limits: { memory: '512Mi' } },
        env: [{ name: 'DB_PASSWORD', value: 'x' }],
      },
      'chart',
    );
    expect(t.text.split('\n')).toEqual([
      'spec:',
      '  securityContext:',
      '    {"runAsNonRoot":true,"capabilities":{"drop":["ALL"]}}',
      '',
      '  resources:',
      '    {"limits":{"memory":"512Mi"}}',
      '',
      '  env:',
      '    [{"name":"DB_PASSWORD","value":"x"}]',
      '  auth:',
      '',
    ]);
    expect(t.text).not.toContain('hunter2');
    expect(t.conditions[5]).toEqual(['resources']);
  });

  it('reads quoted literals and variables set earlier, and never lets its placeholder reach a fact', () => {
    const t = staticTemplate(
      [
        '{{- $fullName := include "ui.fullname" . -}}',
        'kind: Deployment',
        'metadata:',
        '  name: {{ $fullName }}-{{ .name }}',
        '  namespace: {{ .Release.Namespace }}',
        'spec:',
        '  containers:',
        '    - name: {{ "carts" }}',
        '      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
        '  ingressClass: {{ .Values.className }}',
        '  metrics:',
        '    - type: Resource',
        '      resource:',
        '        name: memory',
        '        target:',
        '          averageUtilization: {{ .Values.autoscaling.targetMemoryUtilizationPercentage }}',
        '    - type: Resource',
        '      resource:',
        '        name: cpu',
        '        target:',
        '          averageUtilization: {{ .Values.autoscaling.targetCPUUtilizationPercentage }}',
      ].join('\n'),
      { image: { repository: 'shop/ui' }, autoscaling: { targetCPUUtilizationPercentage: 80 } },
      'ui',
    );
    const doc = scrubTemplated(parse(t.text)) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    expect(JSON.stringify(doc)).not.toContain('TEMPLATED');
    // The variable is the chart's full name; a part set only at install reads as such; the release namespace is not stated.
    expect(doc.metadata).toEqual({ name: 'ui-(templated)' });
    expect(doc.spec.containers).toEqual([{ name: 'carts', image: 'shop/ui' }]);
    // A value with no default is left out: the fact is not stated rather than stated as a placeholder.
    expect(doc.spec.ingressClass).toBeUndefined();
    // The memory metric's target is a value with no default: no memory policy, the CPU one kept.
    expect(hpaPoliciesOf(doc.spec)).toEqual([{ by: 'resource', resource: 'cpu', utilisation: 80 }]);
    // A Secret keeps its keys whatever their values.
    expect(scrubTemplated({ kind: 'Secret', data: { apiKey: 'TEMPLATED', user: 'dQ==' } })).toEqual({ kind: 'Secret', data: { apiKey: '', user: 'dQ==' } });
    // Two sub-parts' helpers name two workloads apart (`catalog.mysql.fullname` is the chart's name then `-mysql`).
    const two = staticTemplate(
      'a: {{ include "catalog.mysql.fullname" . }}\nb: {{ include "catalog.opensearch.fullname" . }}\nc: {{ include "catalog.fullname" . }}',
      {},
      'catalog',
    );
    expect(two.text).toBe('a: catalog-mysql\nb: catalog-opensearch\nc: catalog');
  });
});
