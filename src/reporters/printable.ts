// GPO names, file names and values come from the audited files: keep their control characters (an ESC could
// rewrite the terminal) out of text output, visibly.
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
