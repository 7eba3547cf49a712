// How the demo recognises its own processes in /proc before it signals a pid from a pid file.
import { join } from 'node:path';

/** The demo services' command lines contain this. */
export const SERVICE_MARKER = join('dist', 'src', 'demo', '');

/** The agents' command lines contain this (or the vigild path the demo was given). */
export const AGENT_MARKER = join('bin', 'vigild');
