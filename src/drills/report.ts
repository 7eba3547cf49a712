// A drill's report: the timeline as one Markdown table and as JSON, named after the drill.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrillState, TimelineStep } from './types.js';

const LABELS: Record<TimelineStep['step'], string> = {
  injected: 'fault injected',
  detected: 'detected',
  'np-decided': 'partition decided',
  stopped: 'stopped on source',
  started: 'started on target',
  green: 'service check green',
  reverted: 'fault taken back',
};

export function stepLine(step: TimelineStep): string {
  const since = `+${(step.sinceMs / 1000).toFixed(3)}s`.padStart(10);
  return `${since}  ${LABELS[step.step].padEnd(20)} ${step.server.padEnd(8)} ${step.event}${step.detail ? `: ${step.detail}` : ''}`;
}

export function reportMarkdown(drill: DrillState): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    `# Drill ${drill.kind} on ${drill.target}`,
    '',
    `- drill: ${drill.id}`,
    `- started: ${drill.startedAt}, fault on ${drill.faultServer} for ${drill.durationSeconds}s`,
    `- group: ${drill.group ?? 'none'}${drill.source ? ` (on ${drill.source} before the drill)` : ''}`,
    `- outcome: ${drill.state}: ${drill.message}`,
    '',
    '| step | since fault | time (agent log) | server | event | detail |',
    '|---|---|---|---|---|---|',
    ...drill.timeline.map(
      (s) =>
        `| ${LABELS[s.step]} | ${s.sinceMs} ms | ${s.at} | ${s.server} | ${s.event} | ${cell(s.detail)} |`,
    ),
    '',
  ].join('\n');
}

/** Writes `drill-<id>.md` and `.json` into `dir`; returns their paths. */
export function writeReport(drill: DrillState, dir: string): { markdown: string; json: string } {
  const base = join(dir, `drill-${drill.id}`);
  const markdown = `${base}.md`;
  const json = `${base}.json`;
  writeFileSync(markdown, reportMarkdown(drill));
  writeFileSync(json, `${JSON.stringify(drill, null, 2)}\n`);
  return { markdown, json };
}
