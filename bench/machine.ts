// One line about the machine a benchmark ran on, printed with its figures.
import { cpus, totalmem } from 'node:os';

export function machineLine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  return `machine: ${list.length} x ${model}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}`;
}
