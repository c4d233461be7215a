/** The minimum password length the server accepts (WEAK_PASSWORD below it). */
export const MIN_PASSWORD_LENGTH = 10;

/** How strong a password looks: 0 empty, 1 too short, 2 weak, 3 fair, 4 strong. */
export type StrengthLevel = 0 | 1 | 2 | 3 | 4;

/**
 * A quick, local estimate to guide people while typing; the server's check is the rule.
 * Length counts most; mixing character kinds and avoiding repeats add a little.
 */
export function passwordStrength(password: string): StrengthLevel {
  if (password.length === 0) return 0;
  if (password.length < MIN_PASSWORD_LENGTH) return 1;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  const distinct = new Set(password).size;
  if (distinct < 4) return 2;
  let score = 2;
  if (password.length >= 14) score++;
  if (kinds >= 3 || password.length >= 20) score++;
  if (kinds <= 1 && password.length < 16) score--;
  return Math.max(2, Math.min(4, score)) as StrengthLevel;
}
