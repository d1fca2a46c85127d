export {
  IDEMPOTENCY_HEADER,
  keyReusedError,
  readIdempotencyKey,
  requestHash,
  runIdempotent,
  type IdempotentResult,
} from './idempotency';
export { IdempotencyRepo, type NewIdempotencyRecord } from './idempotency.repo';
export { idempotencyRecords } from './idempotency.schema';
