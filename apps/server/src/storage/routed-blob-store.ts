import type { Readable } from 'node:stream';
import {
  BlobIntegrityError, BlobNotFoundError, BlobTooLargeError, assertBlobKey, assertBlobPrefix,
  type BlobInfo, type BlobStore, type ByteRange, type PutOptions, type PutResult,
} from './blob-store';
import { MasterKeyMissingError } from './encryption/master-keys';
import { StorageJurisdictionError, StorageUnavailableError } from './storage-errors';
import { allowedJurisdiction, type RoutedStore, type StoreRouter } from './store-router';

/** The data region of an organization, or null when there is no such organization. */
export type OrgRegionLookup = (orgId: string) => Promise<string | null>;

const ORG_KEY = /^orgs\/(org_[A-Za-z0-9_-]+)\//;

/** Errors that are answers about the data, not failures of the store. */
function isDataError(err: unknown): boolean {
  return err instanceof BlobNotFoundError || err instanceof BlobIntegrityError || err instanceof BlobTooLargeError
    || err instanceof MasterKeyMissingError || err instanceof TypeError || err instanceof RangeError;
}

/**
 * The BlobStore the application uses: every key of an organization's data is `orgs/<orgId>/…`,
 * and each operation goes to the store the organization's data region is allowed (StoreRouter).
 * Keys outside `orgs/` are refused, so no data can slip past the jurisdiction check. A store's
 * own failure becomes StorageUnavailableError; errors of the put's source (the client) pass as they are.
 */
export class RoutedBlobStore implements BlobStore {
  /** Routes with `router`, finding regions with `regionOf`. */
  constructor(readonly router: StoreRouter, private readonly regionOf: OrgRegionLookup) {}

  /** The organization owning `key` and its data region (null: no such organization). */
  private async regionOfKey(key: string): Promise<{ orgId: string; region: string | null }> {
    const m = ORG_KEY.exec(key);
    if (!m) throw new TypeError('blob keys of organization data start with orgs/<orgId>/');
    return { orgId: m[1], region: await this.regionOf(m[1]) };
  }

  /** The store that may hold the data of the organization owning `key`; StorageJurisdictionError when none may. */
  private async route(key: string): Promise<{ target: RoutedStore | null }> {
    const { region } = await this.regionOfKey(key);
    if (region === null) return { target: null };
    const target = this.router.find(region);
    if (!target) throw new StorageJurisdictionError(region, allowedJurisdiction(region));
    return { target };
  }

  async put(key: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: PutOptions): Promise<PutResult> {
    assertBlobKey(key);
    const { orgId, region } = await this.regionOfKey(key);
    if (region === null) throw new StorageJurisdictionError('unknown', null);
    // The one check of a write: refused (and reported) unless a store of the allowed jurisdiction exists.
    const target = this.router.storeFor(region, orgId);
    // Errors the source raises (the client went away, the content was refused) are not the store's fault.
    const fromSource = new WeakSet<object>();
    async function* watched(): AsyncGenerator<Uint8Array> {
      try {
        yield* source;
      } catch (err) {
        if (typeof err === 'object' && err !== null) fromSource.add(err);
        throw err;
      }
    }
    try {
      return await target.store.put(key, watched(), opts);
    } catch (err) {
      if ((typeof err === 'object' && err !== null && fromSource.has(err)) || isDataError(err)) throw err;
      throw new StorageUnavailableError(target.id, err);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertBlobKey(key);
    const { target } = await this.route(key);
    if (!target) throw new BlobNotFoundError(key);
    return this.guard(target, () => target.store.get(key, range));
  }

  async stat(key: string): Promise<BlobInfo | null> {
    assertBlobKey(key);
    const { target } = await this.route(key);
    return target ? this.guard(target, () => target.store.stat(key)) : null;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    const { region } = await this.regionOfKey(key);
    // The organization is gone (its rows cascaded) or has no allowed store (its region changed): its
    // bytes may be in any store, and deleting is never a transfer, so every store deletes.
    const target = region === null ? null : this.router.find(region);
    const targets = target ? [target] : this.router.stores;
    for (const t of targets) await this.guard(t, () => t.store.delete(key));
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    assertBlobPrefix(prefix);
    // One organization's prefix: its store; if it has none (gone, or its region changed), every store,
    // as for delete (listing is how its objects are found to be deleted).
    const region = ORG_KEY.test(prefix) ? (await this.regionOfKey(prefix)).region : null;
    const own = region === null ? null : this.router.find(region);
    const targets = own ? [own] : this.router.stores;
    for (const t of targets) {
      const it = t.store.list(prefix)[Symbol.asyncIterator]();
      for (;;) {
        const next = await this.guard(t, () => it.next());
        if (next.done) break;
        yield next.value;
      }
    }
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    let removed = 0;
    for (const t of this.router.stores) removed += await this.guard(t, () => t.store.sweepIncomplete(olderThanMs));
    return removed;
  }

  private async guard<T>(target: RoutedStore, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (isDataError(err)) throw err;
      throw new StorageUnavailableError(target.id, err);
    }
  }
}
