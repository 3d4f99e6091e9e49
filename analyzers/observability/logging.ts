/**
 * Logging: pino / pino-http / nestjs-pino (level, redaction, transport), winston (level, format,
 * transports), bunyan, log4js, Powertools Logger, the NestJS Logger and morgan access logging.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { bool, calleeName, prop, unwrap } from '../../src/analysis/ast.js';
import { envVariable, objectLiteral, stringValue, stringValues, type FileInfo, type Call } from '../../src/analysis/bindings.js';
import type { Details } from '../../src/model/schema.js';
import { ev, type FileScope, type Rules } from './collector.js';

const LOGGERS: Record<string, string> = {
  pino: 'pino',
  'pino-http': 'pino',
  'nestjs-pino': 'pino',
  winston: 'winston',
  'nest-winston': 'winston',
  'express-winston': 'winston',
  bunyan: 'bunyan',
  log4js: 'log4js',
  loglevel: 'loglevel',
  '@aws-lambda-powertools/logger': 'Powertools Logger',
};

/** Level text: a literal, or the env var name it is read from, with its fallback. */
function levelText(node: ts.Expression | undefined, info: FileInfo): string | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  const lit = stringValue(n, info);
  if (lit !== undefined) return lit;
  const env = envVariable(n, info);
  if (env) {
    const fallback =
      ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || n.operatorToken.kind === ts.SyntaxKind.BarBarToken)
        ? stringValue(n.right, info)
        : undefined;
    return `from ${env}${fallback ? ` (default ${fallback})` : ''}`;
  }
  if (ts.isConditionalExpression(n)) {
    const a = stringValue(n.whenTrue, info);
    const b = stringValue(n.whenFalse, info);
    if (a && b) return `${a} or ${b}`;
  }
  return undefined;
}

function pinoConfig(s: FileScope, o: ts.ObjectLiteralExpression | undefined, node: ts.Node, module: string): void {
  const { info } = s;
  const details: Details = { format: 'JSON' };
  if (module !== 'pino') details.integration = module;
  const lvl = levelText(prop(o, 'level'), info);
  if (lvl) details.level = lvl;
  const redact = prop(o, 'redact');
  if (redact) {
    const paths = stringValues(redact, info) ?? stringValues(prop(objectLiteral(redact, info), 'paths'), info);
    if (paths?.length) details.redact = paths;
    else details.redact = ['configured'];
    const censor = prop(objectLiteral(redact, info), 'censor');
    if (censor) details.redactCensor = stringValue(censor, info) !== undefined ? 'replaced' : 'custom';
    if (bool(prop(objectLiteral(redact, info), 'remove')) === true) details.redactCensor = 'removed';
  }
  const transport = objectLiteral(prop(o, 'transport'), info);
  const target = stringValue(prop(transport, 'target'), info);
  if (target) {
    details.transports = [target];
    if (target === 'pino-pretty') details.format = 'JSON (pretty-printed by pino-pretty)';
  }
  s.c.add('observability:logging:pino', 'logging', 'Logging with pino', ev(info, node), { tech: 'pino', ...s.comp, details });
}

function winstonConfig(s: FileScope, o: ts.ObjectLiteralExpression | undefined, node: ts.Node): void {
  const { info } = s;
  const details: Details = {};
  const lvl = levelText(prop(o, 'level'), info);
  if (lvl) details.level = lvl;
  const fmt = prop(o, 'format');
  if (fmt) {
    const t = fmt.getText(info.sf);
    details.format = /\bjson\(/.test(t) ? 'JSON' : /logstash\(/.test(t) ? 'JSON (logstash)' : /printf\(|simple\(|cli\(/.test(t) ? 'text' : 'custom';
  }
  const tr = prop(o, 'transports');
  if (tr) {
    const a = unwrap(tr);
    const names: string[] = [];
    for (const el of ts.isArrayLiteralExpression(a) ? a.elements : [a]) {
      const e = unwrap(el);
      if (ts.isNewExpression(e)) names.push((calleeName(e) ?? '?').split('.').pop()!);
    }
    if (names.length) details.transports = names;
  }
  s.c.add('observability:logging:winston', 'logging', 'Logging with winston', ev(info, node), { tech: 'winston', ...s.comp, details });
}

function loggingCall(s: FileScope, { node, name, named, binding: b, args }: Call): void {
  const { c, info, comp } = s;
  if (b && LOGGERS[b.module]) {
    const lib = LOGGERS[b.module]!;
    if (lib === 'pino' && (ts.isIdentifier(node.expression) || named === 'pino' || named === 'pinoHttp')) pinoConfig(s, objectLiteral(args[0], info), node, b.module);
    if (lib === 'winston' && named === 'createLogger') winstonConfig(s, objectLiteral(args[0], info), node);
    if (lib === 'bunyan' && named === 'createLogger') {
      const o = objectLiteral(args[0], info);
      const details: Details = { format: 'JSON' };
      const lvl = levelText(prop(o, 'level'), info);
      if (lvl) details.level = lvl;
      const nm = stringValue(prop(o, 'name'), info);
      if (nm) details.loggerName = nm;
      c.add('observability:logging:bunyan', 'logging', 'Logging with bunyan', ev(info, node), { tech: 'bunyan', ...comp, details });
    }
    if (lib === 'log4js' && named === 'configure') c.add('observability:logging:log4js', 'logging', 'Logging with log4js', ev(info, node), { tech: 'log4js', ...comp });
    if (b.module === '@aws-lambda-powertools/logger') c.add('observability:logging:powertools', 'logging', 'Logging with Powertools Logger', ev(info, node), { tech: b.module, ...comp, details: { format: 'JSON' } });
  }
  if (name === 'LoggerModule.forRoot' || name === 'LoggerModule.forRootAsync') {
    pinoConfig(s, objectLiteral(prop(objectLiteral(args[0], info), 'pinoHttp'), info), node, 'nestjs-pino');
  }
  if (/^WinstonModule\.(forRoot|createLogger)$/.test(name)) winstonConfig(s, objectLiteral(args[0], info), node);
}

export const logging: Rules = {
  onImport(s, m, at) {
    if (m === 'morgan') s.c.add('observability:logging:morgan', 'logging', 'HTTP access logging with morgan', at, { tech: 'morgan', ...s.comp });
  },
  onCall: loggingCall,
  onNew(s, { node, name, last, named, binding: b }) {
    if (!b) return;
    if ((b.module === 'winston' || b.module === 'winston-daily-rotate-file') && /transports\.|Transport|DailyRotateFile/.test(name)) {
      s.c.add('observability:logging:winston', 'logging', 'Logging with winston', ev(s.info, node), { tech: 'winston', ...s.comp, details: { transports: [last] } });
    }
    if (b.module === '@nestjs/common' && named === 'Logger') {
      s.c.add('observability:logging:nestjs-logger', 'logging', 'Logging with the NestJS Logger', ev(s.info, node), { tech: '@nestjs/common', ...s.comp });
    }
  },
};
