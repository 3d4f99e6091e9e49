/**
 * The properties module-level names are destructured from, for the index (index-file.ts):
 * `const { router, procedure: publicProcedure } = t` gives `router` → `router` and
 * `publicProcedure` → `procedure`. The index binds such names to the whole value (`t`); a rule that
 * needs the member they stand for (tRPC's `t.router`) reads the property here. Top-level statements
 * only, one level of pattern (a nested pattern or a rest element takes no single property).
 */
import ts from '../analyzer/typescript.cjs';

export function destructuredNames(sf: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!d.initializer || !ts.isObjectBindingPattern(d.name)) continue;
      for (const el of d.name.elements) {
        if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
        const prop =
          el.propertyName === undefined
            ? el.name.text
            : ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName)
              ? el.propertyName.text
              : undefined;
        if (prop !== undefined) out.set(el.name.text, prop);
      }
    }
  }
  return out;
}
