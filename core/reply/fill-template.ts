/**
 * Fills the named placeholders of a reply template. Unlike the flag messages'
 * `fillMessage`, a reply must never show a raw `{name}` to an applicant, so:
 *
 * - a placeholder the caller does not know is an error (the schema already
 *   refuses it at load time; this is the last guard);
 * - a placeholder whose value is `undefined` (nothing to say, e.g. no
 *   earlier application) removes its whole line, so a template can carry
 *   optional sentences without conditionals;
 * - a value of several lines keeps the indentation of the line it stands on.
 *
 * Values are inserted once, never re-read: an applicant's subject that
 * contains "{checklist}" stays text.
 */
export class ReplyTemplateError extends Error {
  readonly code = 'REPLY_TEMPLATE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ReplyTemplateError';
  }
}

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/**
 * @throws ReplyTemplateError when the template names a placeholder absent from `values`.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string | undefined>>): string {
  const lines: string[] = [];
  for (const line of template.replace(/\r\n?/g, '\n').split('\n')) {
    let drop = false;
    for (const match of line.matchAll(PLACEHOLDER)) {
      const name = match[1]!;
      if (!Object.prototype.hasOwnProperty.call(values, name)) throw new ReplyTemplateError(`unknown placeholder {${name}}`);
      if (values[name] === undefined) drop = true;
    }
    if (drop) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    lines.push(line.replace(PLACEHOLDER, (_whole, name: string) => values[name]!.replace(/\r\n?/g, '\n').split('\n').join(`\n${indent}`)));
  }
  return tidyText(lines.join('\n'));
}

/** No trailing spaces, at most one blank line in a row, no blank lines around the text. */
export function tidyText(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}
