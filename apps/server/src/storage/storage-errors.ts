/**
 * The two ways storage refuses an organization's data, as registry errors (packages/protocol):
 * no store of an allowed jurisdiction, or the allowed store is down or full. Neither ever falls
 * back to a store elsewhere.
 */
import { PodiumError } from '@podium/protocol';

/** No store of the jurisdiction the organization's data region allows: nothing is written. */
export class StorageJurisdictionError extends PodiumError {
  constructor(readonly orgRegion: string, readonly allowedJurisdiction: string | null) {
    super('STORAGE_JURISDICTION', undefined, { dataRegion: orgRegion, allowedJurisdiction });
  }
}

/** The store chosen for the organization failed (down, full, refusing): nothing is stored, no other store is tried. */
export class StorageUnavailableError extends PodiumError {
  constructor(readonly storeId: string, readonly failure: unknown) {
    super('STORAGE_UNAVAILABLE', undefined, { store: storeId });
  }
}
