// The parts of an OCF agent's meta-data XML that vigil uses: parameters (required, default, short
// description) and actions. A small tolerant reader for this one well-known shape, not an XML parser:
// it ignores what it does not know and never throws on odd input.

export interface OcfParameter {
  name: string;
  required: boolean;
  unique: boolean;
  type?: string;
  default?: string;
  shortdesc?: string;
}

export interface OcfAction {
  name: string;
  timeout?: string;
  interval?: string;
}

export interface OcfMetadata {
  name?: string;
  shortdesc?: string;
  parameters: OcfParameter[];
  actions: OcfAction[];
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? all;
  });
}

/** The attributes of one start tag's inside (`name="x" required="1"`). */
function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of tag.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    found[match[1] as string] = decode(match[2] ?? match[3] ?? '');
  return found;
}

/** The first <NAME …>text</NAME> (or <NAME …/>) in `xml`: its attributes and inner text. */
function element(xml: string, name: string): { attrs: Record<string, string>; inner: string } | undefined {
  const match = new RegExp(`<${name}(\\s[^>]*?)?(/>|>([\\s\\S]*?)</${name}\\s*>)`).exec(xml);
  if (match === null) return undefined;
  return { attrs: attributes(match[1] ?? ''), inner: match[3] ?? '' };
}

function elements(xml: string, name: string): { attrs: Record<string, string>; inner: string }[] {
  const found = [];
  for (const match of xml.matchAll(new RegExp(`<${name}(\\s[^>]*?)?(/>|>([\\s\\S]*?)</${name}\\s*>)`, 'g')))
    found.push({ attrs: attributes(match[1] ?? ''), inner: match[3] ?? '' });
  return found;
}

function text(inner: string | undefined): string | undefined {
  if (inner === undefined) return undefined;
  const cleaned = decode(inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1'))
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

const truthy = (value: string | undefined) => value === '1' || value === 'true' || value === 'yes';

export function parseMetadata(xml: string): OcfMetadata {
  const withoutComments = xml.replace(/<!--[\s\S]*?-->/g, '');
  const agent = element(withoutComments, 'resource-agent');
  const body = agent?.inner ?? withoutComments;
  const parametersBlock = element(body, 'parameters')?.inner ?? '';
  const actionsBlock = element(body, 'actions')?.inner ?? '';
  // The agent's own shortdesc is the one outside <parameters>.
  const outside = body.replace(parametersBlock, '');
  return {
    ...(agent?.attrs.name === undefined ? {} : { name: agent.attrs.name }),
    ...optional('shortdesc', text(element(outside, 'shortdesc')?.inner)),
    parameters: elements(parametersBlock, 'parameter')
      .filter((parameter) => parameter.attrs.name !== undefined)
      .map((parameter) => {
        const content = element(parameter.inner, 'content')?.attrs;
        return {
          name: parameter.attrs.name as string,
          required: truthy(parameter.attrs.required),
          unique: truthy(parameter.attrs.unique),
          ...optional('type', content?.type),
          ...optional('default', content?.default),
          ...optional('shortdesc', text(element(parameter.inner, 'shortdesc')?.inner)),
        };
      }),
    actions: elements(actionsBlock, 'action')
      .filter((action) => action.attrs.name !== undefined)
      .map((action) => ({
        name: action.attrs.name as string,
        ...optional('timeout', action.attrs.timeout),
        ...optional('interval', action.attrs.interval),
      })),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** Required parameters (by the meta-data) that `params` does not set. */
export function missingRequired(metadata: OcfMetadata, params: Record<string, unknown>): string[] {
  return metadata.parameters
    .filter((parameter) => parameter.required && !Object.hasOwn(params, parameter.name))
    .map((parameter) => parameter.name);
}
