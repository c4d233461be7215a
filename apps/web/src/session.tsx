import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getMe, type Me } from '@podium/protocol';
import { ApiError, call, setCsrfToken } from './api/client';

interface SessionValue {
  /** The signed-in person, null when signed out, undefined while loading. */
  me: Me | null | undefined;
  /** Stores a fresh `Me` (after sign-in, setup, profile change). */
  setMe(me: Me | null): void;
  /** Reloads `Me` from the server. */
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/** Loads who is signed in once, and shares it with the app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Me | null | undefined>(undefined);
  const setMe = useCallback((m: Me | null) => {
    setCsrfToken(m?.csrfToken ?? null);
    setMeState(m);
  }, []);
  const refresh = useCallback(async () => {
    try {
      setMe(await call(getMe));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setMe(null);
      else setMe(null);
    }
  }, [setMe]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const value = useMemo(() => ({ me, setMe, refresh }), [me, setMe, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session: who is signed in, and how to change it. */
export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
