import { afterEach, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from './helpers.js';

afterEach(() => removeTemps());

describe('object stores', () => {
  it('names a compose MinIO service MinIO, not Amazon S3', async () => {
    const root = tempRepo('compose-minio', {
      'package.json': JSON.stringify({ name: 'uploads', version: '1.0.0', dependencies: { express: '^4.21.2', minio: '^8.0.6' } }, null, 2),
      'docker-compose.yml': 'services:\n  minio:\n    image: minio/minio:latest\n    command: server /data\n    ports:\n      - "9000:9000"\n',
      'src/storage.js':
        "const Minio = require('minio');\nmodule.exports = new Minio.Client({ endPoint: process.env.MINIO_HOST, port: 9000, useSSL: false });\n",
    });
    const m = await analyseRepo(root);
    const object = m.dataStores.filter((s) => s.kind === 'object');
    expect(object.map((s) => [s.id, s.name])).toEqual([['datastore:minio', 'MinIO (S3-compatible object storage)']]);
  });
});
