/**
 * dockerfile: Dockerfiles parsed with dockerfile-ast. Each Dockerfile is one container image:
 * its stages, base images (build arguments expanded), exposed ports, the user it runs as,
 * HEALTHCHECK and entrypoint. An image that runs as root (no USER, or USER root/0 in the final
 * stage) is a security finding. The image belongs to the component whose directory holds it.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { Details, Model } from '../../src/model/schema.js';
import { dirOf } from '../../src/util/paths.js';
import { dataStoreOfImage } from '../../src/data/images.js';
import { redactSecrets } from '../../src/util/redact.js';
import { idOf } from '../../src/model/ids.js';

export const DOCKERFILE = /(^|\/)(Dockerfile|Containerfile)(\.[\w.-]+)?$|\.(Dockerfile|dockerfile)$/;

interface Instr {
  getKeyword(): string;
  getRange(): { start: { line: number } };
  getArgumentsContent(): string | null;
  getExpandedArguments(): { getValue(): string }[];
}
interface FromInstr extends Instr {
  getBuildStage(): string | null;
}
interface DockerfileDoc {
  getInstructions(): Instr[];
  getFROMs(): FromInstr[];
}

interface Stage {
  name?: string;
  base: string;
  line: number;
  user?: { value: string; line: number };
  expose: string[];
  healthcheck?: string;
  entrypoint?: string;
  cmd?: string;
  workdir?: string;
}

/**
 * Base images published to run as a non-root user, so an image built FROM them without a USER
 * instruction does not run as root: NGINX's unprivileged image and distroless `nonroot` tags.
 */
const NON_ROOT_BASES = [/^(docker\.io\/)?nginxinc\/nginx-unprivileged(:|@|$)/, /^gcr\.io\/distroless\/[\w./-]+:([\w.-]*-)?nonroot$/];

/** USER root, USER 0, USER root:group, USER 0:0. */
function isRootUser(user: string): boolean {
  return /^(root|0)(:.*)?$/.test(user);
}

/**
 * Whether a deployment's container states a non-root user: a Kubernetes `uid N` (N > 0) or
 * `non-root (runAsNonRoot)`, a Compose or ECS `user:` that is not root or 0.
 */
export function statesNonRoot(user: string | undefined): boolean {
  if (user === undefined || user.trim() === '') return false;
  if (user.startsWith('non-root')) return true;
  const uid = /^uid (\S+)$/.exec(user)?.[1];
  if (uid !== undefined) return /^\d+$/.test(uid) && Number(uid) > 0;
  return !isRootUser(user) && !user.startsWith('root');
}

/**
 * Drops the finding that an image built by a Dockerfile runs as root when every deployment
 * container of the same component (Kubernetes, Compose, ECS) states a non-root user, as the
 * finding's own "unless its deployment sets a non-root user" allows: the document states that
 * user in its containers table, and a finding must not contradict it.
 */
export function dropRootFindingsDeployedNonRoot(model: Model): void {
  const images = new Map(
    model.deployment.containers.filter((c) => c.details?.source === 'dockerfile' && c.component).map((c) => [c.evidence[0]?.file, c.component!]),
  );
  const deployed = new Map<string, boolean[]>();
  for (const c of model.deployment.containers) {
    if (c.details?.source === 'dockerfile' || !c.component) continue;
    const list = deployed.get(c.component) ?? [];
    list.push(statesNonRoot(c.user));
    deployed.set(c.component, list);
  }
  model.security = model.security.filter((f) => {
    if (f.details?.rule !== 'container-runs-as-root' || f.details.dockerfile === undefined) return true;
    const component = images.get(f.details.dockerfile);
    const runs = component ? deployed.get(component) : undefined;
    return !(runs && runs.length > 0 && runs.every(Boolean));
  });
}

export default defineAnalyzer({
  meta: {
    name: 'dockerfile',
    description: 'Dockerfiles: stages, base images, exposed ports, user, healthcheck and entrypoint; root containers as findings',
    produces: ['containers', 'security', 'dataStores'],
    consumes: ['containers', 'components.settled'],
    amends: ['security'],
  },
  applies: (ctx) => ctx.files.some((f) => DOCKERFILE.test(f) && !f.endsWith('.dockerignore') && !ctx.isSetAside(f)),
  async analyze(ctx) {
    const files = ctx.files.filter((f) => DOCKERFILE.test(f) && !f.endsWith('.dockerignore') && !ctx.isSetAside(f));
    const mod = (await import('dockerfile-ast')) as unknown as {
      DockerfileParser?: { parse(text: string): DockerfileDoc };
      default?: { DockerfileParser: { parse(text: string): DockerfileDoc } };
    };
    const Parser = mod.DockerfileParser ?? mod.default!.DockerfileParser;
    for (const file of files) {
      const text = ctx.read(file);
      if (text === undefined) continue;
      let doc: DockerfileDoc;
      try {
        doc = Parser.parse(text);
      } catch (e) {
        ctx.warn(file, 1, `Dockerfile could not be parsed: ${(e as Error).message}`);
        continue;
      }
      const stages: Stage[] = [];
      let current: Stage | undefined;
      for (const ins of doc.getInstructions()) {
        const kw = ins.getKeyword().toUpperCase();
        const line = ins.getRange().start.line + 1;
        const expanded = () => ins.getExpandedArguments().map((a) => a.getValue());
        if (kw === 'FROM') {
          const args = expanded();
          const base = args.find((a) => !a.startsWith('--')) ?? '';
          if (base === '') ctx.warn(file, line, 'FROM without an image; the stage is read as unnamed');
          const stage = (ins as FromInstr).getBuildStage() ?? undefined;
          current = { name: stage, base, line, expose: [] };
          stages.push(current);
          continue;
        }
        if (!current) continue;
        if (kw === 'USER') current.user = { value: expanded()[0] ?? '', line };
        else if (kw === 'EXPOSE') current.expose.push(...expanded());
        else if (kw === 'HEALTHCHECK') current.healthcheck = redactSecrets(ins.getArgumentsContent() ?? '');
        else if (kw === 'ENTRYPOINT') current.entrypoint = redactSecrets(ins.getArgumentsContent() ?? '');
        else if (kw === 'CMD') current.cmd = redactSecrets(ins.getArgumentsContent() ?? '');
        else if (kw === 'WORKDIR') current.workdir = expanded()[0];
      }
      if (stages.length === 0) {
        ctx.warn(file, 1, 'Dockerfile without a FROM instruction; nothing read');
        continue;
      }
      const byName = new Map(stages.filter((s) => s.name).map((s) => [s.name!.toLowerCase(), s]));
      const final = stages[stages.length - 1]!;
      // Inherit what the final stage does not say from the stages it is built FROM.
      const chain: Stage[] = [];
      for (let s: Stage | undefined = final; s && !chain.includes(s); s = byName.get(s.base.toLowerCase())) chain.push(s);
      const pickFirst = <T>(f: (s: Stage) => T | undefined): T | undefined => {
        for (const s of chain) {
          const v = f(s);
          if (v !== undefined) return v;
        }
        return undefined;
      };
      const user = pickFirst((s) => s.user);
      const healthcheck = pickFirst((s) => s.healthcheck);
      const entrypoint = pickFirst((s) => s.entrypoint);
      const cmd = pickFirst((s) => s.cmd);
      const expose = [...new Set(chain.flatMap((s) => s.expose))];
      const externalBase = chain[chain.length - 1]!.base;
      const nonRootBase = NON_ROOT_BASES.some((re) => re.test(externalBase));
      const component = ctx.componentOf(file);
      const details: Details = {
        source: 'dockerfile',
        baseImage: externalBase || 'unknown',
        stages: stages.map((s) => (s.name ? `${s.name} (${s.base})` : s.base)),
      };
      if (final.name) details.finalStage = final.name;
      if (entrypoint) details.entrypoint = entrypoint;
      if (cmd) details.cmd = cmd;
      const dir = dirOf(file);
      ctx.emit('containers', {
        id: idOf.container(file),
        name: dir === '.' ? file : `${dir.split('/').pop()} (${file.split('/').pop()})`,
        ...(component ? { component } : {}),
        ports: expose,
        user: user ? user.value : nonRootBase ? `non-root (set by the base image ${externalBase})` : 'root (no USER instruction)',
        ...(healthcheck && !/^NONE$/i.test(healthcheck.trim()) ? { healthcheck } : {}),
        details,
        evidence: [{ file, line: final.line }],
      });
      const runsAsRoot = user ? isRootUser(user.value) : !nonRootBase;
      if (runsAsRoot) {
        ctx.emit('security', {
          id: idOf.security('container-runs-as-root', file),
          name: user
            ? `The image built by ${file} runs as root (USER ${user.value}) unless its deployment sets a non-root user`
            : `The image built by ${file} runs as root (no USER instruction in the final stage) unless its deployment sets a non-root user`,
          category: 'infrastructure',
          severity: 'medium',
          tech: 'docker',
          ...(component ? { component } : {}),
          details: { rule: 'container-runs-as-root', dockerfile: file },
          evidence: [{ file, line: user ? user.line : final.line }],
        });
      }
      const store = dataStoreOfImage(externalBase);
      if (store) {
        ctx.emit('dataStores', {
          id: idOf.datastore(store.tech),
          name: store.name,
          tech: store.tech,
          kind: store.kind,
          usedBy: [],
          details: { images: [externalBase] },
          evidence: [{ file, line: final.line }],
        });
      }
    }
  },
  link(model) {
    dropRootFindingsDeployedNonRoot(model);
  },
});
