/**
 * Logging: pino / pino-http / nestjs-pino (level, redaction, transport), winston (level, format,
 * transports), bunyan, log4js, Powertools Logger, the NestJS Logger and morgan access logging.
 */
import { prop, strings, type Call, type CallSite, type Opt } from '../../src/analysis/sites.js';
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
function levelText(n: Opt | undefined): string | undefined {
  if (!n) return undefined;
  if (n.str !== undefined) return n.str;
  if (n.env) {
    const fallback = n.right?.str;
    return `from ${n.env}${fallback ? ` (default ${fallback})` : ''}`;
  }
  if (n.alt) {
    const [a, b] = [n.alt[0].str, n.alt[1].str];
    if (a && b) return `${a} or ${b}`;
  }
  return undefined;
}

export function pinoConfig(s: FileScope, o: Opt | undefined, node: CallSite, module: string): void {
  const details: Details = { format: 'JSON' };
  if (module !== 'pino') details.integration = module;
  const lvl = levelText(prop(o, 'level'));
  if (lvl) details.level = lvl;
  const redact = prop(o, 'redact');
  if (redact) {
    const paths = strings(redact) ?? strings(prop(redact, 'paths'));
    if (paths?.length) details.redact = paths;
    else details.redact = ['configured'];
    const censor = prop(redact, 'censor');
    if (censor) details.redactCensor = censor.str !== undefined ? 'replaced' : 'custom';
    if (prop(redact, 'remove')?.bool === true) details.redactCensor = 'removed';
  }
  const target = prop(prop(o, 'transport'), 'target')?.str;
  if (target) {
    details.transports = [target];
    if (target === 'pino-pretty') details.format = 'JSON (pretty-printed by pino-pretty)';
  }
  s.c.add('observability:logging:pino', 'logging', 'Logging with pino', ev(s, node), { tech: 'pino', ...s.comp, details });
}

function winstonConfig(s: FileScope, o: Opt | undefined, node: CallSite): void {
  const details: Details = {};
  const lvl = levelText(prop(o, 'level'));
  if (lvl) details.level = lvl;
  const fmt = prop(o, 'format');
  if (fmt) {
    const t = fmt.text ?? '';
    details.format = /\bjson\(/.test(t) ? 'JSON' : /logstash\(/.test(t) ? 'JSON (logstash)' : /printf\(|simple\(|cli\(/.test(t) ? 'text' : 'custom';
  }
  const tr = prop(o, 'transports');
  if (tr) {
    const names: string[] = [];
    for (const e of tr.arr ?? [tr]) {
      if (e.isNew) names.push((e.callee ?? '?').split('.').pop()!);
    }
    if (names.length) details.transports = names;
  }
  s.c.add('observability:logging:winston', 'logging', 'Logging with winston', ev(s, node), { tech: 'winston', ...s.comp, details });
}

function loggingCall(s: FileScope, call: Call): void {
  const { c, comp } = s;
  const { module, name, named, args } = call;
  if (module !== undefined && LOGGERS[module]) {
    const lib = LOGGERS[module]!;
    if (lib === 'pino' && (call.bare || named === 'pino' || named === 'pinoHttp')) pinoConfig(s, args[0], call, module);
    if (lib === 'winston' && named === 'createLogger') winstonConfig(s, args[0], call);
    if (lib === 'bunyan' && named === 'createLogger') {
      const o = args[0];
      const details: Details = { format: 'JSON' };
      const lvl = levelText(prop(o, 'level'));
      if (lvl) details.level = lvl;
      const nm = prop(o, 'name')?.str;
      if (nm) details.loggerName = nm;
      c.add('observability:logging:bunyan', 'logging', 'Logging with bunyan', ev(s, call), { tech: 'bunyan', ...comp, details });
    }
    if (lib === 'log4js' && named === 'configure')
      c.add('observability:logging:log4js', 'logging', 'Logging with log4js', ev(s, call), { tech: 'log4js', ...comp });
    if (module === '@aws-lambda-powertools/logger')
      c.add('observability:logging:powertools', 'logging', 'Logging with Powertools Logger', ev(s, call), {
        tech: module,
        ...comp,
        details: { format: 'JSON' },
      });
  }
  if (name === 'LoggerModule.forRoot' || name === 'LoggerModule.forRootAsync') {
    pinoConfig(s, prop(args[0], 'pinoHttp'), call, 'nestjs-pino');
  }
  if (/^WinstonModule\.(forRoot|createLogger)$/.test(name)) winstonConfig(s, args[0], call);
}

export const logging: Rules = {
  onImport(s, m, at) {
    if (m === 'morgan') s.c.add('observability:logging:morgan', 'logging', 'HTTP access logging with morgan', at, { tech: 'morgan', ...s.comp });
    if (m === 'koa-logger')
      s.c.add('observability:logging:koa-logger', 'logging', 'HTTP access logging with koa-logger', at, { tech: 'koa-logger', ...s.comp });
  },
  onCall: loggingCall,
  onNew(s, call) {
    const { module, name, last, named } = call;
    if (module === undefined) return;
    if ((module === 'winston' || module === 'winston-daily-rotate-file') && /transports\.|Transport|DailyRotateFile/.test(name)) {
      s.c.add('observability:logging:winston', 'logging', 'Logging with winston', ev(s, call), { tech: 'winston', ...s.comp, details: { transports: [last] } });
    }
    if (module === '@nestjs/common' && named === 'Logger') {
      s.c.add('observability:logging:nestjs-logger', 'logging', 'Logging with the NestJS Logger', ev(s, call), { tech: '@nestjs/common', ...s.comp });
    }
  },
};
