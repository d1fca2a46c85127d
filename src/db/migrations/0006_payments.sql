-- Payments: what linli asked a provider (WeChat Pay, Alipay, the built-in sandbox) to collect,
-- the provider notifications it has processed, and refunds.
-- Forward-only: never edit this file once released; add a later migration instead.

CREATE TABLE payments (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- No foreign key here on purpose: orders arrive in 0004_commerce, written in parallel; the
  -- lead's later migration adds payments_order_id_fkey once both have landed.
  order_id         bigint NOT NULL,
  payer_account_id bigint NOT NULL REFERENCES accounts(id),
  provider         text NOT NULL CHECK (provider ~ '^[a-z0-9_-]{1,32}$'),
  amount_fen       bigint NOT NULL CHECK (amount_fen > 0),
  -- created → succeeded | failed | closed; the last three are final. A refund does not change
  -- the status (refunded_fen says how much went back), so "was this order ever paid" stays true.
  status           text NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'succeeded', 'failed', 'closed')),
  -- The provider's own id (WeChat prepay_id / transaction_id, Alipay trade_no); unknown until it answers.
  provider_ref     text,
  -- Pending and succeeded refunds both count, so two concurrent refunds can never exceed the
  -- amount; a failed refund gives its share back.
  refunded_fen     bigint NOT NULL DEFAULT 0 CHECK (refunded_fen BETWEEN 0 AND amount_fen),
  created_at       timestamptz NOT NULL DEFAULT now(),
  succeeded_at     timestamptz,
  closed_at        timestamptz,
  CHECK ((status = 'succeeded') = (succeeded_at IS NOT NULL)),
  CHECK (refunded_fen = 0 OR status = 'succeeded')
);
CREATE INDEX payments_order_idx ON payments (order_id);
-- A buyer who pays twice for one order (two tabs, a retry after a timeout) is caught here:
-- the second success cannot be recorded, and the service refuses it before that.
CREATE UNIQUE INDEX payments_order_succeeded_key ON payments (order_id) WHERE status = 'succeeded';
CREATE INDEX payments_payer_idx ON payments (payer_account_id, id);

-- Every verified notification, keyed by the provider's event id: a replay hits the unique key
-- and changes nothing. Notifications that were verified but ignored are kept too (outcome), as
-- the trail a reconciliation needs.
CREATE TABLE payment_callbacks (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider    text NOT NULL,
  event_id    text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 128),
  payment_id  bigint NOT NULL REFERENCES payments(id),
  kind        text NOT NULL CHECK (kind IN ('payment.succeeded', 'payment.failed', 'refund.succeeded', 'refund.failed')),
  outcome     text NOT NULL CHECK (outcome IN ('applied', 'ignored')),
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, event_id)
);
CREATE INDEX payment_callbacks_payment_idx ON payment_callbacks (payment_id);

CREATE TABLE payment_refunds (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id   bigint NOT NULL REFERENCES payments(id),
  -- The caller's refund id (an after-sales case id); sent to the provider as out_refund_no /
  -- out_request_no, so retrying one refund can never pay out twice, here or there.
  refund_ref   text NOT NULL CHECK (refund_ref ~ '^[A-Za-z0-9_-]{1,64}$'),
  amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
  reason       text NOT NULL DEFAULT '',
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  provider_ref text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  CHECK ((status = 'pending') = (completed_at IS NULL)),
  UNIQUE (payment_id, refund_ref)
);
