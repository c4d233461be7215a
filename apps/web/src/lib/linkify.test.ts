import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

describe('linkify()', () => {
  it('finds http and https links and leaves trailing punctuation as text', () => {
    expect(linkify('Open https://podium.example/invite?token=abc. Thanks')).toEqual([
      { kind: 'text', text: 'Open ' },
      { kind: 'link', text: 'https://podium.example/invite?token=abc', href: 'https://podium.example/invite?token=abc' },
      { kind: 'text', text: '. Thanks' },
    ]);
  });
  it('never turns other schemes into links', () => {
    expect(linkify('javascript:alert(1) and ftp://x')).toEqual([{ kind: 'text', text: 'javascript:alert(1) and ftp://x' }]);
  });
});
