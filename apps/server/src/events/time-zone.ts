const known = new Map<string, boolean>();

/** True when the runtime knows this IANA time zone (the schema only checks its shape). */
export function isKnownTimeZone(timeZone: string): boolean {
  let ok = known.get(timeZone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      ok = true;
    } catch {
      ok = false;
    }
    // Bounded: a client could send endless invented names.
    if (known.size < 2000) known.set(timeZone, ok);
  }
  return ok;
}
