// The same measurement with keepalived (VRRPv3) in the same lab topology: a keepalived per server
// namespace holding the floating IP (unicast adverts between the servers' addresses), and the demo web service running on every server, bound to the
// floating IP (ip_nonlocal_bind), so whoever holds the address answers. nopreempt: a server that comes
// back does not take the address back, as vigil's manual failback does not.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../src/demo/repo.js';
import { WEB_LISTEN_ENV } from '../../src/demo/web-listen.js';
import { CLIENT, FLOATING_IP, WEB_PORT, waitFor } from '../../test/lab/lab.js';
import { LabNetwork, run } from '../../test/lab/netns.js';
import { ClientPoller } from '../../test/lab/observers.js';

const SERVERS = ['s1', 's2', 's3'];

function keepalivedConfig(net: LabNetwork, name: string, priority: number, advertInt: number): string {
  const peers = SERVERS.filter((s) => s !== name).map((s) => `    ${net.node(s).address}`);
  return `global_defs {
  router_id ${name}
  vrrp_version 3
  enable_script_security
}
vrrp_instance web {
  state BACKUP
  nopreempt
  interface eth0
  virtual_router_id 77
  priority ${priority}
  advert_int ${advertInt}
  unicast_src_ip ${net.node(name).address}
  unicast_peer {
${peers.join('\n')}
  }
  virtual_ipaddress {
    ${FLOATING_IP}/24 dev eth0
  }
}
`;
}

export async function keepalivedRounds(advertInt: number, rounds: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-keepalived-'));
  const net = new LabNetwork({ s1: 1, s2: 2, s3: 3, [CLIENT]: 50 });
  const children: ChildProcess[] = [];
  const start = (name: string) => {
    const ns = net.node(name).ns;
    const priority = 200 - 10 * SERVERS.indexOf(name);
    const conf = join(dir, `${name}.conf`);
    // The pids of a killed keepalived would make the new one think it is running already.
    for (const file of [`${name}.pid`, `${name}-vrrp.pid`]) rmSync(join(dir, file), { force: true });
    writeFileSync(conf, keepalivedConfig(net, name, priority, advertInt));
    children.push(
      spawn(
        'ip',
        [
          ...['netns', 'exec', ns, 'keepalived', '--dont-fork', '--vrrp', '--log-console', '-f', conf],
          ...['-p', join(dir, `${name}.pid`), '-r', join(dir, `${name}-vrrp.pid`)],
        ],
        { stdio: ['ignore', openSync(join(dir, `${name}-keepalived.log`), 'a'), 'inherit'] },
      ),
    );
    const web = join(repoRoot(), 'dist', 'src', 'demo', 'web-service.js');
    children.push(
      spawn('ip', ['netns', 'exec', ns, process.execPath, web], {
        stdio: ['ignore', 'ignore', openSync(join(dir, `${name}-web.log`), 'a')],
        env: { ...process.env, VIGIL_SERVER: name, [WEB_LISTEN_ENV]: `${FLOATING_IP}:${WEB_PORT}` },
      }),
    );
  };
  const poller = new ClientPoller(net, CLIENT, `http://${FLOATING_IP}:${WEB_PORT}/`, 10);
  const outages: number[] = [];
  try {
    for (const name of SERVERS) {
      run('ip', ['netns', 'exec', net.node(name).ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_nonlocal_bind=1']);
      start(name);
    }
    for (let round = 0; round < rounds; round++) {
      const since = Date.now();
      const active = await waitFor(
        'an answer through the floating IP',
        () => poller.answers.find((a) => a.at > since && a.server)?.server ?? undefined,
        60_000,
        10,
      );
      const crashedAt = Date.now();
      net.killAll(active);
      net.setLink(active, false);
      const back = await waitFor(
        'an answer from a survivor',
        () => poller.answers.find((a) => a.at > crashedAt && a.server && a.server !== active),
        60_000,
        10,
      );
      outages.push(back.at - crashedAt);
      net.setLink(active, true);
      start(active);
      // Settle: both peers' keepalived running again before the next crash.
      await waitFor(`keepalived on ${active} back`, () => net.pids(active).length >= 2, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 3 * advertInt * 1000 + 500));
    }
    return outages;
  } catch (error) {
    // What keepalived and the services said, to tell why.
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.log')))
      console.error(`--- ${file}\n${readFileSync(join(dir, file), 'utf8').slice(-1500)}`);
    throw error;
  } finally {
    await poller.stop();
    for (const child of children) child.kill('SIGKILL');
    net.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
