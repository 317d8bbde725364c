// Every string an audited file, a directory or a rules file supplies reaches the HTML report through these two
// functions: GPO names, values, user names, file names and DNs are the attacker's to choose.

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for element content and quoted attribute values alike. Control characters other than tab and newline become
 * visible `\xNN` escapes, as printable() does for the terminal: a NUL or an ESC in a GPO name should be seen, and the
 * HTML parser would turn some of them into U+FFFD silently.
 */
export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Control characters (but tab and newline) as `\xNN`; for strings the report's script puts on the page as text. */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * JSON for a `<script type="application/json">` block. The HTML parser ends a script element at the first `</script`
 * whatever JSON thinks of it, and `<!--` changes how it looks for the end: so no `<` (nor `>` and `&`, for good
 * measure) appears literally; U+2028/2029 are escaped for readers that still treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
