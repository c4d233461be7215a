/**
 * A process that puts an endless object into a LocalBlobStore and says `writing` once a few MB are
 * on disk, so a test can kill it mid-put (a crash). Run: node --import tsx put-until-killed.ts <root> <key>.
 */
import { LocalBlobStore } from '../local-blob-store';
import { byteSource } from './byte-source';

const [root, key] = process.argv.slice(2);
const store = await LocalBlobStore.open(root);
let told = false;
async function* endless(): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for (;;) {
    for await (const c of byteSource(1024 ** 2)) {
      yield c;
      sent += c.length;
    }
    if (!told && sent >= 4 * 1024 ** 2) {
      told = true;
      process.stdout.write('writing\n');
    }
  }
}
await store.put(key, endless(), { maxBytes: Number.MAX_SAFE_INTEGER });
