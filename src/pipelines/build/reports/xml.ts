import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ReportFormatError } from './report-model.js';

/** An XML element as fast-xml-parser gives it: attributes under `@_name`, children by tag name, text under `#text`. */
export type XmlElement = Readonly<Record<string, unknown>>;

/**
 * Parses an XML report with fast-xml-parser: attributes kept as strings (`@_name`), every element
 * named in `lists` always an array, no value coerced. Not well-formed XML is a
 * {@link ReportFormatError} with the line. DOCTYPEs are read but no external entity is fetched.
 */
export function parseXml(xml: string, lists: ReadonlySet<string>): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ReportFormatError(`not well-formed XML: line ${valid.err.line}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name) => lists.has(name),
  });
  return parser.parse(xml) as XmlElement;
}

/** The child elements called `name` (always an array; text-only children become `{ '#text' }`). */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  const v = el?.[name];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x: unknown) => (typeof x === 'object' && x !== null ? (x as XmlElement) : { '#text': String(x) }));
}

/** The first child element called `name`, if any. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(el, name)[0];
}

/** An attribute's value, if present. */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  const v = el?.[`@_${name}`];
  return v === undefined ? undefined : String(v);
}

/** The element's text content, trimmed; undefined when empty. */
export function text(el: XmlElement | undefined): string | undefined {
  const v = el?.['#text'];
  const s = v === undefined ? '' : String(v).trim();
  return s === '' ? undefined : s;
}

/**
 * A non-negative integer attribute; a missing one is `fallback`, anything else not a count is a
 * {@link ReportFormatError} naming the element and attribute.
 */
export function countAttr(el: XmlElement | undefined, element: string, name: string, fallback?: number): number {
  const v = attr(el, name);
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ReportFormatError(`<${element}> has no ${name} attribute`);
  }
  if (!/^\d+$/.test(v.trim())) throw new ReportFormatError(`<${element} ${name}="${v}">: expected a whole number`);
  return Number(v);
}
