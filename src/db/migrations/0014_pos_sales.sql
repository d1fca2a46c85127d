-- What only the till knew about a counter sale (docs/stores.md "The till"): the cash the
-- customer handed over, the change, and the whole-sale discount as rung up (the order keeps
-- only each line's share of it). The receipt (小票) and its reprint read it; the money itself
-- stays on the order, its payment and the ledger.
-- Forward-only: never edit this file once released; add a later migration instead.
CREATE TABLE pos_sales (
  order_id          bigint PRIMARY KEY REFERENCES orders(id),
  -- null: paid through the provider (no cash changed hands)
  cash_received_fen bigint CHECK (cash_received_fen >= 0),
  change_fen        bigint NOT NULL DEFAULT 0 CHECK (change_fen >= 0),
  sale_discount_fen bigint NOT NULL DEFAULT 0 CHECK (sale_discount_fen >= 0),
  created_at        timestamptz NOT NULL DEFAULT now()
);
