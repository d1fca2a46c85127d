import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../kernel';

/** Shared request/response pieces so every route speaks the same dialect. */
export const idParam = z.object({ id: z.coerce.number().int().positive().describe('object id') });

export const pageQuery = z.object({
  cursor: z.string().max(64).optional().describe('opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional().describe('particulars, e.g. {reason: "sold_out", skuId, available}'),
    requestId: z.string(),
  }),
});

/** Error responses every route may give; spread into `response`. */
export const commonErrors = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
} as const;

export const latLng = {
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
};

export const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'time must be HH:MM');

export const phone = z.string().regex(/^1[3-9][0-9]{9}$/, 'phone must be an 11-digit mainland mobile number');

/** Money in the API is integer fen; floats are rejected at the edge. */
export const fenAmount = z.number().int().positive().max(100_000_000).describe('integer fen (分)');

/** Timestamps: Date inside the server, ISO 8601 text on the wire (and in the OpenAPI document). */
export const isoDate = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});
