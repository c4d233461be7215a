import { join } from 'node:path';
import type { Config } from '../config/schema';
import type { BlobStore } from './blob-store';
import { LocalBlobStore } from './local-blob-store';

/** The configured BlobStore: local disk under `blobDir` (default `<dataDir>/blobs`), created on first write. */
export function openBlobStore(config: Pick<Config, 'blobDir' | 'dataDir'>): BlobStore {
  return new LocalBlobStore(config.blobDir || join(config.dataDir, 'blobs'));
}
