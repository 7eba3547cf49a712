// `vigil config schema`: the JSON Schema of the cluster config, for editors and other tools.
import { configJsonSchema } from '../config/json-schema.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type Output } from './command.js';

export async function configSchemaCommand(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    output.out('usage: vigil config schema > vigil.schema.json');
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  output.out(JSON.stringify(configJsonSchema(), null, 2));
  return 0;
}
