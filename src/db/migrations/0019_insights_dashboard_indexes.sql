-- Insights dashboards at city scale (docs/insights.md, "Rollups"): what the remaining
-- per-page-view reads need to stay small at 10,000 communities and 25,000 route runs a month.
-- Forward-only: never edit this file once released; add a later migration instead.

-- The communities map reads one week's active households of every community: an index-only
-- range scan instead of a pass over every week of every community.
CREATE INDEX insights_community_weeks_week_idx ON insights_community_weeks (week, community_id) INCLUDE (active_households);

-- Routes are reported by name (grid warehouse + number) because the wave plans new route ids
-- each day; keeping the number on the route's day row spares the dashboard a join with every
-- delivery route of the range.
ALTER TABLE insights_route_daily ADD COLUMN seq integer NOT NULL DEFAULT 0;
UPDATE insights_route_daily d SET seq = r.seq FROM delivery_routes r WHERE r.id = d.route_id AND r.seq <> 0;
CREATE INDEX insights_route_daily_name_idx ON insights_route_daily (day, grid_warehouse_id, seq);

-- The league table ordered by trust reads every point's score: from the index, not from rows
-- made wide by their stored parts.
CREATE INDEX trust_scores_score_idx ON trust_scores (actor_type, actor_id) INCLUDE (score);
