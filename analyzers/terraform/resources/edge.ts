/**
 * Edge rules: load balancers and their listeners (TLS policy, plain HTTP), CloudFront, WAF,
 * API Gateway stages and Google SSL policies.
 */
import { at, isFalse, isTrue, many, one, show, showString } from '../values.js';
import { type Rules, set, type RuleInput } from '../out.js';
import { tlsBelow12 } from './tls.js';

const OLD_ELB_POLICY = /^ELBSecurityPolicy-(2015-05|2016-08|TLS-1-0-2015-04|TLS-1-1-2017-01|FS-2018-06|FS-1-1-2019-08|TLS13-1-0-2021-06|TLS13-1-1-2021-06)$/;

function loadBalancer({ d, body }: RuleInput): void {
  set(d, 'loadBalancerType', body.load_balancer_type ?? 'application');
  if (body.internal !== undefined) d.internal = show(body.internal)!;
  d.subnet = isTrue(body.internal) ? 'private' : 'public';
  if (isFalse(body.drop_invalid_header_fields) || body.drop_invalid_header_fields === undefined) {
    /* a hardening option; not reported, to keep findings about real exposure */
  }
}

function listener({ out, b, d, body }: RuleInput): void {
  set(d, 'port', body.port);
  set(d, 'protocol', body.protocol);
  set(d, 'tlsPolicy', body.ssl_policy);
  const action = one(body.default_action);
  set(d, 'defaultAction', action?.type);
  const proto = String(body.protocol ?? '').toUpperCase();
  if (typeof body.ssl_policy === 'string' && OLD_ELB_POLICY.test(body.ssl_policy)) {
    out.security(b, 'tls-below-1-2', 'medium', { statement: 'elb-policy-below-1-2', setting: 'ssl_policy', value: body.ssl_policy }, 'ssl_policy');
  }
  if (proto === 'HTTP' && action?.type !== 'redirect') {
    out.security(
      b,
      'plain-http-listener',
      'low',
      { statement: 'plain-http-listener', setting: 'port', ...(show(body.port) !== undefined ? { value: show(body.port)! } : {}) },
      'protocol',
    );
  }
  if (action?.type === 'redirect') d.redirect = String(show(at(action, 'redirect', 'protocol')) ?? 'yes');
}

function apiStage({ d, body }: RuleInput): void {
  set(d, 'stage', body.stage_name ?? body.name);
}

export const EDGE: Rules = {
  aws_lb: loadBalancer,
  aws_alb: loadBalancer,
  aws_lb_listener: listener,
  aws_alb_listener: listener,
  aws_cloudfront_distribution({ out, b, d, body }) {
    const cert = one(body.viewer_certificate);
    set(d, 'minimumProtocolVersion', cert?.minimum_protocol_version);
    set(d, 'priceClass', body.price_class);
    set(d, 'viewerProtocolPolicy', at(body, 'default_cache_behavior', 'viewer_protocol_policy'));
    d.origins = many(body.origin).length;
    if (body.web_acl_id !== undefined) d.waf = true;
    if (tlsBelow12(cert?.minimum_protocol_version)) {
      out.security(
        b,
        'tls-below-1-2',
        'medium',
        { statement: 'viewer-tls-below-1-2', setting: 'minimum_protocol_version', value: String(cert?.minimum_protocol_version) },
        'minimum_protocol_version',
      );
    }
    if (at(body, 'default_cache_behavior', 'viewer_protocol_policy') === 'allow-all') {
      out.security(
        b,
        'plain-http-cdn',
        'low',
        { statement: 'plain-http-cdn', setting: 'viewer_protocol_policy', value: 'allow-all' },
        'viewer_protocol_policy',
      );
    }
  },
  aws_wafv2_web_acl({ d, body }) {
    set(d, 'scope', body.scope);
    const rules = many(body.rule);
    d.rules = rules.length;
    const managed = rules.map((r) => showString(at(r, 'statement', 'managed_rule_group_statement', 'name'))).filter((x): x is string => !!x);
    if (managed.length) d.managedRuleGroups = managed;
    if (rules.some((r) => at(r, 'statement', 'rate_based_statement') !== undefined)) d.rateLimiting = true;
  },
  google_compute_ssl_policy({ d, body }) {
    set(d, 'minTlsVersion', body.min_tls_version);
    set(d, 'profile', body.profile);
  },
  aws_api_gateway_stage: apiStage,
  aws_apigatewayv2_stage: apiStage,
};
