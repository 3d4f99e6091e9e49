/**
 * `archdoc export structurizr-dsl` (src/export/structurizr-dsl.ts): goldens on a fixture, a
 * structural check that reads the DSL as Structurizr's parser does (test/util/structurizr-dsl-check.ts),
 * hostile names kept inside their strings, the team's workspace.dsl surviving regeneration, and
 * `archdoc generate` / `archdoc check` keeping the fragments fresh.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { c4Model } from '../src/export/c4-model.js';
import { checkExport, planExport, writeExport } from '../src/export/run.js';
import { DSL_HEADER, dslModel, dslStarter, dslString, dslViews, structurizrDsl } from '../src/export/structurizr-dsl.js';
import type { ResolvedConfig } from '../src/config/load.js';
import type { Model } from '../src/model/schema.js';
import { REPO_ROOT, copyFixture, removeTemps, runCli, goldenModel, goldenModelNames } from './helpers.js';
import { decode, readDsl, tokenize } from './util/structurizr-dsl-check.js';

afterEach(removeTemps);

const GOLDEN_FIXTURE = 'rabbit-config-topology';
const GOLDEN = path.join(REPO_ROOT, 'test', 'golden', 'exports', 'structurizr-dsl', GOLDEN_FIXTURE);
const modelOf = goldenModel;
const allModels = goldenModelNames;

/** The three files of the export for a model, as the exporter renders them with nothing on disk. */
function render(model: Model): Record<string, string> {
  const root = path.join(os.tmpdir(), 'archdoc-dsl-repo');
  const files = structurizrDsl.render({
    model,
    root,
    outputDir: path.join(root, 'docs', 'architecture'),
    document: path.join(root, 'docs', 'ARCHITECTURE.md'),
    existing: () => undefined,
  });
  return Object.fromEntries(files.map((f) => [f.path, f.text]));
}

/** The starter workspace with both fragments included, read as Structurizr would. */
function readWorkspace(files: Record<string, string>, workspace = files['workspace.dsl']!) {
  return readDsl(workspace, { 'archdoc.generated.dsl': files['archdoc.generated.dsl']!, 'archdoc.generated.views.dsl': files['archdoc.generated.views.dsl']! });
}

describe('archdoc export structurizr-dsl', () => {
  it('matches the golden fragments and starter workspace', async () => {
    const files = render(modelOf(GOLDEN_FIXTURE));
    expect(Object.keys(files)).toEqual(['archdoc.generated.dsl', 'archdoc.generated.views.dsl', 'workspace.dsl']);
    for (const [name, text] of Object.entries(files)) await expect(text).toMatchFileSnapshot(path.join(GOLDEN, name));
  });

  it('reads as Structurizr reads it, for every golden model, with the model of the JSON workspace, and deterministically', () => {
    let relationships = 0;
    for (const name of allModels()) {
      const files = render(modelOf(name));
      expect(render(modelOf(name)), name).toEqual(files);
      const read = readWorkspace(files);
      expect(read.problems, name).toEqual([]);
      // Every element and relationship of the C4 view, under the same identifiers as the JSON workspace's ids.
      const c4 = c4Model(modelOf(name));
      const declared = [c4.system, ...c4.people, ...c4.externals, ...c4.containers, ...c4.containers.flatMap((c) => c.components)];
      expect(
        read.elements
          .filter((e) => e.keyword !== 'deploymentNode' && e.keyword !== 'deploymentEnvironment')
          .map((e) => `${e.id} ${e.name}`)
          .sort(),
        name,
      ).toEqual(declared.map((e) => `${e.id} ${e.name}`).sort());
      expect(read.relationships.map((r) => `${r.source} -> ${r.destination}: ${r.description}`).sort(), name).toEqual(
        c4.relationships.map((r) => `${r.source} -> ${r.destination}: ${r.description}`).sort(),
      );
      expect(read.views.filter((v) => v.kind === 'deployment').length, name).toBe(c4.environments.length);
      relationships += read.relationships.length;
    }
    expect(relationships).toBeGreaterThan(300);
  });

  it('the structural check finds what Structurizr would refuse', () => {
    const files = render(modelOf(GOLDEN_FIXTURE));
    const model = files['archdoc.generated.dsl']!;
    const broken = (text: string) => readWorkspace({ ...files, 'archdoc.generated.dsl': text }).problems;
    expect(broken(`${model}app_nowhere -> db_x "uses"\n`)).toEqual([
      'archdoc.generated.dsl:' + model.split('\n').length + ': app_nowhere is not declared',
      'archdoc.generated.dsl:' + model.split('\n').length + ': db_x is not declared',
    ]);
    expect(
      broken(model.replace('queue_q_audit = container', 'QUEUE_Q_AUDIT = container').replace('queue_q_shipping = container', 'queue_q_audit = container')),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/identifier queue_q_audit is already in use/)]));
    expect(broken(model.replace('"Client"', '"Client'))).toEqual(expect.arrayContaining([expect.stringMatching(/a string is not closed/)]));
    expect(broken(model.replace('"Client"', '"${HOME}"'))).toEqual([expect.stringMatching(/would be substituted from the environment/)]);
    expect(broken(`${model}!include /etc/passwd\n`)).toEqual([expect.stringMatching(/!include \/etc\/passwd: no such file given/)]);
    // Read on its own, as the contents of a model block: one brace too many, or one too few.
    expect(readDsl(`${model}}\n`, {}, 'model').problems).toEqual([expect.stringMatching(/} closes no block/)]);
    expect(readDsl(model.replace(/\n}\n/, '\n'), {}, 'model').problems).toEqual(
      expect.arrayContaining(['workspace:9: softwareSystem in element', expect.stringMatching(/^1 block\(s\) not closed: model > element$/)]),
    );
  });

  it('keeps hostile names inside their strings: no line, directive, block or environment variable from a name', () => {
    const model = modelOf(GOLDEN_FIXTURE);
    const evil = 'x" }\n!include /etc/passwd\r\n!script groovy {\u2028// "${HOME} ${AWS_SECRET_ACCESS_KEY} \\" \\n \\';
    const hostile: Model = {
      ...model,
      system: { ...model.system, name: evil, description: evil },
      components: model.components.map((c) => (c.kind === 'worker' ? { ...c, name: `w"\\`, description: evil } : c)),
      queues: model.queues.map((q, i) => (i === 0 ? { ...q, name: evil, messages: [evil] } : q)),
    };
    const files = render(hostile);
    const read = readWorkspace(files);
    expect(read.problems).toEqual([]);
    // As many elements and relationships as without the hostile names, and the names are names.
    const plain = readWorkspace(render(model));
    expect(read.elements.length).toBe(plain.elements.length);
    expect(read.relationships.length).toBe(plain.relationships.length);
    const shown = 'x" } !include /etc/passwd  !script groovy { // "\uff04{HOME} \uff04{AWS_SECRET_ACCESS_KEY} \uff3c" \uff3cn \uff3c';
    expect(read.elements.find((e) => e.keyword === 'softwareSystem' && e.id.startsWith('system_'))?.name).toBe(shown);
    expect(read.elements.filter((e) => e.keyword === 'container' && e.name.startsWith('w"'))).toHaveLength(2);
    // No line of the fragments starts with anything but archdoc's own words.
    for (const file of ['archdoc.generated.dsl', 'archdoc.generated.views.dsl']) {
      for (const line of files[file]!.split('\n')) {
        expect(line.trimStart(), file).toMatch(/^(|\/\/ .*|[a-z][A-Za-z0-9_]* = [a-zA-Z]+ ".*|[a-z][A-Za-z0-9_]* -> .*|[a-zA-Z]+( .*)?|".*" ".*"|})$/);
        expect(line, file).not.toMatch(/^\s*!/);
      }
    }
    // The workspace's name is the team's string too.
    expect(tokenize(files['workspace.dsl']!.split('\n')[0]!).map((t) => decode(t.text))).toEqual(['workspace', shown, shown, '{']);
  });

  it('quotes every string the way Structurizr reads it back', () => {
    for (const text of ['plain', 'a "quoted" word', 'C:\\new\\path\\', 'line\nbreak\ttab', '${ENV} and $ alone and {braces}', '']) {
      const [token] = tokenize(dslString(text));
      expect(token?.quoted, text).toBe(true);
      expect(decode(token!.text), text).toBe(text.replaceAll('\\', '\uff3c').replaceAll('${', '\uff04{').replaceAll('\n', ' ').replaceAll('\t', ' '));
    }
  });

  it("keeps the team's workspace.dsl, views and styles, across regenerations of the fragments", async () => {
    const repo = copyFixture(GOLDEN_FIXTURE);
    const dir = path.join(repo, 'docs', 'architecture');
    const first = await runCli(['export', 'structurizr-dsl', '--root', repo], repo);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/structurizr-dsl export in docs\/architecture: 3 files written, 0 up to date/);
    const starter = fs.readFileSync(path.join(dir, 'workspace.dsl'), 'utf8');
    expect(starter).toBe(dslStarter(modelOf(GOLDEN_FIXTURE), c4Model(modelOf(GOLDEN_FIXTURE))));

    // The team adds a user, a view of its own over archdoc's identifiers, a style and a theme.
    const team = starter
      .replace(
        '        !include archdoc.generated.dsl\n',
        '        !include archdoc.generated.dsl\n        clerk = person "Warehouse clerk" {\n            description "Packs the parcels"\n        }\n        clerk -> app_services_shipping_worker "watches"\n',
      )
      .replace(
        '        styles {\n',
        '        container system_parcel_pipeline "team-pipeline" {\n            title "How orders flow"\n            include *\n            autolayout lr\n        }\n\n        styles {\n            element "Queue" {\n                background #ff8800\n            }\n',
      );
    expect(team).not.toBe(starter);
    fs.writeFileSync(path.join(dir, 'workspace.dsl'), team);
    const again = await runCli(['export', 'structurizr-dsl', '--root', repo], repo);
    expect(again.stderr).toMatch(/0 files written, 3 up to date/);
    expect(fs.readFileSync(path.join(dir, 'workspace.dsl'), 'utf8')).toBe(team);

    // The code changes (the audit queue goes away): the fragments follow, the team's file stays as it is.
    const model = modelOf(GOLDEN_FIXTURE);
    const changed: Model = { ...model, queues: model.queues.filter((q) => q.id !== 'queue:q.audit') };
    const config = { root: repo, output: path.join(repo, 'docs', 'ARCHITECTURE.md') } as ResolvedConfig;
    const plan = await planExport('structurizr-dsl', changed, config, dir, repo);
    expect(checkExport(plan, 'docs/architecture').changes).toEqual(['archdoc.generated.dsl: out of date']);
    expect(writeExport(plan)).toEqual({ written: 1, fresh: 2, removed: 0 });
    expect(fs.readFileSync(path.join(dir, 'workspace.dsl'), 'utf8')).toBe(team);
    const fragment = fs.readFileSync(path.join(dir, 'archdoc.generated.dsl'), 'utf8');
    expect(fragment).toBe(dslModel(c4Model(changed)));
    expect(fragment).not.toContain('queue_q_audit');
    const read = readDsl(team, {
      'archdoc.generated.dsl': fragment,
      'archdoc.generated.views.dsl': fs.readFileSync(path.join(dir, 'archdoc.generated.views.dsl'), 'utf8'),
    });
    expect(read.problems).toEqual([]);
    expect(read.views.map((v) => v.key)).toContain('team-pipeline');
    expect(read.elements.map((e) => e.id)).toContain('clerk');

    // Without a workspace.dsl, the starter is written again (and the fragment from the fixture's code);
    // a fragment archdoc did not write is refused.
    fs.rmSync(path.join(dir, 'workspace.dsl'));
    expect((await runCli(['export', 'structurizr-dsl', '--root', repo], repo)).stderr).toMatch(/2 files written, 1 up to date/);
    expect(fs.readFileSync(path.join(dir, 'workspace.dsl'), 'utf8')).toBe(starter);
    fs.writeFileSync(path.join(dir, 'archdoc.generated.dsl'), 'person "Ours"\n');
    const refused = await runCli(['export', 'structurizr-dsl', '--root', repo], repo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/archdoc\.generated\.dsl exists and was not written by archdoc export structurizr-dsl/);
  }, 120_000);

  it('is kept fresh by archdoc check when configured; the workspace.dsl is never counted', async () => {
    const repo = copyFixture(GOLDEN_FIXTURE, { exports: { 'structurizr-dsl': { output: 'c4' } } });
    const missing = await runCli(['check', '--root', repo], repo);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/c4 \(structurizr-dsl export\) does not exist/);
    const gen = await runCli(['generate', '--root', repo], repo);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toMatch(/structurizr-dsl export in .*c4: 3 files written/);
    expect((await runCli(['check', '--root', repo], repo)).code).toBe(0);
    // The team's workspace is theirs: an edit, or its removal, is no staleness.
    const workspace = path.join(repo, 'c4', 'workspace.dsl');
    fs.writeFileSync(workspace, fs.readFileSync(workspace, 'utf8').replace('shape pipe', 'shape hexagon'));
    expect((await runCli(['check', '--root', repo], repo)).code).toBe(0);
    // An edit to a fragment is.
    const fragment = path.join(repo, 'c4', 'archdoc.generated.dsl');
    fs.writeFileSync(fragment, fs.readFileSync(fragment, 'utf8').replace('"Background worker"', '"A worker"'));
    const stale = await runCli(['check', '--root', repo], repo);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/archdoc\.generated\.dsl: out of date/);
    expect((await runCli(['generate', '--root', repo, '--quiet'], repo)).code).toBe(0);
    expect((await runCli(['check', '--root', repo], repo)).code).toBe(0);
    expect(fs.readFileSync(workspace, 'utf8')).toContain('shape hexagon');
    expect(fs.readFileSync(fragment, 'utf8').startsWith(DSL_HEADER)).toBe(true);
    expect(dslViews(c4Model(modelOf(GOLDEN_FIXTURE)))).toBe(fs.readFileSync(path.join(repo, 'c4', 'archdoc.generated.views.dsl'), 'utf8'));
  }, 180_000);
});
