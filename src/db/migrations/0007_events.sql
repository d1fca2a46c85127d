-- Transactional outbox (src/modules/events): events are written in the same transaction as the
-- change they describe, then relayed to subscribers (in process, or through NATS JetStream).
-- Forward-only: never edit this file once released; add a later migration instead.

-- topic: dotted lower-case words ("order.created"). Each word becomes a NATS subject token, so
-- empty words ("order..x", "order.") are refused here, not only in TypeScript.
-- aggregate_type/aggregate_id are NOT NULL because every producer names what changed; that is
-- what per-aggregate ordering and the retry parking below key on.
CREATE TABLE outbox_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic          text NOT NULL CHECK (topic ~ '^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)*$' AND length(topic) <= 100),
  aggregate_type text NOT NULL CHECK (length(aggregate_type) BETWEEN 1 AND 60),
  aggregate_id   bigint NOT NULL,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  published_at   timestamptz
);
-- The relay reads only unpublished rows, in id order; published rows drop out of this index, so
-- it stays as small as the backlog however long the table grows.
CREATE INDEX outbox_events_unpublished_idx ON outbox_events (id) WHERE published_at IS NULL;

-- One row per (subscriber, event) whose effects have committed: inserted in the handler's own
-- transaction, so a redelivered event finds its row and is skipped. No foreign key: this is on
-- every delivery's path, and old published events may be pruned independently later.
CREATE TABLE processed_events (
  subscriber   text NOT NULL CHECK (subscriber ~ '^[a-z][a-z0-9_-]*$' AND length(subscriber) <= 64),
  event_id     bigint NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscriber, event_id)
);

-- Deliveries that failed (attempts >= 1) or wait behind a failed one of the same aggregate
-- (attempts = 0), per subscriber. Kept in the database, not in memory, because the relay marks
-- the event published once it is parked here: a restart must still retry it.
CREATE TABLE event_retries (
  subscriber      text NOT NULL,
  event_id        bigint NOT NULL REFERENCES outbox_events(id),
  aggregate_type  text NOT NULL,
  aggregate_id    bigint NOT NULL,
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscriber, event_id)
);
CREATE INDEX event_retries_aggregate_idx ON event_retries (subscriber, aggregate_type, aggregate_id, event_id);
