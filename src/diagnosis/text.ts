// Pasted errors arrive wrapped: JSON inside a JSON string inside a DevOps log line, sometimes escaped twice.
// Undo the escaping so one set of line-based signatures sees the same words whatever the wrapper.

const MAX_PASSES = 3;

export function unwrapEscapes(text: string): string {
  let t = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = t
      .replace(/\\+r\\+n|\\+n/g, '\n')
      .replace(/\\+"/g, '"')
      .replace(/\\+u0027/gi, "'")
      .replace(/\\+u0026/gi, '&')
      .replace(/\\+u003c/gi, '<')
      .replace(/\\+u003e/gi, '>');
    if (next === t) break;
    t = next;
  }
  return t;
}

/**
 * PowerShell's Format-List and some consoles wrap long values onto lines indented to the value column. Join
 * those continuation lines so a phrase cut in two ("Packer\n        build command has failed") matches again.
 */
export function reflowWrapped(text: string): string {
  return text.replace(/\r?\n {10,}/g, ' ');
}
