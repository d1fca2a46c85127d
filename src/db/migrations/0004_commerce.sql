-- Commerce core: idempotency records, stock per location with holds, orders for every channel,
-- per-person purchase limits, refunds and after-sales requests.
-- Forward-only: never edit this file once released; add a later migration instead.

-- ── Idempotency ──────────────────────────────────────────────────────────────
-- The response to a request that moved money or stock, kept under the caller's key so a retry
-- gets the same answer. Written in the same transaction as the effect: either both exist or
-- neither does, so a crash between them cannot lead a retry to repeat the effect.
CREATE TABLE idempotency_records (
  scope        text NOT NULL CHECK (length(scope) BETWEEN 1 AND 80),
  key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
  request_hash text NOT NULL,
  status_code  integer NOT NULL CHECK (status_code BETWEEN 100 AND 599),
  response     jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_records_created_idx ON idempotency_records (created_at);

-- ── Stock (库存) ──────────────────────────────────────────────────────────────
-- A place stock sits: a central or grid warehouse, or a store.
CREATE TABLE stock_locations (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('warehouse', 'store')),
  warehouse_id bigint UNIQUE REFERENCES warehouses(id),
  store_id     bigint UNIQUE REFERENCES stores(id),
  CHECK ((kind = 'warehouse') = (warehouse_id IS NOT NULL)),
  CHECK ((kind = 'store') = (store_id IS NOT NULL))
);

-- available = on_hand - reserved. Reservations only ever change `reserved` with a conditional
-- UPDATE (… WHERE on_hand - reserved >= n); the CHECKs are the last line of defence.
CREATE TABLE stock_levels (
  location_id bigint NOT NULL REFERENCES stock_locations(id),
  sku_id      bigint NOT NULL REFERENCES skus(id),
  on_hand     integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved    integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (location_id, sku_id),
  CHECK (reserved <= on_hand)
);
CREATE INDEX stock_levels_sku_idx ON stock_levels (sku_id);

-- Why on_hand changed: receipts, counts, sales, returns. Reservations are not movements.
CREATE TABLE stock_movements (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  location_id bigint NOT NULL REFERENCES stock_locations(id),
  sku_id      bigint NOT NULL REFERENCES skus(id),
  delta       integer NOT NULL CHECK (delta <> 0),
  reason      text NOT NULL CHECK (reason IN ('receipt', 'adjustment', 'sale', 'return')),
  ref_type    text,
  ref_id      bigint,
  actor_id    bigint REFERENCES accounts(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_movements_level_idx ON stock_movements (location_id, sku_id, id);

-- ── Orders (订单) ─────────────────────────────────────────────────────────────
CREATE TABLE orders (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  buyer_account_id    bigint NOT NULL REFERENCES accounts(id),
  channel             text NOT NULL CHECK (channel IN ('group_buy', 'live', 'store_online', 'store_counter', 'replenishment')),
  status              text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'fulfilling', 'ready', 'completed', 'cancelled', 'expired', 'refunded')),
  fulfilment          text NOT NULL CHECK (fulfilment IN ('pickup', 'delivery', 'counter')),
  location_id         bigint NOT NULL REFERENCES stock_locations(id),
  region_id           bigint NOT NULL REFERENCES regions(id),
  -- Attribution: who and what brought this order. Which ones are set depends on the channel.
  community_id        bigint REFERENCES communities(id),
  pickup_point_id     bigint REFERENCES pickup_points(id),
  store_id            bigint REFERENCES stores(id),
  leader_account_id   bigint REFERENCES accounts(id),
  host_account_id     bigint REFERENCES accounts(id),
  live_session_id     bigint,
  campaign_id         bigint,
  share_link_id       bigint REFERENCES share_links(id),
  referrer_account_id bigint REFERENCES accounts(id),
  items_fen           bigint NOT NULL CHECK (items_fen >= 0),
  discount_fen        bigint NOT NULL DEFAULT 0 CHECK (discount_fen >= 0),
  delivery_fen        bigint NOT NULL DEFAULT 0 CHECK (delivery_fen >= 0),
  total_fen           bigint NOT NULL CHECK (total_fen >= 0),
  paid_fen            bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  refunded_fen        bigint NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0),
  -- Commission rates fixed when the order was placed: [{party, accountId, bp, scope}].
  commission_plan     jsonb NOT NULL DEFAULT '[]',
  note                text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  idempotency_key     text NOT NULL,
  request_hash        text NOT NULL,
  expires_at          timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  paid_at             timestamptz,
  completed_at        timestamptz,
  closed_at           timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (total_fen = items_fen - discount_fen + delivery_fen),
  CHECK (paid_fen IN (0, total_fen)),
  CHECK (refunded_fen <= paid_fen),
  -- A retry with the same key finds the order instead of placing a second one.
  UNIQUE (buyer_account_id, idempotency_key)
);
CREATE INDEX orders_buyer_idx ON orders (buyer_account_id, id);
CREATE INDEX orders_unpaid_idx ON orders (expires_at) WHERE status = 'pending_payment';
CREATE INDEX orders_pickup_point_idx ON orders (pickup_point_id, id) WHERE pickup_point_id IS NOT NULL;
CREATE INDEX orders_store_idx ON orders (store_id, id) WHERE store_id IS NOT NULL;
CREATE INDEX orders_leader_idx ON orders (leader_account_id, id) WHERE leader_account_id IS NOT NULL;
CREATE INDEX orders_created_idx ON orders (created_at);

-- Each line is a snapshot: title, spec and price as the buyer saw them at placement.
CREATE TABLE order_lines (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id          bigint NOT NULL REFERENCES orders(id),
  sku_id            bigint NOT NULL REFERENCES skus(id),
  product_id        bigint NOT NULL REFERENCES products(id),
  title             text NOT NULL,
  spec              text NOT NULL,
  unit              text NOT NULL,
  unit_price_fen    integer NOT NULL CHECK (unit_price_fen >= 0),
  quantity          integer NOT NULL CHECK (quantity > 0),
  discount_fen      integer NOT NULL DEFAULT 0 CHECK (discount_fen >= 0),
  line_total_fen    integer NOT NULL CHECK (line_total_fen >= 0),
  -- The purchase-limit bucket this line counted against (e.g. campaign:7), if any.
  limit_scope       text,
  refunded_quantity integer NOT NULL DEFAULT 0 CHECK (refunded_quantity BETWEEN 0 AND quantity),
  refunded_fen      integer NOT NULL DEFAULT 0 CHECK (refunded_fen BETWEEN 0 AND line_total_fen),
  CHECK (line_total_fen = unit_price_fen * quantity - discount_fen)
);
CREATE INDEX order_lines_order_idx ON order_lines (order_id);
CREATE INDEX order_lines_sku_idx ON order_lines (sku_id);

-- Stock held for an unpaid order. Payment commits it (on_hand and reserved both fall);
-- cancel or expiry releases it (reserved falls).
CREATE TABLE stock_holds (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id    bigint NOT NULL REFERENCES orders(id),
  location_id bigint NOT NULL REFERENCES stock_locations(id),
  sku_id      bigint NOT NULL REFERENCES skus(id),
  quantity    integer NOT NULL CHECK (quantity > 0),
  status      text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'committed', 'released')),
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  settled_at  timestamptz,
  UNIQUE (order_id, location_id, sku_id)
);
CREATE INDEX stock_holds_expiry_idx ON stock_holds (expires_at) WHERE status = 'held';

-- Per-person limits: how many units of a SKU one account has bought within a scope (a
-- campaign, a live session, a day of the regional shelf). Raised with a conditional update.
CREATE TABLE purchase_counters (
  account_id bigint NOT NULL REFERENCES accounts(id),
  scope      text NOT NULL,
  sku_id     bigint NOT NULL REFERENCES skus(id),
  quantity   integer NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  PRIMARY KEY (account_id, scope, sku_id)
);

-- ── Refunds and after-sales (退款 · 售后) ─────────────────────────────────────
CREATE TABLE after_sales_requests (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id         bigint NOT NULL REFERENCES orders(id),
  buyer_account_id bigint NOT NULL REFERENCES accounts(id),
  reason           text NOT NULL CHECK (reason IN ('quality', 'damaged', 'wrong_item', 'missing', 'not_as_described', 'changed_mind', 'other')),
  description      text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  photo_urls       text[] NOT NULL DEFAULT '{}',
  -- [{orderLineId, quantity}] the buyer asks a refund for.
  lines            jsonb NOT NULL,
  requested_fen    bigint NOT NULL CHECK (requested_fen > 0),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected', 'withdrawn')),
  decided_by       bigint REFERENCES accounts(id),
  decision_note    text NOT NULL DEFAULT '',
  refund_id        bigint,
  created_at       timestamptz NOT NULL DEFAULT now(),
  decided_at       timestamptz,
  CHECK (cardinality(photo_urls) <= 9)
);
CREATE INDEX after_sales_order_idx ON after_sales_requests (order_id);
CREATE INDEX after_sales_open_idx ON after_sales_requests (created_at) WHERE status = 'open';

CREATE TABLE refunds (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id         bigint NOT NULL REFERENCES orders(id),
  kind             text NOT NULL CHECK (kind IN ('full', 'partial', 'shortage', 'after_sales')),
  amount_fen       bigint NOT NULL CHECK (amount_fen > 0),
  reason           text NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
  -- Goods never left stock (refund before hand-over): return them to on_hand.
  restock          boolean NOT NULL DEFAULT false,
  status           text NOT NULL CHECK (status IN ('succeeded', 'pending', 'failed')),
  after_sales_id   bigint REFERENCES after_sales_requests(id),
  requested_by     bigint REFERENCES accounts(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_order_idx ON refunds (order_id);

CREATE TABLE refund_lines (
  refund_id     bigint NOT NULL REFERENCES refunds(id),
  order_line_id bigint NOT NULL REFERENCES order_lines(id),
  quantity      integer NOT NULL CHECK (quantity >= 0),
  amount_fen    integer NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (refund_id, order_line_id)
);

-- 每人每日限购: an optional cap on how many units of a SKU one resident may buy per day
-- from the regional shelf. Campaigns and live sessions carry their own limits.
ALTER TABLE region_skus ADD COLUMN daily_limit_per_person integer CHECK (daily_limit_per_person > 0);
