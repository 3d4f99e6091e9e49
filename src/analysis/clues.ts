/**
 * Clues of a script, for the index (`RuleSites.clues`, ./sites.ts): what rules look for anywhere in
 * a script that the option readings do not hold, as plain data. The walk of ./sites.ts hands every
 * node to `clueReader` (no second walk), with the bindings and constants known at that point, and
 * it lists:
 *
 * - string literals that may be a secret or name one: secret-shaped text (a private key, a
 *   provider token, a URL with a password: src/util/redact.ts), the value of a property or
 *   variable whose name may say it holds a credential, the default of an environment variable
 *   read (`process.env.X || '…'`), and header names read (`req.headers['…']`, `req.header('…')`);
 * - environment variables read as `….env.X` or `….env['X']` (nothing inside such a read is a clue);
 * - provider objects (`{ provide: APP_GUARD, useClass: RolesGuard }`);
 * - classes that extend or implement something: the line of the name, the names in `extends` and
 *   `implements`, the `extends` call (`PassportStrategy(Strategy, 'jwt')`) and the constructor's
 *   `super(…)` statements;
 * - decorator compositions (`applyDecorators(…)`) with the function or variable declaring them.
 *
 * Each clue says where it stands among the sites (`at`: how many sites come before it), so a rule
 * set can take sites and clues in the order the walk met them; a call a clue points at
 * (`extendsAt`, `supers`, `at` of a composition) is the site of that index.
 */
import ts from '../analyzer/typescript.cjs';
import { secretKinds, urlUserinfos } from '../util/redact.js';
import { dotted, exprLabel, prop } from './ast.js';
import { envVariable, type FileInfo } from './bindings.js';

// The compiler's exports are getters: they are read once, not at every node.
const K = ts.SyntaxKind;

/** Shortest literal judged by its text alone (the shortest secret shape, an AWS key id, is 20). */
const MIN_SHAPED = 16;
/** Shortest literal kept for the name it is given (a credential shorter than this is not judged). */
const MIN_BOUND = 8;
/** Longest header name kept. */
const MAX_HEADER = 64;
/** Words of a name that may say it holds a credential (`jwtSecret`, `DB_PASSWORD`, `apiKey`, `DB_PWD`). */
const CREDENTIAL_WORD = /secret|passw|token|key|pwd/i;

export interface ClueString {
  /** Sites before it. */
  at: number;
  line: number;
  text: string;
  /** The property or variable it is the value of (`{ password: '…' }`, `const API_TOKEN = '…'`). */
  owner?: string;
  /** The owner is a property of an object written as an argument of a call or `new`. */
  option?: true;
  /** The right side of `a || '…'` or `a ?? '…'`: the environment variable `a` reads. */
  orEnv?: string;
  /** A header name read: `….headers['…']`, or an argument of `req.header(…)` / `req.get(…)`. */
  header?: true;
}

/** A class that extends or implements something. */
export interface ClueClass {
  /** Its site's index. */
  at: number;
  /** Line of the name (a class starts at its first decorator). */
  nameLine: number;
  /** Names in `extends` and `implements` written as a name or dotted path. */
  heritage: string[];
  /** The `extends` clause is a call (`PassportStrategy(Strategy, 'jwt')`): that call's site. */
  extendsAt?: number;
  /** Sites of the `super(…)` statements of its constructor. */
  supers: number[];
}

export interface Clues {
  strings: ClueString[];
  /** `….env.X`, `….env['X']`: the variable and where it is read. */
  env: { at: number; line: number; name: string }[];
  /** Object literals with `provide` and `useClass`: their labels (`APP_GUARD`, `RolesGuard`). */
  providers: { at: number; line: number; provide?: string; useClass?: string }[];
  classes: ClueClass[];
  /** `applyDecorators(…)` calls (their sites) and the function or variable declaring each. */
  compositions: { at: number; owner: string }[];
}

/** `….env` or `env` (what `process.env.X` and `import.meta.env.X` read from), without building the chain's text. */
function isEnv(e: ts.Expression): boolean {
  return (ts.isIdentifier(e) && e.text === 'env') || (ts.isPropertyAccessExpression(e) && e.name.text === 'env');
}

/** The declaration a call's value is made by: the nearest function declaration or variable, not past a class or method. */
function declaringName(node: ts.Node): string | undefined {
  for (let p: ts.Node | undefined = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isFunctionDeclaration(p)) return p.name?.text;
    if (ts.isVariableDeclaration(p)) return ts.isIdentifier(p.name) ? p.name.text : undefined;
    if (ts.isClassLike(p) || ts.isMethodDeclaration(p)) return undefined;
  }
  return undefined;
}

/** What the walk of ./sites.ts hands each node to (`at`: the sites it has listed so far), and the clues read. */
export interface ClueReader {
  clues: Clues;
  visit(node: ts.Node, at: number): void;
}

export function clueReader(info: FileInfo, sf: ts.SourceFile): ClueReader {
  const out: Clues = { strings: [], env: [], providers: [], classes: [], compositions: [] };
  const classes = new Map<ts.Node, ClueClass>();
  let at = 0;
  /** The environment variable read being walked: nothing inside it is a clue. */
  let read: ts.Node | undefined;

  const literal = (node: ts.StringLiteralLike): void => {
    const text = node.text;
    const parent = node.parent;
    const c: ClueString = { at, line: 0, text };
    const owner =
      (ts.isPropertyAssignment(parent) && parent.initializer === node) || (ts.isVariableDeclaration(parent) && parent.initializer === node)
        ? parent.name
        : undefined;
    const ownerName = owner && (ts.isIdentifier(owner) || ts.isStringLiteralLike(owner)) ? owner.text : undefined;
    let keep = false;
    if (ownerName !== undefined && text.length >= MIN_BOUND && CREDENTIAL_WORD.test(ownerName)) {
      keep = true;
      c.owner = ownerName;
      if (ts.isObjectLiteralExpression(parent.parent) && (ts.isCallExpression(parent.parent.parent) || ts.isNewExpression(parent.parent.parent)))
        c.option = true;
    }
    if (
      ts.isBinaryExpression(parent) &&
      parent.right === node &&
      (parent.operatorToken.kind === K.BarBarToken || parent.operatorToken.kind === K.QuestionQuestionToken)
    ) {
      const env = envVariable(parent.left, info);
      if (env !== undefined) {
        keep = true;
        c.orEnv = env;
      }
    }
    if (
      text.length <= MAX_HEADER &&
      // The text of `….headers` ends where the expression does; `req.header(…)`, `request.get(…)`.
      ((ts.isElementAccessExpression(parent) && sf.text.slice(parent.expression.end - 7, parent.expression.end) === 'headers') ||
        (ts.isCallExpression(parent) &&
          ts.isPropertyAccessExpression(parent.expression) &&
          (parent.expression.name.text === 'header' || parent.expression.name.text === 'get') &&
          /req|request|headers/.test(parent.expression.getText(sf))))
    ) {
      keep = true;
      c.header = true;
    }
    if (!keep && text.length >= MIN_SHAPED && (secretKinds(text).length > 0 || urlUserinfos(text).length > 0)) keep = true;
    if (!keep) return;
    c.line = info.line(node);
    out.strings.push(c);
  };

  const classClue = (node: ts.ClassDeclaration): void => {
    if (!node.heritageClauses) return;
    const heritage: string[] = [];
    for (const h of node.heritageClauses) {
      for (const t of h.types) {
        const name = dotted(t.expression);
        if (name !== undefined) heritage.push(name);
      }
    }
    const c: ClueClass = { at, nameLine: info.line(node.name ?? node), heritage, supers: [] };
    classes.set(node, c);
    out.classes.push(c);
  };

  /** A call's place in a class: the call of its `extends` clause, or a `super(…)` statement of its constructor. */
  const classCall = (node: ts.CallExpression): void => {
    const p = node.parent;
    if (p.kind === K.ExpressionWithTypeArguments) {
      const h = p.parent;
      if (ts.isHeritageClause(h) && h.token === K.ExtendsKeyword && h.types[0] === p) {
        const c = classes.get(h.parent);
        if (c) c.extendsAt = at;
      }
    } else if (
      node.expression.kind === K.SuperKeyword &&
      p.kind === K.ExpressionStatement &&
      p.parent.kind === K.Block &&
      ts.isConstructorDeclaration(p.parent.parent)
    ) {
      const c = classes.get(p.parent.parent.parent);
      if (c) c.supers.push(at);
    }
  };

  const provider = (node: ts.ObjectLiteralExpression): void => {
    const provide = prop(node, 'provide');
    const useClass = provide && prop(node, 'useClass');
    if (!provide || !useClass) return;
    const p: Clues['providers'][number] = { at, line: info.line(node) };
    const pl = exprLabel(provide);
    const ul = exprLabel(useClass);
    if (pl !== undefined) p.provide = pl;
    if (ul !== undefined) p.useClass = ul;
    out.providers.push(p);
  };

  const visit = (node: ts.Node, sites: number): void => {
    if (read && node.pos >= read.pos && node.end <= read.end) return;
    at = sites;
    switch (node.kind) {
      case K.CallExpression: {
        const call = node as ts.CallExpression;
        classCall(call);
        if (call.expression.kind === K.Identifier && (call.expression as ts.Identifier).text === 'applyDecorators') {
          const owner = declaringName(call);
          if (owner !== undefined) out.compositions.push({ at, owner });
        }
        break;
      }
      case K.ClassDeclaration:
        classClue(node as ts.ClassDeclaration);
        break;
      case K.StringLiteral:
      case K.NoSubstitutionTemplateLiteral:
        literal(node as ts.StringLiteralLike);
        break;
      case K.ObjectLiteralExpression:
        if ((node as ts.ObjectLiteralExpression).properties.length >= 2) provider(node as ts.ObjectLiteralExpression);
        break;
      case K.PropertyAccessExpression:
      case K.ElementAccessExpression: {
        const access = node as ts.PropertyAccessExpression | ts.ElementAccessExpression;
        if (!isEnv(access.expression)) break;
        const name = envVariable(access, info);
        if (name !== undefined) out.env.push({ at, line: info.line(node), name });
        read = node;
        break;
      }
    }
  };
  return { clues: out, visit };
}
