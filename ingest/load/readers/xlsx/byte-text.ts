// Cell text is kept as "byte text": its UTF-8 bytes one per character (Node's 'latin1'
// encoding). Decoding tens of megabytes of UTF-8 that has a non-ASCII letter here and
// there costs more than scanning it; the sheet is scanned as bytes (every tag and
// attribute is ASCII), a plain cell's bytes go to the scratch CSV as they are, and text
// that took the general path is written with 'latin1' again, which gives back exactly
// its UTF-8 bytes. Only text that must be understood (the header, entities, _xHHHH_
// escapes) is decoded, and shared strings are turned into byte text once.

const nonAscii = /[^\x00-\x7f]/;

/** UTF-8 text as byte text. */
export function toByteText(text: string): string {
  return nonAscii.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** Byte text as the text it encodes. */
export function fromByteText(bytes: string): string {
  return nonAscii.test(bytes) ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes;
}

/**
 * `decode` (an XML text decoder) applied to byte text: entities and _xHHHH_ escapes
 * stand for characters, so text that has them is decoded, then encoded again; text
 * without them is its own value and is not touched.
 */
export function decodedByteText(bytes: string, decode: (text: string) => string): string {
  if (!bytes.includes('&') && !bytes.includes('_x')) return decode(bytes);
  return toByteText(decode(fromByteText(bytes)));
}
