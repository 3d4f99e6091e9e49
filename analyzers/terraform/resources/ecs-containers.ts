/**
 * The containers of an ECS task definition, read from its `container_definitions` text: image,
 * ports, user, health check, environment and secret names; literal secret values are findings.
 */
import { componentOfImage } from '../../../src/data/images.js';
import { looksLikeCommittedSecret } from '../../../src/analysis/secrets.js';
import { literalName } from '../values.js';
import type { Block, Out } from '../out.js';
import { idOf } from '../../../src/model/ids.js';

/** Containers of an ECS task definition (read from its container_definitions expression). */
export function taskContainers(out: Out, b: Block): void {
  const defs = b.body.container_definitions;
  if (typeof defs !== 'string') return;
  // Each container definition starts at a `name = "..."` that precedes an `image`.
  const chunks = defs.split(/(?=\{\s*"?name"?\s*[=:]\s*"[^"]+"\s*,?\s*\n?\s*"?image"?)/);
  const containers = chunks.length > 1 ? chunks.slice(1) : [defs];
  for (const chunk of containers) {
    const name = /"?name"?\s*[=:]\s*"([^"]+)"/.exec(chunk)?.[1];
    const image = /"?image"?\s*[=:]\s*"((?:[^"\\]|\\.|\$\{[^}]*\})*)"/.exec(chunk)?.[1];
    if (!name || !image) continue;
    const ports = [...chunk.matchAll(/"?containerPort"?\s*[=:]\s*(\d+)/g)].map((m) => m[1]!);
    const user = /"?user"?\s*[=:]\s*"([^"]+)"/.exec(chunk)?.[1];
    const env: string[] = [];
    for (const m of chunk.matchAll(/\{\s*"?name"?\s*[=:]\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*,?\s*"?value"?\s*[=:]\s*("(?:[^"\\]|\\.)*"|[^,}\n]+)/g)) {
      env.push(m[1]!);
      const value = m[2]!.startsWith('"') ? m[2]!.slice(1, -1) : m[2]!.trim();
      if (!value.includes('${') && /^[a-z_]+\./.test(value) === false && looksLikeCommittedSecret(m[1]!, value)) {
        out.security(
          b,
          `committed-secret-${m[1]!.toLowerCase()}`,
          'high',
          { statement: 'literal-secret-container-environment', setting: m[1]!, container: name },
          m[1]!,
        );
      }
    }
    const secrets = [...chunk.matchAll(/\{\s*"?name"?\s*[=:]\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*,?\s*"?valueFrom"?/g)].map((m) => m[1]!);
    const health = /healthCheck/.test(chunk);
    const displayImage = image.replace(/\$\{([^}]*)\}/g, '$1');
    const ecr = /aws_ecr_repository\.([A-Za-z0-9_-]+)/.exec(image)?.[1];
    const repoName = ecr ? literalName(out.blocks.get(`aws_ecr_repository.${ecr}`)?.body.name) : undefined;
    const component = componentOfImage(out.ctx, repoName ?? image);
    out.ctx.emit('containers', {
      id: idOf.container('ecs', `${String(literalName(b.body.family) ?? b.name)}/${name}`),
      name,
      image: displayImage,
      ...(component ? { component } : {}),
      ports,
      ...(user ? { user } : {}),
      details: {
        source: 'terraform',
        taskDefinition: b.address,
        ...(health ? { healthcheckDeclared: true } : {}),
        ...(env.length ? { environment: [...new Set(env)].sort() } : {}),
        ...(secrets.length ? { secrets: [...new Set(secrets)].sort() } : {}),
      },
      evidence: [out.ev(b, 'container_definitions')],
    });
    if (user === 'root' || user === '0') {
      out.security(b, 'container-runs-as-root', 'medium', { statement: 'container-runs-as-root', container: name }, 'user');
    }
  }
}
