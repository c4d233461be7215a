import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import type { ResponseOf, RouteDef } from '@podium/protocol';
import { call, type CallInput } from '../api/client';

/** The state of a GET request bound to a component. */
export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Fetches again (e.g. after a change the server confirmed). */
  reload(): void;
}

/**
 * Loads a route's data and reloads when `deps` change. Stale answers (from older deps) are dropped,
 * so a fast click through pages never shows the wrong page. Pass `null` as input to skip loading.
 */
export function useApi<R extends RouteDef>(route: R, input: CallInput<R> | null, deps: DependencyList): ApiState<ResponseOf<R>> {
  const [data, setData] = useState<ResponseOf<R> | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState<boolean>(input !== null);
  const [tick, setTick] = useState(0);
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    const current = inputRef.current;
    if (current === null) {
      setLoading(false);
      return;
    }
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    call(route, { ...current, signal: ctrl.signal }).then(
      (d) => {
        if (ctrl.signal.aborted) return;
        setData(d);
        setLoading(false);
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [route, tick, ...deps]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** The state of a write action: run it, show progress while busy, show the error if it failed. */
export interface MutationState<A extends unknown[], T> {
  /** Runs the action; resolves with its result, or undefined when it failed (the error is in `error`). */
  run(...args: A): Promise<T | undefined>;
  busy: boolean;
  error: unknown;
  /** Clears a shown error. */
  reset(): void;
}

/** Wraps a write (POST/PATCH/DELETE) so the UI can show progress and errors, updating only after the server confirms. */
export function useMutation<A extends unknown[], T>(fn: (...args: A) => Promise<T>): MutationState<A, T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async (...args: A): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      const result = await fnRef.current(...args);
      if (mounted.current) setBusy(false);
      return result;
    } catch (err) {
      if (mounted.current) {
        setError(err);
        setBusy(false);
      }
      return undefined;
    }
  }, []);
  const reset = useCallback(() => setError(null), []);
  return { run, busy, error, reset };
}
