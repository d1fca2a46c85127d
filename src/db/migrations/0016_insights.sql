-- Insights and trust (docs/insights.md): daily read models kept by the outbox subscriber
-- `insights`, ratings, trust scores and their settings.
-- Forward-only: never edit this file once released; add a later migration instead.

-- Traffic and conversion per China-time day, community, channel and actor.
CREATE TABLE insights_daily (
  day             date NOT NULL,
  community_id    bigint NOT NULL DEFAULT 0,
  channel         text NOT NULL,
  actor_type      text NOT NULL CHECK (actor_type IN ('point', 'store', 'host', 'none')),
  actor_id        bigint NOT NULL DEFAULT 0,
  region_id       bigint NOT NULL DEFAULT 0,
  views           integer NOT NULL DEFAULT 0,
  shares          integer NOT NULL DEFAULT 0,
  clicks          integer NOT NULL DEFAULT 0,
  orders          integer NOT NULL DEFAULT 0,
  buyers          integer NOT NULL DEFAULT 0,
  units           integer NOT NULL DEFAULT 0,
  gmv_fen         bigint NOT NULL DEFAULT 0,
  refunded_fen    bigint NOT NULL DEFAULT 0,
  after_sales     integer NOT NULL DEFAULT 0,
  complaints      integer NOT NULL DEFAULT 0,
  shortage_units  integer NOT NULL DEFAULT 0,
  pickups_due     integer NOT NULL DEFAULT 0,
  pickups_on_time integer NOT NULL DEFAULT 0,
  ratings         integer NOT NULL DEFAULT 0,
  rating_sum      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, community_id, channel, actor_type, actor_id)
);
-- Dashboards filter by region and date range; actors' trust reads their own rows.
CREATE INDEX insights_daily_region_day_idx ON insights_daily (region_id, day);
CREATE INDEX insights_daily_actor_idx ON insights_daily (actor_type, actor_id, day);

-- Who bought in a row of insights_daily: the first insert of a buyer bumps its `buyers`.
CREATE TABLE insights_daily_buyers (
  day          date NOT NULL,
  community_id bigint NOT NULL,
  channel      text NOT NULL,
  actor_type   text NOT NULL,
  actor_id     bigint NOT NULL,
  account_id   bigint NOT NULL,
  PRIMARY KEY (day, community_id, channel, actor_type, actor_id, account_id)
);

CREATE TABLE insights_sku_daily (
  day               date NOT NULL,
  region_id         bigint NOT NULL,
  grid_warehouse_id bigint NOT NULL DEFAULT 0,
  sku_id            bigint NOT NULL,
  units_offered     integer NOT NULL DEFAULT 0,
  units_sold        integer NOT NULL DEFAULT 0,
  gmv_fen           bigint NOT NULL DEFAULT 0,
  units_refunded    integer NOT NULL DEFAULT 0,
  units_short       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, region_id, grid_warehouse_id, sku_id)
);
CREATE INDEX insights_sku_daily_region_idx ON insights_sku_daily (region_id, day);

CREATE TABLE insights_route_daily (
  day               date NOT NULL,
  route_id          bigint NOT NULL,
  region_id         bigint NOT NULL,
  grid_warehouse_id bigint NOT NULL DEFAULT 0,
  stops             integer NOT NULL DEFAULT 0,
  orders            integer NOT NULL DEFAULT 0,
  units             integer NOT NULL DEFAULT 0,
  shortage_units    integer NOT NULL DEFAULT 0,
  after_sales       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, route_id)
);
CREATE INDEX insights_route_daily_region_idx ON insights_route_daily (region_id, day);

-- Residents as buyers: their first order (the cohort) and the weeks they ordered in.
CREATE TABLE insights_buyers (
  account_id   bigint PRIMARY KEY,
  region_id    bigint NOT NULL DEFAULT 0,
  community_id bigint NOT NULL DEFAULT 0,
  first_day    date NOT NULL,
  first_week   date NOT NULL,
  last_day     date NOT NULL,
  orders       integer NOT NULL DEFAULT 0,
  gmv_fen      bigint NOT NULL DEFAULT 0
);

CREATE TABLE insights_buyer_weeks (
  account_id bigint NOT NULL,
  week       date NOT NULL,
  PRIMARY KEY (account_id, week)
);

CREATE TABLE insights_cohorts (
  region_id   bigint NOT NULL,
  cohort_week date NOT NULL,
  active_week date NOT NULL,
  buyers      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (region_id, cohort_week, active_week)
);

CREATE TABLE insights_community_weeks (
  community_id      bigint NOT NULL,
  week              date NOT NULL,
  active_households integer NOT NULL DEFAULT 0,
  PRIMARY KEY (community_id, week)
);

-- Per actor and buyer: for repeat-buyer rates at 7 and 30 days.
CREATE TABLE insights_actor_repeat (
  actor_type    text NOT NULL,
  actor_id      bigint NOT NULL,
  account_id    bigint NOT NULL,
  orders        integer NOT NULL DEFAULT 0,
  first_paid_at timestamptz NOT NULL,
  last_paid_at  timestamptz NOT NULL,
  PRIMARY KEY (actor_type, actor_id, account_id)
);

-- A resident's rating of a completed order (one per order).
CREATE TABLE order_ratings (
  order_id   bigint PRIMARY KEY REFERENCES orders(id),
  account_id bigint NOT NULL REFERENCES accounts(id),
  stars      integer NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment    text NOT NULL DEFAULT '' CHECK (length(comment) <= 300),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trust_scores (
  actor_type  text NOT NULL CHECK (actor_type IN ('point', 'store', 'host')),
  actor_id    bigint NOT NULL,
  score       integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  parts       jsonb NOT NULL DEFAULT '{}',
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (actor_type, actor_id)
);

CREATE TABLE trust_settings (
  region_id    bigint PRIMARY KEY REFERENCES regions(id),
  weights      jsonb NOT NULL DEFAULT '{}',
  min_orders   integer NOT NULL DEFAULT 20 CHECK (min_orders BETWEEN 0 AND 10000),
  -- [{minScore, bonusBp}]: the leader's commission bonus by trust score, on top of the level bonus.
  leader_tiers jsonb NOT NULL DEFAULT '[]',
  updated_at   timestamptz NOT NULL DEFAULT now()
);
