import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NotesBinding, type TextView } from './notes-binding';
import { applyEdit, diffText, mapIndex } from './text-diff';

/** A textarea stand-in: what the person typed and where the caret is. */
class FakeTextarea implements TextView {
  value = '';
  selectionStart = 0;
  selectionEnd = 0;
  sets = 0;
  set(value: string, start: number, end: number): void {
    this.value = value;
    this.selectionStart = start;
    this.selectionEnd = end;
    this.sets++;
  }
  /** The person types `text` at the caret (replacing a selection). */
  type(text: string): void {
    this.value = this.value.slice(0, this.selectionStart) + text + this.value.slice(this.selectionEnd);
    this.selectionStart = this.selectionEnd = this.selectionStart + text.length;
  }
  select(start: number, end = start): void {
    this.selectionStart = start;
    this.selectionEnd = end;
  }
}

/** Two documents exchanging every update, like two browsers through the server. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  return { a: a.getText('markdown'), b: b.getText('markdown') };
}

describe('diffText', () => {
  it('finds the single replaced range, never splitting an emoji', () => {
    expect(diffText('hello world', 'hello brave world')).toEqual({ index: 6, remove: 0, insert: 'brave ' });
    expect(diffText('abc', 'abc')).toBeNull();
    expect(diffText('aaa', 'aa')).toEqual({ index: 2, remove: 1, insert: '' });
    const e = diffText('a😀b', 'a😃b')!;
    expect(e).toEqual({ index: 1, remove: 2, insert: '😃' });
    for (const [x, y] of [['', 'new'], ['gone', ''], ['x😀😀y', 'x😀y'], ['ab', 'ba'], ['😀', '😀😀']]) expect(applyEdit(x, diffText(x, y)!)).toBe(y);
  });

  it('maps an index through a remote change', () => {
    expect(mapIndex(5, [{ retain: 2 }, { insert: 'abc' }])).toBe(8);
    expect(mapIndex(5, [{ retain: 7 }, { insert: 'abc' }])).toBe(5);
    expect(mapIndex(5, [{ retain: 1 }, { delete: 2 }])).toBe(3);
    expect(mapIndex(5, [{ retain: 3 }, { delete: 5 }])).toBe(3);
    expect(mapIndex(2, [{ retain: 2 }, { insert: 'x' }], true)).toBe(2);
  });
});

describe('NotesBinding', () => {
  it('typing becomes minimal Yjs edits that the other side receives', () => {
    const { a, b } = pair();
    const view = new FakeTextarea();
    const binding = new NotesBinding(a, view);
    view.type('Hello');
    binding.input();
    view.select(5);
    view.type(' world');
    binding.input();
    view.select(0, 5);
    view.type('Hi');
    binding.input();
    expect(b.toString()).toBe('Hi world');
    expect(a.toDelta()).toEqual([{ insert: 'Hi world' }]);
  });

  it('a remote change rewrites the textarea and keeps the local caret and selection on the same text', () => {
    const { a, b } = pair();
    b.insert(0, 'The quick fox');
    const view = new FakeTextarea();
    const binding = new NotesBinding(a, view);
    expect(view.value).toBe('The quick fox');
    view.select(4, 9); // "quick"
    binding.selectionChanged();
    b.insert(0, '>> ');
    expect(view.value).toBe('>> The quick fox');
    expect(view.value.slice(view.selectionStart, view.selectionEnd)).toBe('quick');
    b.insert(b.length, ' jumps');
    b.delete(3, 4); // "The "
    expect(view.value).toBe('>> quick fox jumps');
    expect(view.value.slice(view.selectionStart, view.selectionEnd)).toBe('quick');
    // Typing over the selection still lands in the right place.
    view.type('slow');
    binding.input();
    expect(b.toString()).toBe('>> slow fox jumps');
  });

  it('a caret stays a caret, in front of what someone else inserts right at it', () => {
    const { a, b } = pair();
    b.insert(0, 'ab');
    const view = new FakeTextarea();
    const binding = new NotesBinding(a, view);
    view.select(1);
    binding.selectionChanged();
    b.insert(1, 'XYZ');
    expect(view.value).toBe('aXYZb');
    expect([view.selectionStart, view.selectionEnd]).toEqual([1, 1]);
  });

  it('while an input method composes, remote changes wait; the composed text is then placed where it belongs', () => {
    const { a, b } = pair();
    b.insert(0, 'abc');
    const view = new FakeTextarea();
    const binding = new NotesBinding(a, view);
    view.select(3);
    binding.selectionChanged();
    binding.compositionStart();
    view.type('é');
    binding.input();
    b.insert(0, 'XY');
    expect(view.value).toBe('abcé');
    binding.compositionEnd();
    expect(b.toString()).toBe('XYabcé');
    expect(view.value).toBe('XYabcé');
    expect(view.selectionStart).toBe(6);
  });

  it('a long paste goes in as several small edits; its own edits never rewrite the textarea', () => {
    const { a, b } = pair();
    const view = new FakeTextarea();
    const binding = new NotesBinding(a, view);
    const updates: Uint8Array[] = [];
    a.doc!.on('update', (u: Uint8Array) => updates.push(u));
    const sets = view.sets;
    view.type('x'.repeat(20_000));
    binding.input();
    expect(b.length).toBe(20_000);
    expect(updates.length).toBe(3);
    expect(view.sets).toBe(sets);
    binding.destroy();
    b.insert(0, 'after destroy');
    expect(view.value).toBe('x'.repeat(20_000));
  });
});
