/**
 * The live room's React glue: one RoomConnection (and its RoomMedia) per page, read through
 * useSyncExternalStore, plus `send` (a room request whose refusal is shown as a translated toast)
 * and the toasts themselves.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ServerMessage } from '@podium/protocol';
import {
  SignalError, type ClientRequest, type RoomConnection, type RoomConnectionSnapshot, type RoomMedia, type RoomMediaSnapshot, type RoomModel,
} from '@podium/client';
import { useT, type Translate } from '../i18n/I18nProvider';
import type { RoomDocs } from './roomDocs';

/** The translated text of a room or media error (registry code), else its message. */
export function roomErrorText(t: Translate, err: unknown): string {
  const code = err instanceof SignalError ? err.code : (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const key = `errors.${code}`;
    const text = t(key);
    if (text !== key) return text;
  }
  if (err instanceof DOMException) {
    if (err.name === 'NotAllowedError') return t('room.devices.denied');
    if (err.name === 'NotFoundError' || err.name === 'OverconstrainedError') return t('room.devices.notFound');
    if (err.name === 'NotReadableError') return t('room.devices.busy');
  }
  if (err instanceof Error && err.message) return err.message;
  return t('errors.INTERNAL');
}

/** A short message shown at the bottom of the room. */
export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  text: string;
}

interface RoomContextValue {
  conn: RoomConnection;
  media: RoomMedia;
  /** The shared documents (board, notes) of the stay. */
  docs: RoomDocs;
  model: RoomModel;
  /** Sends a room request; on refusal shows the translated error and resolves undefined. */
  send(msg: ClientRequest): Promise<ServerMessage | undefined>;
  /** Runs an action; on failure shows its translated error. Resolves false when it failed. */
  attempt(fn: () => Promise<unknown>): Promise<boolean>;
  notify(kind: Toast['kind'], text: string): void;
}

const RoomContext = createContext<RoomContextValue | null>(null);

/** The room of the page (inside RoomProvider). */
export function useRoom(): RoomContextValue {
  const v = useContext(RoomContext);
  if (!v) throw new Error('useRoom outside RoomProvider');
  return v;
}

/** The connection's snapshot, re-rendering on every change. */
export function useConnectionState(conn: RoomConnection): RoomConnectionSnapshot {
  return useSyncExternalStore(
    useCallback((l: () => void) => conn.subscribe(l), [conn]),
    () => conn.snapshot(),
  );
}

/** The media snapshot, re-rendering on every change. */
export function useMediaState(media: RoomMedia): RoomMediaSnapshot {
  return useSyncExternalStore(
    useCallback((l: () => void) => media.subscribe(l), [media]),
    () => media.snapshot(),
  );
}

/** Provides the room to its components, with toasts. */
export function RoomProvider({ conn, media, docs, model, children }: { conn: RoomConnection; media: RoomMedia; docs: RoomDocs; model: RoomModel; children: ReactNode }) {
  const t = useT();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const notify = useCallback((kind: Toast['kind'], text: string) => {
    const id = next.current++;
    setToasts((list) => [...list.filter((x) => x.text !== text).slice(-3), { id, kind, text }]);
    setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), kind === 'error' ? 7000 : 4000);
  }, []);
  const attempt = useCallback(async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      return true;
    } catch (err) {
      notify('error', roomErrorText(t, err));
      return false;
    }
  }, [notify, t]);
  const send = useCallback(async (msg: ClientRequest) => {
    try {
      return await conn.request(msg);
    } catch (err) {
      notify('error', roomErrorText(t, err));
      return undefined;
    }
  }, [conn, notify, t]);
  const value = useMemo(() => ({ conn, media, docs, model, send, attempt, notify }), [conn, media, docs, model, send, attempt, notify]);
  return (
    <RoomContext.Provider value={value}>
      {children}
      <div className="rm-toasts" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`rm-toast rm-toast-${x.kind}`} role={x.kind === 'error' ? 'alert' : 'status'}>
            {x.text}
            <button type="button" className="rm-toast-close" aria-label={t('common.close')} onClick={() => setToasts((l) => l.filter((y) => y.id !== x.id))}>×</button>
          </div>
        ))}
      </div>
    </RoomContext.Provider>
  );
}
