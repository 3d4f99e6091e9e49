import { afterEach, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Entity, Model } from '../../src/model/schema.js';
import { payloadSnake } from './payload.js';

afterEach(() => removeTemps());

const entity = (m: Model, id: string): Entity => {
  const e = m.schemas.find((x) => x.id === id);
  if (!e) throw new Error(`no ${id} in ${m.schemas.map((x) => x.id).join(', ')}`);
  return e;
};
const payloadIds = (m: Model) => m.schemas.filter((e) => e.orm === 'payload').map((e) => e.id);

const manifest = (payload: string, adapter?: string) =>
  JSON.stringify({
    name: 'cms',
    dependencies: { payload, next: '^15.0.0', ...(adapter ? { [adapter]: payload } : {}) },
  });

const users = `import type { CollectionConfig } from 'payload'
export const Users: CollectionConfig = {
  slug: 'users',
  auth: true,
  fields: [{ name: 'name', type: 'text' }],
}
`;
const posts = `import type { CollectionConfig } from 'payload'
export const Posts: CollectionConfig = {
  slug: 'blogPosts',
  fields: [
    { name: 'title', type: 'text', required: true },
    { name: 'author', type: 'relationship', relationTo: 'users' },
    { name: 'links', type: 'array', fields: [{ name: 'url', type: 'text' }] },
  ],
}
`;

/** A CMS of the two collections above: `[adapter package, its call]` is the database. */
const usersAndPosts = (prefix: string, range: string, from: string, [adapter, call]: [string, string], more: string[] = []) => {
  const factory = call.slice(0, call.indexOf('('));
  return tempRepo(prefix, {
    'package.json': manifest(range, adapter),
    'src/collections/Users.ts': users,
    'src/collections/Posts.ts': posts,
    'src/payload.config.ts': [
      `import { buildConfig } from '${from}'`,
      `import { ${factory} } from '${adapter}'`,
      "import { Users } from './collections/Users'",
      "import { Posts } from './collections/Posts'",
      '',
      'export default buildConfig({',
      '  collections: [Users, Posts],',
      ...more.map((l) => `  ${l}`),
      `  db: ${call},`,
      '})',
      '',
    ].join('\n'),
  });
};

describe('orm-entities: Payload CMS', () => {
  it('names tables as to-snake-case does', () => {
    expect(payloadSnake('blogPosts')).toBe('blog_posts');
    expect(payloadSnake('thumbnailURL')).toBe('thumbnail_u_r_l');
    expect(payloadSnake('payload-locked-documents')).toBe('payload_locked_documents');
    expect(payloadSnake('site-settings')).toBe('site_settings');
    expect(payloadSnake('users')).toBe('users');
  });

  it('reads the collections of buildConfig through imports, re-exports and spreads, with the tables Payload makes for itself', async () => {
    const m = await analyseFixture('payload-events');
    // The tables the SQL adapter makes for the developer's fields (an array's rows, a hasMany
    // select's values, a collection's _rels) are part of their collection, not entities.
    expect(payloadIds(m)).toEqual([
      'entity:events',
      'entity:media',
      'entity:payload_locked_documents',
      'entity:payload_locked_documents_rels',
      'entity:payload_migrations',
      'entity:payload_preferences',
      'entity:payload_preferences_rels',
      'entity:site_settings',
      'entity:tickets',
      'entity:users',
      'entity:users_sessions',
      'entity:venues',
    ]);
    const events = entity(m, 'entity:events');
    expect(events.name).toBe('events');
    expect(events.store).toBe('datastore:postgresql');
    expect(events.evidence).toEqual([
      { file: 'src/collections/Events.ts', line: 6 },
      { file: 'src/payload.config.ts', line: 23 },
    ]);
    // A field constant of another module, a row's and a named tab's fields, the `ui` field left out.
    expect(events.fields.map((f) => f.name)).toEqual([
      'id',
      'title',
      'slug',
      'status',
      'startsAt',
      'endsAt',
      'venue',
      'speakers',
      'poster',
      'description',
      'schedule',
      'schedule.time',
      'schedule.session',
      'schedule.speaker',
      'seo.metaTitle',
      'seo.ogImage',
      'createdAt',
      'updatedAt',
    ]);
    expect(events.fields.find((f) => f.name === 'slug')).toEqual({ name: 'slug', type: 'text', unique: true });
    expect(events.states).toEqual([{ field: 'status', values: ['draft', 'published', 'cancelled'], initial: 'draft' }]);
    expect(events.relations).toEqual([
      { name: 'venue', target: 'entity:venues', cardinality: 'many-to-one', foreignKey: 'venue_id' },
      { name: 'speakers', target: 'entity:users', cardinality: 'many-to-many' },
      { name: 'poster', target: 'entity:media', cardinality: 'many-to-one', foreignKey: 'poster_id' },
      // Inside the schedule array: its column is in the array's rows, not in events.
      { name: 'schedule.speaker', target: 'entity:users', cardinality: 'many-to-one' },
      { name: 'seo.ogImage', target: 'entity:media', cardinality: 'many-to-one', foreignKey: 'seo_og_image_id' },
    ]);
    expect(events.fields.find((f) => f.name === 'schedule')).toMatchObject({ type: 'array' });

    // The auth collection: Payload's fields and, from 3.44, its sessions table.
    const u = entity(m, 'entity:users');
    expect(u.details).toEqual({ auth: true });
    expect(u.fields.find((f) => f.name === 'email')).toEqual({ name: 'email', type: 'email', unique: true });
    expect(u.fields.map((f) => f.name)).toContain('hash');
    expect(entity(m, 'entity:users_sessions').details).toEqual({ managedBy: 'Payload' });
    expect(u.fields.find((f) => f.name === 'roles')).toMatchObject({ type: 'select' });

    const media = entity(m, 'entity:media');
    expect(media.details).toEqual({ upload: true });
    expect(media.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['filename', 'mimeType', 'focalX', 'sizes.card.url']));

    // Spread from another module: the evidence is that module's list.
    const tickets = entity(m, 'entity:tickets');
    expect(tickets.evidence).toEqual([
      { file: 'src/tickets/collections.ts', line: 5 },
      { file: 'src/tickets/collections.ts', line: 30 },
    ]);
    expect(tickets.relations.filter((r) => r.name === 'holder').map((r) => r.target)).toEqual(['entity:users', 'entity:venues']);

    expect(entity(m, 'entity:site_settings')).toMatchObject({ name: 'site-settings', table: 'site_settings', details: { kind: 'global' } });

    // Payload's own tables: evidence at the buildConfig call.
    for (const id of ['entity:payload_locked_documents', 'entity:payload_preferences_rels', 'entity:payload_migrations']) {
      expect(entity(m, id)).toMatchObject({ evidence: [{ file: 'src/payload.config.ts', line: 18 }], details: { managedBy: 'Payload' } });
    }
    expect(entity(m, 'entity:payload_locked_documents_rels').fields.map((f) => f.name)).toEqual([
      'id',
      'order',
      'parent_id',
      'path',
      'users_id',
      'media_id',
      'events_id',
      'venues_id',
      'tickets_id',
    ]);

    const store = m.dataStores.find((s) => s.id === 'datastore:postgresql')!;
    expect(store.evidence).toEqual([{ file: 'src/payload.config.ts', line: 30 }]);
    expect(store.envVars).toEqual(['DATABASE_URI']);
    expect(store.details?.orm).toEqual(['Payload']);
  });

  it('keeps MongoDB collections under their slugs, arrays in the document and globals in one collection', async () => {
    const root = usersAndPosts(
      'payload-mongo',
      '^3.20.0',
      'payload',
      ['@payloadcms/db-mongodb', 'mongooseAdapter({ url: process.env.MONGODB_URI })'],
      ["globals: [{ slug: 'header', fields: [{ name: 'tagline', type: 'text' }] }],"],
    );
    const m = await analyseRepo(root);
    expect(payloadIds(m)).toEqual([
      'entity:blogposts',
      'entity:globals.header',
      'entity:payload-locked-documents',
      'entity:payload-migrations',
      'entity:payload-preferences',
      'entity:users',
    ]);
    const p = entity(m, 'entity:blogposts');
    expect(p).toMatchObject({ name: 'blogPosts', table: 'blogPosts', store: 'datastore:mongodb' });
    expect(p.fields.find((f) => f.name === 'links')).toMatchObject({ type: 'array' });
    expect(p.relations).toEqual([{ name: 'author', target: 'entity:users', cardinality: 'many-to-one' }]);
    expect(entity(m, 'entity:globals.header')).toMatchObject({ table: 'globals', details: { kind: 'global' } });
    // Before 3.44 an auth collection keeps no sessions.
    expect(entity(m, 'entity:users').fields.map((f) => f.name)).not.toContain('sessions');
  });

  it('reads Payload 2 (payload/config): no locked documents, no sessions, every relationship without a column of its own', async () => {
    const root = usersAndPosts('payload-v2', '^2.30.0', 'payload/config', [
      '@payloadcms/db-postgres',
      'postgresAdapter({ pool: { connectionString: process.env.DATABASE_URI } })',
    ]);
    const m = await analyseRepo(root);
    expect(payloadIds(m)).toEqual([
      'entity:blog_posts',
      'entity:payload_migrations',
      'entity:payload_preferences',
      'entity:payload_preferences_rels',
      'entity:users',
    ]);
    expect(entity(m, 'entity:blog_posts').relations[0]).toEqual({ name: 'author', target: 'entity:users', cardinality: 'many-to-one' });
  });

  it('keeps a blocks field in its collection (the tables the SQL adapter makes for each block are no entities)', async () => {
    const root = tempRepo('payload-blocks', {
      'package.json': manifest('^3.30.0', '@payloadcms/db-postgres'),
      'src/blocks/Hero.ts': `import type { Block } from 'payload'
export const Hero: Block = {
  slug: 'heroBanner',
  fields: [
    { name: 'heading', type: 'text', required: true },
    { name: 'image', type: 'upload', relationTo: 'media' },
  ],
}
`,
      'src/payload.config.ts': `import { buildConfig } from 'payload'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { Hero } from './blocks/Hero'

const Gallery = { slug: 'gallery', fields: [{ name: 'images', type: 'upload', relationTo: 'media', hasMany: true }] }

export default buildConfig({
  collections: [
    { slug: 'users', auth: true, fields: [] },
    { slug: 'media', upload: true, fields: [] },
    { slug: 'pages', fields: [{ name: 'layout', type: 'blocks', blocks: [Hero, Gallery] }] },
  ],
  db: postgresAdapter({ pool: { connectionString: process.env.DATABASE_URI } }),
})
`,
    });
    const m = await analyseRepo(root);
    expect(payloadIds(m).filter((id) => id.startsWith('entity:pages'))).toEqual(['entity:pages']);
    expect(entity(m, 'entity:pages').fields.find((f) => f.name === 'layout')).toMatchObject({ type: 'blocks' });
  });

  it('names each adapter the config may choose at run time a store, and the entities none', async () => {
    const root = tempRepo('payload-two-dbs', {
      'package.json': JSON.stringify({
        name: 'shop',
        dependencies: { payload: '3.62.0', '@payloadcms/db-postgres': '3.62.0', '@payloadcms/db-sqlite': '3.62.0' },
      }),
      'src/payload.config.ts': `import { buildConfig } from 'payload'
import { postgresAdapter } from '@payloadcms/db-postgres'

export default buildConfig({
  collections: [{ slug: 'users', auth: true, fields: [] }],
  db: (() => {
    if (process.env.DATABASE_URI?.startsWith('postgres')) {
      return postgresAdapter({ pool: { connectionString: process.env.DATABASE_URI } })
    }
    const { sqliteAdapter } = require('@payloadcms/db-' + 'sqlite')
    return sqliteAdapter({ client: { url: process.env.DATABASE_URI || '' } })
  })(),
})
`,
    });
    const m = await analyseRepo(root);
    // Both are SQL: Payload's tables, whichever runs.
    expect(payloadIds(m)).toContain('entity:users_sessions');
    expect(entity(m, 'entity:users').store).toBeUndefined();
    const stores = m.dataStores.filter((s) => s.details?.orm?.includes('Payload'));
    expect(stores.map((s) => [s.id, s.evidence[0]!.line, s.details?.client])).toEqual([
      ['datastore:postgresql', 8, 'chosen at run time'],
      ['datastore:sqlite', 11, 'chosen at run time'],
    ]);
  });

  it("adds Payload's default users collection when none signs in, turns sessions off with useSessions: false, and names no store it cannot tell", async () => {
    const root = tempRepo('payload-defaults', {
      'package.json': manifest('^3.50.0'),
      'src/payload.config.ts': `import { buildConfig } from 'payload'
import { makeAdapter } from './db'

export default buildConfig({
  collections: [{ slug: 'pages', fields: [{ name: 'title', type: 'text' }] }],
  db: makeAdapter(),
})
`,
      'src/other.config.ts': `import { buildConfig } from 'payload'
import { Admins } from './admins'
import { auditCollections } from 'payload-audit-plugin'
export default buildConfig({
  collections: [
    Admins,
    makeCollection('logs'),
    ...auditCollections,
  ],
})
`,
      'src/admins.ts': `export const Admins = { slug: 'admins', auth: { useSessions: false }, fields: [] }
`,
    });
    const m = await analyseRepo(root);
    // With the database unknown, tables are named by slug and no adapter's own tables are assumed.
    expect(payloadIds(m)).toEqual([
      'entity:admins',
      'entity:pages',
      'entity:payload-locked-documents',
      'entity:payload-migrations',
      'entity:payload-preferences',
      'entity:users',
    ]);
    expect(entity(m, 'entity:users')).toMatchObject({ details: { auth: true, managedBy: 'Payload' } });
    expect(entity(m, 'entity:users').fields.find((f) => f.name === 'sessions')).toMatchObject({ type: 'array' });
    expect(entity(m, 'entity:admins').fields.map((f) => f.name)).not.toContain('sessions');
    expect(entity(m, 'entity:pages').store).toBeUndefined();
    // What the config lists but cannot be read is said, at its line.
    expect(m.warnings.filter((w) => w.analyzer === 'orm-entities').map((w) => `${w.file}:${w.line}`)).toEqual([
      'src/other.config.ts:7',
      'src/other.config.ts:8',
    ]);
  });

  it('reads arrays spread into arrays spread into arrays (ten of ten, eight levels) within its field budget, without failing', async () => {
    const lines = ["import { buildConfig } from 'payload'", "import { postgresAdapter } from '@payloadcms/db-postgres'"];
    lines.push(`const a0 = [${Array.from({ length: 10 }, (_, i) => `{ name: 'f${i}', type: 'text' }`).join(', ')}]`);
    for (let k = 1; k < 8; k++)
      lines.push(
        `const a${k} = [${Array(10)
          .fill(`...a${k - 1}`)
          .join(', ')}]`,
      );
    lines.push("export default buildConfig({ db: postgresAdapter({ pool: {} }), collections: [{ slug: 'posts', fields: a7 }] })");
    const root = tempRepo('payload-spreads', {
      'package.json': JSON.stringify({ name: 'site', dependencies: { payload: '3.62.0', '@payloadcms/db-postgres': '3.62.0' } }),
      'src/payload.config.ts': `${lines.join('\n')}\n`,
    });
    const m = await analyseRepo(root);
    expect(m.warnings.filter((w) => /failed/.test(w.message))).toEqual([]);
    expect(entity(m, 'entity:posts').fields.map((f) => f.name)).toEqual(expect.arrayContaining(['f0', 'f9']));
  });
});
