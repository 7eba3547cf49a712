// mysql: connects to MySQL or MariaDB and runs a query (default SELECT 1), optionally comparing the
// first column of the first row with `expectValue`. Uses npm `mysql2`, loaded at the first check (as
// `pg` in psql.ts).
import type { Connection } from 'mysql2/promise';
import type { MonitorModel } from '../engine/model.js';
import type { MonitorDriver } from './driver.js';
import { checkDatabase, databaseParams, firstValue } from './database.js';

export function createMysqlMonitor(monitor: MonitorModel): MonitorDriver {
  const params = databaseParams(monitor, { port: 3306, user: 'root' });
  return {
    check: (ctx) =>
      checkDatabase('MySQL', params, ctx.signal, async (password, onCancel) => {
        const state: { connection?: Connection; cancelled: boolean } = { cancelled: false };
        onCancel(() => {
          state.cancelled = true;
          state.connection?.destroy();
        });
        const { default: mysql } = await import('mysql2/promise');
        const connection = await mysql.createConnection({
          host: params.host,
          port: params.port,
          user: params.user,
          password,
          database: params.database,
          connectTimeout: monitor.timeoutMs,
        });
        // A connection that breaks later emits 'error'; without a listener it would crash the agent.
        connection.on('error', () => {});
        state.connection = connection;
        if (state.cancelled) connection.destroy();
        try {
          const [rows] = await connection.query({ sql: params.query, rowsAsArray: true });
          return Array.isArray(rows) ? firstValue(rows as unknown[][]) : undefined;
        } finally {
          await connection.end().catch(() => connection.destroy());
        }
      }),
  };
}
