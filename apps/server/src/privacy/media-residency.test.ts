import { describe, expect, it } from 'vitest';
import { allowedMediaNodes, requireMediaNodes } from './media-residency';

const NODES = [
  { id: 'us-1', dataRegion: 'us-east' },
  { id: 'eu-w-1', dataRegion: 'eu-west' },
  { id: 'eu-c-1', dataRegion: 'eu-central' },
  { id: 'uk-1', dataRegion: 'uk-south' },
];

describe('media residency (placement hook)', () => {
  it('allowedMediaNodes() keeps only nodes of the organization\'s jurisdiction, its own region first', () => {
    expect(allowedMediaNodes('eu-central', NODES).map((n) => n.id)).toEqual(['eu-c-1', 'eu-w-1']);
    expect(allowedMediaNodes('us-east', NODES).map((n) => n.id)).toEqual(['us-1']);
    expect(allowedMediaNodes('mars-1', NODES)).toEqual([]);
  });

  it('requireMediaNodes() refuses with STORAGE_JURISDICTION when no allowed node is up, never falling back to another region', () => {
    expect(() => requireMediaNodes('eu-central', NODES.filter((n) => !n.id.startsWith('eu')))).toThrow(expect.objectContaining({ code: 'STORAGE_JURISDICTION' }));
  });
});
