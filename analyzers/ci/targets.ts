/**
 * The platform a CI deploy command or action deploys to, from the platform's own CLI
 * (`heroku container:push web`, `fly deploy`, `gcloud run deploy`, `kubectl apply`…) or its
 * deploy action (`superfly/flyctl-actions`, `cloudflare/wrangler-action`…). Plain word scanning,
 * no regular expression over the command. Returns a platform id, never prose.
 */

/** Platform ids, as `deploys[].platform` carries them. */
export type DeployPlatform =
  | 'heroku'
  | 'fly'
  | 'vercel'
  | 'netlify'
  | 'cloudflare-workers'
  | 'cloudflare-pages'
  | 'cloud-run'
  | 'app-engine'
  | 'cloud-functions'
  | 'azure-app-service'
  | 'azure-container-apps'
  | 'azure-functions'
  | 'railway'
  | 'render'
  | 'digitalocean-apps'
  | 'kubernetes'
  | 'ecs'
  | 'elastic-beanstalk'
  | 'lambda'
  | 'aws-cdk'
  | 'firebase'
  | 'fastapi-cloud';

/** Runners in front of a CLI: `npx fly deploy`, `pnpm dlx vercel --prod`, `uv run fastapi deploy`. */
const RUNNERS = new Set(['npx', 'bunx', 'pnpx', 'dlx', 'exec', 'run', 'sudo', 'uv', 'poetry', 'pnpm', 'yarn', 'npm', 'bun']);

/** Folders whose deploys are of documentation or demos, not the system: `docs/`, `website/`, `storybook/`, `examples/`. */
const NOT_SYSTEM_FOLDERS = new Set(['docs', 'doc', 'documentation', 'website', 'site', 'storybook', 'examples', 'example', 'demo', 'demos']);

function firstFolder(word: string): string {
  const w = word.startsWith('./') ? word.slice(2) : word;
  const slash = w.indexOf('/');
  return (slash < 0 ? w : w.slice(0, slash)).toLowerCase();
}

/** A deploy whose command or working folder names a documentation or demo folder. */
export function deploysNotSystem(command: string, workingDirectory?: string): boolean {
  if (workingDirectory && NOT_SYSTEM_FOLDERS.has(firstFolder(workingDirectory))) return true;
  return command
    .split(/\s+/)
    .some((w) => (w.includes('/') || w.startsWith('--cwd')) && NOT_SYSTEM_FOLDERS.has(firstFolder(w.startsWith('--cwd=') ? w.slice(6) : w)));
}

const base = (w: string): string => w.slice(w.lastIndexOf('/') + 1).toLowerCase();

/** The platform one shell command deploys to, or undefined. */
export function deployTarget(command: string): DeployPlatform | undefined {
  const words = command
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  // Render deploy hooks: `curl -X POST https://api.render.com/deploy/srv-…`.
  if (words.some((w) => w.includes('api.render.com/deploy'))) return 'render';
  let i = 0;
  while (i < words.length - 1 && (RUNNERS.has(words[i]!.toLowerCase()) || words[i]!.startsWith('-'))) i++;
  const cli = base(words[i] ?? '');
  const rest = words.slice(i + 1).filter((w) => !w.startsWith('-'));
  const flags = words.slice(i + 1).filter((w) => w.startsWith('-'));
  const sub = rest[0]?.toLowerCase() ?? '';
  const sub2 = rest[1]?.toLowerCase() ?? '';
  switch (cli) {
    case 'heroku':
      return sub === 'container:push' || sub === 'container:release' || sub === 'deploy' || sub.startsWith('deploy:') || sub === 'releases:retry'
        ? 'heroku'
        : undefined;
    case 'git':
      // `git push heroku main`, `git push https://heroku:$KEY@git.heroku.com/app.git`.
      return sub === 'push' && rest.slice(1).some((w) => w === 'heroku' || w.includes('git.heroku.com')) ? 'heroku' : undefined;
    case 'fly':
    case 'flyctl':
      return sub === 'deploy' ? 'fly' : undefined;
    case 'vercel':
      return sub === 'deploy' || flags.includes('--prod') ? 'vercel' : undefined;
    case 'netlify':
      return sub === 'deploy' ? 'netlify' : undefined;
    case 'wrangler':
      if (sub === 'deploy' || sub === 'publish') return 'cloudflare-workers';
      return sub === 'pages' && (sub2 === 'deploy' || sub2 === 'publish') ? 'cloudflare-pages' : undefined;
    case 'gcloud': {
      // `gcloud run deploy`, `gcloud beta run deploy`, `gcloud app deploy`, `gcloud functions deploy`.
      const r = sub === 'beta' || sub === 'alpha' ? rest.slice(1) : rest;
      if (r[1]?.toLowerCase() !== 'deploy') return undefined;
      const area = r[0]?.toLowerCase();
      return area === 'run' ? 'cloud-run' : area === 'app' ? 'app-engine' : area === 'functions' ? 'cloud-functions' : undefined;
    }
    case 'az':
      if (sub === 'webapp' && ['deploy', 'up', 'create', 'update'].includes(sub2)) return 'azure-app-service';
      if (sub === 'containerapp' && ['up', 'update', 'create'].includes(sub2)) return 'azure-container-apps';
      if (sub === 'functionapp' && sub2 === 'deploy') return 'azure-functions';
      return undefined;
    case 'func':
      return sub === 'azure' && sub2 === 'functionapp' ? 'azure-functions' : undefined;
    case 'railway':
      return sub === 'up' || sub === 'deploy' ? 'railway' : undefined;
    case 'doctl':
      // `doctl apps create-deployment <app id>`, `doctl apps update <app id> --spec app.yaml`.
      return sub === 'apps' && (sub2 === 'create-deployment' || sub2 === 'update' || sub2 === 'create') ? 'digitalocean-apps' : undefined;
    case 'kubectl':
      return sub === 'apply' || sub === 'replace' || sub === 'rollout' || (sub === 'set' && sub2 === 'image') ? 'kubernetes' : undefined;
    case 'helm':
    case 'helmfile':
      return sub === 'upgrade' || sub === 'install' || sub === 'sync' || sub === 'apply' ? 'kubernetes' : undefined;
    case 'aws':
      if (sub === 'ecs' && (sub2 === 'update-service' || sub2 === 'deploy')) return 'ecs';
      if (sub === 'lambda' && sub2 === 'update-function-code') return 'lambda';
      return undefined;
    case 'ecs':
    case 'ecs-deploy':
      return cli === 'ecs-deploy' || sub === 'deploy' ? 'ecs' : undefined;
    case 'copilot':
      return (sub === 'svc' || sub === 'deploy') && (sub2 === 'deploy' || sub === 'deploy') ? 'ecs' : undefined;
    case 'eb':
      return sub === 'deploy' ? 'elastic-beanstalk' : undefined;
    case 'serverless':
    case 'sls':
    case 'sam':
      return sub === 'deploy' ? 'lambda' : undefined;
    case 'cdk':
      return sub === 'deploy' ? 'aws-cdk' : undefined;
    case 'firebase':
      return sub === 'deploy' ? 'firebase' : undefined;
    case 'fastapi':
      return sub === 'deploy' ? 'fastapi-cloud' : undefined;
    default:
      return undefined;
  }
}

/**
 * Deploy actions: a fragment of `uses:`, the CLI its `args`/`command` input is given to, and the
 * platform when it has no such input. `actions/heroku` with `args: container:login` is not a deploy.
 */
const ACTIONS: [string, string, DeployPlatform][] = [
  ['heroku', 'heroku', 'heroku'],
  ['superfly/flyctl-actions', 'flyctl', 'fly'],
  ['vercel-action', 'vercel', 'vercel'],
  ['netlify/actions', 'netlify', 'netlify'],
  ['nwtgck/actions-netlify', 'netlify', 'netlify'],
  ['cloudflare/wrangler-action', 'wrangler', 'cloudflare-workers'],
  ['cloudflare/pages-action', 'wrangler pages', 'cloudflare-pages'],
  ['google-github-actions/deploy-cloudrun', '', 'cloud-run'],
  ['google-github-actions/deploy-appengine', '', 'app-engine'],
  ['google-github-actions/deploy-cloud-functions', '', 'cloud-functions'],
  ['azure/webapps-deploy', '', 'azure-app-service'],
  ['azure/functions-action', '', 'azure-functions'],
  ['azure/container-apps-deploy-action', '', 'azure-container-apps'],
  ['azure/k8s-deploy', '', 'kubernetes'],
  ['amazon-ecs-deploy-task-definition', '', 'ecs'],
  ['serverless/github-action', 'serverless', 'lambda'],
  ['railwayapp/', 'railway', 'railway'],
  ['digitalocean/app_action', '', 'digitalocean-apps'],
  ['firebaseextended/action-hosting-deploy', '', 'firebase'],
];

/** The platform a deploy action deploys to; `input` is its `args` or `command` input, if any. */
export function actionTarget(uses: string, input: string | undefined): DeployPlatform | undefined {
  const u = uses.toLowerCase();
  const hit = ACTIONS.find(([fragment]) => u.includes(fragment));
  if (!hit) return undefined;
  const [, cli, platform] = hit;
  if (input === undefined || input.trim() === '' || cli === '') return platform;
  return input
    .split('\n')
    .map((l) => deployTarget(`${cli} ${l.trim()}`))
    .find((p) => p !== undefined);
}
