// Form values are kept as text while editing and turned into API bodies only on save, so
// a half-typed number never becomes NaN in state and yuan amounts are parsed exactly.
import { parseYuanToFen } from '../../api/money';

export type RefKind = 'regions' | 'cities' | 'communities' | 'centralWarehouses' | 'gridWarehouses' | 'categories';

export type FieldKind =
  | { type: 'text'; maxLength?: number }
  | { type: 'textarea' }
  | { type: 'int'; min?: number }
  | { type: 'float'; step?: string }
  | { type: 'time' }
  | { type: 'yuan' }
  | { type: 'enum'; options: readonly string[]; labelKey: string }
  | { type: 'ref'; ref: RefKind }
  | { type: 'lines' };

export interface FieldDef {
  name: string;
  /** i18n key of the label, under admin.fields. */
  label?: string;
  kind: FieldKind;
  required?: boolean;
  /** Empty means null (e.g. an optional warehouse link) rather than "leave out". */
  nullable?: boolean;
  /** Only settable when creating (the API does not let it change later). */
  createOnly?: boolean;
  wide?: boolean;
}

export type FormValues = Record<string, string>;

export class FormError extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
  ) {
    super(`${field}: ${key}`);
  }
}

export function toText(v: unknown, kind: FieldKind): string {
  if (v === null || v === undefined) return '';
  if (kind.type === 'lines' && Array.isArray(v)) return v.join('\n');
  return String(v);
}

export function fromText(text: string, f: FieldDef): unknown {
  const s = text.trim();
  if (s === '') {
    if (f.required) throw new FormError(f.name, 'errors.required');
    return f.nullable ? null : undefined;
  }
  switch (f.kind.type) {
    case 'int':
    case 'ref': {
      if (!/^-?\d+$/.test(s)) throw new FormError(f.name, 'errors.bad_input');
      return Number(s);
    }
    case 'float': {
      const n = Number(s);
      if (!Number.isFinite(n)) throw new FormError(f.name, 'errors.bad_input');
      return n;
    }
    case 'yuan': {
      const fen = parseYuanToFen(s);
      if (fen === null) throw new FormError(f.name, 'errors.invalidYuan');
      return fen;
    }
    case 'lines':
      return s
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    default:
      return s;
  }
}

/** Values for the form from an existing row (or blanks for a new one). */
export function initialValues(fields: FieldDef[], row: Record<string, unknown> | null, defaults: FormValues = {}): FormValues {
  const out: FormValues = {};
  for (const f of fields) out[f.name] = row ? toText(row[f.name], f.kind) : (defaults[f.name] ?? '');
  return out;
}

/**
 * The request body: every filled field on create; on edit only what changed, so PATCH
 * never re-sends (or trips over) fields the operator did not touch.
 */
export function buildBody(fields: FieldDef[], values: FormValues, original: FormValues | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (original && f.createOnly) continue;
    const text = values[f.name] ?? '';
    if (original && text === original[f.name]) continue;
    const v = fromText(text, f);
    if (v !== undefined) body[f.name] = v;
  }
  return body;
}
