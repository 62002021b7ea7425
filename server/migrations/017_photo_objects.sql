-- Photos' bytes may live outside the database, in a photo store (`--photos`: an S3-compatible
-- bucket or a shared directory), with `bytes` NULL in the row; the row keeps the size, so the
-- quotas read it whichever way the bytes are kept. SQLite changes a column's NOT NULL and CHECK
-- only by rebuilding its table, and `request_photos` cites photos: with foreign keys on (they
-- cannot be turned off inside the migration's transaction) dropping the photos it cites would
-- count as deleting them, so it is rebuilt too, citing the new table, whose renaming then
-- renames its references.
CREATE TABLE photos_kept_anywhere (
    id           TEXT    PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES people(id),
    content_type TEXT    NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes        BLOB,
    size         INTEGER NOT NULL CHECK (size > 0 AND (bytes IS NULL OR size = length(bytes))),
    created_at   INTEGER NOT NULL
) STRICT;
INSERT INTO photos_kept_anywhere (id, owner_id, content_type, bytes, size, created_at)
    SELECT id, owner_id, content_type, bytes, size, created_at FROM photos;
CREATE TABLE request_photos_citing (
    request_id INTEGER NOT NULL REFERENCES requests(id),
    photo_id   TEXT    NOT NULL UNIQUE REFERENCES photos_kept_anywhere(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (request_id, position)
) STRICT;
INSERT INTO request_photos_citing (request_id, photo_id, position)
    SELECT request_id, photo_id, position FROM request_photos;
DROP TABLE request_photos;
DROP TABLE photos;
ALTER TABLE photos_kept_anywhere RENAME TO photos;
ALTER TABLE request_photos_citing RENAME TO request_photos;
CREATE INDEX photos_by_owner_time ON photos (owner_id, created_at);
CREATE INDEX photos_by_time ON photos (created_at);
