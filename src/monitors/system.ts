// system: machine-wide CPU, memory, swap, load and disk space, and the CPU and memory of named
// processes, each against optional warning and error limits; a disk whose space trend reaches full
// within `fullWithin` is a warning. Errors fail the check; warnings pass it with `warning: true`.
import { statfs } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDuration } from '../config/durations.js';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';
import {
  findProcesses,
  processRssKib,
  processTicks,
  readCpuTicks,
  readMeminfo,
  TICKS_PER_SECOND,
} from './proc.js';
import { roughly, timeToFull, type Sample } from './trend.js';

interface Limits {
  warning?: number;
  error?: number;
}

interface DiskParams extends Limits {
  path: string;
  fullWithin?: string;
}

interface ProcessParams {
  name: string;
  cpu?: Limits;
  memoryMb?: Limits;
}

interface SystemParams {
  cpu?: Limits;
  memory?: Limits;
  swap?: Limits;
  load?: Limits;
  disks?: DiskParams[];
  processes?: ProcessParams[];
  history?: number;
}

type Level = 'ok' | 'warning' | 'error';

interface Finding {
  level: Level;
  text: string;
}

/** When there is no earlier sample, CPU use is measured over this much time within the check. */
const FIRST_CPU_SAMPLE_MS = 250;

export function createSystemMonitor(monitor: MonitorModel): MonitorDriver {
  const params = monitor.params as SystemParams;
  const historyLength = params.history ?? 60;
  const trends = new Map<string, Sample[]>();
  let lastCpu: { busy: number; total: number } | undefined;
  const lastProcess = new Map<string, { ticks: Map<number, number>; at: number }>();

  async function cpuPercent(signal: AbortSignal): Promise<number> {
    if (!lastCpu) {
      lastCpu = await readCpuTicks();
      await sleep(FIRST_CPU_SAMPLE_MS, undefined, { signal });
    }
    const now = await readCpuTicks();
    const total = now.total - lastCpu.total;
    const busy = now.busy - lastCpu.busy;
    lastCpu = now;
    return total > 0 ? (100 * busy) / total : 0;
  }

  async function processFindings(watch: ProcessParams, signal: AbortSignal): Promise<Finding[]> {
    const pids = await findProcesses({ name: watch.name }, signal);
    if (pids.length === 0) return [{ level: 'ok', text: `no process ${watch.name}` }];
    const findings: Finding[] = [];
    if (watch.memoryMb) {
      const rss = await Promise.all(pids.map(processRssKib));
      const mib = rss.reduce<number>((sum, kib) => sum + (kib ?? 0), 0) / 1024;
      findings.push(judge(`${watch.name} memory`, mib, watch.memoryMb, (v) => `${v.toFixed(0)} MiB`));
    }
    if (watch.cpu) {
      const ticks = new Map<number, number>();
      for (const pid of pids) {
        const used = await processTicks(pid);
        if (used !== undefined) ticks.set(pid, used);
      }
      const at = performance.now();
      const before = lastProcess.get(watch.name);
      lastProcess.set(watch.name, { ticks, at });
      if (before) {
        // Only processes seen both times count: a new one has no interval to measure over.
        let delta = 0;
        for (const [pid, used] of ticks) {
          const earlier = before.ticks.get(pid);
          if (earlier !== undefined) delta += used - earlier;
        }
        const seconds = (at - before.at) / 1000;
        const percent = seconds > 0 ? (100 * delta) / TICKS_PER_SECOND / seconds : 0;
        findings.push(judge(`${watch.name} CPU`, percent, watch.cpu, (v) => `${v.toFixed(0)}%`));
      }
    }
    return findings;
  }

  async function diskFindings(disk: DiskParams): Promise<Finding[]> {
    let stats;
    try {
      stats = await statfs(disk.path);
    } catch (error) {
      return [
        {
          level: 'error',
          text: `cannot read the space of ${disk.path}: ${(error as NodeJS.ErrnoException).code}`,
        },
      ];
    }
    // As df counts it: the blocks reserved for root are neither used nor available.
    const used = stats.blocks - stats.bfree;
    const share = used + stats.bavail > 0 ? used / (used + stats.bavail) : 0;
    const findings = [judge(`${disk.path}`, 100 * share, disk, (v) => `${v.toFixed(0)}% used`)];
    const samples = trends.get(disk.path) ?? [];
    samples.push({ at: performance.now(), used: share });
    if (samples.length > historyLength) samples.splice(0, samples.length - historyLength);
    trends.set(disk.path, samples);
    const within = disk.fullWithin === undefined ? undefined : parseDuration(disk.fullWithin);
    const eta = timeToFull(samples);
    if (within !== undefined && eta !== undefined && eta <= within)
      findings.push({ level: 'warning', text: `${disk.path} full in ${roughly(eta)} at the current rate` });
    return findings;
  }

  return {
    async check(ctx): Promise<CheckResult> {
      const findings: Finding[] = [];
      if (params.cpu) findings.push(judge('CPU', await cpuPercent(ctx.signal), params.cpu, percent));
      if (params.memory || params.swap) {
        const info = await readMeminfo();
        const total = info.get('MemTotal') ?? 0;
        const available = info.get('MemAvailable') ?? 0;
        if (params.memory)
          findings.push(
            judge('memory', total ? (100 * (total - available)) / total : 0, params.memory, percent),
          );
        const swapTotal = info.get('SwapTotal') ?? 0;
        const swapFree = info.get('SwapFree') ?? 0;
        if (params.swap)
          findings.push(
            judge('swap', swapTotal ? (100 * (swapTotal - swapFree)) / swapTotal : 0, params.swap, percent),
          );
      }
      if (params.load)
        findings.push(
          judge(
            'load',
            loadavg()[0] ?? 0,
            params.load,
            (v) => `${v.toFixed(2)} on ${availableParallelism()} CPUs`,
          ),
        );
      for (const disk of params.disks ?? []) findings.push(...(await diskFindings(disk)));
      for (const watch of params.processes ?? [])
        findings.push(...(await processFindings(watch, ctx.signal)));
      return summarize(findings);
    },
  };
}

function percent(value: number): string {
  return `${value.toFixed(0)}%`;
}

/** One measured value against its limits: "memory 93% (error above 90)". */
export function judge(what: string, value: number, limits: Limits, show: (value: number) => string): Finding {
  if (limits.error !== undefined && value > limits.error)
    return { level: 'error', text: `${what} ${show(value)} (error above ${limits.error})` };
  if (limits.warning !== undefined && value > limits.warning)
    return { level: 'warning', text: `${what} ${show(value)} (warning above ${limits.warning})` };
  return { level: 'ok', text: `${what} ${show(value)}` };
}

/** Errors first, then warnings; all values when everything is within its limits. */
function summarize(findings: Finding[]): CheckResult {
  const errors = findings.filter((finding) => finding.level === 'error');
  const warnings = findings.filter((finding) => finding.level === 'warning');
  if (errors.length > 0) return { ok: false, detail: [...errors, ...warnings].map((f) => f.text).join('; ') };
  if (warnings.length > 0) return { ok: true, warning: true, detail: warnings.map((f) => f.text).join('; ') };
  if (findings.length === 0)
    return { ok: true, detail: 'nothing to watch: set cpu, memory, swap, load, disks or processes' };
  return { ok: true, detail: findings.map((f) => f.text).join(', ') };
}
