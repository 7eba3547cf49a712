// OCF parameter values are strings; YAML numbers and booleans are passed the way YAML shows them.

export function ocfParamStrings(params: unknown, owner: string): Record<string, string> {
  const values: Record<string, string> = {};
  if (params === undefined) return values;
  if (typeof params !== 'object' || params === null) throw new Error(`${owner} params is not a mapping`);
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      values[name] = String(value);
    else throw new Error(`${owner} parameter ${name} is not a string, number or boolean`);
  }
  return values;
}
