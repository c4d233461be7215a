import { join } from 'node:path';
import type { StoreUnderTest } from '../../testing/blob-store-contract';
import { filesUnder } from '../../testing/local-under-test';
import { S3BlobStore } from '../s3-blob-store';
import { startS3TestServer, type S3TestServer } from './s3-test-server';

/** Parts of 5 MiB (S3's smallest), one sent at a time: at most two parts in memory per put. */
export const TEST_PART_SIZE = 5 * 1024 ** 2;

/** An S3BlobStore on a fresh s3rver, seen from the server's folder. */
export async function s3StoreUnderTest(prefix = 'podium/'): Promise<StoreUnderTest & { store: S3BlobStore; server: S3TestServer }> {
  const server = await startS3TestServer(['podium-test']);
  const store = new S3BlobStore(server.options('podium-test', { prefix, partSize: TEST_PART_SIZE, concurrency: 1 }));
  return {
    store,
    server,
    storedFiles: () => filesUnder(server.directory),
    objectFile: async (key) => {
      const parts = `${prefix}objects/${key}`.split('/');
      return join(server.directory, 'podium-test', ...parts.slice(0, -1), `${parts[parts.length - 1]}._S3rver_object`);
    },
    leftovers: async () => [...(await store.pendingUploads()), ...(await store.stagingObjects())],
    async close() {
      store.close();
      await server.stop();
    },
  };
}
