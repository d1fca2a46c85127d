-- The cutoff wave's counts of what it produced, written once when the wave is planned, so the
-- operator's list of waves does not count a million sorting lines per row on every read.
-- Forward-only: never edit this file once released; add a later migration instead.
ALTER TABLE waves ADD COLUMN purchase_orders integer NOT NULL DEFAULT 0 CHECK (purchase_orders >= 0);
ALTER TABLE waves ADD COLUMN sort_lines      integer NOT NULL DEFAULT 0 CHECK (sort_lines >= 0);
ALTER TABLE waves ADD COLUMN routes          integer NOT NULL DEFAULT 0 CHECK (routes >= 0);
ALTER TABLE waves ADD COLUMN stops           integer NOT NULL DEFAULT 0 CHECK (stops >= 0);
