/** Parameters of a SQL statement ($1, $2, …). */
export type SqlParams = readonly unknown[];

/** Options of one statement. */
export interface QueryOptions {
  /**
   * Keep the statement prepared under this name on each PostgreSQL connection, so a hot statement
   * is planned once per connection instead of on every call. Only for statements whose text never
   * varies; the embedded store ignores it.
   */
  prepare?: string;
}

/** Something that runs SQL: the store itself or an open transaction. */
export interface SqlRunner {
  /** Runs one statement and returns its rows. */
  query<R = Record<string, unknown>>(text: string, params?: SqlParams, opts?: QueryOptions): Promise<R[]>;
}

/**
 * The SQL store: PostgreSQL semantics, implemented by PGlite (embedded) and by a PostgreSQL pool
 * (cluster). One schema and one migration history serve both.
 */
export interface Sql extends SqlRunner {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in a transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
