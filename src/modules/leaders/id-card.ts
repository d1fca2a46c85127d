// Mainland resident ID numbers (GB 11643-1999): 17 digits and a check character. Only a hash
// and the last four characters are ever stored, so a leak of the table exposes no numbers.
import { createHash } from 'node:crypto';
import { badInput } from '../../kernel';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character GB 11643 prescribes for the first 17 digits. */
export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Validate an ID number (400 naming `field` otherwise) and return what may be stored. */
export function checkIdCard(raw: unknown, field = 'idCardNumber'): { hash: string; last4: string } {
  if (typeof raw !== 'string') throw badInput(field, 'idCardNumber is required');
  const id = raw.trim().toUpperCase();
  if (!/^[0-9]{17}[0-9X]$/.test(id)) throw badInput(field, 'idCardNumber must be 18 characters: 17 digits and a digit or X');
  if (idCardCheckChar(id.slice(0, 17)) !== id[17]) throw badInput(field, 'idCardNumber’s check digit is wrong; please check the number');
  // Domain-separated so the hash is useless for matching against other systems' plain hashes.
  const hash = createHash('sha256').update(`linli:id-card:${id}`).digest('hex');
  return { hash, last4: id.slice(-4) };
}
