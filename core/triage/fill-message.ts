/**
 * Fills `{name}` placeholders of a rule file's message. Only named values are
 * substituted; nothing in a message is ever evaluated.
 */
export function fillMessage(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
    const v = values[key];
    return v === undefined ? whole : String(v);
  });
}
