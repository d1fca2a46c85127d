-- Replenishment (进货) for neighbourhood stores (docs/stores.md): the wholesale catalogue a
-- store buys from, and what each replenishment order adds to the order it is (its delivery
-- day and its receipt). Replenishment orders themselves are ordinary orders with
-- channel = 'replenishment', so payment, refunds and the ledger need nothing new.
-- Forward-only: never edit this file once released; add a later migration instead.

-- The central warehouse's wholesale price of a SKU in a region (a city, usually: a county's
-- stores buy at their city's prices unless the county has its own), sold by the case.
CREATE TABLE wholesale_prices (
  region_id  bigint NOT NULL REFERENCES regions(id),
  sku_id     bigint NOT NULL REFERENCES skus(id),
  price_fen  integer NOT NULL CHECK (price_fen > 0),
  -- Units per case: a store orders whole cases (a case of 24 bottles, a box of 10 kg).
  case_size  integer NOT NULL DEFAULT 1 CHECK (case_size BETWEEN 1 AND 999),
  active     boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_id, sku_id)
);
CREATE INDEX wholesale_prices_sku_idx ON wholesale_prices (sku_id);

-- One row per replenishment order: the day it travels with its region's wave and, once the
-- store has counted it in, when and by whom. Written just after checkout places the order
-- (checkout's group commit knows nothing of stores); readers fall back to the day after the
-- order's China-time day if a crash left an order without its row.
CREATE TABLE replenishment_orders (
  order_id      bigint PRIMARY KEY REFERENCES orders(id),
  store_id      bigint NOT NULL REFERENCES stores(id),
  delivery_date date NOT NULL,
  received_at   timestamptz,
  received_by   bigint REFERENCES accounts(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX replenishment_orders_store_idx ON replenishment_orders (store_id, order_id);
-- The wave reads the paid orders due on its day.
CREATE INDEX replenishment_orders_day_idx ON replenishment_orders (delivery_date) WHERE received_at IS NULL;

-- The store's sales over a window (suggestions, finance) are read by store and payment time.
CREATE INDEX orders_store_paid_idx ON orders (store_id, paid_at) WHERE store_id IS NOT NULL AND paid_at IS NOT NULL;
-- The wave adds the region's paid replenishment orders to its purchase orders; few rows, so a
-- small partial index keeps a million-order wave from scanning every order for them.
CREATE INDEX orders_replenishment_paid_idx ON orders (region_id) WHERE channel = 'replenishment' AND status = 'paid';
