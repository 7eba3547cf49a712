// The fip driver and monitor for real, as root, inside two network namespaces joined by a veth pair:
// "here" runs the driver (through fip-in-netns.js under `ip netns exec`, as the agent would run in its
// own namespace) and "peer" plays the other server and the neighbour whose ARP cache must follow.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { loadConfigText } from '../../../src/config/index.js';
import { scratch } from './helpers.js';

const root = process.getuid?.() === 0;
const RUNNER = join(import.meta.dirname, 'fip-in-netns.js');
const OLD_MAC = '02:00:00:00:00:99';
const IPADDR2 = '/usr/lib/ocf/resource.d/heartbeat/IPaddr2';

interface Pair {
  here: string;
  peer: string;
  /** Interface names inside each namespace. */
  hereDev: string;
  peerDev: string;
  hereMac: string;
  peerMac: string;
  net: string;
  /** `ip ARGS` inside a namespace; its stdout. */
  ip(ns: string, args: string[]): string;
  /** One driver action (start, stop, probe, kill) or monitor check, run inside "here". */
  run(action: string, config: string): { result: unknown; warnings: string[] };
  /** A config with the resource web/vip (fip) and the monitor vip-here. */
  config(address: string, extra?: string): string;
  /** A config whose resource web/vip is `resource` (a YAML flow mapping without the name). */
  configOf(resource: string): string;
}

function makePair(t: TestContext, tag: string): Pair {
  const id = `${tag}${process.pid % 100000}`;
  const here = `vigil-${id}a`;
  const peer = `vigil-${id}b`;
  const hereDev = `${id}a`;
  const peerDev = `${id}b`;
  const ip = (ns: string, args: string[]) =>
    execFileSync('ip', ['-n', ns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const cleanup = () => {
    for (const ns of [here, peer]) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // not there
      }
    }
  };
  cleanup();
  t.after(cleanup);
  const s = scratch(t);
  execFileSync('ip', ['netns', 'add', here]);
  execFileSync('ip', ['netns', 'add', peer]);
  execFileSync('ip', [
    '-n',
    here,
    'link',
    'add',
    hereDev,
    'type',
    'veth',
    'peer',
    'name',
    peerDev,
    'netns',
    peer,
  ]);
  const net = `10.198.${process.pid % 250}`;
  ip(here, ['addr', 'add', `${net}.1/24`, 'dev', hereDev]);
  ip(peer, ['addr', 'add', `${net}.2/24`, 'dev', peerDev]);
  for (const [ns, dev] of [
    [here, hereDev],
    [peer, peerDev],
  ] as const) {
    ip(ns, ['link', 'set', dev, 'up']);
    ip(ns, ['link', 'set', 'lo', 'up']);
  }
  const mac = (ns: string, dev: string) =>
    JSON.parse(ip(ns, ['-j', 'link', 'show', dev]))[0].address as string;
  let configs = 0;
  return {
    here,
    peer,
    hereDev,
    peerDev,
    hereMac: mac(here, hereDev),
    peerMac: mac(peer, peerDev),
    net,
    ip,
    run(action, config) {
      const out = execFileSync('ip', ['netns', 'exec', here, process.execPath, RUNNER, action, config], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      return JSON.parse(out);
    },
    config(address, extra = '') {
      const file = join(s.dir, `vigil-${++configs}.yaml`);
      writeFileSync(
        file,
        `cluster: { name: t }
servers: [{ name: s1, lan: [127.0.0.1] }]
groups:
  - name: web
    policy: [s1]
    resources:
      - { name: vip, type: fip, address: ${address}, device: ${hereDev}${extra} }
monitors:
  - { name: vip-here, type: fip, target: web/vip }
`,
      );
      return file;
    },
    configOf(resource) {
      const file = join(s.dir, `vigil-${++configs}.yaml`);
      writeFileSync(
        file,
        `cluster: { name: t }
servers: [{ name: s1, lan: [127.0.0.1] }]
groups:
  - name: web
    policy: [s1]
    resources:
      - { name: vip, ${resource} }
`,
      );
      return file;
    },
  };
}

/** The addresses on a device inside a namespace, as address/prefix. */
function addresses(pair: Pair, ns: string, dev: string): string[] {
  const links = JSON.parse(pair.ip(ns, ['-j', 'addr', 'show', 'dev', dev]));
  return links[0].addr_info.map(
    (info: { local: string; prefixlen: number }) => `${info.local}/${info.prefixlen}`,
  );
}

/** The MAC the peer's neighbour table holds for `address`, polled until `want` or the deadline. */
async function peerNeighbour(pair: Pair, address: string, want: string): Promise<string | undefined> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const entries = JSON.parse(pair.ip(pair.peer, ['-j', 'neigh', 'show', address, 'dev', pair.peerDev]));
    const seen = entries[0]?.lladdr as string | undefined;
    if (seen === want || performance.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test(
  'start adds and announces the address, probe and monitor follow it, stop removes it',
  { skip: !root && 'needs root' },
  async (t) => {
    const pair = makePair(t, 'fp');
    const vip = `${pair.net}.100`;
    const config = pair.config(`${vip}/24`);
    // The peer still has the old holder's MAC in its cache, as after a failover.
    pair.ip(pair.peer, ['neigh', 'replace', vip, 'lladdr', OLD_MAC, 'dev', pair.peerDev, 'nud', 'stale']);
    assert.equal(pair.run('probe', config).result, 'offline');
    assert.deepEqual(pair.run('check', config).result, {
      ok: false,
      detail: `${vip} on ${pair.hereDev} is missing (removed by someone or by a network manager?)`,
    });

    assert.deepEqual(pair.run('start', config), {
      result: { ok: true, detail: `${vip}/24 added on ${pair.hereDev}, announcing it with gratuitous ARP` },
      warnings: [],
    });
    assert.ok(addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`));
    assert.equal(await peerNeighbour(pair, vip, pair.hereMac), pair.hereMac);
    assert.equal(pair.run('probe', config).result, 'online');
    assert.deepEqual(pair.run('check', config).result, {
      ok: true,
      detail: `${vip} on ${pair.hereDev} is present`,
    });
    // Starting again is harmless.
    assert.deepEqual(pair.run('start', config).result, {
      ok: true,
      detail: `${vip}/24 was already on ${pair.hereDev}, announcing it with gratuitous ARP`,
    });

    assert.deepEqual(pair.run('stop', config).result, {
      ok: true,
      detail: `${vip}/24 is not on ${pair.hereDev}`,
    });
    assert.ok(!addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`));
    assert.equal(pair.run('probe', config).result, 'offline');
    assert.equal((pair.run('check', config).result as { ok: boolean }).ok, false);
    assert.equal((pair.run('stop', config).result as { ok: boolean }).ok, true, 'stopping again is ok');
  },
);

test(
  'with arping: false the address is added but not announced',
  { skip: !root && 'needs root' },
  async (t) => {
    const pair = makePair(t, 'fq');
    const vip = `${pair.net}.101`;
    const config = pair.config(`${vip}/24`, ', arping: false');
    pair.ip(pair.peer, ['neigh', 'replace', vip, 'lladdr', OLD_MAC, 'dev', pair.peerDev, 'nud', 'stale']);
    assert.deepEqual(pair.run('start', config).result, {
      ok: true,
      detail: `${vip}/24 added on ${pair.hereDev}`,
    });
    assert.ok(addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`));
    // Nothing told the peer: its cache still has the old MAC (the control for the test above).
    const entries = JSON.parse(pair.ip(pair.peer, ['-j', 'neigh', 'show', vip, 'dev', pair.peerDev]));
    assert.equal(entries[0]?.lladdr, OLD_MAC);
  },
);

test(
  'start refuses an address another host already answers for',
  { skip: !root && 'needs root' },
  async (t) => {
    const pair = makePair(t, 'fd');
    const vip = `${pair.net}.102`;
    pair.ip(pair.peer, ['addr', 'add', `${vip}/24`, 'dev', pair.peerDev]);
    const config = pair.config(`${vip}/24`);
    const { result } = pair.run('start', config) as { result: { ok: boolean; detail: string } };
    assert.equal(result.ok, false);
    assert.match(
      result.detail,
      new RegExp(
        `refusing to add ${vip.replaceAll('.', '\\.')}: it already answers on ${pair.hereDev} from MAC ${pair.peerMac}: another server still holds it\\?`,
        'i',
      ),
    );
    assert.ok(!addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`), 'the address was not added');
    assert.equal(pair.run('probe', config).result, 'offline');
  },
);

test(
  'a sub-second duplicateCheck still refuses an address another host answers for, and adds a free one',
  { skip: !root && 'needs root' },
  async (t) => {
    const pair = makePair(t, 'fs');
    const taken = `${pair.net}.108`;
    const free = `${pair.net}.109`;
    pair.ip(pair.peer, ['addr', 'add', `${taken}/24`, 'dev', pair.peerDev]);
    const refused = pair.run('start', pair.config(`${taken}/24`, ', duplicateCheck: 300ms')).result as {
      ok: boolean;
      detail: string;
    };
    assert.equal(refused.ok, false);
    assert.match(
      refused.detail,
      new RegExp(`it already answers on ${pair.hereDev} from MAC ${pair.peerMac}`, 'i'),
    );
    assert.ok(
      !addresses(pair, pair.here, pair.hereDev).includes(`${taken}/24`),
      'the taken address was not added',
    );
    const added = pair.run(
      'start',
      pair.config(`${free}/24`, ', duplicateCheck: 300ms, arping: false'),
    ).result;
    assert.deepEqual(added, { ok: true, detail: `${free}/24 added on ${pair.hereDev}` });
    assert.ok(addresses(pair, pair.here, pair.hereDev).includes(`${free}/24`));
  },
);

test(
  'a duplicate check that cannot run fails the start: nothing is added unchecked',
  { skip: !root && 'needs root' },
  async (t) => {
    const pair = makePair(t, 'fu');
    const vip = `${pair.net}.105`;
    pair.ip(pair.here, ['link', 'set', pair.hereDev, 'down']);
    const config = pair.config(`${vip}/24`);
    const { result } = pair.run('start', config) as { result: { ok: boolean; detail: string } };
    assert.equal(result.ok, false);
    assert.match(
      result.detail,
      new RegExp(
        `^cannot check whether ${vip.replaceAll('.', '\\.')} is free before adding it: \`arping -D -c 1 -w 1 -I ${pair.hereDev} ${vip.replaceAll('.', '\\.')}\` exited with code 2: .*Check that ${pair.hereDev} is up`,
      ),
    );
    assert.ok(!addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`), 'the address was not added');
  },
);

test(
  'duplicateCheck: 0 adds the address without asking the network first',
  { skip: !root && 'needs root' },
  async (t) => {
    const pair = makePair(t, 'fz');
    const vip = `${pair.net}.106`;
    // A device that is down makes arping fail, so the start succeeds only if the check is skipped.
    pair.ip(pair.here, ['link', 'set', pair.hereDev, 'down']);
    const config = pair.config(`${vip}/24`, ', duplicateCheck: 0, arping: false');
    assert.deepEqual(pair.run('start', config).result, {
      ok: true,
      detail: `${vip}/24 added on ${pair.hereDev}`,
    });
    assert.ok(addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`));
  },
);

test(
  'announcements run after the start has succeeded, and a stop ends them',
  { skip: !root && 'needs root' },
  async (t) => {
    const pair = makePair(t, 'fa');
    const vip = `${pair.net}.107`;
    const outcome = pair.run('start-stop', pair.config(`${vip}/24`)).result as {
      started: { ok: boolean };
      announcing: number;
      stopped: { ok: boolean };
      announcingAfterStop: number;
    };
    assert.equal(outcome.started.ok, true);
    assert.equal(outcome.announcing, 2, 'both announcements still run when the start returns');
    assert.equal(outcome.stopped.ok, true);
    assert.equal(outcome.announcingAfterStop, 0, 'the stop ended the announcements');
    assert.ok(!addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`));
  },
);

test('kill (fencing) removes the address at once', { skip: !root && 'needs root' }, async (t) => {
  const pair = makePair(t, 'fk');
  const vip = `${pair.net}.103`;
  const config = pair.config(`${vip}/24`, ', arping: false');
  assert.equal((pair.run('start', config).result as { ok: boolean }).ok, true);
  pair.run('kill', config);
  assert.ok(!addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`));
  assert.equal(pair.run('probe', config).result, 'offline');
});

test(
  'a missing device fails start clearly; probe says offline',
  { skip: !root && 'needs root' },
  async (t) => {
    const pair = makePair(t, 'fn');
    const file = pair.config(`${pair.net}.104/24`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(`device: ${pair.hereDev}`, 'device: nosuch0'));
    assert.deepEqual(pair.run('start', file).result, {
      ok: false,
      detail: `cannot add ${pair.net}.104 on nosuch0: there is no device nosuch0 here (check \`ip link\`)`,
    });
    assert.equal(pair.run('probe', file).result, 'offline');
    assert.equal((pair.run('stop', file).result as { ok: boolean }).ok, true);
  },
);

test('an IPv6 address is added without DAD and removed', { skip: !root && 'needs root' }, async (t) => {
  const pair = makePair(t, 'f6');
  const config = pair.config('fd00:198::100/64');
  assert.deepEqual(pair.run('start', config).result, {
    ok: true,
    detail: `fd00:198::100/64 added on ${pair.hereDev}`,
  });
  assert.ok(addresses(pair, pair.here, pair.hereDev).includes('fd00:198::100/64'));
  assert.equal(pair.run('probe', config).result, 'online');
  assert.equal((pair.run('check', config).result as { ok: boolean }).ok, true);
  assert.equal((pair.run('stop', config).result as { ok: boolean }).ok, true);
  assert.ok(!addresses(pair, pair.here, pair.hereDev).includes('fd00:198::100/64'));
});

test('a fip monitor must watch a fip resource', () => {
  const loaded = loadConfigText(
    `cluster: { name: t }
servers: [{ name: s1, lan: [127.0.0.1] }]
groups:
  - name: web
    policy: [s1]
    resources: [{ name: app, type: exec, start: /bin/true }]
monitors:
  - { name: vip-here, type: fip, target: web/app }
`,
    'fip-monitor.yaml',
  );
  assert.equal(loaded.ok, false);
  assert.match(
    JSON.stringify(!loaded.ok && loaded.problems),
    /a fip monitor watches a resource of type fip, but \\"app\\" is of type exec/,
  );
});

test(
  'the real OCF agent heartbeat:IPaddr2 adds, probes and removes the address inside a namespace',
  {
    skip:
      (!root && 'needs root') || (!existsSync(IPADDR2) && `${IPADDR2} is not installed (resource-agents)`),
  },
  (t) => {
    const pair = makePair(t, 'ia');
    const vip = `${pair.net}.101`;
    const config = pair.configOf(
      `type: ocf, agent: heartbeat:IPaddr2, params: { ip: ${vip}, cidr_netmask: 24, nic: ${pair.hereDev} }`,
    );
    assert.equal(pair.run('probe', config).result, 'offline');
    assert.deepEqual((pair.run('start', config).result as { ok: boolean }).ok, true);
    assert.ok(addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`), 'the agent added the address');
    assert.equal(pair.run('probe', config).result, 'online');
    assert.deepEqual((pair.run('stop', config).result as { ok: boolean }).ok, true);
    assert.ok(!addresses(pair, pair.here, pair.hereDev).includes(`${vip}/24`), 'the agent removed it');
    assert.equal(pair.run('probe', config).result, 'offline');
  },
);
