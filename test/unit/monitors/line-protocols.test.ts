// smtp, pop3, imap and ftp against small real servers on loopback: good, bad greeting, bad reply,
// a server that never speaks (timeout through the AbortSignal), one that hangs up, and none at all.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkOnce } from './helpers.js';
import { CLOSED_PORT, protocolServer, type Dialogue } from './servers.js';

interface Case {
  type: string;
  port: number;
  dialogue: Dialogue;
  /** The command lines a good check sends, in order. */
  sent: string[];
  ok: RegExp;
  badGreeting: RegExp;
  badReply: RegExp;
}

const cases: Case[] = [
  {
    type: 'smtp',
    port: 45820,
    dialogue: {
      greeting: ['220-mail.test ESMTP', '220 ready'],
      badGreeting: ['554 5.3.2 go away'],
      replies: { NOOP: ['250 2.0.0 OK'], QUIT: ['221 2.0.0 bye'] },
      badReply: ['502 5.5.1 not implemented'],
    },
    sent: ['NOOP', 'QUIT'],
    ok: /^SMTP 127\.0\.0\.1:45820 answered NOOP with "250 2\.0\.0 OK" in \d+ ms$/,
    badGreeting: /^SMTP 127\.0\.0\.1:45820 greeted with "554 5\.3\.2 go away", expected 220$/,
    badReply: /^SMTP 127\.0\.0\.1:45820 answered NOOP with "502 5\.5\.1 not implemented", expected 250$/,
  },
  {
    type: 'pop3',
    port: 45821,
    dialogue: {
      greeting: ['+OK POP3 ready'],
      badGreeting: ['-ERR too busy'],
      replies: { CAPA: ['+OK capabilities follow', 'USER', 'PIPELINING', '.'], QUIT: ['+OK bye'] },
      badReply: ['-ERR unknown command'],
    },
    sent: ['CAPA', 'QUIT'],
    ok: /^POP3 127\.0\.0\.1:45821 answered CAPA with "\+OK capabilities follow" in \d+ ms$/,
    badGreeting: /^POP3 127\.0\.0\.1:45821 greeted with "-ERR too busy", expected \+OK$/,
    badReply: /^POP3 127\.0\.0\.1:45821 answered CAPA with "-ERR unknown command", expected \+OK$/,
  },
  {
    type: 'imap',
    port: 45822,
    dialogue: {
      greeting: ['* OK [CAPABILITY IMAP4rev1] ready'],
      badGreeting: ['* BYE too busy'],
      replies: { 'a001 NOOP': ['* 3 EXISTS', 'a001 OK NOOP completed'], 'a002 LOGOUT': ['* BYE', 'a002 OK'] },
      badReply: ['a001 BAD command unknown'],
    },
    sent: ['a001 NOOP', 'a002 LOGOUT'],
    ok: /^IMAP 127\.0\.0\.1:45822 answered a001 NOOP with "a001 OK NOOP completed" in \d+ ms$/,
    badGreeting: /^IMAP 127\.0\.0\.1:45822 greeted with "\* BYE too busy", expected "\* OK"$/,
    badReply:
      /^IMAP 127\.0\.0\.1:45822 answered a001 NOOP with "a001 BAD command unknown", expected "a001 OK"$/,
  },
  {
    type: 'ftp',
    port: 45823,
    dialogue: {
      greeting: ['220 FTP ready'],
      badGreeting: ['421 Too many users'],
      replies: { NOOP: ['200 NOOP ok'], QUIT: ['221 Goodbye'] },
      badReply: ['500 what?'],
    },
    sent: ['NOOP', 'QUIT'],
    ok: /^FTP 127\.0\.0\.1:45823 answered NOOP with "200 NOOP ok" in \d+ ms$/,
    badGreeting: /^FTP 127\.0\.0\.1:45823 greeted with "421 Too many users", expected 220$/,
    badReply: /^FTP 127\.0\.0\.1:45823 answered NOOP with "500 what\?", expected 200$/,
  },
];

for (const c of cases) {
  describe(c.type, () => {
    let server: Awaited<ReturnType<typeof protocolServer>>;
    before(async () => {
      server = await protocolServer(c.port, c.dialogue);
    });
    after(() => server?.close());
    const label = c.type.toUpperCase();
    const params = { host: '127.0.0.1', port: c.port };

    test('a good server: greeting, probe, polite goodbye', async () => {
      server.mode = 'good';
      server.received = [];
      const result = await checkOnce(c.type, params);
      assert.match(result.detail, c.ok);
      assert.equal(result.ok, true);
      assert.deepEqual(server.received, c.sent);
    });

    test('a bad greeting fails before anything is sent', async () => {
      server.mode = 'bad-greeting';
      server.received = [];
      const result = await checkOnce(c.type, params);
      assert.equal(result.ok, false);
      assert.match(result.detail, c.badGreeting);
      assert.deepEqual(server.received, []);
    });

    test('a bad answer to the probe fails', async () => {
      server.mode = 'bad-reply';
      const result = await checkOnce(c.type, params);
      assert.equal(result.ok, false);
      assert.match(result.detail, c.badReply);
    });

    test('a server that never greets times out through the signal', async () => {
      server.mode = 'hang';
      const began = performance.now();
      const result = await checkOnce(c.type, params, 400);
      assert.equal(result.ok, false);
      assert.match(
        result.detail,
        new RegExp(
          `^${label} 127\\.0\\.0\\.1:${c.port}: timed out after \\d+ ms while waiting for the greeting$`,
        ),
      );
      assert.ok(performance.now() - began < 3000, 'the check did not give up promptly');
    });

    test('a server that hangs up at once fails', async () => {
      server.mode = 'close';
      const result = await checkOnce(c.type, params);
      assert.equal(result.ok, false);
      assert.equal(
        result.detail,
        `${label} 127.0.0.1:${c.port} closed the connection while waiting for the greeting`,
      );
    });

    test('no server: connection refused', async () => {
      const result = await checkOnce(c.type, { host: '127.0.0.1', port: CLOSED_PORT });
      assert.deepEqual(
        { ok: result.ok, detail: result.detail },
        { ok: false, detail: `${label} 127.0.0.1:${CLOSED_PORT}: connection refused` },
      );
    });
  });
}
