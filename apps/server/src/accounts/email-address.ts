/** The lookup form of an email address (trimmed, lower-cased): what uniqueness and matching use. */
export function emailLower(email: string): string {
  return email.trim().toLowerCase();
}

/** The email address as the person typed it, minus surrounding spaces: what we store and write to. */
export function emailAsTyped(email: string): string {
  return email.trim();
}
