// ps monitors count processes by name (`process`) or by command line (`pattern`): exactly one.
import { error, type Finding } from './problem.js';
import { items, text } from './raw.js';

export function checkPs(data: unknown): Finding[] {
  return items(data, 'monitors').flatMap((monitor) => {
    if (text(monitor.value, 'type') !== 'ps') return [];
    const byName = monitor.value.process !== undefined;
    const byPattern = monitor.value.pattern !== undefined;
    if (byName !== byPattern) return [];
    const path = ['monitors', monitor.index, byName ? 'pattern' : 'type'];
    return [
      error(
        path,
        byName
          ? 'a ps monitor counts by process name or by pattern, not both'
          : 'a ps monitor needs process (a process name) or pattern (a command-line regular expression)',
        byName ? 'remove process or pattern' : 'add process: NAME or pattern: REGEXP',
      ),
    ];
  });
}
