/**
 * The one place that decides which store may hold an organization's data (DESIGN.md §1, issue 5
 * capability 3): an organization's data region allows exactly its jurisdiction (DATA_REGIONS in
 * packages/protocol), and only a store tagged with that jurisdiction is used. A store serving the
 * region by name (`dataRegions`) comes first, then any store of the jurisdiction, in configured
 * order. When none fits the write is refused (StorageJurisdictionError) and `onRefused` hears of
 * it; when the chosen store fails, StorageUnavailableError, never another store.
 */
import { DATA_REGIONS, type DataRegionName } from '@podium/protocol';
import { type BlobStore } from './blob-store';
import { StorageJurisdictionError } from './storage-errors';

/** A store as the router knows it. */
export interface RoutedStore {
  id: string;
  /** Where it is (a label). */
  region: string;
  jurisdiction: string;
  /** Data regions it serves before other stores of its jurisdiction. */
  dataRegions?: readonly string[];
  store: BlobStore;
}

/** A refused write, for the audit log (no personal data: ids and tags only). */
export interface StorageRefusal {
  orgId?: string;
  dataRegion: string;
  allowedJurisdiction: string | null;
  /** Ids and jurisdictions of the configured stores, none of which was allowed. */
  stores: { id: string; jurisdiction: string }[];
  at: Date;
}

/** How the router reports. */
export interface StoreRouterOptions {
  /** Called for every refusal (GDPR audit); must not throw. */
  onRefused?: (refusal: StorageRefusal) => void;
}

/** The jurisdiction an organization's data region allows; null for an unknown region (nothing is allowed). */
export function allowedJurisdiction(dataRegion: string): string | null {
  return Object.hasOwn(DATA_REGIONS, dataRegion) ? DATA_REGIONS[dataRegion as DataRegionName].jurisdiction : null;
}

/** Chooses stores by data region. */
export class StoreRouter {
  private readonly listeners: ((r: StorageRefusal) => void)[] = [];

  /** A router over `stores` (at least one, ids unique, a store naming a data region must be of its jurisdiction). */
  constructor(readonly stores: readonly RoutedStore[], o: StoreRouterOptions = {}) {
    if (stores.length === 0) throw new TypeError('at least one store must be configured');
    const ids = new Set<string>();
    for (const s of stores) {
      if (ids.has(s.id)) throw new TypeError(`the store id "${s.id}" is used twice`);
      ids.add(s.id);
      for (const r of s.dataRegions ?? []) {
        const j = allowedJurisdiction(r);
        if (j === null) throw new TypeError(`the store "${s.id}" names the unknown data region "${r}"`);
        if (j !== s.jurisdiction) throw new TypeError(`the store "${s.id}" (jurisdiction ${s.jurisdiction}) cannot serve the data region ${r} (jurisdiction ${j})`);
      }
    }
    if (o.onRefused) this.listeners.push(o.onRefused);
  }

  /** Adds a listener for refusals (e.g. the GDPR audit log); returns a function that removes it. */
  onRefused(listener: (r: StorageRefusal) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** The store allowed for a data region, or null when none is (nothing reported: for reads and deletes). */
  find(dataRegion: string): RoutedStore | null {
    const allowed = allowedJurisdiction(dataRegion);
    if (allowed === null) return null;
    return this.stores.find((s) => s.jurisdiction === allowed && s.dataRegions?.includes(dataRegion))
      ?? this.stores.find((s) => s.jurisdiction === allowed && !s.dataRegions?.length)
      ?? null;
  }

  /** The store for an organization's data region; StorageJurisdictionError (and a refusal reported) when none is allowed. */
  storeFor(dataRegion: string, orgId?: string): RoutedStore {
    const found = this.find(dataRegion);
    if (found) return found;
    const allowed = allowedJurisdiction(dataRegion);
    const refusal: StorageRefusal = {
      ...(orgId ? { orgId } : {}), dataRegion, allowedJurisdiction: allowed,
      stores: this.stores.map((s) => ({ id: s.id, jurisdiction: s.jurisdiction })), at: new Date(),
    };
    for (const l of this.listeners) {
      try {
        l(refusal);
      } catch {
        // A failing listener must not turn a refusal into another error.
      }
    }
    throw new StorageJurisdictionError(dataRegion, allowed);
  }
}
