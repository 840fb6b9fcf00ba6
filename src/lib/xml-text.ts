/**
 * The characters XML 1.0 can hold (`Char` in the XML 1.0 production): tab,
 * line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD and the planes
 * above. Anything else (NUL and the rest of C0, lone surrogates, U+FFFE,
 * U+FFFF) makes an SVG or HTML file invalid, so validation refuses it in a
 * manifest and the SVG and HTML writers escape it in live values.
 */

// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** The first code point XML cannot hold, or undefined. */
export function firstNonXmlCodePoint(text: string): number | undefined {
  const match = NOT_XML.exec(text);
  return match === null ? undefined : match[0].codePointAt(0);
}
