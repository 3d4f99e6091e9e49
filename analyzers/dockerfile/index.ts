/**
 * dockerfile: Dockerfiles parsed with dockerfile-ast. Each Dockerfile is one container image:
 * its stages, base images (build arguments expanded), exposed ports, the user it runs as,
 * HEALTHCHECK and entrypoint. An image that runs as root (no USER, or USER root/0 in the final
 * stage) is a security finding. The image belongs to the component whose directory holds it.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { Details } from '../../src/model/schema.js';
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

export default defineAnalyzer({
  meta: {
    name: 'dockerfile',
    description: 'Dockerfiles: stages, base images, exposed ports, user, healthcheck and entrypoint; root containers as findings',
    produces: ['containers', 'security', 'dataStores'],
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
        user: user ? user.value : 'root (no USER instruction)',
        ...(healthcheck && !/^NONE$/i.test(healthcheck.trim()) ? { healthcheck } : {}),
        details,
        evidence: [{ file, line: final.line }],
      });
      const runsAsRoot = !user || /^(root|0)(:.*)?$/.test(user.value);
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
});
