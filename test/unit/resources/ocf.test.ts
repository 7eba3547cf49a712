// The ocf resource with the real agents of Debian's resource-agents package: heartbeat:Dummy, and
// heartbeat:Filesystem on an ext4 loop device (root). Also the meta-data reader on real and odd XML.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ResourceModel } from '../../../src/engine/model.js';
import { createOcfDriver } from '../../../src/resources/ocf.js';
import { agentPath, listAgents, parseAgentName } from '../../../src/resources/ocf-agent.js';
import { missingRequired, parseMetadata } from '../../../src/resources/ocf-metadata.js';
import { resourceContext, scratch } from './helpers.js';
import { loopDevice, mountPointsOf, rootOnly } from './loop-device.js';

const dummyPath = agentPath({ provider: 'heartbeat', agent: 'Dummy' });
const hasAgents = { skip: !existsSync(dummyPath) && 'the resource-agents package is not installed' };
// heartbeat:Filesystem refuses to run (OCF_ERR_INSTALLED) without modprobe (Debian package kmod).
const hasModprobe = {
  skip: !['/usr/sbin/modprobe', '/sbin/modprobe'].some(existsSync) && 'kmod (modprobe) is not installed',
};

function ocfResource(agent: string, params: Record<string, unknown>): ResourceModel {
  return {
    name: 'res',
    type: 'ocf',
    dependsOn: [],
    startTimeoutMs: 30_000,
    stopTimeoutMs: 30_000,
    params: { agent, params, ocfRoot: '/usr/lib/ocf', monitorTimeout: '20s' },
  };
}

test('agent names: PROVIDER:AGENT or ocf:PROVIDER:AGENT; anything else is refused', () => {
  assert.deepEqual(parseAgentName('heartbeat:Dummy'), { provider: 'heartbeat', agent: 'Dummy' });
  assert.deepEqual(parseAgentName('ocf:heartbeat:IPaddr2'), { provider: 'heartbeat', agent: 'IPaddr2' });
  assert.throws(
    () => parseAgentName('heartbeat/../../bin:sh'),
    /not an OCF agent name; write PROVIDER:AGENT/,
  );
  assert.throws(() => parseAgentName('Dummy'), /not an OCF agent name/);
});

test(
  'ocf heartbeat:Dummy: probe offline, start, monitor online, stop, probe offline',
  hasAgents,
  async (t) => {
    const s = scratch(t);
    const state = join(s.dir, 'dummy.state');
    const ocf = createOcfDriver();
    const { ctx } = resourceContext(s, ocfResource('heartbeat:Dummy', { state }));
    assert.equal(await ocf.probe(ctx), 'offline');
    assert.deepEqual(await ocf.start(ctx), {
      ok: true,
      detail: 'ocf:heartbeat:Dummy started and its monitor says running',
    });
    assert.ok(existsSync(state), 'Dummy keeps its state in the file given by OCF_RESKEY_state');
    assert.equal(await ocf.probe(ctx), 'online');
    assert.deepEqual(await ocf.stop(ctx), { ok: true, detail: 'ocf:heartbeat:Dummy stopped' });
    assert.equal(existsSync(state), false);
    assert.equal(await ocf.probe(ctx), 'offline');
    assert.equal((await ocf.stop(ctx)).ok, true, 'stopping a stopped agent succeeds');
  },
);

test(
  'ocf: a missing agent and an agent failing with an OCF error say what to check',
  hasAgents,
  async (t) => {
    const s = scratch(t);
    const ocf = createOcfDriver();
    const missing = resourceContext(s, ocfResource('heartbeat:NoSuchAgent', {}));
    const result = await ocf.start(missing.ctx);
    assert.equal(result.ok, false);
    assert.match(
      result.detail,
      /^OCF agent heartbeat:NoSuchAgent not found at \/usr\/lib\/ocf\/resource\.d\/heartbeat\/NoSuchAgent; install it/,
    );
    assert.equal(await ocf.probe(missing.ctx), 'unknown');
    // Dummy refuses a state file in a directory it cannot create: OCF_ERR_PERM... or generic; either way named.
    writeFileSync(join(s.dir, 'not-a-dir'), '');
    const broken = resourceContext(
      s,
      ocfResource('heartbeat:Dummy', { state: join(s.dir, 'not-a-dir', 'x.state') }),
    );
    const failed = await ocf.start(broken.ctx);
    assert.equal(failed.ok, false);
    assert.match(failed.detail, /^ocf:heartbeat:Dummy start failed with exit code [1-9] \([a-z ]+/);
  },
);

test(
  'ocf heartbeat:Filesystem mounts and unmounts an ext4 loop device',
  { ...rootOnly, ...hasAgents, ...hasModprobe },
  async (t) => {
    const s = scratch(t);
    const { device, dir } = loopDevice(t);
    const directory = join(dir, 'mnt');
    execFileSync('mkdir', ['-p', directory]);
    const ocf = createOcfDriver();
    const { ctx } = resourceContext(
      s,
      ocfResource('heartbeat:Filesystem', { device, directory, fstype: 'ext4' }),
    );
    assert.equal(await ocf.probe(ctx), 'offline');
    const started = await ocf.start(ctx);
    assert.equal(started.ok, true, started.detail);
    assert.deepEqual(mountPointsOf(device), [directory]);
    assert.equal(await ocf.probe(ctx), 'online');
    const stopped = await ocf.stop(ctx);
    assert.equal(stopped.ok, true, stopped.detail);
    assert.deepEqual(mountPointsOf(device), []);
    assert.equal(await ocf.probe(ctx), 'offline');
  },
);

test('meta-data: the real Filesystem agent lists device, directory and fstype as required', hasAgents, () => {
  const xml = execFileSync(agentPath({ provider: 'heartbeat', agent: 'Filesystem' }), ['meta-data'], {
    env: { ...process.env, OCF_ROOT: '/usr/lib/ocf' },
    encoding: 'utf8',
  });
  const metadata = parseMetadata(xml);
  assert.equal(metadata.name, 'Filesystem');
  const required = metadata.parameters.filter((p) => p.required).map((p) => p.name);
  assert.deepEqual(required, ['device', 'directory', 'fstype']);
  assert.deepEqual(missingRequired(metadata, { device: '/dev/sdb1' }), ['directory', 'fstype']);
  assert.ok(metadata.actions.some((a) => a.name === 'monitor'));
  assert.ok(listAgents().some((p) => p.provider === 'heartbeat' && p.agents.includes('Dummy')));
});

test('meta-data: comments, entities, CDATA, single quotes and self-closing tags', () => {
  const metadata = parseMetadata(`<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name='odd'>
  <!-- <parameter name="commented" required="1"/> -->
  <shortdesc lang="en">An &lt;odd&gt; agent</shortdesc>
  <parameters>
    <parameter name="path" required="1" unique="1">
      <shortdesc lang="en"><![CDATA[Where & why]]></shortdesc>
      <content type="string" default="/var/&quot;x&quot;"/>
    </parameter>
    <parameter name="flag"><content type='boolean' default='false' /></parameter>
    <parameter required="1"><content type="string"/></parameter>
  </parameters>
  <actions><action name="start" timeout="20s"/><action name="monitor" timeout="10s" interval="5s" /></actions>
</resource-agent>`);
  assert.deepEqual(metadata, {
    name: 'odd',
    shortdesc: 'An <odd> agent',
    parameters: [
      {
        name: 'path',
        required: true,
        unique: true,
        type: 'string',
        default: '/var/"x"',
        shortdesc: 'Where & why',
      },
      { name: 'flag', required: false, unique: false, type: 'boolean', default: 'false' },
    ],
    actions: [
      { name: 'start', timeout: '20s' },
      { name: 'monitor', timeout: '10s', interval: '5s' },
    ],
  });
  assert.deepEqual(parseMetadata('not xml at all <<<'), { parameters: [], actions: [] });
});
