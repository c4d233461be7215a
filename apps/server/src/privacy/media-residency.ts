/**
 * The residency rule for media (placement hook for the cluster): an event's media may be carried
 * only by nodes whose data region is of the jurisdiction its organization's region allows — the
 * same rule the storage router applies to blobs. The embedded default has one node (this server);
 * the cluster's MediaPlacement filters its candidate nodes through `allowedMediaNodes` before it
 * picks the least loaded one, and refuses (STORAGE_JURISDICTION) when none is left rather than
 * placing the event elsewhere.
 */
import { DATA_REGIONS, PodiumError, type DataRegionName } from '@podium/protocol';

/** A media node as placement sees it. */
export interface MediaNodeInfo {
  id: string;
  /** The data region the node is in (one of DATA_REGIONS). */
  dataRegion: string;
}

function jurisdictionOf(region: string): string | null {
  return Object.hasOwn(DATA_REGIONS, region) ? DATA_REGIONS[region as DataRegionName].jurisdiction : null;
}

/** The nodes that may carry an event of an organization in `orgRegion`: same region first, then the rest of its jurisdiction. */
export function allowedMediaNodes<N extends MediaNodeInfo>(orgRegion: string, nodes: readonly N[]): N[] {
  const j = jurisdictionOf(orgRegion);
  if (j === null) return [];
  const ok = nodes.filter((n) => jurisdictionOf(n.dataRegion) === j);
  return [...ok.filter((n) => n.dataRegion === orgRegion), ...ok.filter((n) => n.dataRegion !== orgRegion)];
}

/** Like allowedMediaNodes, but refuses loudly when no node may carry the event. */
export function requireMediaNodes<N extends MediaNodeInfo>(orgRegion: string, nodes: readonly N[]): N[] {
  const ok = allowedMediaNodes(orgRegion, nodes);
  if (!ok.length) throw new PodiumError('STORAGE_JURISDICTION', 'No media node of this organization\'s jurisdiction is available: the event is not placed elsewhere.', { dataRegion: orgRegion });
  return ok;
}
