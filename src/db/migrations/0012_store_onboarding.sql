-- Neighbourhood stores (docs/stores.md): owners apply, an operator approves, and the approval
-- opens the store through the place module. The store's own settings that the place module does
-- not keep (business licence, pickup/delivery modes) live in store_profiles, one row per store
-- opened from an application. Plus the indexes the till and the store screens read by.
-- Forward-only: never edit this file once released; add a later migration instead.
CREATE TABLE store_applications (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id         bigint NOT NULL REFERENCES accounts(id),
  store_name         text NOT NULL CHECK (length(store_name) BETWEEN 1 AND 64),
  -- 统一社会信用代码 (GB 32100-2015), upper case, check character verified by the service.
  licence_number     text NOT NULL CHECK (licence_number ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
  address            text NOT NULL CHECK (length(address) BETWEEN 1 AND 200),
  community_id       bigint NOT NULL REFERENCES communities(id),
  lat                double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng                double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  opens_at           text NOT NULL CHECK (opens_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  closes_at          text NOT NULL CHECK (closes_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  delivery_radius_m  integer NOT NULL CHECK (delivery_radius_m BETWEEN 0 AND 10000),
  modes              text[] NOT NULL CHECK (cardinality(modes) BETWEEN 1 AND 2 AND modes <@ ARRAY['pickup', 'delivery']),
  -- The owner's identity, optional: needed only to make the store a group-buy pickup point too
  -- (a leader is identified). As for leaders, only a hash and the last four characters are kept.
  owner_name         text CHECK (length(owner_name) BETWEEN 2 AND 32),
  id_card_hash       text,
  id_card_last4      text CHECK (id_card_last4 ~ '^[0-9X]{4}$'),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  reason             text CHECK (length(reason) <= 200),
  decided_by         bigint REFERENCES accounts(id),
  decided_at         timestamptz,
  store_id           bigint REFERENCES stores(id),
  pickup_point_id    bigint REFERENCES pickup_points(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((id_card_hash IS NULL) = (id_card_last4 IS NULL) AND (id_card_hash IS NULL) = (owner_name IS NULL)),
  CHECK (status <> 'rejected' OR reason IS NOT NULL),
  CHECK ((status = 'approved') = (store_id IS NOT NULL))
);
-- One open application per account.
CREATE UNIQUE INDEX store_applications_pending_idx ON store_applications (account_id) WHERE status = 'pending';
CREATE INDEX store_applications_status_idx ON store_applications (status, id);
CREATE INDEX store_applications_account_idx ON store_applications (account_id, id);

CREATE TABLE store_profiles (
  store_id        bigint PRIMARY KEY REFERENCES stores(id),
  application_id  bigint REFERENCES store_applications(id),
  licence_number  text,
  modes           text[] NOT NULL DEFAULT ARRAY['pickup', 'delivery'] CHECK (cardinality(modes) BETWEEN 1 AND 2 AND modes <@ ARRAY['pickup', 'delivery']),
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- GET /api/my/stores: the stores an account clerks at (the primary key leads with store_id;
-- the stores it owns are found by stores_owner_idx of 0001).
CREATE INDEX store_clerks_account_idx ON store_clerks (account_id);
-- GET /api/stores/:id/sales/today reads one store's orders of one day: a whole day of till
-- sales must cost an index range, not a scan of the store's history.
CREATE INDEX orders_store_created_idx ON orders (store_id, created_at) WHERE store_id IS NOT NULL;
