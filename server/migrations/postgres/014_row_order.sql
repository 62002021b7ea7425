-- The twin of SQLite's 014_row_order.sql: `seq`, a row's place in insertion order, where SQLite's
-- SQL used its implicit rowid. The tables are empty on a new PostgreSQL database; the column is
-- what the server's inserts fill in.
-- A person's favourites in the order they were added (one more than the person's largest, found
-- through the primary key's person_id prefix; no index of its own to keep on every insert).
ALTER TABLE favourites ADD COLUMN seq BIGINT;

ALTER TABLE volunteer_mall_items ADD COLUMN seq BIGINT;
CREATE UNIQUE INDEX volunteer_mall_items_by_seq ON volunteer_mall_items(seq);

ALTER TABLE city_receipts ADD COLUMN seq BIGINT;
CREATE UNIQUE INDEX city_receipts_by_seq ON city_receipts(seq);
