-- Links between the commerce tables that were written side by side (payments was migrated
-- before it could name orders).
-- Forward-only: never edit this file once released; add a later migration instead.
ALTER TABLE payments ADD CONSTRAINT payments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(id);
ALTER TABLE refunds ADD CONSTRAINT refunds_after_sales_id_check CHECK (after_sales_id IS NULL OR kind = 'after_sales');
