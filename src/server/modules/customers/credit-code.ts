/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-letter
 * alphabet (digits and capitals without I, O, Z, S, V). Characters 1–17 are the registration
 * authority, the organisation kind, the 6-digit division code and the 9-character organisation
 * code; the 18th is a check character: 31 − (Σ value × weight mod 31), with 31 written as 0.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Upper-cases and drops spaces, so a code typed or pasted loosely is still recognised. */
export function normaliseCreditCode(code: string): string {
  return code.replace(/\s+/g, '').toUpperCase();
}

/** The check character for the first 17 characters, or null when one is outside the alphabet. */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i] ?? '');
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Whether `code` (already normalised) is a well-formed unified social credit code. */
export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}
