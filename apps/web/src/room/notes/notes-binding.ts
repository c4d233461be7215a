/**
 * Binds a plain textarea to the notes' Y.Text without the DOM (the view is an interface, so it is
 * tested in Node). Local input becomes the minimal Yjs insert/delete; a remote change rewrites the
 * textarea and puts the caret and selection back where they were in the text, through
 * Y.RelativePositions taken after every change the textarea saw. While an input method composes
 * (accents, CJK), the textarea is left alone: remote changes wait and the composed text is mapped
 * through them when the composition ends.
 */
import * as Y from 'yjs';
import { diffText, mapIndex, type TextDelta } from './text-diff';

/** What the binding needs of a textarea. */
export interface TextView {
  readonly value: string;
  readonly selectionStart: number;
  readonly selectionEnd: number;
  /** Replaces the text and sets the selection (the caret when start = end). */
  set(value: string, selectionStart: number, selectionEnd: number): void;
}

/** Inserts longer than this go in several transactions, so each stays a small update on the wire. */
export const INSERT_CHUNK = 8_000;

/** The notes textarea's binding (see file comment). */
export class NotesBinding {
  /** The origin of edits typed here. */
  readonly origin = { notes: 'local' };
  // The text the textarea shows, as the binding last left it.
  private shown: string;
  private anchor: Y.RelativePosition | null = null;
  private head: Y.RelativePosition | null = null;
  private composing = false;
  private deferred: TextDelta[] = [];
  private readonly observer = (e: Y.YTextEvent) => this.onRemote(e);

  constructor(private readonly text: Y.Text, private readonly view: TextView) {
    this.shown = text.toString();
    view.set(this.shown, 0, 0);
    this.remember();
    text.observe(this.observer);
  }

  /** The textarea's value changed by the person (an input event). */
  input(): void {
    if (this.composing) return;
    this.commit(this.view.value, []);
  }

  /** The selection moved (select, keyup, mouseup, focus). */
  selectionChanged(): void {
    if (!this.composing) this.remember();
  }

  /** An input method started composing. */
  compositionStart(): void {
    this.composing = true;
  }

  /** The composition ended: its text goes into the document, then remote changes that waited are shown. */
  compositionEnd(): void {
    this.composing = false;
    const waited = this.deferred;
    this.deferred = [];
    this.commit(this.view.value, waited);
    if (waited.length) this.show();
  }

  /** Stops observing the text. */
  destroy(): void {
    this.text.unobserve(this.observer);
  }

  /** Applies the change from what the textarea showed to `value`, mapped through remote changes it has not shown yet. */
  private commit(value: string, since: TextDelta[]): void {
    const edit = diffText(this.shown, value);
    this.shown = value;
    const through = (i: number) => since.reduce((at, d) => mapIndex(at, d, true), i);
    let index = edit?.index ?? 0;
    if (edit) {
      index = through(edit.index);
      const end = Math.max(index, through(edit.index + edit.remove));
      const doc = this.text.doc;
      const run = (fn: () => void) => (doc ? doc.transact(fn, this.origin) : fn());
      run(() => {
        if (end > index) this.text.delete(index, end - index);
      });
      for (let i = 0; i < edit.insert.length; i += INSERT_CHUNK) {
        const part = edit.insert.slice(i, i + INSERT_CHUNK);
        run(() => this.text.insert(index + i, part));
      }
    }
    if (!since.length) {
      // The document now reads exactly what the textarea shows.
      this.remember();
      return;
    }
    // The textarea's selection is in its own text; find the same places in the document.
    const toDoc = (p: number) => {
      if (!edit || p <= edit.index) return through(p);
      if (p <= edit.index + edit.insert.length) return index + (p - edit.index);
      return through(p - edit.insert.length + edit.remove) + edit.insert.length - edit.remove;
    };
    this.rememberAt(toDoc(this.view.selectionStart), toDoc(this.view.selectionEnd));
  }

  private onRemote(e: Y.YTextEvent): void {
    if (e.transaction.origin === this.origin) return;
    if (this.composing) {
      this.deferred.push(e.delta as TextDelta);
      return;
    }
    this.show();
  }

  /** Shows the document's text, the selection kept where it was in the text. */
  private show(): void {
    const value = this.text.toString();
    const doc = this.text.doc;
    const at = (rel: Y.RelativePosition | null, fallback: number) => {
      const abs = rel && doc ? Y.createAbsolutePositionFromRelativePosition(rel, doc) : null;
      return abs && abs.type === this.text ? abs.index : Math.min(fallback, value.length);
    };
    const start = at(this.anchor, this.view.selectionStart);
    const end = at(this.head, this.view.selectionEnd);
    this.shown = value;
    this.view.set(value, Math.min(start, end), Math.max(start, end));
    this.remember();
  }

  private remember(): void {
    this.rememberAt(this.view.selectionStart, this.view.selectionEnd);
  }

  private rememberAt(start: number, end: number): void {
    const len = this.text.length;
    // A caret sticks to the character before it: what someone else inserts right there appears after it.
    this.anchor = Y.createRelativePositionFromTypeIndex(this.text, Math.max(0, Math.min(start, len)), start === end ? -1 : 0);
    // The end of a selection sticks to the character before it, so text typed right after it stays outside.
    this.head = Y.createRelativePositionFromTypeIndex(this.text, Math.max(0, Math.min(end, len)), -1);
  }
}
