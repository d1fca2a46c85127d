-- Goods (货) and traffic: indexes the catalog and traffic services read by.
-- Forward-only: never edit this file once released; add a later migration instead.

-- Children of a category are looked up when filtering by a category and its subtree.
CREATE INDEX categories_parent_idx ON categories (parent_id);
-- Two sibling categories with one name would confuse both operators and residents.
-- coalesce: top-level categories (parent NULL) are siblings of each other too.
CREATE UNIQUE INDEX categories_parent_name_key ON categories ((coalesce(parent_id, 0)), name);

CREATE INDEX products_supplier_idx ON products (supplier_id);

-- Sharer credit ("who brought clicks through links they shared") joins events to their link.
CREATE INDEX traffic_events_share_link_idx ON traffic_events (share_link_id) WHERE share_link_id IS NOT NULL;
CREATE INDEX share_links_account_idx ON share_links (account_id);
