-- Community group buying (社区团购): leaders and their applications, levels and weekly KPIs,
-- residents bound to pickup points, daily campaigns with cutoff and rest days; the cutoff wave
-- (purchase orders, sorting lists, delivery routes) and the hand-offs along the way
-- (central receipt, dispatch, arrival sign-off with shortages), and pickup verification.
-- Forward-only: never edit this file once released; add a later migration instead.

-- ── Settings the operator sets per region (a row per region; missing row = defaults) ────────
CREATE TABLE groupbuy_settings (
  region_id               bigint PRIMARY KEY REFERENCES regions(id),
  -- How many times a resident may switch pickup point within `binding_switch_days`.
  binding_switch_limit    integer NOT NULL DEFAULT 2 CHECK (binding_switch_limit BETWEEN 0 AND 100),
  binding_switch_days     integer NOT NULL DEFAULT 30 CHECK (binding_switch_days BETWEEN 1 AND 365),
  -- How long after a pickup the leader may undo it.
  pickup_undo_window_s    integer NOT NULL DEFAULT 3600 CHECK (pickup_undo_window_s BETWEEN 0 AND 604800),
  -- KPI rules: below/above these a leader's week is a warning; this many warnings in a row suspend.
  kpi_min_on_time_bp      integer NOT NULL DEFAULT 9000 CHECK (kpi_min_on_time_bp BETWEEN 0 AND 10000),
  kpi_max_complaint_bp    integer NOT NULL DEFAULT 500 CHECK (kpi_max_complaint_bp BETWEEN 0 AND 10000),
  kpi_suspend_after_warnings integer NOT NULL DEFAULT 3 CHECK (kpi_suspend_after_warnings BETWEEN 1 AND 52),
  -- Van capacity for route planning, in crates; and how many items fill one crate.
  van_capacity_crates     integer NOT NULL DEFAULT 60 CHECK (van_capacity_crates BETWEEN 1 AND 10000),
  items_per_crate         integer NOT NULL DEFAULT 12 CHECK (items_per_crate BETWEEN 1 AND 1000),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- ── Leaders (团长) ────────────────────────────────────────────────────────────────────────
-- Levels are ordered by rank; a leader's level follows their weekly items sold.
CREATE TABLE leader_levels (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rank               integer NOT NULL UNIQUE CHECK (rank >= 0),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
  min_weekly_items   integer NOT NULL DEFAULT 0 CHECK (min_weekly_items >= 0),
  -- Added to the campaign's leader commission rate.
  bonus_bp           integer NOT NULL DEFAULT 0 CHECK (bonus_bp BETWEEN 0 AND 5000)
);

CREATE TABLE leader_applications (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id       bigint NOT NULL REFERENCES accounts(id),
  real_name        text NOT NULL CHECK (length(real_name) BETWEEN 2 AND 32),
  -- Only a hash and the last four characters of the ID card number are kept.
  id_card_hash     text NOT NULL,
  id_card_last4    text NOT NULL CHECK (id_card_last4 ~ '^[0-9Xx]{4}$'),
  community_id     bigint NOT NULL REFERENCES communities(id),
  point_name       text NOT NULL CHECK (length(point_name) BETWEEN 1 AND 64),
  address          text NOT NULL CHECK (length(address) BETWEEN 1 AND 200),
  lat              double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng              double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  opens_at         text NOT NULL CHECK (opens_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  closes_at        text NOT NULL CHECK (closes_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  capacity         integer NOT NULL CHECK (capacity > 0),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  reason           text CHECK (length(reason) <= 200),
  decided_by       bigint REFERENCES accounts(id),
  decided_at       timestamptz,
  pickup_point_id  bigint REFERENCES pickup_points(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'rejected' OR reason IS NOT NULL),
  CHECK ((status = 'approved') = (pickup_point_id IS NOT NULL))
);
-- One open application per person.
CREATE UNIQUE INDEX leader_applications_pending_idx ON leader_applications (account_id) WHERE status = 'pending';
CREATE INDEX leader_applications_status_idx ON leader_applications (status, id);

CREATE TABLE leader_profiles (
  account_id        bigint PRIMARY KEY REFERENCES accounts(id),
  application_id    bigint NOT NULL REFERENCES leader_applications(id),
  real_name         text NOT NULL,
  pickup_point_id   bigint NOT NULL UNIQUE REFERENCES pickup_points(id),
  level_id          bigint REFERENCES leader_levels(id),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'warned', 'suspended')),
  status_reason     text,
  warnings_in_row   integer NOT NULL DEFAULT 0 CHECK (warnings_in_row >= 0),
  approved_at       timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One row per leader per ISO week (Monday, China time), written by the weekly KPI job.
CREATE TABLE leader_kpi_weeks (
  account_id       bigint NOT NULL REFERENCES accounts(id),
  week_start       date NOT NULL,
  orders           integer NOT NULL CHECK (orders >= 0),
  items_sold       integer NOT NULL CHECK (items_sold >= 0),
  gmv_fen          bigint NOT NULL CHECK (gmv_fen >= 0),
  pickups_due      integer NOT NULL CHECK (pickups_due >= 0),
  pickups_on_time  integer NOT NULL CHECK (pickups_on_time BETWEEN 0 AND pickups_due),
  complaints       integer NOT NULL CHECK (complaints >= 0),
  on_time_bp       integer NOT NULL CHECK (on_time_bp BETWEEN 0 AND 10000),
  complaint_bp     integer NOT NULL CHECK (complaint_bp BETWEEN 0 AND 10000),
  verdict          text NOT NULL CHECK (verdict IN ('ok', 'warning', 'suspended')),
  reasons          text[] NOT NULL DEFAULT '{}',
  computed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, week_start)
);

-- ── Residents bound to a pickup point ─────────────────────────────────────────────────────
CREATE TABLE resident_pickup_bindings (
  account_id       bigint PRIMARY KEY REFERENCES accounts(id),
  pickup_point_id  bigint NOT NULL REFERENCES pickup_points(id),
  bound_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resident_pickup_bindings_point_idx ON resident_pickup_bindings (pickup_point_id);

-- Every bind and switch, so the switch limit counts the recent ones.
CREATE TABLE resident_binding_changes (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id       bigint NOT NULL REFERENCES accounts(id),
  from_point_id    bigint REFERENCES pickup_points(id),
  to_point_id      bigint NOT NULL REFERENCES pickup_points(id),
  changed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resident_binding_changes_account_idx ON resident_binding_changes (account_id, changed_at);

-- ── Campaigns (团购活动) ────────────────────────────────────────────────────────────────────
CREATE TABLE campaigns (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_id       bigint NOT NULL REFERENCES regions(id),
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 64),
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cut_off', 'cancelled')),
  starts_at       timestamptz NOT NULL,
  cutoff_at       timestamptz NOT NULL,
  -- The China-time day residents collect at their pickup point.
  pickup_date     date NOT NULL,
  -- The leader's commission on this campaign's sales unless an item sets its own.
  leader_commission_bp integer NOT NULL DEFAULT 1000 CHECK (leader_commission_bp BETWEEN 0 AND 5000),
  created_by      bigint REFERENCES accounts(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (cutoff_at > starts_at)
);
CREATE INDEX campaigns_region_idx ON campaigns (region_id, pickup_date);
CREATE INDEX campaigns_due_idx ON campaigns (cutoff_at) WHERE status = 'published';

CREATE TABLE campaign_items (
  campaign_id      bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  sku_id           bigint NOT NULL REFERENCES skus(id),
  group_price_fen  integer NOT NULL CHECK (group_price_fen > 0),
  limit_per_person integer CHECK (limit_per_person > 0),
  -- Units on offer: put on the campaign's stock location when the campaign is published.
  stock            integer NOT NULL CHECK (stock >= 0),
  -- 团长专享: only leaders may buy it (supplies, samples).
  leader_only      boolean NOT NULL DEFAULT false,
  -- Overrides the campaign's leader commission rate for this SKU.
  leader_commission_bp integer CHECK (leader_commission_bp BETWEEN 0 AND 5000),
  sort_order       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, sku_id)
);

-- 休市: days a region takes no group-buy orders and delivers nothing.
CREATE TABLE market_rest_days (
  region_id  bigint NOT NULL REFERENCES regions(id),
  day        date NOT NULL,
  reason     text NOT NULL DEFAULT '' CHECK (length(reason) <= 100),
  PRIMARY KEY (region_id, day)
);

-- A campaign's pre-sale stock is a stock location of its own, so checkout reserves against it
-- with the same oversell-proof machinery as any warehouse or store.
ALTER TABLE stock_locations DROP CONSTRAINT stock_locations_kind_check;
ALTER TABLE stock_locations ADD CONSTRAINT stock_locations_kind_check CHECK (kind IN ('warehouse', 'store', 'campaign'));
ALTER TABLE stock_locations ADD COLUMN campaign_id bigint UNIQUE REFERENCES campaigns(id);
ALTER TABLE stock_locations ADD CONSTRAINT stock_locations_campaign_check CHECK ((kind = 'campaign') = (campaign_id IS NOT NULL));

ALTER TABLE orders ADD CONSTRAINT orders_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
-- The wave reads a campaign's orders by status; relay lists read a point's orders per campaign.
CREATE INDEX orders_campaign_idx ON orders (campaign_id, pickup_point_id) WHERE campaign_id IS NOT NULL;

-- Units handed to the buyer (核销). Refunds other than after-sales may not touch them.
ALTER TABLE order_lines ADD COLUMN picked_quantity integer NOT NULL DEFAULT 0;
-- (After-sales may later refund picked units, so picked + refunded can exceed quantity.)
ALTER TABLE order_lines ADD CONSTRAINT order_lines_picked_check CHECK (picked_quantity BETWEEN 0 AND quantity);

-- ── The cutoff wave (截单波次) ─────────────────────────────────────────────────────────────
-- One per region and pickup day; rerunning finds it.
CREATE TABLE waves (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_id     bigint NOT NULL REFERENCES regions(id),
  pickup_date   date NOT NULL,
  status        text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'receiving', 'dispatched', 'delivered')),
  campaign_ids  bigint[] NOT NULL,
  orders        integer NOT NULL DEFAULT 0,
  items         integer NOT NULL DEFAULT 0,
  -- Which planner drew the routes ('hgs' or 'fallback') and how long each part took, ms.
  route_planner text NOT NULL DEFAULT 'hgs',
  timings       jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_id, pickup_date)
);

CREATE TABLE purchase_orders (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  wave_id              bigint NOT NULL REFERENCES waves(id),
  -- Null: SKUs whose product names no supplier (bought by the operator directly).
  supplier_id          bigint REFERENCES suppliers(id),
  central_warehouse_id bigint NOT NULL REFERENCES warehouses(id),
  status               text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received')),
  received_at          timestamptz,
  received_by          bigint REFERENCES accounts(id),
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX purchase_orders_wave_supplier_idx ON purchase_orders (wave_id, COALESCE(supplier_id, 0));

CREATE TABLE purchase_order_lines (
  purchase_order_id bigint NOT NULL REFERENCES purchase_orders(id),
  sku_id            bigint NOT NULL REFERENCES skus(id),
  quantity          integer NOT NULL CHECK (quantity > 0),
  received_quantity integer CHECK (received_quantity >= 0),
  damaged_quantity  integer CHECK (damaged_quantity >= 0),
  PRIMARY KEY (purchase_order_id, sku_id)
);

CREATE TABLE delivery_routes (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  wave_id           bigint NOT NULL REFERENCES waves(id),
  grid_warehouse_id bigint NOT NULL REFERENCES warehouses(id),
  -- 1, 2, … within the grid warehouse: the route's name is "<warehouse> 线路 <seq>".
  seq               integer NOT NULL CHECK (seq > 0),
  capacity_crates   integer NOT NULL CHECK (capacity_crates > 0),
  load_crates       integer NOT NULL CHECK (load_crates >= 0),
  -- Rounded metres along the planned order, depot to depot.
  distance_m        integer NOT NULL CHECK (distance_m >= 0),
  driver_account_id bigint REFERENCES accounts(id),
  status            text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'dispatched', 'delivered')),
  dispatched_at     timestamptz,
  UNIQUE (wave_id, grid_warehouse_id, seq)
);

CREATE TABLE route_stops (
  route_id        bigint NOT NULL REFERENCES delivery_routes(id),
  seq             integer NOT NULL CHECK (seq > 0),
  pickup_point_id bigint NOT NULL REFERENCES pickup_points(id),
  crates          integer NOT NULL CHECK (crates >= 0),
  items           integer NOT NULL CHECK (items >= 0),
  orders          integer NOT NULL CHECK (orders >= 0),
  PRIMARY KEY (route_id, seq)
);
CREATE INDEX route_stops_point_idx ON route_stops (pickup_point_id);

-- The sorting list at pickup-point level: what goes into each point's crates. The resident
-- level below it is read from the orders themselves.
CREATE TABLE sort_lines (
  wave_id           bigint NOT NULL REFERENCES waves(id),
  grid_warehouse_id bigint NOT NULL REFERENCES warehouses(id),
  pickup_point_id   bigint NOT NULL REFERENCES pickup_points(id),
  sku_id            bigint NOT NULL REFERENCES skus(id),
  quantity          integer NOT NULL CHECK (quantity > 0),
  orders            integer NOT NULL CHECK (orders > 0),
  PRIMARY KEY (wave_id, pickup_point_id, sku_id)
);
CREATE INDEX sort_lines_grid_idx ON sort_lines (wave_id, grid_warehouse_id);

-- ── Hand-offs (交接) ───────────────────────────────────────────────────────────────────────
-- Each leg of the goods' trip, signed by whoever received them: the central warehouse
-- receiving a purchase order, a grid warehouse receiving its share, a pickup point's leader
-- receiving a route stop.
CREATE TABLE handoffs (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  wave_id           bigint NOT NULL REFERENCES waves(id),
  kind              text NOT NULL CHECK (kind IN ('central_receipt', 'grid_receipt', 'point_arrival')),
  purchase_order_id bigint REFERENCES purchase_orders(id),
  grid_warehouse_id bigint REFERENCES warehouses(id),
  pickup_point_id   bigint REFERENCES pickup_points(id),
  signed_by         bigint NOT NULL REFERENCES accounts(id),
  signed_at         timestamptz NOT NULL DEFAULT now(),
  note              text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  CHECK ((kind = 'central_receipt') = (purchase_order_id IS NOT NULL)),
  CHECK ((kind = 'grid_receipt') = (grid_warehouse_id IS NOT NULL)),
  CHECK ((kind = 'point_arrival') = (pickup_point_id IS NOT NULL))
);
-- Each leg is signed once.
CREATE UNIQUE INDEX handoffs_once_idx ON handoffs (wave_id, kind, COALESCE(purchase_order_id, grid_warehouse_id, pickup_point_id));

CREATE TABLE handoff_lines (
  handoff_id  bigint NOT NULL REFERENCES handoffs(id),
  sku_id      bigint NOT NULL REFERENCES skus(id),
  expected    integer NOT NULL CHECK (expected >= 0),
  received    integer NOT NULL CHECK (received >= 0),
  damaged     integer NOT NULL DEFAULT 0 CHECK (damaged >= 0),
  -- Good plus damaged never exceeds what was sent; the rest is the shortage.
  CHECK (received + damaged <= expected),
  PRIMARY KEY (handoff_id, sku_id)
);

-- What a supplier owes us for: short or damaged units found at any leg.
CREATE TABLE supplier_incidents (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  supplier_id  bigint REFERENCES suppliers(id),
  wave_id      bigint NOT NULL REFERENCES waves(id),
  handoff_id   bigint NOT NULL REFERENCES handoffs(id),
  sku_id       bigint NOT NULL REFERENCES skus(id),
  kind         text NOT NULL CHECK (kind IN ('shortage', 'damage')),
  quantity     integer NOT NULL CHECK (quantity > 0),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supplier_incidents_supplier_idx ON supplier_incidents (supplier_id, id);

-- ── Pickup (核销) ──────────────────────────────────────────────────────────────────────────
-- One row per line handed over in one scan; undone rows stay for the record.
CREATE TABLE pickups (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id       bigint NOT NULL REFERENCES orders(id),
  order_line_id  bigint NOT NULL REFERENCES order_lines(id),
  quantity       integer NOT NULL CHECK (quantity > 0),
  -- The scan that did it: all rows of one scan share it; undo names it.
  scan_id        text NOT NULL,
  by_account_id  bigint NOT NULL REFERENCES accounts(id),
  picked_at      timestamptz NOT NULL DEFAULT now(),
  undone_at      timestamptz,
  undone_by      bigint REFERENCES accounts(id)
);
CREATE INDEX pickups_order_idx ON pickups (order_id);
CREATE INDEX pickups_scan_idx ON pickups (scan_id);
