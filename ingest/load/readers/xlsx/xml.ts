// Just enough XML for SpreadsheetML parts: elements by local name (writers differ in
// namespace prefixes: Excel writes <c>, the Open XML SDK <x:c>), their attributes, and
// text with entities and OOXML's _xHHHH_ escapes decoded. A sheet is tens of megabytes of
// a few element kinds; scanning it with regular expressions is what makes a 100,000-row
// sheet take a fraction of a second (see docs/source-catalogue.md, Throughput).

/** Every `<prefix:name attrs>inner</prefix:name>` or `<prefix:name attrs/>`; inner is '' when self-closed. */
export function* elements(xml: string, localName: string): Generator<{ attributes: string; inner: string }> {
  for (const match of xml.matchAll(elementPattern(localName))) yield { attributes: match[1]!, inner: match[2] ?? '' };
}

const elementPatterns = new Map<string, RegExp>();

/** Compiled once per element name: strings of a big sheet ask for <t> hundreds of thousands of times. */
function elementPattern(localName: string): RegExp {
  let pattern = elementPatterns.get(localName);
  if (!pattern) {
    pattern = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${localName}(?=[\\s/>])([^>]*?)(?:/>|>([\\s\\S]*?)</(?:[A-Za-z_][\\w.-]*:)?${localName}>)`, 'g');
    elementPatterns.set(localName, pattern);
  }
  return pattern;
}

/** The value of attribute `name` (with any or no prefix) in an element's attribute text. */
export function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)(?:[A-Za-z_][\\w.-]*:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  return match ? decodeXmlText(match[1] ?? match[2]!) : undefined;
}

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character references and entities, then OOXML's _xHHHH_ escapes (e.g. _x000D_ for a carriage return). */
export function decodeXmlText(text: string): string {
  let decoded = text;
  if (decoded.includes('&')) {
    decoded = decoded.replace(/&(#x[0-9A-Fa-f]+|#\d+|[a-z]+);/g, (whole, name: string) => {
      if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
      return namedEntities[name] ?? whole;
    });
  }
  if (decoded.includes('_x')) decoded = decoded.replace(/_x([0-9A-Fa-f]{4})_/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
  return decoded;
}

/**
 * The text of a string item (<si> of sharedStrings, <is> of an inline string): its <t>
 * runs joined, without phonetic hints (<rPh>), which are not part of the value.
 */
export function stringItemText(inner: string): string {
  const withoutPhonetics = inner.includes('rPh') ? inner.replace(/<(?:[\w.-]+:)?rPh\b[\s\S]*?<\/(?:[\w.-]+:)?rPh>/g, '') : inner;
  // Most items are one plain run, <t>text</t> or <t xml:space="preserve">text</t>.
  if (withoutPhonetics.startsWith('<t') && withoutPhonetics.endsWith('</t>')) {
    const start = withoutPhonetics.indexOf('>') + 1;
    const end = withoutPhonetics.length - 4;
    if (start > 0 && withoutPhonetics.indexOf('<', start) === end && (withoutPhonetics[2] === '>' || withoutPhonetics[2] === ' ')) {
      return decodeXmlText(withoutPhonetics.slice(start, end));
    }
  }
  let text = '';
  for (const run of elements(withoutPhonetics, 't')) text += run.inner;
  return decodeXmlText(text);
}
