// psql: connects to PostgreSQL and runs a query (default SELECT 1), optionally comparing the first
// column of the first row with `expectValue`. Uses npm `pg`, loaded at the first check: most agents
// never run one, and the driver costs memory in every agent that loads it.
import type { MonitorModel } from '../engine/model.js';
import type { MonitorDriver } from './driver.js';
import { checkDatabase, databaseParams, firstValue } from './database.js';

export function createPsqlMonitor(monitor: MonitorModel): MonitorDriver {
  const params = databaseParams(monitor, { port: 5432, user: 'postgres' });
  return {
    check: (ctx) =>
      checkDatabase('PostgreSQL', params, ctx.signal, async (password, onCancel) => {
        const { default: pg } = await import('pg');
        const client = new pg.Client({
          host: params.host,
          port: params.port,
          database: params.database ?? 'postgres',
          user: params.user,
          password,
          application_name: 'vigil-monitor',
        });
        // A failed or cancelled client emits 'error' later; without a listener it would crash the agent.
        client.on('error', () => {});
        onCancel(() => void client.end().catch(() => {}));
        try {
          await client.connect();
          const result = await client.query({ text: params.query, rowMode: 'array' });
          return firstValue(result.rows as unknown[][]);
        } finally {
          await client.end().catch(() => {});
        }
      }),
  };
}
