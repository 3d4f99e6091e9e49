/**
 * Values Go code takes from where the polyglot index does not look: configuration structs filled
 * from YAML by viper or yaml.v3 (`cfg.KafkaTopics.ProductCreate.TopicName`, each field's
 * `mapstructure:"…"` / `yaml:"…"` tag naming its key in a YAML file beside the struct), and what a
 * function returns (`return []string{a, b}`). Read from the files' tokens, once per program.
 */
import type { PValue } from '../../../src/analysis/polyglot/index-source.js';
import { lex, type Token } from '../../../src/analysis/polyglot/lex.js';
import { readProperties } from './properties.js';

interface Field {
  key: string;
  type: string;
}

interface Struct {
  file: string;
  fields: Map<string, Field>;
}

const TAGS = ['mapstructure', 'yaml', 'json'];

function dirOf(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/')));
}

/** The key a struct tag gives (`mapstructure:"kafkaTopics"` → kafkaTopics), by the first tag of TAGS present. */
function tagKey(tag: string): string | undefined {
  for (const t of TAGS) {
    const at = tag.indexOf(`${t}:"`);
    if (at < 0) continue;
    const end = tag.indexOf('"', at + t.length + 2);
    const key = tag.slice(at + t.length + 2, end < 0 ? undefined : end).split(',')[0];
    if (key && key !== '-') return key;
  }
  return undefined;
}

/** How many leading characters two paths share. */
function shared(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

export class GoValues {
  private structs: Map<string, Struct[]> | undefined;
  private readonly tokens = new Map<string, Token[]>();
  private readonly yaml = new Map<string, Map<string, string> | null>();

  constructor(
    private readonly files: readonly string[],
    private readonly read: (file: string) => string | undefined,
  ) {}

  private tokensOf(file: string): Token[] {
    let t = this.tokens.get(file);
    if (!t) {
      t = lex(this.read(file) ?? '', 'go').tokens;
      this.tokens.set(file, t);
    }
    return t;
  }

  /** Tagged struct types of every Go file that has tags: `Name Type \`mapstructure:"key"\``. */
  private structsByName(): Map<string, Struct[]> {
    if (this.structs) return this.structs;
    this.structs = new Map();
    for (const file of this.files) {
      if (!file.endsWith('.go')) continue;
      const text = this.read(file);
      if (!text || !TAGS.some((t) => text.includes(`${t}:"`))) continue;
      const t = this.tokensOf(file);
      for (let i = 0; i + 3 < t.length; i++) {
        if (!(t[i]!.v === 'type' && t[i + 1]!.k === 'id' && t[i + 2]!.v === 'struct' && t[i + 3]!.v === '{')) continue;
        const fields = new Map<string, Field>();
        let j = i + 4;
        let line: Token[] = [];
        for (let depth = 1; j < t.length && depth > 0; j++) {
          const x = t[j]!;
          if (x.k === 'op' && x.v === '{') depth++;
          else if (x.k === 'op' && x.v === '}') depth--;
          if (depth === 1 && x.k === 'nl') {
            // `Name Type \`tag\``: the type's last name (a package's qualifier dropped).
            const tag = line[line.length - 1];
            const ids = line.filter((y) => y.k === 'id');
            const key = tag?.k === 'str' ? tagKey(tag.v) : undefined;
            if (key && ids.length >= 2) fields.set(ids[0]!.v, { key, type: ids[ids.length - 1]!.v });
            line = [];
          } else if (depth === 1) line.push(x);
        }
        const list = this.structs.get(t[i + 1]!.v) ?? [];
        list.push({ file, fields });
        this.structs.set(t[i + 1]!.v, list);
        i = j - 1;
      }
    }
    return this.structs;
  }

  /**
   * A configuration value a field chain names (`c.cfg.KafkaTopics.ProductCreate.TopicName`): the
   * chain's longest tail that walks tagged struct fields to the end, its keys looked up in the YAML
   * files beside the struct it starts from (nearest the reading file first). Every YAML file there
   * must agree.
   */
  config(file: string, path: readonly string[]): string | undefined {
    const structs = this.structsByName();
    if (!structs.size) return undefined;
    for (let k = 0; k + 1 < path.length; k++) {
      const tops = [...structs.values()].flat().filter((s) => s.fields.has(path[k]!));
      // The struct of the reader's own service first: the longest shared folder prefix.
      tops.sort((a, b) => shared(b.file, file) - shared(a.file, file) || (a.file < b.file ? -1 : 1));
      for (const top of tops) {
        const keys: string[] = [];
        let current: Struct | undefined = top;
        for (let m = k; m < path.length && current; m++) {
          const f = current.fields.get(path[m]!);
          if (!f) {
            current = undefined;
            break;
          }
          keys.push(f.key);
          // A field's type among the structs of that name: the one nearest the struct holding the field.
          const from: Struct = current;
          current = m + 1 < path.length ? [...(structs.get(f.type) ?? [])].sort((a, b) => shared(b.file, from.file) - shared(a.file, from.file))[0] : current;
        }
        if (!current || keys.length !== path.length - k) continue;
        const v = this.yamlValue(dirOf(top.file), keys.join('.').toLowerCase());
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }

  /** A key's value in the YAML files of a folder (keys lower-cased, as viper reads them), when they agree. */
  private yamlValue(dir: string, key: string): string | undefined {
    let props = this.yaml.get(dir);
    if (props === undefined) {
      const found: Map<string, string>[] = [];
      for (const f of this.files) {
        if (dirOf(f) !== dir || !(f.endsWith('.yaml') || f.endsWith('.yml'))) continue;
        const text = this.read(f);
        if (text === undefined) continue;
        const one = new Map<string, string>();
        readProperties(text, false, one);
        found.push(new Map([...one].map(([k, v]) => [k.toLowerCase(), v])));
      }
      props = found.length ? new Map() : null;
      if (props) {
        const keys = new Set(found.flatMap((m) => [...m.keys()]));
        for (const k of keys) {
          const values = new Set(found.flatMap((m) => (m.has(k) ? [m.get(k)!] : [])));
          if (values.size === 1) props.set(k, [...values][0]!);
        }
      }
      this.yaml.set(dir, props);
    }
    return props?.get(key);
  }

  /**
   * What a function returns, when its body's first top-level `return` is a name, a string or a
   * `[]string{…}` list of those: as index values, to be read in that function.
   */
  returned(file: string, line: number): PValue | undefined {
    const t = this.tokensOf(file);
    let i = t.findIndex((x) => x.line >= line && x.v === '{');
    if (i < 0) return undefined;
    for (let depth = 0; i < t.length; i++) {
      const x = t[i]!;
      if (x.k === 'op' && (x.v === '{' || x.v === '(' || x.v === '[')) depth++;
      else if (x.k === 'op' && (x.v === '}' || x.v === ')' || x.v === ']')) {
        if (--depth === 0) return undefined;
      } else if (depth === 1 && x.k === 'id' && x.v === 'return') return this.valueAt(t, i + 1);
    }
    return undefined;
  }

  private valueAt(t: Token[], s: number): PValue | undefined {
    const one = (j: number): { value: PValue; end: number } | undefined => {
      if (t[j]?.k === 'str') return { value: { k: 'str', v: t[j]!.v }, end: j + 1 };
      const path: string[] = [];
      while (t[j]?.k === 'id') {
        path.push(t[j]!.v);
        if (t[j + 1]?.v !== '.') break;
        j += 2;
      }
      return path.length ? { value: { k: 'name', path }, end: j + 1 } : undefined;
    };
    // `[]string{ a, b, }`.
    if (t[s]?.v === '[' && t[s + 1]?.v === ']' && t[s + 2]?.k === 'id' && t[s + 3]?.v === '{') {
      const items: PValue[] = [];
      for (let j = s + 4; j < t.length && t[j]!.v !== '}'; ) {
        if (t[j]!.k === 'nl' || t[j]!.v === ',') {
          j++;
          continue;
        }
        const v = one(j);
        if (!v || !(t[v.end]?.v === ',' || t[v.end]?.v === '}' || t[v.end]?.k === 'nl')) return undefined;
        items.push(v.value);
        j = v.end;
      }
      return { k: 'list', items };
    }
    const v = one(s);
    return v && (t[v.end]?.k === 'nl' || t[v.end]?.v === '}') ? v.value : undefined;
  }
}
