import { join } from 'node:path';
import type { Config, StoreConfig } from '../config/schema';
import type { BlobStore } from './blob-store';
import { EncryptingBlobStore } from './encryption/encrypting-blob-store';
import { loadMasterKeyring, type MasterKeyring } from './encryption/master-keys';
import { LocalBlobStore } from './local-blob-store';
import { RoutedBlobStore, type OrgRegionLookup } from './routed-blob-store';
import { S3BlobStore } from './s3/s3-blob-store';
import type { SqlRunner } from './sql';
import { StoreRouter, type RoutedStore, type StoreRouterOptions } from './store-router';

/** The settings openStorage() reads. */
export type StorageConfig = Pick<Config,
  | 'dataDir' | 'blobDir' | 'storageKind' | 'storageRegion' | 'storageJurisdiction' | 'storageS3Endpoint' | 'storageS3Bucket'
  | 'storageS3Region' | 'storageS3AccessKeyId' | 'storageS3SecretAccessKey' | 'storageS3Prefix' | 'storageS3PathStyle'
  | 'storageStores' | 'storageEncrypt' | 'storageMasterKeys' | 'storageActiveKeyId'>;

/** The configured stores: `storageStores`, or the single store of the storage* settings. */
export function configuredStores(config: StorageConfig): StoreConfig[] {
  if (config.storageStores.length) return config.storageStores;
  const single: StoreConfig = {
    id: 'default', kind: config.storageKind, region: config.storageRegion, jurisdiction: config.storageJurisdiction,
    dir: config.blobDir || join(config.dataDir, 'blobs'),
  };
  if (config.storageKind === 's3') {
    const missing = (['storageS3Endpoint', 'storageS3Bucket', 'storageS3AccessKeyId', 'storageS3SecretAccessKey'] as const).filter((k) => !config[k]);
    if (missing.length) throw new TypeError(`storageKind is s3, so these settings are needed: ${missing.join(', ')} (see docs/storage.md)`);
    single.s3 = {
      endpoint: config.storageS3Endpoint, bucket: config.storageS3Bucket, region: config.storageS3Region,
      accessKeyId: config.storageS3AccessKeyId, secretAccessKey: config.storageS3SecretAccessKey,
      prefix: config.storageS3Prefix, pathStyle: config.storageS3PathStyle,
    };
  }
  return [single];
}

/** The BlobStore of one configured store (not yet encrypted or routed). */
function openOne(c: StoreConfig, dataDir: string): BlobStore {
  if (c.kind === 'local') return new LocalBlobStore(c.dir ?? join(dataDir, `blobs-${c.id}`));
  if (!c.s3) throw new TypeError(`the store "${c.id}" is of kind s3 but has no s3 settings`);
  const { accessKeyId, secretAccessKey, ...s3 } = c.s3;
  return new S3BlobStore({ ...s3, endpoint: s3.endpoint.replace(/\/$/, ''), credentials: { accessKeyId, secretAccessKey } });
}

/** Storage as the server uses it. */
export interface OpenedStorage {
  /** Every organization's data goes through this: routed by data region, encrypted when configured. */
  blobs: RoutedBlobStore;
  /** Which store an organization's data region may use (`router.storeFor(region)`), and refusals to listen to. */
  router: StoreRouter;
  /** The master keys, when encryption is on. */
  keyring: MasterKeyring | undefined;
}

/**
 * Opens the configured stores (nothing touches a disk or bucket until the first write), wraps each
 * in encryption when `storageEncrypt` is on, and routes by the organization's data region.
 * Local-only installations without configured master keys get one generated into dataDir.
 */
export function openStorage(config: StorageConfig, regionOf: OrgRegionLookup, o: StoreRouterOptions = {}): OpenedStorage {
  const configs = configuredStores(config);
  const keyring = config.storageEncrypt
    ? loadMasterKeyring({
      entries: config.storageMasterKeys, activeId: config.storageActiveKeyId, dataDir: config.dataDir,
      generate: configs.every((c) => c.kind === 'local'),
    })
    : undefined;
  const stores: RoutedStore[] = configs.map((c) => {
    const plain = openOne(c, config.dataDir);
    return { id: c.id, region: c.region, jurisdiction: c.jurisdiction, dataRegions: c.dataRegions, store: keyring ? new EncryptingBlobStore(plain, keyring) : plain };
  });
  const router = new StoreRouter(stores, o);
  return { blobs: new RoutedBlobStore(router, regionOf), router, keyring };
}

/** Looks an organization's data region up in SQL. */
export function sqlRegionLookup(sql: SqlRunner): OrgRegionLookup {
  return async (orgId) => (await sql.query<{ data_region: string }>('select data_region from organizations where id = $1', [orgId]))[0]?.data_region ?? null;
}

/** The configured BlobStore of a server, routing by the data regions in `sql` (see openStorage; `.router` on the result). */
export function openBlobStore(config: StorageConfig, sql: SqlRunner, o: StoreRouterOptions = {}): RoutedBlobStore {
  return openStorage(config, sqlRegionLookup(sql), o).blobs;
}
