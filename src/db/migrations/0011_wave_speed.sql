-- The cutoff wave at a million orders (docs/groupbuy.md, "The cutoff wave"): the sorting list
-- becomes one row per (wave, pickup point) holding its SKUs, units and order counts as
-- parallel arrays, instead of one row per point × SKU. A million-order wave wrote ~1.5 million
-- sort_lines rows, each checked against four foreign keys and entered in two indexes; it now
-- writes one row per point (10,000), whose arrays the readers unnest.
-- Forward-only: never edit this file once released; add a later migration instead.
CREATE TABLE sort_lists (
  wave_id           bigint NOT NULL REFERENCES waves(id),
  pickup_point_id   bigint NOT NULL REFERENCES pickup_points(id),
  grid_warehouse_id bigint NOT NULL REFERENCES warehouses(id),
  -- Element i of each array is one line: SKU, units still owed, orders with that SKU; each SKU
  -- once, in no particular order (readers unnest and sort). Written only by the wave from the
  -- orders' own lines, so a SKU id is not checked against skus.
  sku_ids           bigint[] NOT NULL,
  quantities        integer[] NOT NULL,
  orders            integer[] NOT NULL,
  PRIMARY KEY (wave_id, pickup_point_id),
  CHECK (cardinality(sku_ids) > 0 AND cardinality(quantities) = cardinality(sku_ids) AND cardinality(orders) = cardinality(sku_ids))
);
-- A point's arrays (~150 SKUs: ~2.4 kB) pass the 2 kB TOAST threshold; stored out of line
-- uncompressed, since compressing 10,000 of them took the wave longer than writing them.
ALTER TABLE sort_lists ALTER COLUMN sku_ids SET STORAGE EXTERNAL,
                       ALTER COLUMN quantities SET STORAGE EXTERNAL,
                       ALTER COLUMN orders SET STORAGE EXTERNAL;
-- Reading one grid warehouse's sorting lists of a wave.
CREATE INDEX sort_lists_grid_idx ON sort_lists (wave_id, grid_warehouse_id);

INSERT INTO sort_lists (wave_id, pickup_point_id, grid_warehouse_id, sku_ids, quantities, orders)
SELECT wave_id, pickup_point_id, min(grid_warehouse_id),
       array_agg(sku_id ORDER BY sku_id), array_agg(quantity ORDER BY sku_id), array_agg(orders ORDER BY sku_id)
FROM sort_lines GROUP BY wave_id, pickup_point_id;

DROP TABLE sort_lines;
