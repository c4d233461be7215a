import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore } from '../local-blob-store';
import type { StoreUnderTest } from './blob-store-contract';

/** Every file under `dir`, recursively. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath ?? e.path, e.name));
  return out;
}

/** A LocalBlobStore in a fresh folder, seen from the disk. */
export async function localStoreUnderTest(): Promise<StoreUnderTest & { store: LocalBlobStore; root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'podium-blobs-'));
  const store = await LocalBlobStore.open(root);
  return {
    store,
    root,
    storedFiles: () => filesUnder(root),
    objectFile: async (key) => join(root, 'objects', ...key.split('/')),
    leftovers: () => store.tempFiles(),
    close: () => rm(root, { recursive: true, force: true }),
  };
}
