-- Photos' bytes may live outside the database, in a photo store (`--photos`: an S3-compatible
-- bucket or a shared directory), with `bytes` NULL in the row; the row keeps the size, so the
-- quotas read it whichever way the bytes are kept. As SQLite's 017. (001's CHECK on two columns
-- was named photos_check by PostgreSQL.)
ALTER TABLE photos ALTER COLUMN bytes DROP NOT NULL;
ALTER TABLE photos DROP CONSTRAINT photos_check;
ALTER TABLE photos ADD CONSTRAINT photos_size_check
    CHECK (size > 0 AND (bytes IS NULL OR size = octet_length(bytes)));
