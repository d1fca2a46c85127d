-- Live selling (直播电商, docs/live.md): hosts, sessions, the product bag, pins, flash sales,
-- coupons, chat moderation, per-minute figures and the replay timeline.
-- Forward-only: never edit this file once released; add a later migration instead.

CREATE TABLE host_profiles (
  account_id    bigint PRIMARY KEY REFERENCES accounts(id),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 40),
  persona       text NOT NULL DEFAULT '' CHECK (length(persona) <= 500),
  avatar_url    text,
  region_id     bigint NOT NULL REFERENCES regions(id),
  -- The host's share of a paid live order's goods, in basis points.
  commission_bp integer NOT NULL DEFAULT 500 CHECK (commission_bp BETWEEN 0 AND 5000),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE host_follows (
  host_account_id     bigint NOT NULL REFERENCES accounts(id),
  follower_account_id bigint NOT NULL REFERENCES accounts(id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (host_account_id, follower_account_id)
);

CREATE TABLE live_sessions (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  host_account_id   bigint NOT NULL REFERENCES accounts(id),
  region_id         bigint NOT NULL REFERENCES regions(id),
  title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
  cover_url         text,
  stream_url        text NOT NULL,
  recording_url     text,
  scheduled_at      timestamptz NOT NULL,
  started_at        timestamptz,
  ended_at          timestamptz,
  status            text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended', 'cancelled')),
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX live_sessions_status_idx ON live_sessions (status, scheduled_at);
CREATE INDEX live_sessions_host_idx ON live_sessions (host_account_id, scheduled_at DESC);

CREATE TABLE live_bag_items (
  session_id       bigint NOT NULL REFERENCES live_sessions(id),
  sku_id           bigint NOT NULL REFERENCES skus(id),
  position         integer NOT NULL DEFAULT 0,
  live_price_fen   integer NOT NULL CHECK (live_price_fen > 0),
  limit_per_person integer CHECK (limit_per_person IS NULL OR limit_per_person BETWEEN 1 AND 999),
  -- Units moved from the region's central warehouse into the session's stock location.
  allotted         integer NOT NULL DEFAULT 0 CHECK (allotted >= 0),
  PRIMARY KEY (session_id, sku_id)
);

-- At most one product is being presented (讲解) at a time.
CREATE TABLE live_pins (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id bigint NOT NULL REFERENCES live_sessions(id),
  sku_id     bigint NOT NULL REFERENCES skus(id),
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at   timestamptz
);
CREATE UNIQUE INDEX live_pins_one_open ON live_pins (session_id) WHERE ended_at IS NULL;
CREATE INDEX live_pins_session_idx ON live_pins (session_id, started_at);

CREATE TABLE live_flash_sales (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id       bigint NOT NULL REFERENCES live_sessions(id),
  sku_id           bigint NOT NULL REFERENCES skus(id),
  price_fen        integer NOT NULL CHECK (price_fen > 0),
  quantity         integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
  limit_per_person integer NOT NULL DEFAULT 1 CHECK (limit_per_person BETWEEN 1 AND 999),
  starts_at        timestamptz NOT NULL,
  ends_at          timestamptz NOT NULL,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sold_out', 'ended')),
  CHECK (ends_at > starts_at)
);
CREATE INDEX live_flash_sales_session_idx ON live_flash_sales (session_id, id);
-- The job that ends flash sales at their time reads only the open ones.
CREATE INDEX live_flash_sales_open_idx ON live_flash_sales (ends_at) WHERE status <> 'ended';

-- A session's and a flash sale's units are stock locations of their own (as campaigns' are),
-- so checkout reserves against them with the same oversell-proof machinery.
ALTER TABLE stock_locations DROP CONSTRAINT stock_locations_kind_check;
ALTER TABLE stock_locations ADD CONSTRAINT stock_locations_kind_check CHECK (kind IN ('warehouse', 'store', 'campaign', 'live_session', 'flash_sale'));
ALTER TABLE stock_locations ADD COLUMN live_session_id bigint UNIQUE REFERENCES live_sessions(id);
ALTER TABLE stock_locations ADD COLUMN flash_sale_id bigint UNIQUE REFERENCES live_flash_sales(id);
ALTER TABLE stock_locations ADD CONSTRAINT stock_locations_live_session_check CHECK ((kind = 'live_session') = (live_session_id IS NOT NULL));
ALTER TABLE stock_locations ADD CONSTRAINT stock_locations_flash_sale_check CHECK ((kind = 'flash_sale') = (flash_sale_id IS NOT NULL));
-- Moving units between locations (allotting to a session or a flash sale and back).
ALTER TABLE stock_movements DROP CONSTRAINT IF EXISTS stock_movements_reason_check;
ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_reason_check CHECK (reason IN ('receipt', 'adjustment', 'sale', 'return', 'transfer'));

CREATE TABLE live_coupons (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id    bigint NOT NULL REFERENCES live_sessions(id),
  amount_fen    integer NOT NULL CHECK (amount_fen > 0),
  min_spend_fen integer NOT NULL DEFAULT 0 CHECK (min_spend_fen >= 0),
  quantity      integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
  claimed       integer NOT NULL DEFAULT 0,
  released_at   timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  CHECK (claimed BETWEEN 0 AND quantity)
);
CREATE INDEX live_coupons_session_idx ON live_coupons (session_id, id);

CREATE TABLE live_coupon_claims (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  coupon_id  bigint NOT NULL REFERENCES live_coupons(id),
  account_id bigint NOT NULL REFERENCES accounts(id),
  order_id   bigint REFERENCES orders(id),
  claimed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (coupon_id, account_id)
);
-- One coupon pays for one order.
CREATE UNIQUE INDEX live_coupon_claims_order_idx ON live_coupon_claims (order_id) WHERE order_id IS NOT NULL;

CREATE TABLE live_chat_messages (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id bigint NOT NULL REFERENCES live_sessions(id),
  account_id bigint NOT NULL REFERENCES accounts(id),
  body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  removed_by bigint REFERENCES accounts(id)
);
CREATE INDEX live_chat_messages_session_idx ON live_chat_messages (session_id, id);

CREATE TABLE live_mutes (
  session_id bigint NOT NULL REFERENCES live_sessions(id),
  account_id bigint NOT NULL REFERENCES accounts(id),
  muted_by   bigint NOT NULL REFERENCES accounts(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, account_id)
);

-- Per-minute figures of a session, counted in memory and flushed additively.
CREATE TABLE live_minute_stats (
  session_id         bigint NOT NULL REFERENCES live_sessions(id),
  minute             timestamptz NOT NULL,
  online_peak        integer NOT NULL DEFAULT 0,
  viewers_cumulative integer NOT NULL DEFAULT 0,
  likes              integer NOT NULL DEFAULT 0,
  chats              integer NOT NULL DEFAULT 0,
  exposures          integer NOT NULL DEFAULT 0,
  clicks             integer NOT NULL DEFAULT 0,
  orders             integer NOT NULL DEFAULT 0,
  buyers             integer NOT NULL DEFAULT 0,
  gmv_fen            bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, minute)
);

CREATE TABLE live_pin_stats (
  pin_id    bigint PRIMARY KEY REFERENCES live_pins(id),
  exposures integer NOT NULL DEFAULT 0,
  clicks    integer NOT NULL DEFAULT 0,
  orders    integer NOT NULL DEFAULT 0,
  gmv_fen   bigint NOT NULL DEFAULT 0
);

-- The replay's product timeline, written in the transaction of the change it records.
CREATE TABLE live_timeline (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id bigint NOT NULL REFERENCES live_sessions(id),
  at         timestamptz NOT NULL DEFAULT now(),
  kind       text NOT NULL CHECK (kind IN ('started', 'ended', 'pinned', 'unpinned', 'price', 'flash_started', 'flash_sold_out', 'flash_ended', 'coupon')),
  sku_id     bigint REFERENCES skus(id),
  detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX live_timeline_session_idx ON live_timeline (session_id, at, id);

ALTER TABLE orders ADD CONSTRAINT orders_live_session_id_fkey FOREIGN KEY (live_session_id) REFERENCES live_sessions(id);
CREATE INDEX orders_live_session_idx ON orders (live_session_id) WHERE live_session_id IS NOT NULL;
CREATE INDEX orders_host_idx ON orders (host_account_id, paid_at) WHERE host_account_id IS NOT NULL;
-- A flash-sale order says so (its price and stock came from the sale).
ALTER TABLE orders ADD COLUMN flash_sale_id bigint REFERENCES live_flash_sales(id);
