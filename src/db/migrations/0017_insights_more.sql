-- Insights read models, continued (docs/insights.md).
-- Forward-only: never edit this file once released; add a later migration instead.

-- Where each group-buy order stands for the pickup figures of insights_daily: due on its
-- arrival day (China time), picked up on time or not. Pickups can be undone and orders refunded
-- after they were counted, so the subscriber re-reads an order's state on each of its events and
-- moves its contribution by the difference from what this row says it counted.
CREATE TABLE insights_pickups (
  order_id     bigint PRIMARY KEY,
  day          date NOT NULL,
  community_id bigint NOT NULL,
  channel      text NOT NULL,
  actor_type   text NOT NULL,
  actor_id     bigint NOT NULL,
  region_id    bigint NOT NULL,
  on_time      boolean NOT NULL
);
CREATE INDEX insights_pickups_day_idx ON insights_pickups (day);

-- recompute() reads raw facts by time range; without these it scans whole tables.
CREATE INDEX orders_paid_at_idx ON orders (paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX refunds_created_idx ON refunds (created_at);
CREATE INDEX after_sales_created_idx ON after_sales_requests (created_at);
CREATE INDEX order_ratings_created_idx ON order_ratings (created_at);
CREATE INDEX insights_buyer_weeks_week_idx ON insights_buyer_weeks (week);
-- An order's wave is found by its campaign's pickup day (a county's campaigns ride in the city's wave).
CREATE INDEX waves_pickup_date_idx ON waves (pickup_date);
