// The child side of load-config-isolated.ts: load and validate the file named by the first
// argument, send the plain result to the agent, exit.
import { loadConfigFile } from '../config/index.js';

const [file = ''] = process.argv.slice(2);
const result = await loadConfigFile(file);
process.send?.(result, () => process.disconnect());
