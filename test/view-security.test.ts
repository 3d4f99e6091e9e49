import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { elbPolicyReach, nonRootOf, securitySynthesis, securityView } from '../src/render/view-security.js';
import { emptyModel } from '../src/model/empty.js';
import type { Infrastructure, Model, SecurityFact } from '../src/model/schema.js';

const ev = [{ file: 'src/auth.ts', line: 3 }];

describe('security section groups', () => {
  it('groups by typed fields, whatever the ids say', () => {
    const facts = [
      { id: 'a', name: 'POST /login', category: 'authentication', details: { route: 'POST /login', kind: 'login' }, evidence: ev },
      {
        id: 'b',
        name: 'Login and token issuance',
        category: 'authentication',
        details: { loginRoute: 'POST /login', tokenLibrary: 'jsonwebtoken' },
        evidence: ev,
      },
      { id: 'c', name: 'JSON Web Tokens (jsonwebtoken)', category: 'authentication', tech: 'jsonwebtoken', evidence: ev },
      { id: 'd', name: 'User', category: 'data', details: { fields: ['email'], source: 'prisma model' }, evidence: ev },
      { id: 'e', name: 'Secrets read from environment variables', category: 'data', details: { envVars: ['JWT_SECRET'] }, evidence: ev },
      { id: 'f', name: 'Guard AuthGuard', category: 'authorisation', evidence: ev },
    ] as SecurityFact[];
    const v = securityView(emptyModel({ security: facts }));
    expect(v.authRoutes.map((f) => f.id)).toEqual(['a']);
    expect(v.authMechanisms.map((f) => f.id)).toEqual(['c']);
    expect(v.pii.map((f) => f.id)).toEqual(['d']);
    expect(v.dataOther.map((f) => f.id)).toEqual(['e']);
  });

  it('the security template decodes no id', () => {
    const text = readFileSync(new URL('../templates/sections/security-architecture.njk', import.meta.url), 'utf8');
    expect(text).not.toMatch(/\.id\b|startsWith|"security:(?!overview|monitoring)/);
  });
});

describe('security synthesis', () => {
  const ev = (line: number) => [{ file: 'infra/main.tf', line }];
  const infra = (name: string, type: string, role: Infrastructure['role'], details: Infrastructure['details'], line: number): Infrastructure => ({
    id: `infra:infra/${name}`,
    name,
    type,
    role,
    source: 'terraform',
    details: { root: 'infra', ...details },
    evidence: ev(line),
  });

  it('words what a load balancer TLS policy allows', () => {
    expect(elbPolicyReach('ELBSecurityPolicy-TLS13-1-2-2021-06')).toBe('TLS 1.3 and 1.2');
    expect(elbPolicyReach('ELBSecurityPolicy-TLS13-1-3-2021-06')).toBe('TLS 1.3 only');
    expect(elbPolicyReach('ELBSecurityPolicy-TLS-1-2-2017-01')).toBe('TLS 1.2 and above');
    expect(elbPolicyReach('ELBSecurityPolicy-2016-08')).toBe('accepts TLS below 1.2');
    expect(elbPolicyReach('var.ssl_policy')).toBeUndefined();
  });

  it('reads users as non-root, root or not stated', () => {
    expect(['node', '1000:1000', 'uid 1000', 'non-root (runAsNonRoot)'].map(nonRootOf)).toEqual(['yes', 'yes', 'yes', 'yes']);
    expect(['root', '0', 'uid 0', 'root (no USER instruction)'].map(nonRootOf)).toEqual(['no', 'no', 'no', 'no']);
    expect([undefined, 'uid TEMPLATED'].map(nonRootOf)).toEqual(['not stated', 'not stated']);
  });

  it('states transport settings, perimeter controls, hardening and identity counts with evidence', () => {
    const model = emptyModel({
      infrastructure: [
        infra('aws_lb_listener.https', 'aws_lb_listener', 'edge', { protocol: 'HTTPS', port: 443, tlsPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }, 1),
        infra('aws_lb_listener.http', 'aws_lb_listener', 'edge', { protocol: 'HTTP', port: 80, redirect: 'HTTPS' }, 10),
        infra('aws_lb_listener.plain', 'aws_lb_listener', 'edge', { protocol: 'HTTP', port: 8080 }, 20),
        infra('aws_cloudfront_distribution.web', 'aws_cloudfront_distribution', 'edge', { viewerProtocolPolicy: 'allow-all', origins: 1, waf: true }, 30),
        infra('aws_wafv2_web_acl.edge', 'aws_wafv2_web_acl', 'edge', { rules: 3, managedRuleGroups: ['AWSManagedRulesCommonRuleSet'], rateLimiting: true }, 40),
        infra('aws_security_group.app', 'aws_security_group', 'network', { ingressRules: 2 }, 50),
        infra('aws_iam_role.a', 'aws_iam_role', 'identity', {}, 60),
        infra('aws_iam_role.b', 'aws_iam_role', 'identity', {}, 61),
        infra('aws_iam_policy.p', 'aws_iam_policy', 'identity', {}, 62),
        infra('AWS::RDS::DBInstance', 'AWS::RDS::DBInstance', 'data', { terraformType: 'aws_db_instance', encryptedAtRest: true }, 70),
      ],
      deployment: {
        containers: [
          {
            id: 'container:k',
            name: 'web/app',
            ports: [],
            user: 'uid 1000',
            details: { source: 'kubernetes', readOnlyRootFilesystem: true, capabilitiesDropped: ['ALL'] },
            evidence: [{ file: 'k8s/web.yaml', line: 9 }],
          },
          {
            id: 'container:d',
            name: 'web (Dockerfile)',
            ports: [],
            user: 'root (no USER instruction)',
            details: { source: 'dockerfile' },
            evidence: [{ file: 'Dockerfile', line: 1 }],
          },
        ],
        workloads: [],
        environments: [],
        pipelines: [],
      },
    } as Partial<Model>);
    const syn = securitySynthesis(model);
    expect(syn.inTransit.map((l) => [l.subject, l.statement])).toEqual([
      ['aws_cloudfront_distribution.web', 'serves viewers over plain HTTP as well as HTTPS (allow-all)'],
      ['aws_lb_listener.http', 'HTTP on port 80 redirects to HTTPS'],
      ['aws_lb_listener.https', 'HTTPS on port 443 with TLS policy ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.3 and 1.2)'],
      ['aws_lb_listener.plain', 'plain HTTP on port 8080, not redirected to HTTPS'],
    ]);
    expect(syn.perimeter.map((l) => l.statement)).toEqual([
      'CloudFront CDN with 1 origin; a WAF is attached',
      'web application firewall; 3 rules; managed rule groups AWSManagedRulesCommonRuleSet; a rate-based rule',
    ]);
    expect(syn.firewalls).toMatchObject({ securityGroups: 1, ingressRules: 2, networkPolicies: 0 });
    expect(syn.atRest).toEqual([{ store: 'AWS::RDS::DBInstance', type: 'aws_db_instance', encrypted: 'yes', evidence: ev(70) }]);
    expect(syn.hardening.map((r) => [r.container, r.nonRoot, r.readOnlyRoot, r.dropAll])).toEqual([
      ['web (Dockerfile)', 'no', '—', '—'],
      ['web/app', 'yes', 'yes', 'yes'],
    ]);
    expect(syn.hardeningCounts).toEqual({ containers: 2, nonRoot: 1, readOnlyRoot: 1, dropAll: 1 });
    expect(syn.identity.map((t) => [t.type, t.count])).toEqual([
      ['aws_iam_role', 2],
      ['aws_iam_policy', 1],
    ]);
    expect(syn.absent).toEqual([]);
    expect(syn.any).toBe(true);
  });

  it('says nothing for a model without infrastructure, containers or identity', () => {
    const syn = securitySynthesis(emptyModel({}));
    expect(syn.any).toBe(false);
    expect(syn.absent).toHaveLength(5);
  });
});
