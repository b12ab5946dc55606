import { sql } from 'kysely';
import { types } from 'pg';
import { startTcpProxy } from '@app/testing';
import { openDatabase } from './database-connection';

describe('a connection to a Postgres server', () => {
  const serverUrl = process.env.DATABASE_URL;

  it('reads bigint columns as numbers, without changing the driver for the whole process', async () => {
    const connection = await openDatabase(
      serverUrl ? { kind: 'server', url: serverUrl, schema: 'public', poolSize: 2 } : { kind: 'memory' },
    );
    try {
      const { rows } = await connection.query<{ n: unknown }>('select 9007199254740991::bigint as n', []);
      expect(rows[0]?.n).toBe(9007199254740991);
    } finally {
      await connection.close();
    }
    const parseInt8 = types.getTypeParser(types.builtins.INT8, 'text') as (value: string) => unknown;
    expect(parseInt8('12')).toBe('12');
  });

  if (serverUrl) {
    it('fails fast while the network is cut and serves again once it is back, without reopening', async () => {
      const url = new URL(serverUrl);
      const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
      url.host = `127.0.0.1:${proxy.port}`;
      const connection = await openDatabase(
        { kind: 'server', url: url.toString(), schema: 'public', poolSize: 4 },
        { connectMs: 1_000, queryMs: 2_000 },
      );
      try {
        await expect(sql`select 1 as one`.execute(connection.db)).resolves.toMatchObject({
          rows: [{ one: 1 }],
        });
        proxy.cut();
        const started = Date.now();
        await expect(sql`select 1 as one`.execute(connection.db)).rejects.toThrow();
        await expect(connection.query('select 1', [])).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(5_000);
        proxy.restore();
        await expect(sql`select 2 as two`.execute(connection.db)).resolves.toMatchObject({
          rows: [{ two: 2 }],
        });
      } finally {
        await connection.close();
        await proxy.close();
      }
    });
  }
});
