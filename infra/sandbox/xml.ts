/**
 * The little XML COS and CI answer with. Only building is needed: requests the sandbox reads are JSON
 * (Pic-Operations) or headers, never XML bodies.
 */

/** A node's content: text, a nested element map, or a list that becomes repeated sibling elements. */
export type XmlValue = string | number | null | XmlElement | readonly XmlValue[];
export interface XmlElement {
  readonly [name: string]: XmlValue;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `toXml('Error', {Code: 'x'})` → `<?xml ...?><Error><Code>x</Code></Error>`. */
export function toXml(root: string, content: XmlElement): string {
  return `${XML_DECLARATION}${element(root, content)}`;
}

function element(name: string, value: XmlValue): string {
  if (Array.isArray(value)) return value.map((item: XmlValue) => element(name, item)).join('');
  if (value === null) return `<${name}/>`;
  if (typeof value === 'object') {
    const children = Object.entries(value as XmlElement)
      .map(([childName, childValue]) => element(childName, childValue))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
