/** The DOM id of an editor control for a form field path (`agenda.2.title` → `ev-agenda-2-title`), so errors can focus it. */
export function fieldId(field: string): string {
  return `ev-${field.replace(/\./g, '-')}`;
}
