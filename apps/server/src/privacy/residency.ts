/**
 * Residency as operators see it: where an organization's data lives — the SQL store, the blob
 * stores its data region allows (from the same configuration the storage router reads), and the
 * media placement — plus the audit of writes the storage router refused.
 */
import { DATA_REGIONS, type DataLocation, type DataRegionName, type OrgId } from '@podium/protocol';
import type { AppContext } from '../context';
import type { Config, StoreConfig } from '../config/schema';
import type { Sql } from '../storage/sql';
import { RoutedBlobStore } from '../storage/routed-blob-store';
import { EncryptingBlobStore } from '../storage/encryption/encrypting-blob-store';
import { appendAudit } from './audit-log';

/** The configured stores, as the storage layer reads them (storageStores, else the single store). */
function stores(config: Config): Pick<StoreConfig, 'id' | 'region' | 'jurisdiction' | 'dataRegions'>[] {
  if (config.storageStores.length) return config.storageStores;
  return [{ id: 'default', region: config.storageRegion, jurisdiction: config.storageJurisdiction }];
}

/** Where the SQL store is, without credentials. */
function sqlLocation(config: Config, kind: Sql['kind']): string {
  if (kind === 'pglite') return 'embedded PGlite in the data directory of this server';
  try {
    const u = new URL(config.databaseUrl);
    return `PostgreSQL at ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** Where an organization's data lives. */
export function orgDataLocation(ctx: Pick<AppContext, 'config' | 'sql'> & Partial<Pick<AppContext, 'blobs'>>, orgId: OrgId, region: DataRegionName): DataLocation {
  const jurisdiction = DATA_REGIONS[region]?.jurisdiction ?? 'none';
  // The running router's stores when there is one (what uploads really use), else the configuration.
  const routed = ctx.blobs instanceof RoutedBlobStore ? ctx.blobs.router.stores : null;
  const known = routed
    ? routed.map((s) => ({ id: s.id, region: s.region, jurisdiction: s.jurisdiction, dataRegions: s.dataRegions, encrypted: s.store instanceof EncryptingBlobStore }))
    : stores(ctx.config).map((s) => ({ ...s, encrypted: ctx.config.storageEncrypt }));
  const allowed = known.filter((s) => s.jurisdiction === jurisdiction);
  // A store naming the region serves it first, as the router chooses.
  allowed.sort((a, b) => Number((b.dataRegions ?? []).includes(region)) - Number((a.dataRegions ?? []).includes(region)));
  return {
    orgId,
    dataRegion: region,
    jurisdiction,
    sql: { kind: ctx.sql.kind, location: sqlLocation(ctx.config, ctx.sql.kind) },
    blobStores: allowed.map((s) => ({ id: s.id, region: s.region, jurisdiction: s.jurisdiction, encrypted: s.encrypted })),
    media: { placement: `media nodes of ${region} only (embedded: this server)` },
  };
}

/** A write the storage router refused (ids and tags only). */
export interface ResidencyRefusal {
  orgId?: string;
  dataRegion: string;
  allowedJurisdiction: string | null;
  stores: { id: string; jurisdiction: string }[];
  at: Date;
}

/**
 * The storage router's `onRefused` listener: every refused cross-boundary write goes to the audit
 * log. The router must not wait on SQL, so the row is written in the background.
 */
export function auditResidencyRefusals(ctx: Pick<AppContext, 'sql' | 'log'>): (r: ResidencyRefusal) => void {
  return (r) => {
    void appendAudit(ctx.sql, {
      orgId: r.orgId ?? null, actor: 'system', action: 'residency.refused',
      details: { dataRegion: r.dataRegion, allowedJurisdiction: r.allowedJurisdiction, stores: r.stores },
    }, r.at).catch((err: Error) => ctx.log.error({ err: { name: err.name } }, 'privacy: residency refusal not audited'));
  };
}
