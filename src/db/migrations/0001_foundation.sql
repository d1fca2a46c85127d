-- linli foundation: people, place, goods, traffic.
-- Forward-only: never edit this file once released; add 0002_… instead.

-- ── People (人) ──────────────────────────────────────────────────────────────
CREATE TABLE accounts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Mainland mobile number, 11 digits; the login identity.
  phone         text NOT NULL UNIQUE CHECK (phone ~ '^1[3-9][0-9]{9}$'),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account_roles (
  account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('resident', 'leader', 'host', 'store_owner', 'store_clerk',
                                            'warehouse_staff', 'driver', 'operator')),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, role)
);

-- Only a hash of the bearer token is stored, so a leaked table cannot be replayed.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

-- ── Place (场) ───────────────────────────────────────────────────────────────
CREATE TABLE regions (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id  bigint REFERENCES regions(id),
  kind       text NOT NULL CHECK (kind IN ('city', 'county')),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  -- Administrative division code (行政区划代码) or any operator-chosen unique code.
  code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'city') = (parent_id IS NULL))
);

CREATE TABLE communities (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_id  bigint NOT NULL REFERENCES regions(id),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  address    text NOT NULL DEFAULT '',
  lat        double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng        double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  -- H3 cell at resolution 9 (~0.1 km²): the unit the insights maps aggregate by.
  h3_cell    text NOT NULL,
  households integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX communities_region_idx ON communities (region_id);
CREATE INDEX communities_h3_idx ON communities (h3_cell);

CREATE TABLE warehouses (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_id            bigint NOT NULL REFERENCES regions(id),
  kind                 text NOT NULL CHECK (kind IN ('central', 'grid')),
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  address              text NOT NULL DEFAULT '',
  lat                  double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng                  double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  -- A grid warehouse (网格仓) is supplied by exactly one central warehouse (中心仓).
  central_warehouse_id bigint REFERENCES warehouses(id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'grid') = (central_warehouse_id IS NOT NULL))
);
CREATE INDEX warehouses_region_idx ON warehouses (region_id);

CREATE TABLE pickup_points (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community_id      bigint NOT NULL REFERENCES communities(id),
  leader_account_id bigint REFERENCES accounts(id),
  -- The grid warehouse whose vans serve this point.
  grid_warehouse_id bigint REFERENCES warehouses(id),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  address           text NOT NULL CHECK (length(address) BETWEEN 1 AND 200),
  lat               double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng               double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  opens_at          text NOT NULL CHECK (opens_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  closes_at         text NOT NULL CHECK (closes_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  -- Parcels the point can hold for one pickup day.
  capacity          integer NOT NULL CHECK (capacity > 0),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pickup_points_community_idx ON pickup_points (community_id);
CREATE INDEX pickup_points_leader_idx ON pickup_points (leader_account_id);
CREATE INDEX pickup_points_grid_idx ON pickup_points (grid_warehouse_id);

CREATE TABLE stores (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_id         bigint NOT NULL REFERENCES regions(id),
  community_id      bigint REFERENCES communities(id),
  owner_account_id  bigint NOT NULL REFERENCES accounts(id),
  grid_warehouse_id bigint REFERENCES warehouses(id),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  address           text NOT NULL CHECK (length(address) BETWEEN 1 AND 200),
  lat               double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng               double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  delivery_radius_m integer NOT NULL CHECK (delivery_radius_m BETWEEN 0 AND 10000),
  opens_at          text NOT NULL CHECK (opens_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  closes_at         text NOT NULL CHECK (closes_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stores_region_idx ON stores (region_id);
CREATE INDEX stores_owner_idx ON stores (owner_account_id);

CREATE TABLE store_clerks (
  store_id   bigint NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, account_id)
);

-- A resident's home community (the one whose products and pickup points they see).
CREATE TABLE resident_homes (
  account_id   bigint PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  community_id bigint NOT NULL REFERENCES communities(id),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resident_homes_community_idx ON resident_homes (community_id);

-- ── Goods (货) ───────────────────────────────────────────────────────────────
CREATE TABLE categories (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id  bigint REFERENCES categories(id),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
  sort_order integer NOT NULL DEFAULT 0
);

CREATE TABLE suppliers (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  contact_name  text NOT NULL DEFAULT '',
  contact_phone text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category_id bigint NOT NULL REFERENCES categories(id),
  supplier_id bigint REFERENCES suppliers(id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  description text NOT NULL DEFAULT '',
  image_urls  text[] NOT NULL DEFAULT '{}',
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_category_idx ON products (category_id);

CREATE TABLE skus (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id     bigint NOT NULL REFERENCES products(id),
  -- EAN-13 / UPC or an in-house code; unique so a scan finds one SKU.
  barcode        text UNIQUE CHECK (barcode ~ '^[0-9A-Za-z-]{4,32}$'),
  spec           text NOT NULL CHECK (length(spec) BETWEEN 1 AND 64),
  unit           text NOT NULL CHECK (length(unit) BETWEEN 1 AND 8),
  -- Integer fen (分). Never a float.
  base_price_fen integer NOT NULL CHECK (base_price_fen > 0),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX skus_product_idx ON skus (product_id);

-- Which regions sell which SKUs, with an optional regional price (else the base price).
CREATE TABLE region_skus (
  region_id bigint NOT NULL REFERENCES regions(id),
  sku_id    bigint NOT NULL REFERENCES skus(id),
  price_fen integer CHECK (price_fen > 0),
  active    boolean NOT NULL DEFAULT true,
  PRIMARY KEY (region_id, sku_id)
);
CREATE INDEX region_skus_sku_idx ON region_skus (sku_id);

-- ── Traffic (流量) ───────────────────────────────────────────────────────────
-- A share link is a short code a person passes on; clicks and orders through it are
-- credited to the actor it names (a leader, host or store) and to the sharer.
CREATE TABLE share_links (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{6,32}$'),
  account_id  bigint NOT NULL REFERENCES accounts(id),
  actor_type  text CHECK (actor_type IN ('leader', 'host', 'store')),
  actor_id    bigint,
  target_type text NOT NULL CHECK (target_type IN ('product', 'pickup_point', 'store', 'community', 'campaign', 'live_session', 'page')),
  target_id   bigint,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE traffic_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  kind          text NOT NULL CHECK (kind IN ('view', 'share', 'click')),
  target_type   text NOT NULL CHECK (target_type IN ('product', 'pickup_point', 'store', 'community', 'campaign', 'live_session', 'page')),
  target_id     bigint,
  -- Who brought this visitor: nobody ('direct'), a leader, host or store, or a share link.
  source_type   text NOT NULL CHECK (source_type IN ('direct', 'leader', 'host', 'store', 'share_link')),
  source_id     bigint,
  share_link_id bigint REFERENCES share_links(id),
  account_id    bigint REFERENCES accounts(id),
  community_id  bigint REFERENCES communities(id),
  CHECK ((source_type = 'direct') = (source_id IS NULL))
);
CREATE INDEX traffic_events_time_idx ON traffic_events (occurred_at);
CREATE INDEX traffic_events_source_idx ON traffic_events (source_type, source_id, occurred_at);
CREATE INDEX traffic_events_target_idx ON traffic_events (target_type, target_id, occurred_at);
