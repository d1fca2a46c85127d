-- Rollups of insights_daily for the operator dashboards (docs/insights.md, "Rollups").
-- Forward-only: never edit this file once released; add a later migration instead.
--
-- insights_daily has a row per day x community x channel x actor: at 3M orders a month that is
-- over a million rows, and the dashboards summed them on each page view (a city's funnel
-- ~430 ms, its league table of 10,000 leaders ~600 ms). Two rollups answer the same sums from a
-- few rows:
--
--   insights_region_daily   the figures per day x region x channel: the funnel reads a few
--                           hundred rows a month instead of a million.
--   insights_actor_running  per actor (pickup point, store, host) and day, the figures summed
--                           over every day up to and including that day (running totals), with
--                           a row for every day from the actor's first to its last day with
--                           figures; insights_actor_totals holds the all-time sums with those
--                           two days. An actor's sum over [from, to] is C(to) - C(from - 1),
--                           where C(x) is the totals once x >= last_day, the running row of x
--                           from first_day on, and 0 before: two rows per actor whatever the
--                           range, read by (actor_type, day) index range scans.
--
-- Both are kept by statement triggers on insights_daily rather than by the subscriber's code:
-- every writer of insights_daily (the subscriber's upserts, pickup moves that change a row and
-- delete an emptied one, a row whose region is raised) changes the rollups by exactly the
-- difference it made, in its own transaction, so they always equal the sums of insights_daily.
-- Statement triggers see a statement's rows at once (transition tables): one grouped change per
-- statement. INSERT ... ON CONFLICT DO UPDATE fires the insert trigger (rows it inserted) and the
-- update trigger (rows it updated, old and new), which is what sums need. recompute() rebuilds
-- the rollups wholesale (insights_rebuild_rollups) and tells the triggers to stand aside for its
-- bulk statements by setting linli.insights_rollups = 'rebuild' for its transaction.

CREATE TABLE insights_region_daily (
  day             date NOT NULL,
  region_id       bigint NOT NULL,
  channel         text NOT NULL,
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
  PRIMARY KEY (day, region_id, channel)
);
CREATE INDEX insights_region_daily_region_idx ON insights_region_daily (region_id, day);

CREATE TABLE insights_actor_totals (
  actor_type      text NOT NULL,
  actor_id        bigint NOT NULL,
  first_day       date NOT NULL,
  last_day        date NOT NULL,
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
  PRIMARY KEY (actor_type, actor_id)
);

CREATE TABLE insights_actor_running (
  actor_type      text NOT NULL,
  actor_id        bigint NOT NULL,
  day             date NOT NULL,
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
  PRIMARY KEY (actor_type, actor_id, day)
);
-- The league tables read one day's rows of every actor of a type.
CREATE INDEX insights_actor_running_day_idx ON insights_actor_running (actor_type, day);

-- One row's difference to insights_daily (a negative one for rows removed or replaced).
CREATE TYPE insights_delta AS (
  day date, region_id bigint, channel text, actor_type text, actor_id bigint,
  views integer, shares integer, clicks integer, orders integer, buyers integer, units integer, gmv_fen bigint, refunded_fen bigint, after_sales integer, complaints integer, shortage_units integer, pickups_due integer, pickups_on_time integer, ratings integer, rating_sum integer
);

CREATE FUNCTION insights_apply_deltas(deltas insights_delta[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('linli.insights_rollups', true) = 'rebuild' OR cardinality(deltas) = 0 THEN
    RETURN;
  END IF;

  INSERT INTO insights_region_daily AS r (day, region_id, channel, views, shares, clicks, orders, buyers, units, gmv_fen, refunded_fen, after_sales, complaints, shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)
  SELECT day, region_id, channel, sum(views), sum(shares), sum(clicks), sum(orders), sum(buyers), sum(units), sum(gmv_fen), sum(refunded_fen), sum(after_sales), sum(complaints), sum(shortage_units), sum(pickups_due), sum(pickups_on_time), sum(ratings), sum(rating_sum)
  FROM unnest(deltas)
  GROUP BY day, region_id, channel
  ORDER BY day, region_id, channel
  ON CONFLICT (day, region_id, channel) DO UPDATE SET
      views = r.views + EXCLUDED.views, shares = r.shares + EXCLUDED.shares, clicks = r.clicks + EXCLUDED.clicks, orders = r.orders + EXCLUDED.orders,
      buyers = r.buyers + EXCLUDED.buyers, units = r.units + EXCLUDED.units, gmv_fen = r.gmv_fen + EXCLUDED.gmv_fen, refunded_fen = r.refunded_fen + EXCLUDED.refunded_fen,
      after_sales = r.after_sales + EXCLUDED.after_sales, complaints = r.complaints + EXCLUDED.complaints, shortage_units = r.shortage_units + EXCLUDED.shortage_units, pickups_due = r.pickups_due + EXCLUDED.pickups_due,
      pickups_on_time = r.pickups_on_time + EXCLUDED.pickups_on_time, ratings = r.ratings + EXCLUDED.ratings, rating_sum = r.rating_sum + EXCLUDED.rating_sum;
  -- Emptied by the change (rows removed): gone, as a rebuild would leave it.
  DELETE FROM insights_region_daily r USING (SELECT DISTINCT day, region_id, channel FROM unnest(deltas)) k
  WHERE r.day = k.day AND r.region_id = k.region_id AND r.channel = k.channel
    AND r.views = 0 AND r.shares = 0 AND r.clicks = 0 AND r.orders = 0 AND r.buyers = 0 AND r.units = 0 AND r.gmv_fen = 0 AND r.refunded_fen = 0 AND r.after_sales = 0 AND r.complaints = 0 AND r.shortage_units = 0 AND r.pickups_due = 0 AND r.pickups_on_time = 0 AND r.ratings = 0 AND r.rating_sum = 0;

  -- Actors: the change per actor and day, leaving out changes to figures they do not keep (a
  -- view). Each statement below groups it again: one statement's deltas are few.
  IF NOT EXISTS (SELECT 1 FROM unnest(deltas) WHERE actor_type <> 'none') THEN
    RETURN;
  END IF;

  -- New days: before an actor's first day they start at zero, after its last they carry its
  -- totals so far; a new actor starts at zero.
  INSERT INTO insights_actor_running (actor_type, actor_id, day, orders, buyers, units, gmv_fen, refunded_fen, after_sales, complaints, shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)
  SELECT c.actor_type, c.actor_id, g.day::date,
         CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.orders ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.buyers ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.units ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.gmv_fen ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.refunded_fen ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.after_sales ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.complaints ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.shortage_units ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.pickups_due ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.pickups_on_time ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.ratings ELSE 0 END, CASE WHEN t.last_day IS NOT NULL AND g.day > t.last_day THEN t.rating_sum ELSE 0 END
  FROM (SELECT actor_type, actor_id, min(day) AS dmin, max(day) AS dmax FROM (SELECT actor_type, actor_id, day, sum(orders) AS orders, sum(buyers) AS buyers, sum(units) AS units, sum(gmv_fen) AS gmv_fen, sum(refunded_fen) AS refunded_fen, sum(after_sales) AS after_sales, sum(complaints) AS complaints, sum(shortage_units) AS shortage_units, sum(pickups_due) AS pickups_due, sum(pickups_on_time) AS pickups_on_time, sum(ratings) AS ratings, sum(rating_sum) AS rating_sum FROM unnest(deltas) WHERE actor_type <> 'none' GROUP BY actor_type, actor_id, day HAVING sum(orders) <> 0 OR sum(buyers) <> 0 OR sum(units) <> 0 OR sum(gmv_fen) <> 0 OR sum(refunded_fen) <> 0 OR sum(after_sales) <> 0 OR sum(complaints) <> 0 OR sum(shortage_units) <> 0 OR sum(pickups_due) <> 0 OR sum(pickups_on_time) <> 0 OR sum(ratings) <> 0 OR sum(rating_sum) <> 0) d GROUP BY actor_type, actor_id) c
  LEFT JOIN insights_actor_totals t ON t.actor_type = c.actor_type AND t.actor_id = c.actor_id
  CROSS JOIN LATERAL generate_series(LEAST(c.dmin, t.first_day), GREATEST(c.dmax, t.last_day), interval '1 day') g(day)
  WHERE t.actor_id IS NULL OR g.day < t.first_day OR g.day > t.last_day
  ORDER BY 1, 2, 3;

  -- Every running row on or after a changed day takes that day's change.
  UPDATE insights_actor_running r SET
      orders = r.orders + x.orders, buyers = r.buyers + x.buyers, units = r.units + x.units, gmv_fen = r.gmv_fen + x.gmv_fen,
      refunded_fen = r.refunded_fen + x.refunded_fen, after_sales = r.after_sales + x.after_sales, complaints = r.complaints + x.complaints, shortage_units = r.shortage_units + x.shortage_units,
      pickups_due = r.pickups_due + x.pickups_due, pickups_on_time = r.pickups_on_time + x.pickups_on_time, ratings = r.ratings + x.ratings, rating_sum = r.rating_sum + x.rating_sum
  FROM (SELECT r2.actor_type, r2.actor_id, r2.day, sum(c.orders) AS orders, sum(c.buyers) AS buyers, sum(c.units) AS units, sum(c.gmv_fen) AS gmv_fen, sum(c.refunded_fen) AS refunded_fen, sum(c.after_sales) AS after_sales, sum(c.complaints) AS complaints, sum(c.shortage_units) AS shortage_units, sum(c.pickups_due) AS pickups_due, sum(c.pickups_on_time) AS pickups_on_time, sum(c.ratings) AS ratings, sum(c.rating_sum) AS rating_sum
        FROM (SELECT actor_type, actor_id, day, sum(orders) AS orders, sum(buyers) AS buyers, sum(units) AS units, sum(gmv_fen) AS gmv_fen, sum(refunded_fen) AS refunded_fen, sum(after_sales) AS after_sales, sum(complaints) AS complaints, sum(shortage_units) AS shortage_units, sum(pickups_due) AS pickups_due, sum(pickups_on_time) AS pickups_on_time, sum(ratings) AS ratings, sum(rating_sum) AS rating_sum FROM unnest(deltas) WHERE actor_type <> 'none' GROUP BY actor_type, actor_id, day HAVING sum(orders) <> 0 OR sum(buyers) <> 0 OR sum(units) <> 0 OR sum(gmv_fen) <> 0 OR sum(refunded_fen) <> 0 OR sum(after_sales) <> 0 OR sum(complaints) <> 0 OR sum(shortage_units) <> 0 OR sum(pickups_due) <> 0 OR sum(pickups_on_time) <> 0 OR sum(ratings) <> 0 OR sum(rating_sum) <> 0) c
        JOIN insights_actor_running r2 ON r2.actor_type = c.actor_type AND r2.actor_id = c.actor_id AND r2.day >= c.day
        GROUP BY r2.actor_type, r2.actor_id, r2.day) x
  WHERE r.actor_type = x.actor_type AND r.actor_id = x.actor_id AND r.day = x.day;

  INSERT INTO insights_actor_totals AS t (actor_type, actor_id, first_day, last_day, orders, buyers, units, gmv_fen, refunded_fen, after_sales, complaints, shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)
  SELECT actor_type, actor_id, min(day), max(day), sum(orders), sum(buyers), sum(units), sum(gmv_fen), sum(refunded_fen), sum(after_sales), sum(complaints), sum(shortage_units), sum(pickups_due), sum(pickups_on_time), sum(ratings), sum(rating_sum)
  FROM (SELECT actor_type, actor_id, day, sum(orders) AS orders, sum(buyers) AS buyers, sum(units) AS units, sum(gmv_fen) AS gmv_fen, sum(refunded_fen) AS refunded_fen, sum(after_sales) AS after_sales, sum(complaints) AS complaints, sum(shortage_units) AS shortage_units, sum(pickups_due) AS pickups_due, sum(pickups_on_time) AS pickups_on_time, sum(ratings) AS ratings, sum(rating_sum) AS rating_sum FROM unnest(deltas) WHERE actor_type <> 'none' GROUP BY actor_type, actor_id, day HAVING sum(orders) <> 0 OR sum(buyers) <> 0 OR sum(units) <> 0 OR sum(gmv_fen) <> 0 OR sum(refunded_fen) <> 0 OR sum(after_sales) <> 0 OR sum(complaints) <> 0 OR sum(shortage_units) <> 0 OR sum(pickups_due) <> 0 OR sum(pickups_on_time) <> 0 OR sum(ratings) <> 0 OR sum(rating_sum) <> 0) c
  GROUP BY actor_type, actor_id
  ORDER BY actor_type, actor_id
  ON CONFLICT (actor_type, actor_id) DO UPDATE SET
      first_day = LEAST(t.first_day, EXCLUDED.first_day), last_day = GREATEST(t.last_day, EXCLUDED.last_day),
      orders = t.orders + EXCLUDED.orders, buyers = t.buyers + EXCLUDED.buyers, units = t.units + EXCLUDED.units, gmv_fen = t.gmv_fen + EXCLUDED.gmv_fen,
      refunded_fen = t.refunded_fen + EXCLUDED.refunded_fen, after_sales = t.after_sales + EXCLUDED.after_sales, complaints = t.complaints + EXCLUDED.complaints, shortage_units = t.shortage_units + EXCLUDED.shortage_units,
      pickups_due = t.pickups_due + EXCLUDED.pickups_due, pickups_on_time = t.pickups_on_time + EXCLUDED.pickups_on_time, ratings = t.ratings + EXCLUDED.ratings, rating_sum = t.rating_sum + EXCLUDED.rating_sum;
END $$;

CREATE FUNCTION insights_daily_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insights_apply_deltas(ARRAY(
    SELECT ROW(day, region_id, channel, actor_type, actor_id, views, shares, clicks, orders, buyers, units, gmv_fen, refunded_fen, after_sales, complaints, shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)::insights_delta FROM new_rows));
  RETURN NULL;
END $$;

CREATE FUNCTION insights_daily_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insights_apply_deltas(ARRAY(
    SELECT ROW(day, region_id, channel, actor_type, actor_id, views, shares, clicks, orders, buyers, units, gmv_fen, refunded_fen, after_sales, complaints, shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)::insights_delta FROM new_rows
    UNION ALL
    SELECT ROW(day, region_id, channel, actor_type, actor_id, -views, -shares, -clicks, -orders, -buyers, -units, -gmv_fen, -refunded_fen, -after_sales, -complaints, -shortage_units, -pickups_due, -pickups_on_time, -ratings, -rating_sum)::insights_delta FROM old_rows));
  RETURN NULL;
END $$;

CREATE FUNCTION insights_daily_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insights_apply_deltas(ARRAY(
    SELECT ROW(day, region_id, channel, actor_type, actor_id, -views, -shares, -clicks, -orders, -buyers, -units, -gmv_fen, -refunded_fen, -after_sales, -complaints, -shortage_units, -pickups_due, -pickups_on_time, -ratings, -rating_sum)::insights_delta FROM old_rows));
  RETURN NULL;
END $$;

CREATE TRIGGER insights_daily_rollup_insert AFTER INSERT ON insights_daily
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insights_daily_on_insert();
CREATE TRIGGER insights_daily_rollup_update AFTER UPDATE ON insights_daily
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insights_daily_on_update();
CREATE TRIGGER insights_daily_rollup_delete AFTER DELETE ON insights_daily
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insights_daily_on_delete();

-- Both rollups from insights_daily as it stands (recompute() calls it after its rebuild).
CREATE FUNCTION insights_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM insights_region_daily;
  INSERT INTO insights_region_daily (day, region_id, channel, views, shares, clicks, orders, buyers, units, gmv_fen, refunded_fen, after_sales, complaints, shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)
  SELECT day, region_id, channel, sum(views), sum(shares), sum(clicks), sum(orders), sum(buyers), sum(units), sum(gmv_fen), sum(refunded_fen), sum(after_sales), sum(complaints), sum(shortage_units), sum(pickups_due), sum(pickups_on_time), sum(ratings), sum(rating_sum)
  FROM insights_daily
  GROUP BY day, region_id, channel
  HAVING sum(views) <> 0 OR sum(shares) <> 0 OR sum(clicks) <> 0 OR sum(orders) <> 0 OR sum(buyers) <> 0 OR sum(units) <> 0 OR sum(gmv_fen) <> 0 OR sum(refunded_fen) <> 0 OR sum(after_sales) <> 0 OR sum(complaints) <> 0 OR sum(shortage_units) <> 0 OR sum(pickups_due) <> 0 OR sum(pickups_on_time) <> 0 OR sum(ratings) <> 0 OR sum(rating_sum) <> 0;

  DELETE FROM insights_actor_running;
  DELETE FROM insights_actor_totals;
  INSERT INTO insights_actor_totals (actor_type, actor_id, first_day, last_day, orders, buyers, units, gmv_fen, refunded_fen, after_sales, complaints, shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)
  -- First and last day with figures an actor keeps (a day of views only is not one).
  SELECT actor_type, actor_id, min(day) FILTER (WHERE orders <> 0 OR buyers <> 0 OR units <> 0 OR gmv_fen <> 0 OR refunded_fen <> 0 OR after_sales <> 0 OR complaints <> 0 OR shortage_units <> 0 OR pickups_due <> 0 OR pickups_on_time <> 0 OR ratings <> 0 OR rating_sum <> 0), max(day) FILTER (WHERE orders <> 0 OR buyers <> 0 OR units <> 0 OR gmv_fen <> 0 OR refunded_fen <> 0 OR after_sales <> 0 OR complaints <> 0 OR shortage_units <> 0 OR pickups_due <> 0 OR pickups_on_time <> 0 OR ratings <> 0 OR rating_sum <> 0), sum(orders), sum(buyers), sum(units), sum(gmv_fen), sum(refunded_fen), sum(after_sales), sum(complaints), sum(shortage_units), sum(pickups_due), sum(pickups_on_time), sum(ratings), sum(rating_sum)
  FROM insights_daily
  WHERE actor_type <> 'none'
  GROUP BY actor_type, actor_id
  HAVING sum(orders) <> 0 OR sum(buyers) <> 0 OR sum(units) <> 0 OR sum(gmv_fen) <> 0 OR sum(refunded_fen) <> 0 OR sum(after_sales) <> 0 OR sum(complaints) <> 0 OR sum(shortage_units) <> 0 OR sum(pickups_due) <> 0 OR sum(pickups_on_time) <> 0 OR sum(ratings) <> 0 OR sum(rating_sum) <> 0;
  INSERT INTO insights_actor_running (actor_type, actor_id, day, orders, buyers, units, gmv_fen, refunded_fen, after_sales, complaints, shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)
  SELECT t.actor_type, t.actor_id, g.day::date, sum(COALESCE(d.orders, 0)) OVER w, sum(COALESCE(d.buyers, 0)) OVER w, sum(COALESCE(d.units, 0)) OVER w, sum(COALESCE(d.gmv_fen, 0)) OVER w, sum(COALESCE(d.refunded_fen, 0)) OVER w, sum(COALESCE(d.after_sales, 0)) OVER w, sum(COALESCE(d.complaints, 0)) OVER w, sum(COALESCE(d.shortage_units, 0)) OVER w, sum(COALESCE(d.pickups_due, 0)) OVER w, sum(COALESCE(d.pickups_on_time, 0)) OVER w, sum(COALESCE(d.ratings, 0)) OVER w, sum(COALESCE(d.rating_sum, 0)) OVER w
  FROM insights_actor_totals t
  CROSS JOIN LATERAL generate_series(t.first_day, t.last_day, interval '1 day') g(day)
  LEFT JOIN (SELECT actor_type, actor_id, day, sum(orders) AS orders, sum(buyers) AS buyers, sum(units) AS units, sum(gmv_fen) AS gmv_fen, sum(refunded_fen) AS refunded_fen, sum(after_sales) AS after_sales, sum(complaints) AS complaints, sum(shortage_units) AS shortage_units, sum(pickups_due) AS pickups_due, sum(pickups_on_time) AS pickups_on_time, sum(ratings) AS ratings, sum(rating_sum) AS rating_sum
             FROM insights_daily WHERE actor_type <> 'none' GROUP BY actor_type, actor_id, day) d
    ON d.actor_type = t.actor_type AND d.actor_id = t.actor_id AND d.day = g.day::date
  WINDOW w AS (PARTITION BY t.actor_type, t.actor_id ORDER BY g.day)
  -- Day by day, as the subscriber adds them: a league table reads one day's rows together.
  ORDER BY g.day, t.actor_type, t.actor_id;
END $$;

SELECT insights_rebuild_rollups();
