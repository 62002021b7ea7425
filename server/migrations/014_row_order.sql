-- The rows the server ordered or addressed by SQLite's implicit rowid get that number as a column
-- of their own, `seq`, so the same SQL runs on PostgreSQL (which has no rowid): a row's place in
-- insertion order, given by its insert as one more than the largest so far (writes are serial on
-- both engines).
-- A person's favourites in the order they were added (one more than the person's largest, found
-- through the primary key's person_id prefix; no index of its own to keep on every insert).
ALTER TABLE favourites ADD COLUMN seq INTEGER;
UPDATE favourites SET seq = rowid;

ALTER TABLE volunteer_mall_items ADD COLUMN seq INTEGER;
UPDATE volunteer_mall_items SET seq = rowid;
CREATE UNIQUE INDEX volunteer_mall_items_by_seq ON volunteer_mall_items(seq);

ALTER TABLE city_receipts ADD COLUMN seq INTEGER;
UPDATE city_receipts SET seq = rowid;
CREATE UNIQUE INDEX city_receipts_by_seq ON city_receipts(seq);
