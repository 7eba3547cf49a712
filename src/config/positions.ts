// Maps a config path (`groups[0].resources[1].dependsOn[0]`) back to a line and column in the YAML
// source, using the node ranges the yaml parser keeps. A path that does not exist in the file (a
// missing key, a default) points at the nearest thing that does: the key of the enclosing mapping.

import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathSegment } from './problem.js';

export interface Position {
  line: number;
  col: number;
}

export class SourcePositions {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  at(offset: number): Position {
    return this.lineCounter.linePos(offset);
  }

  locate(path: readonly PathSegment[], at: 'key' | 'value' = 'value'): Position {
    let node: unknown = this.doc.contents;
    let key: Node | undefined;
    let found = true;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((item) => keyText(item.key) === String(segment));
        if (pair === undefined) {
          found = false;
          break;
        }
        key = isNode(pair.key) ? pair.key : undefined;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        key = undefined;
        node = node.items[segment];
      } else {
        found = false;
        break;
      }
    }
    const value = isNode(node) && !isEmptyScalar(node) ? node : undefined;
    // Not found: the key that leads to the enclosing mapping, else the mapping or list item itself.
    const target = !found || at === 'key' ? (key ?? value) : (value ?? key);
    return this.at(target?.range?.[0] ?? 0);
  }
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/** `key:` with nothing after it: point at the key rather than the end of the line. */
function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}

/** The path of the mapping key that starts at `offset` (for the parser's duplicate-key errors). */
export function pathOfKeyAt(doc: Document, offset: number): PathSegment[] | undefined {
  const search = (node: unknown, path: PathSegment[]): PathSegment[] | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (isNode(pair.key) && pair.key.range?.[0] === offset) return [...path, key];
        const found = search(pair.value, [...path, key]);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) {
        const found = search(item, [...path, index]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(doc.contents, []);
}
