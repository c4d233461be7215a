// The personal-data map against the live schema: every column of every table created by the
// migrations must be classified, and the map names nothing that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestSql, STORE_KINDS } from '../testing/sql';
import type { Sql } from '../storage/sql';
import { DATA_MAP } from './data-map';
import { recordOfProcessing, recordOfProcessingMarkdown } from './record-of-processing';

describe.each(STORE_KINDS)('personal-data map on %s', (store) => {
  let sql: Sql;
  let columns: { table_name: string; column_name: string }[];
  beforeAll(async () => {
    sql = await openTestSql(store);
    columns = await sql.query(
      `select c.table_name, c.column_name from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.table_schema = current_schema() order by c.table_name, c.ordinal_position`,
    );
  });
  afterAll(async () => sql?.close());

  it('classifies every column of every table of the migrated schema', () => {
    const missing = columns.filter((c) => !DATA_MAP[c.table_name]?.columns[c.column_name]).map((c) => `${c.table_name}.${c.column_name}`);
    expect(missing, 'columns without a classification in apps/server/src/privacy/data-map.ts').toEqual([]);
  });

  it('names no table or column that the schema does not have', () => {
    const live = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
    const stale = Object.entries(DATA_MAP).flatMap(([t, def]) => Object.keys(def.columns).map((c) => `${t}.${c}`)).filter((k) => !live.has(k));
    expect(stale).toEqual([]);
  });

  it('generates a record of processing that lists every table with personal data', () => {
    const names = recordOfProcessing().map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['users', 'registrations', 'room_chat_messages', 'mail_outbox', 'audit_log', 'file']));
    expect(names).not.toContain('schema_migrations');
    expect(recordOfProcessingMarkdown()).toMatch(/\| sql \| registrations \| .* \| Art\. 6\(1\)\(b\) contract \| registrations \|/);
  });
});
