// 统一社会信用代码 (unified social credit code, GB 32100-2015): the number on every business
// licence since 2015, a 个体工商户's included. 18 characters from a 31-character alphabet (no
// I, O, S, V, Z): registering authority, entity kind, 6-digit area code, 9-character
// organisation code, and a check character over the first 17 (weights 3^i mod 31).
import { badInput } from '../../kernel';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character GB 32100 prescribes for the first 17 characters. */
export function licenceCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Validate a licence number (400 naming `field` otherwise); returns it upper-cased. */
export function checkLicenceNumber(raw: unknown, field = 'licenceNumber'): string {
  if (typeof raw !== 'string') throw badInput(field, 'licenceNumber is required: the 18-character unified social credit code on the business licence');
  const code = raw.trim().toUpperCase();
  if (!SHAPE.test(code)) {
    throw badInput(field, 'licenceNumber must be the 18-character unified social credit code (统一社会信用代码): digits and capitals except I, O, S, V, Z, characters 3–8 digits');
  }
  if (licenceCheckChar(code.slice(0, 17)) !== code[17]) throw badInput(field, 'licenceNumber’s check character is wrong; please check the number on the licence');
  return code;
}
