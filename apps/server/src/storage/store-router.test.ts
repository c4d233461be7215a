import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERRORS } from '@podium/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load';
import { LocalBlobStore } from './local-blob-store';
import { configuredStores, openStorage } from './open-blob-store';
import { RoutedBlobStore } from './routed-blob-store';
import { S3BlobStore } from './s3/s3-blob-store';
import { startS3TestServer } from './s3/testing/s3-test-server';
import { StorageJurisdictionError, StorageUnavailableError } from './storage-errors';
import { StoreRouter, type StorageRefusal } from './store-router';
import { filesUnder } from './testing/local-under-test';

const REGIONS: Record<string, string> = { org_eu: 'eu-central', org_euw: 'eu-west', org_us: 'us-east', org_uk: 'uk-south' };
const lookup = async (orgId: string) => REGIONS[orgId] ?? null;

describe('StoreRouter and RoutedBlobStore', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'podium-route-'));
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));
  const local = (name: string) => new LocalBlobStore(join(root, name));

  it('refuses to write an eu organization\'s data to a us store: STORAGE_JURISDICTION, nothing written, the refusal reported', async () => {
    const refusals: StorageRefusal[] = [];
    const router = new StoreRouter([{ id: 'us1', region: 'us-east-1', jurisdiction: 'us', store: local('us1') }], { onRefused: (r) => refusals.push(r) });
    const blobs = new RoutedBlobStore(router, lookup);
    const err = await blobs.put('orgs/org_eu/files/fil_1', [Buffer.from('personal data')], { maxBytes: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageJurisdictionError);
    expect(err).toMatchObject({ code: 'STORAGE_JURISDICTION', status: ERRORS.STORAGE_JURISDICTION.status, details: { dataRegion: 'eu-central', allowedJurisdiction: 'eu' } });
    expect(await readdir(root)).toEqual([]);
    expect(refusals).toEqual([expect.objectContaining({ orgId: 'org_eu', dataRegion: 'eu-central', allowedJurisdiction: 'eu', stores: [{ id: 'us1', jurisdiction: 'us' }] })]);
    expect(() => router.storeFor('eu-west')).toThrow(StorageJurisdictionError);
    expect(router.storeFor('us-east').id).toBe('us1');
    expect(() => router.storeFor('mars')).toThrow(StorageJurisdictionError);
  });

  it('with several stores, each organization\'s region picks its store (named data regions first), and a region without one is refused', async () => {
    const router = new StoreRouter([
      { id: 'eu-any', region: 'eu-central-1', jurisdiction: 'eu', store: local('eu-any') },
      { id: 'eu-strasbourg', region: 'fr-sxb', jurisdiction: 'eu', dataRegions: ['eu-west'], store: local('eu-w') },
      { id: 'us1', region: 'us-east-1', jurisdiction: 'us', store: local('us1') },
    ]);
    expect(router.storeFor('eu-central').id).toBe('eu-any');
    expect(router.storeFor('eu-west').id).toBe('eu-strasbourg');
    expect(router.storeFor('us-east').id).toBe('us1');
    const blobs = new RoutedBlobStore(router, lookup);
    await blobs.put('orgs/org_eu/files/a', [Buffer.from('eu')], { maxBytes: 10 });
    await blobs.put('orgs/org_euw/files/b', [Buffer.from('euw')], { maxBytes: 10 });
    await blobs.put('orgs/org_us/files/c', [Buffer.from('us')], { maxBytes: 10 });
    await expect(blobs.put('orgs/org_uk/files/d', [Buffer.from('uk')], { maxBytes: 10 })).rejects.toBeInstanceOf(StorageJurisdictionError);
    expect((await filesUnder(join(root, 'eu-any'))).map((f) => f.split('/').pop())).toEqual(['a']);
    expect((await filesUnder(join(root, 'eu-w'))).map((f) => f.split('/').pop())).toEqual(['b']);
    expect((await filesUnder(join(root, 'us1'))).map((f) => f.split('/').pop())).toEqual(['c']);
    expect((await blobs.stat('orgs/org_us/files/c'))?.size).toBe(2);
    expect(await blobs.stat('orgs/org_eu/files/c')).toBeNull();
    // A deleted organization's bytes: listed and deleted in every store.
    await blobs.delete('orgs/org_gone/files/x');
    const listed: string[] = [];
    for await (const b of blobs.list('orgs/')) listed.push(b.key);
    expect(listed.sort()).toEqual(['orgs/org_eu/files/a', 'orgs/org_euw/files/b', 'orgs/org_us/files/c']);
    for await (const b of blobs.list('orgs/org_gone/')) listed.push(b.key);
    expect(listed).toHaveLength(3);
    expect(() => new StoreRouter([{ id: 'x', region: 'r', jurisdiction: 'us', dataRegions: ['eu-west'], store: local('x') }])).toThrow(/cannot serve/);
  });

  it('a store that is down fails with STORAGE_UNAVAILABLE and nothing goes to another store; the source\'s own errors pass unchanged', async () => {
    const down = await startS3TestServer(['gone']);
    const dead = new S3BlobStore(down.options('gone'));
    await down.stop();
    const router = new StoreRouter([
      { id: 'eu-s3', region: 'eu-central-1', jurisdiction: 'eu', store: dead },
      { id: 'eu-disk', region: 'eu-central-1', jurisdiction: 'eu', dataRegions: ['eu-west'], store: local('eu-disk') },
      { id: 'us1', region: 'us-east-1', jurisdiction: 'us', store: local('us1') },
    ]);
    const blobs = new RoutedBlobStore(router, lookup);
    const err = await blobs.put('orgs/org_eu/files/a', [Buffer.from('x')], { maxBytes: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503, details: { store: 'eu-s3' } });
    await expect(blobs.get('orgs/org_eu/files/a')).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await readdir(root)).toEqual([]);
    const refused = new Error('the client went away');
    async function* broken() {
      yield Buffer.from('x');
      throw refused;
    }
    await expect(blobs.put('orgs/org_us/files/b', broken(), { maxBytes: 10 })).rejects.toBe(refused);
    await expect(blobs.put('recordings/x', [Buffer.from('x')], { maxBytes: 10 })).rejects.toThrow(/orgs\/<orgId>/);
    dead.close();
  });
});

describe('openStorage (configuration)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'podium-storage-config-'));
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  it('by default: one local eu store, encrypted under a key generated into dataDir', async () => {
    const config = loadConfig({}, { dataDir });
    const { blobs, router, keyring } = openStorage(config, lookup);
    expect(router.stores.map((s) => [s.id, s.jurisdiction])).toEqual([['default', 'eu']]);
    expect(keyring?.activeId).toMatch(/^local-/);
    const marker = 'PLAINTEXT-MARKER-OF-THE-DEFAULT-STORE';
    await blobs.put('orgs/org_eu/files/f', [Buffer.from(marker.repeat(100))], { maxBytes: 1e5 });
    const files = await filesUnder(join(dataDir, 'blobs'));
    expect(files).toHaveLength(1);
    const stored = await readFile(files[0]);
    expect(stored.subarray(0, 8).toString()).toBe('PDMENC01');
    expect(stored.includes(marker)).toBe(false);
    await expect(blobs.put('orgs/org_us/files/f', [Buffer.from('x')], { maxBytes: 10 })).rejects.toBeInstanceOf(StorageJurisdictionError);
  });

  it('storageStores from the environment as JSON; s3 without its settings or master keys is refused at start', () => {
    const stores = JSON.stringify([
      { id: 'eu1', kind: 'local', region: 'eu-central-1', jurisdiction: 'eu' },
      { id: 'us1', kind: 's3', region: 'us-east-1', jurisdiction: 'us', s3: { endpoint: 'http://127.0.0.1:9', bucket: 'podium-us', accessKeyId: 'a', secretAccessKey: 'b' } },
    ]);
    const config = loadConfig({ PODIUM_STORAGE_STORES: stores, PODIUM_STORAGE_ENCRYPT: 'false' }, { dataDir });
    expect(configuredStores(config).map((s) => s.id)).toEqual(['eu1', 'us1']);
    expect(openStorage(config, lookup).router.storeFor('us-east').id).toBe('us1');
    expect(() => configuredStores(loadConfig({ PODIUM_STORAGE_KIND: 's3', PODIUM_STORAGE_S3_BUCKET: 'b' }, { dataDir })))
      .toThrow('storageS3Endpoint, storageS3AccessKeyId, storageS3SecretAccessKey');
    expect(() => openStorage(loadConfig({ PODIUM_STORAGE_STORES: stores }, { dataDir }), lookup)).toThrow(/storageMasterKeys/);
    // The secret never shows in a configuration error.
    expect(() => loadConfig({ PODIUM_STORAGE_STORES: stores.replace('"b"}', '"b", "extra": "s3cr3t-value"}') }, { dataDir })).toThrow(/storageStores/);
    try {
      loadConfig({ PODIUM_STORAGE_STORES: stores.replace('"b"}', '"b", "extra": "s3cr3t-value"}') }, { dataDir });
    } catch (e) {
      expect(String(e)).not.toContain('s3cr3t-value');
    }
  });
});
