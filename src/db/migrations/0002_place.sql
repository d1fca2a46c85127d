-- Place: indexes the place queries need that 0001 did not create.
-- GET /api/warehouses/:id/served reads stores by grid warehouse (pickup points have theirs).
CREATE INDEX stores_grid_idx ON stores (grid_warehouse_id);
-- Stores listed by community (GET /api/stores?communityId=).
CREATE INDEX stores_community_idx ON stores (community_id);
-- A central warehouse's grid warehouses.
CREATE INDEX warehouses_central_idx ON warehouses (central_warehouse_id);
-- Regions listed by parent (a city's counties), and the city-includes-counties filters.
CREATE INDEX regions_parent_idx ON regions (parent_id);
