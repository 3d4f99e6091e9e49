/**
 * Django and Django REST framework, on the polyglot index of Python files that import them: the
 * permission classes views and settings use (`permission_classes = (IsAuthenticated,)`,
 * `DEFAULT_PERMISSION_CLASSES`, and custom classes made from `BasePermission`), one authorisation
 * fact per class as for a guard; serializers as input validation; `set_password`/`make_password` as
 * password hashing with Django's hashers; `SecurityMiddleware` in a settings `MIDDLEWARE` list as
 * security headers. The evidence is the line that shows each. `AllowAny` grants rather than checks,
 * so it is no authorisation.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { PolyglotIndex } from '../../src/analysis/polyglot/index-source.js';
import { compareStrings } from '../../src/model/compare.js';
import { idOf } from '../../src/model/ids.js';
import type { RunState } from './state.js';

const PERMISSIONS_MODULE = 'rest_framework.permissions';
const NOT_CHECKS = new Set(['AllowAny', 'BasePermission', 'SAFE_METHODS', 'OperandHolder']);
const SERIALIZER_BASES = new Set(['Serializer', 'ModelSerializer', 'HyperlinkedModelSerializer', 'ListSerializer']);
const SECURITY_MIDDLEWARE = 'django.middleware.security.SecurityMiddleware';
/** An identifier in a line of source: linear, no backtracking. */
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

const imports = (ix: PolyglotIndex, prefix: string) => ix.imports.some((i) => i.module === prefix || i.module.startsWith(`${prefix}.`));

export function djangoFacts(ctx: AnalyzerContext, st: RunState): void {
  const files = ctx.files.filter((f) => f.endsWith('.py') && !ctx.isSetAside(f));
  const permission: { name: string; file: string; line: number; custom: boolean }[] = [];
  const custom = new Map<string, { file: string; line: number }>();
  const seen: { file: string; text: string; ix: PolyglotIndex }[] = [];
  for (const file of files) {
    const text = ctx.read(file);
    if (text === undefined || !(text.includes('django') || text.includes('rest_framework'))) continue;
    const ix = ctx.polyglotIndex(file, 'python', text);
    seen.push({ file, text, ix });
    for (const c of ix.classes)
      if (c.bases.some((b) => b === 'BasePermission' || b.endsWith('.BasePermission')) && !custom.has(c.name)) custom.set(c.name, { file, line: c.line });
  }
  for (const { file, text, ix } of seen) {
    const comp = ctx.componentOf(file);
    const extra = comp ? { component: comp } : {};
    // Permission classes: the names a `permission_classes` line (or a DEFAULT_PERMISSION_CLASSES string) uses.
    const fromDrf = new Map(ix.imports.filter((i) => i.module === PERMISSIONS_MODULE && i.name).map((i) => [i.alias, i.name!]));
    const drfModule = ix.imports.some((i) => (i.module === 'rest_framework' && i.name === 'permissions') || i.module === PERMISSIONS_MODULE);
    const lines = text.split('\n');
    lines.forEach((raw, k) => {
      if (raw.length > 2000) return;
      if (raw.includes('permission_classes') || raw.includes('PERMISSION_CLASSES')) {
        const quoted = raw.indexOf(`${PERMISSIONS_MODULE}.`);
        if (quoted >= 0) {
          const name = /^[A-Za-z_]\w*/.exec(raw.slice(quoted + PERMISSIONS_MODULE.length + 1))?.[0];
          if (name && !NOT_CHECKS.has(name)) permission.push({ name, file, line: k + 1, custom: false });
        }
        for (const m of raw.matchAll(IDENT)) {
          const id = m[0];
          const before = raw.slice(0, m.index);
          const drf = fromDrf.get(id) ?? (drfModule && before.endsWith('permissions.') ? id : undefined);
          if (drf && !NOT_CHECKS.has(drf)) permission.push({ name: drf, file, line: k + 1, custom: false });
          else if (custom.has(id)) permission.push({ name: id, file, line: k + 1, custom: true });
        }
      }
      if (raw.includes(`'${SECURITY_MIDDLEWARE}'`) || raw.includes(`"${SECURITY_MIDDLEWARE}"`))
        st.c.add(
          idOf.security('headers', 'django-securitymiddleware'),
          'transport',
          'Security headers (Django SecurityMiddleware)',
          { file, line: k + 1 },
          { tech: 'Django SecurityMiddleware', ...extra },
        );
    });
    if (imports(ix, 'rest_framework')) {
      for (const c of ix.classes) {
        if (!c.bases.some((b) => SERIALIZER_BASES.has(b.slice(b.lastIndexOf('.') + 1)))) continue;
        st.c.add(
          idOf.security('validation', 'drf-serializers'),
          'validation',
          'Input validation with DRF serializers',
          { file, line: c.line },
          {
            tech: 'DRF serializers',
            ...extra,
          },
        );
        break;
      }
    }
    if (imports(ix, 'django') || imports(ix, 'rest_framework')) {
      const call = ix.calls.find((c) => {
        const m = c.callee[c.callee.length - 1];
        return (m === 'set_password' && c.callee.length >= 2) || (m === 'make_password' && ix.imports.some((i) => i.name === 'make_password'));
      });
      if (call)
        st.c.add(
          idOf.security('password-hashing', 'django'),
          'credentials',
          "Password hashing with Django's hashers",
          { file, line: call.line },
          {
            tech: 'Django password hashers',
            ...extra,
          },
        );
    }
  }
  permission.sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line || compareStrings(a.name, b.name));
  for (const p of permission) {
    const comp = ctx.componentOf(p.file);
    const def = p.custom ? custom.get(p.name) : undefined;
    st.c.add(
      idOf.security('permission-class', p.name),
      'authorisation',
      `${p.custom ? 'Custom DRF permission class' : 'DRF permission class'} ${p.name}`,
      { file: p.file, line: p.line },
      { tech: 'DRF permission classes', ...(comp ? { component: comp } : {}), ...(def ? { details: { definedIn: [`${def.file}:${def.line}`] } } : {}) },
    );
  }
}
