import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

const HCL = `resource "aws_lb" "internal" {
  name               = "internal"
  internal           = true
  load_balancer_type = "application"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.internal.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123:targetgroup/app/1"
  }
}

resource "aws_alb_listener" "https" {
  load_balancer_arn = aws_lb.internal.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123:targetgroup/app/1"
  }
}

resource "aws_wafv2_web_acl" "api" {
  name  = "api"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "rate"
    priority = 2
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = 2000
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "api"
    sampled_requests_enabled   = true
  }
}

resource "google_compute_ssl_policy" "legacy" {
  name            = "legacy"
  profile         = "COMPATIBLE"
  min_tls_version = "TLS_1_0"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id      = "abc"
  name        = "prod"
  auto_deploy = true
}
`;

const run = hclRun('edge', HCL);

describe('terraform edge rules', () => {
  it('an internal load balancer sits in a private subnet', () => {
    expect(run.infra('aws_lb.internal')?.details).toMatchObject({ loadBalancerType: 'application', internal: true, subnet: 'private' });
  });

  it('a plain HTTP listener that forwards (no redirect) is a low finding on its protocol line', () => {
    expect(run.infra('aws_lb_listener.http')?.details).toMatchObject({ port: 80, protocol: 'HTTP', defaultAction: 'forward' });
    expect(run.finding('plain-http-listener', 'aws_lb_listener.http')).toMatchObject({
      severity: 'low',
      evidence: [{ line: run.lineOf('protocol          = "HTTP"') }],
    });
  });

  it('an ALB listener on a 2016 TLS policy accepts TLS below 1.2', () => {
    expect(run.infra('aws_alb_listener.https')?.details).toMatchObject({ tlsPolicy: 'ELBSecurityPolicy-2016-08' });
    expect(run.finding('tls-below-1-2', 'aws_alb_listener.https')).toMatchObject({ severity: 'medium', evidence: [{ line: run.lineOf('ssl_policy') }] });
    expect(run.finding('plain-http-listener', 'aws_alb_listener.https')).toBeUndefined();
  });

  it('a WAF web ACL: scope, rule count, managed rule groups and rate limiting', () => {
    expect(run.infra('aws_wafv2_web_acl.api')?.details).toMatchObject({
      scope: 'REGIONAL',
      rules: 2,
      managedRuleGroups: ['AWSManagedRulesCommonRuleSet'],
      rateLimiting: true,
    });
  });

  it('a Google SSL policy with TLS 1.0 is a finding from the settings common to every provider', () => {
    expect(run.infra('google_compute_ssl_policy.legacy')?.details).toMatchObject({ minTlsVersion: 'TLS_1_0', profile: 'COMPATIBLE' });
    expect(run.finding('tls-below-1-2', 'google_compute_ssl_policy.legacy')?.evidence[0]?.line).toBe(run.lineOf('min_tls_version'));
  });

  it('an API Gateway stage is named', () => {
    expect(run.infra('aws_apigatewayv2_stage.prod')?.details).toMatchObject({ stage: 'prod' });
  });
});
