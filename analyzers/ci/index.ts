/**
 * ci: CI/CD pipelines — GitHub Actions workflows, GitLab CI, CircleCI and Azure Pipelines. Jobs
 * with their `needs`, triggers, reusable workflows, deployment environments (with manual gates
 * where the file shows them) and the deployment commands the jobs run. Literal secret-looking
 * values in pipeline variables are findings that name the variable only.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext, YamlFile } from '../../src/analyzer/context.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import type { Evidence, Pipeline } from '../../src/model/schema.js';
import { asArray, asRecord, lineOf, str, strings } from '../../src/analysis/yaml.js';
import { canonicalEnvironment } from '../../src/data/environments.js';
import { looksLikeCommittedSecret } from '../../src/analysis/secrets.js';
import { redactSecrets } from '../../src/util/redact.js';
import { actionTarget, deployTarget, deploysNotSystem } from './targets.js';
import { idOf } from '../../src/model/ids.js';

const GITHUB = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const GITLAB = /(^|\/)\.gitlab-ci\.ya?ml$|^\.gitlab\/ci\/[^/]+\.ya?ml$|(^|\/)[^/]+\.gitlab-ci\.ya?ml$/;
const CIRCLE = /^\.circleci\/config\.ya?ml$/;
const AZURE = /(^|\/)azure-pipelines[^/]*\.ya?ml$/;

type Job = Pipeline['jobs'][number];
type Deploy = NonNullable<Job['deploys']>[number];

/**
 * The platforms a script deploys to, each with the line of its command: `first` is the line of the
 * script's first line (a block scalar starts on the line after its key).
 */
function scriptDeploys(file: string, script: unknown, first: number, workingDirectory?: string): Deploy[] {
  const out: Deploy[] = [];
  const lines = typeof script === 'string' ? script.split('\n') : [];
  lines.forEach((raw, i) => {
    const l = raw.trim();
    if (l === '' || l.startsWith('#') || /^(echo|printf)\b/.test(l) || deploysNotSystem(l, workingDirectory)) return;
    const platform = deployTarget(l);
    if (platform) out.push({ platform, command: deployCommands(l)[0] ?? redactSecrets(l).slice(0, 140), evidence: { file, line: first + i } });
  });
  return out;
}

const DEPLOY_COMMAND =
  /\b(kubectl\s+(apply|rollout|set\s+image|replace)|helm(file)?\s+(upgrade|install|sync|apply)|terraform\s+(apply|destroy)|tofu\s+apply|terragrunt\s+(apply|run-all)|aws\s+(ecs\s+(update-service|deploy)|s3\s+sync|cloudformation\s+deploy|lambda\s+update-function-code)|sam\s+deploy|(serverless|sls)\s+deploy|cdk\s+deploy|gcloud\s+(run|app|functions)\s+deploy|az\s+(webapp|containerapp|functionapp)\s+(up|deploy|update|create)|docker\s+(push|buildx\s+build[^\n]*--push)|fly(ctl)?\s+deploy|vercel(\s+deploy)?\s+--prod|netlify\s+deploy|wrangler\s+(deploy|publish)|(npm|pnpm|yarn)\s+publish|pulumi\s+up|argocd\s+app\s+sync|eb\s+deploy|copilot\s+svc\s+deploy|skaffold\s+(run|deploy))\b/i;
const DEPLOY_RUNNER = /^(make|task|just|npm\s+run|yarn(\s+run)?|pnpm(\s+run)?|npx)\s+[\w:.-]*deploy/i;
const isPathChar = (c: string) => /[\w./-]/.test(c);

/**
 * A command whose own name says it deploys: `./deploy.sh`, `make deploy`, `npm run deploy:prod`.
 * What `/^((\.\/|bash\s+|sh\s+)?[\w./-]*deploy[\w.-]*(\s|$)|…)/i` matched, without its backtracking
 * (a line repeating `deploy` made it quadratic): the first word, after `bash` or `sh`, is a path
 * whose last segment holds `deploy`.
 */
function isDeployScript(line: string): boolean {
  if (DEPLOY_RUNNER.test(line)) return true;
  const start = /^(?:bash|sh)\s+/i.exec(line)?.[0].length ?? 0;
  let end = start;
  while (end < line.length && isPathChar(line[end]!)) end++;
  if (end < line.length && !/\s/.test(line[end]!)) return false;
  const segment = line.slice(Math.max(start, line.lastIndexOf('/', end - 1) + 1), end);
  return segment.toLowerCase().includes('deploy');
}
const DEPLOY_ACTION =
  /(deploy|amazon-ecs|amazon-ecr|aws-actions\/|docker\/build-push-action|helm|kubectl|k8s|terraform|google-github-actions\/(deploy|get-gke)|azure\/(webapps|k8s|functions|container)|vercel|netlify|wrangler|pulumi|superfly|argocd|serverless)/i;

export function deployCommands(script: unknown): string[] {
  const lines = (typeof script === 'string' ? [script] : strings(script)).flatMap((s) => s.split('\n'));
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !/^(echo|printf)\b/.test(l) && (DEPLOY_COMMAND.test(l) || isDeployScript(l)))
    .map((l) => {
      const r = redactSecrets(l.replace(/(?<!\s)\s+\\$/, ''));
      return r.length > 140 ? r.slice(0, 137) + '…' : r;
    });
}

function environmentName(v: unknown): string | undefined {
  return str(v) ?? str(asRecord(v)?.name);
}

interface EnvSeen {
  raw: string;
  name: string;
  evidence: Evidence;
  manual: boolean;
  protection: string;
  pipeline: string;
}

function secretVariables(ctx: AnalyzerContext, file: string, y: YamlFile, root: unknown, path: (string | number)[], vars: unknown, where: string): void {
  const rec = asRecord(vars);
  if (!rec) return;
  const leaked = Object.entries(rec)
    .filter(([k, v]) => looksLikeCommittedSecret(k, typeof v === 'object' && v !== null ? (v as Record<string, unknown>).value : v))
    .map(([k]) => k)
    .sort(compareStrings);
  if (leaked.length === 0) return;
  ctx.emit('security', {
    id: idOf.security('ci-committed-secret', file, path.join('.')),
    name: `${where} sets ${leaked.join(', ')} to literal values in ${file} (secrets committed to the repository; use the CI secret store)`,
    category: 'infrastructure',
    severity: 'medium',
    tech: 'ci',
    details: { rule: 'committed-secret', variables: leaked },
    evidence: [{ file, line: lineOf(y, root, path) }],
  });
}

function github(ctx: AnalyzerContext, file: string, envs: EnvSeen[]): void {
  const y = ctx.yaml(file);
  const doc = y?.documents[0];
  if (!y || !doc) return;
  const wf = asRecord(y.toJS(doc));
  if (!wf) return;
  const root = doc.contents;
  const on = wf.on ?? wf.true;
  const triggers: string[] = [];
  if (typeof on === 'string') triggers.push(on);
  else if (Array.isArray(on)) triggers.push(...strings(on));
  else
    for (const [k, v] of Object.entries(asRecord(on) ?? {})) {
      const branches = strings(asRecord(v)?.branches);
      const tags = strings(asRecord(v)?.tags);
      triggers.push(branches.length ? `${k} (${branches.join(', ')})` : tags.length ? `${k} (tags ${tags.join(', ')})` : k);
    }
  secretVariables(ctx, file, y, root, ['env'], wf.env, `Workflow ${str(wf.name) ?? file}`);
  const jobs: Job[] = [];
  const jobsRec = asRecord(wf.jobs) ?? {};
  for (const id of Object.keys(jobsRec)) {
    const job = asRecord(jobsRec[id]) ?? {};
    const commands: string[] = [];
    const deploys: Deploy[] = [];
    const uses = str(job.uses);
    if (uses) commands.push(`uses: ${uses}`);
    const jobDir = str(asRecord(asRecord(job.defaults)?.run)?.['working-directory']);
    asArray(job.steps).forEach((step, si) => {
      const s = asRecord(step);
      if (!s) return;
      commands.push(...deployCommands(s.run));
      const dir = str(s['working-directory']) ?? jobDir;
      if (typeof s.run === 'string') {
        const at = lineOf(y, root, ['jobs', id, 'steps', si, 'run']);
        deploys.push(...scriptDeploys(file, s.run, s.run.trim().includes('\n') ? at + 1 : at, dir));
      }
      const a = str(s.uses);
      if (a && DEPLOY_ACTION.test(a) && !/^actions\//.test(a) && !/(configure-aws-credentials|\/setup-|login|\/auth@|setup-buildx|setup-qemu)/.test(a))
        commands.push(`uses: ${a}`);
      if (a && !/(\/setup-|setup-flyctl|login|\/auth@)/.test(a)) {
        const w = asRecord(s.with);
        const input = str(w?.args) ?? str(w?.command);
        const platform = actionTarget(a, input);
        const where = str(w?.workingDirectory) ?? str(w?.['working-directory']) ?? dir;
        if (platform && !deploysNotSystem(input ?? '', where))
          deploys.push({
            platform,
            command: redactSecrets(`uses: ${a}${input ? ` (${input.trim().split('\n')[0]})` : ''}`).slice(0, 140),
            evidence: { file, line: lineOf(y, root, ['jobs', id, 'steps', si, 'uses']) },
          });
      }
    });
    secretVariables(ctx, file, y, root, ['jobs', id, 'env'], job.env, `Job ${id}`);
    const env = environmentName(job.environment);
    const j: Job = { name: id, needs: strings(job.needs) };
    if (env) {
      j.environment = env;
      const name = canonicalEnvironment(env);
      if (name) {
        envs.push({
          raw: env,
          name,
          evidence: { file, line: lineOf(y, root, ['jobs', id, 'environment']) },
          manual: false,
          protection: 'GitHub environment (required reviewers and branch rules, if any, live in the repository settings)',
          pipeline: file,
        });
      }
    }
    if (commands.length) j.commands = sortedUnique(commands);
    if (deploys.length) j.deploys = deploys;
    jobs.push(j);
  }
  ctx.emit('pipelines', {
    id: idOf.pipeline(file),
    name:
      str(wf.name) ??
      file
        .split('/')
        .pop()!
        .replace(/\.ya?ml$/, ''),
    tool: 'github-actions',
    triggers,
    jobs,
    evidence: [{ file, line: lineOf(y, root, ['jobs'], 1) }],
  });
}

const GITLAB_RESERVED = new Set([
  'image',
  'services',
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'before_script',
  'after_script',
  'cache',
  'types',
]);

function gitlab(ctx: AnalyzerContext, file: string, envs: EnvSeen[]): void {
  const y = ctx.yaml(file);
  const doc = y?.documents[0];
  if (!y || !doc) return;
  const ci = asRecord(y.toJS(doc));
  if (!ci) return;
  const root = doc.contents;
  secretVariables(ctx, file, y, root, ['variables'], ci.variables, 'The pipeline');
  const stages = strings(ci.stages).length ? strings(ci.stages) : ['build', 'test', 'deploy'];
  const all = new Map<string, Record<string, unknown>>();
  for (const [k, v] of Object.entries(ci)) {
    const rec = asRecord(v);
    if (!GITLAB_RESERVED.has(k) && rec) all.set(k, rec);
  }
  const resolve = (name: string, depth = 0): Record<string, unknown> => {
    const job = all.get(name) ?? {};
    if (depth > 5) return job;
    const parents = strings(job.extends);
    let merged: Record<string, unknown> = {};
    for (const p of parents) merged = { ...merged, ...resolve(p, depth + 1) };
    return { ...merged, ...job };
  };
  const visible = [...all.keys()].filter((k) => !k.startsWith('.'));
  const resolved = new Map(visible.map((k) => [k, resolve(k)]));
  const stageOf = (k: string) => str(resolved.get(k)?.stage) ?? 'test';
  const text = JSON.stringify(ci);
  const triggers = ['push'];
  if (/merge_request_event|merge_requests/.test(text)) triggers.push('merge request');
  if (/CI_COMMIT_TAG|\btags\b/.test(text)) triggers.push('tag');
  if (/"schedule"|schedules/.test(text)) triggers.push('schedule');
  if (/"web"|CI_PIPELINE_SOURCE == "web"/.test(text)) triggers.push('manual (web)');
  const jobs: Job[] = [];
  for (const k of visible) {
    const job = resolved.get(k)!;
    let needs: string[];
    if (Array.isArray(job.needs)) {
      needs = job.needs.flatMap((n) => (typeof n === 'string' ? [n] : str(asRecord(n)?.job) ? [str(asRecord(n)!.job)!] : []));
    } else {
      // Without `needs`, a job waits for every job of the previous stage that has any.
      const i = stages.indexOf(stageOf(k));
      let prev: string[] = [];
      for (let s = i - 1; s >= 0 && prev.length === 0; s--) prev = visible.filter((v) => stageOf(v) === stages[s]);
      needs = prev;
    }
    const rules = asArray(job.rules).map(asRecord);
    const manual = job.when === 'manual' || rules.some((r) => r?.when === 'manual');
    const env = environmentName(job.environment);
    const j: Job = { name: k, needs };
    if (env) {
      j.environment = env;
      const name = canonicalEnvironment(env);
      if (name) {
        const own = asRecord(all.get(k))?.environment !== undefined;
        envs.push({
          raw: env,
          name,
          evidence: { file, line: own ? lineOf(y, root, [k, 'environment']) : lineOf(y, root, [k]) },
          manual,
          protection: manual ? 'manual approval (GitLab job with when: manual)' : 'GitLab environment (protection, if any, lives in the project settings)',
          pipeline: file,
        });
      }
    }
    if (manual) j.manual = true;
    const commands = deployCommands([...strings(job.before_script), ...strings(job.script)]);
    if (commands.length) j.commands = sortedUnique(commands);
    // Deploy targets, each at its script line when the job's own `script` holds it, else at the job.
    const own = asRecord(all.get(k))?.script !== undefined;
    const deploys = strings(job.script).flatMap((line, li) =>
      scriptDeploys(file, line.split('\n')[0], own ? lineOf(y, root, [k, 'script', li]) : lineOf(y, root, [k])),
    );
    if (deploys.length) j.deploys = deploys;
    secretVariables(ctx, file, y, root, [k, 'variables'], all.get(k)?.variables, `Job ${k}`);
    jobs.push(j);
  }
  ctx.emit('pipelines', {
    id: idOf.pipeline(file),
    name: file === '.gitlab-ci.yml' ? 'GitLab CI' : file,
    tool: 'gitlab-ci',
    triggers,
    jobs,
    evidence: [{ file, line: 1 }],
  });
}

function circleci(ctx: AnalyzerContext, file: string, envs: EnvSeen[]): void {
  const y = ctx.yaml(file);
  const doc = y?.documents[0];
  if (!y || !doc) return;
  const cfg = asRecord(y.toJS(doc));
  if (!cfg) return;
  const defs = asRecord(cfg.jobs) ?? {};
  for (const [wfName, wfRaw] of Object.entries(asRecord(cfg.workflows) ?? {})) {
    const wf = asRecord(wfRaw);
    if (!wf) continue;
    const jobs: Job[] = [];
    for (const entry of asArray(wf.jobs)) {
      const name = typeof entry === 'string' ? entry : Object.keys(asRecord(entry) ?? {})[0];
      if (!name) continue;
      const opts = typeof entry === 'string' ? {} : (asRecord(asRecord(entry)![name]) ?? {});
      const j: Job = { name: str(opts.name) ?? name, needs: strings(opts.requires) };
      if (opts.type === 'approval') j.manual = true;
      const def = asRecord(defs[name]);
      const commands = asArray(def?.steps).flatMap((s) =>
        deployCommands(
          asRecord(s)?.run !== undefined ? (typeof asRecord(s)!.run === 'string' ? asRecord(s)!.run : asRecord(asRecord(s)!.run)?.command) : undefined,
        ),
      );
      if (commands.length) j.commands = sortedUnique(commands);
      const guess = canonicalEnvironment(/(prod|production|staging|stage|dev)/i.exec(j.name)?.[1] ?? '');
      if (guess && commands.length) j.environment = guess;
      jobs.push(j);
    }
    // An approval job gates the jobs that require it.
    for (const j of jobs) {
      if (j.environment && jobs.some((a) => a.manual && j.needs.includes(a.name))) {
        envs.push({
          raw: j.environment,
          name: j.environment,
          evidence: { file, line: lineOf(y, doc.contents, ['workflows', wfName]) },
          manual: true,
          protection: 'manual approval (CircleCI approval job)',
          pipeline: file,
        });
      }
    }
    ctx.emit('pipelines', {
      id: idOf.pipeline(`${file}#${wfName}`),
      name: `CircleCI ${wfName}`,
      tool: 'circleci',
      triggers: ['push'],
      jobs,
      evidence: [{ file, line: lineOf(y, doc.contents, ['workflows', wfName]) }],
    });
  }
}

function azure(ctx: AnalyzerContext, file: string, envs: EnvSeen[]): void {
  const y = ctx.yaml(file);
  const doc = y?.documents[0];
  if (!y || !doc) return;
  const p = asRecord(y.toJS(doc));
  if (!p) return;
  const jobs: Job[] = [];
  const stages = asArray(p.stages)
    .map(asRecord)
    .filter((s): s is Record<string, unknown> => !!s);
  stages.forEach((stage, si) => {
    const sName = str(stage.stage) ?? `stage-${si}`;
    const depends = stage.dependsOn === undefined ? (si > 0 ? [str(stages[si - 1]!.stage) ?? ''] : []) : strings(stage.dependsOn);
    const j: Job = { name: sName, needs: depends.filter(Boolean) };
    const commands: string[] = [];
    asArray(stage.jobs).forEach((jobRaw, ji) => {
      const job = asRecord(jobRaw) ?? {};
      const env = environmentName(job.environment);
      if (env) {
        j.environment = env;
        const name = canonicalEnvironment(env);
        if (name)
          envs.push({
            raw: env,
            name,
            evidence: { file, line: lineOf(y, doc.contents, ['stages', si, 'jobs', ji, 'environment']) },
            manual: false,
            protection: 'Azure DevOps environment (approvals and checks live in the project settings)',
            pipeline: file,
          });
      }
      const steps = [...asArray(job.steps), ...asArray(asRecord(asRecord(asRecord(job.strategy)?.runOnce)?.deploy)?.steps)];
      for (const s of steps) commands.push(...deployCommands(str(asRecord(s)?.script) ?? str(asRecord(s)?.bash)));
    });
    if (commands.length) j.commands = sortedUnique(commands);
    jobs.push(j);
  });
  const trigger = p.trigger;
  ctx.emit('pipelines', {
    id: idOf.pipeline(file),
    name: file,
    tool: 'azure-pipelines',
    triggers:
      trigger === 'none'
        ? []
        : [
            trigger === undefined
              ? 'push'
              : `push (${strings(asRecord(trigger)?.branches ? asRecord(asRecord(trigger)!.branches)!.include : trigger).join(', ')})`,
          ],
    jobs,
    evidence: [{ file, line: 1 }],
  });
}

export default defineAnalyzer({
  meta: {
    name: 'ci',
    description: 'CI/CD pipelines (GitHub Actions, GitLab CI, CircleCI, Azure Pipelines): jobs, needs, triggers, environments, deploy commands',
    produces: ['pipelines', 'environments', 'security'],
  },
  applies: (ctx) => ctx.files.some((f) => GITHUB.test(f) || GITLAB.test(f) || CIRCLE.test(f) || AZURE.test(f)),
  analyze(ctx) {
    const envs: EnvSeen[] = [];
    for (const f of ctx.files) {
      if (GITHUB.test(f)) github(ctx, f, envs);
      else if (GITLAB.test(f)) gitlab(ctx, f, envs);
      else if (CIRCLE.test(f)) circleci(ctx, f, envs);
      else if (AZURE.test(f)) azure(ctx, f, envs);
    }
    const byName = new Map<string, EnvSeen[]>();
    for (const e of envs) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
    for (const [name, list] of byName) {
      const manual = list.some((e) => e.manual);
      ctx.emit('environments', {
        id: idOf.environment(name),
        name,
        protection: manual ? list.find((e) => e.manual)!.protection : list[0]!.protection,
        details: {
          pipelines: sortedUnique(list.map((e) => e.pipeline)),
          declaredAs: sortedUnique(list.map((e) => e.raw)),
          manualApproval: manual,
        },
        evidence: list.map((e) => e.evidence),
      });
    }
  },
});
