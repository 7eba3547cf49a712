// A recording fake of a command-line tool (systemctl, vgchange, mount, nsupdate, docker, virsh…) for
// drivers whose real tool cannot run on a build machine. Each tool is a small /bin/sh script in a temp
// dir that goes first on PATH: it records its argv and its stdin, then replays the first scripted
// response whose argv matches (stdout, stderr, exit code, an optional delay and side effect). Tests
// then check the exact command lines the driver ran.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { ResourceModel } from '../../../src/engine/model.js';
import { scratch } from './helpers.js';

export interface FakeReply {
  stdout?: string;
  stderr?: string;
  code?: number;
  /** Seconds to sleep before replying (a tool that hangs: the driver must kill it at its deadline). */
  delaySeconds?: number;
  /** Shell commands run before replying, e.g. to change a fake mount table. */
  effect?: string;
}

export interface FakeRule extends FakeReply {
  /** The exact arguments (after the tool name), or… */
  args?: string[];
  /** …every argv that starts with these arguments. */
  prefix?: string[];
  /** Used for this many matching calls only, then the next matching rule answers (default: always). */
  times?: number;
}

export interface FakeCall {
  tool: string;
  args: string[];
  stdin: string;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export class FakeBin {
  readonly dir: string;
  private readonly bin: string;
  private readonly calls: string;
  private readonly counters: string;
  private ruleCount = 0;

  constructor(t: TestContext) {
    this.dir = scratch(t).dir;
    this.bin = join(this.dir, 'bin');
    this.calls = join(this.dir, 'calls');
    this.counters = join(this.dir, 'counters');
    for (const dir of [this.bin, this.calls, this.counters]) mkdirSync(dir, { recursive: true });
  }

  /** (Re)writes the fake `name` with these rules, tried in order. An argv no rule matches exits 99. */
  tool(name: string, rules: FakeRule[]): this {
    const lines = [
      '#!/bin/sh',
      `rec=${quote(this.calls)}/$(date +%s%N)-$$`,
      'cat > "$rec.stdin"',
      `{ printf '%s\\0' ${quote(name)}; for a in "$@"; do printf '%s\\0' "$a"; done; } > "$rec.argv"`,
      'args="$*"',
      // take RULE TIMES: true while the rule has answered fewer than TIMES calls (0: no limit).
      `take() { [ "$2" = 0 ] && return 0; n=$(cat ${quote(this.counters)}/"$1" 2>/dev/null || echo 0); [ "$n" -ge "$2" ] && return 1; echo $((n + 1)) > ${quote(this.counters)}/"$1"; }`,
    ];
    for (const rule of rules) {
      const id = `r${this.ruleCount++}`;
      const test =
        rule.args !== undefined
          ? `[ "$args" = ${quote(rule.args.join(' '))} ]`
          : `case "$args" in ${quote((rule.prefix ?? []).join(' '))}*) true ;; *) false ;; esac`;
      lines.push(`if ${test} && take ${id} ${rule.times ?? 0}; then`);
      if (rule.delaySeconds !== undefined) lines.push(`  sleep ${rule.delaySeconds}`);
      if (rule.effect !== undefined) lines.push(`  ${rule.effect}`);
      if (rule.stdout !== undefined) lines.push(`  printf '%s' ${quote(rule.stdout)}`);
      if (rule.stderr !== undefined) lines.push(`  printf '%s' ${quote(rule.stderr)} >&2`);
      lines.push(`  exit ${rule.code ?? 0}`, 'fi');
    }
    lines.push(`printf 'fake ${name}: no scripted reply for: %s\\n' "$args" >&2`, 'exit 99', '');
    const path = join(this.bin, name);
    writeFileSync(path, lines.join('\n'));
    chmodSync(path, 0o755);
    return this;
  }

  /** The environment for the driver: the fakes first on PATH. */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, PATH: `${this.bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  }

  /** Every call so far, in order. */
  recorded(): FakeCall[] {
    return readdirSync(this.calls)
      .filter((file) => file.endsWith('.argv'))
      .sort()
      .map((file) => {
        const [tool = '', ...args] = readFileSync(join(this.calls, file), 'utf8').split('\0').slice(0, -1);
        const stdinFile = join(this.calls, file.replace(/\.argv$/, '.stdin'));
        return { tool, args, stdin: existsSync(stdinFile) ? readFileSync(stdinFile, 'utf8') : '' };
      });
  }

  /** Every call as one line "tool arg arg…", in order: easy to compare with the expected command lines. */
  lines(): string[] {
    return this.recorded().map((call) => [call.tool, ...call.args].join(' '));
  }
}

/** A resource of any type, for driver tests. */
export function toolResource(type: string, name: string, params: Record<string, unknown>): ResourceModel {
  return { name, type, dependsOn: [], startTimeoutMs: 5000, stopTimeoutMs: 5000, params };
}
