// Throwaway PostgreSQL and MariaDB servers for the psql and mysql monitor tests: each in its own temp
// dir, on a loopback port of this test range, waited for with a deadline, stopped and removed after.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../resources/helpers.js';

export interface Server {
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL bin directory, if any. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Why the PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined {
  if (postgresBin() === undefined)
    return 'PostgreSQL is not installed (apt-get install postgresql): no initdb under /usr/lib/postgresql/*/bin';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return 'running as root and there is no "postgres" user to run the server as';
  return undefined;
}

/**
 * initdb + pg_ctl start on 127.0.0.1:`port`, superuser `user` with `password` (scram over TCP).
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export async function startPostgres(port: number, user: string, password: string): Promise<Server> {
  const bin = postgresBin() as string;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pg-test-'));
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    execFileSync(command, argv, { stdio: 'pipe', timeout: 120_000 });
  };
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  const stop = async () => {
    try {
      if (existsSync(join(data, 'postmaster.pid')))
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    run('initdb', [
      '-D',
      data,
      '-U',
      user,
      `--pwfile=${pwfile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    // -w: pg_ctl itself waits (up to -t seconds) until the server accepts connections.
    run('pg_ctl', [
      ...['-D', data, '-l', join(dir, 'log'), '-w', '-t', '90'],
      ...['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`],
      'start',
    ]);
  } catch (error) {
    const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').slice(-2000) : '';
    await stop();
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`, { cause: error });
  }
  return { stop };
}

const MARIADB_INSTALL = '/usr/bin/mariadb-install-db';
const MARIADBD = '/usr/sbin/mariadbd';

export function mariadbMissing(): string | undefined {
  if (!existsSync(MARIADB_INSTALL) || !existsSync(MARIADBD))
    return `MariaDB is not installed (apt-get install mariadb-server): no ${MARIADB_INSTALL} or ${MARIADBD}`;
  return undefined;
}

/**
 * mariadb-install-db + mariadbd on 127.0.0.1:`port`; `sql` runs once at startup (--init-file), to
 * create the test's users and tables.
 */
export async function startMariadb(port: number, sql: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mariadb-test-'));
  const data = join(dir, 'data');
  const errorLog = join(dir, 'error.log');
  const initFile = join(dir, 'init.sql');
  writeFileSync(initFile, sql, { mode: 0o600 });
  // --no-defaults: ignore /etc/mysql, so the system's config cannot leak into the throwaway server.
  execFileSync(
    MARIADB_INSTALL,
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--user=root',
      '--skip-test-db',
      '--auth-root-authentication-method=socket',
    ],
    { stdio: 'pipe', timeout: 180_000 },
  );
  const server = spawn(
    MARIADBD,
    [
      '--no-defaults',
      ...[`--datadir=${data}`, `--socket=${join(dir, 'sock')}`, `--pid-file=${join(dir, 'pid')}`],
      ...[`--port=${port}`, '--bind-address=127.0.0.1', '--user=root', `--init-file=${initFile}`],
      ...[
        `--log-error=${errorLog}`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=16M',
        '--skip-name-resolve',
      ],
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    server.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      server.kill('SIGTERM');
      const killer = setTimeout(() => server.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const log = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '');
  try {
    await waitFor(
      () => exited || /ready for connections/.test(log()),
      'MariaDB to be ready for connections',
      120_000,
    );
    if (exited) throw new Error('mariadbd exited while starting');
  } catch (error) {
    const tail = log().slice(-2000);
    await stop();
    throw new Error(`MariaDB did not start: ${(error as Error).message}\n${tail}`, { cause: error });
  }
  return { stop };
}
