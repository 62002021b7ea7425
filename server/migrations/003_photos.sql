-- Photos of requests. A photo is uploaded first, on its own, and cited by the request filed
-- after it, so a slow upload never holds a request back. The bytes live in the database with
-- everything else: one file to back up, and a request and its photos commit together.
CREATE TABLE photos (
    id           TEXT    PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES people(id),
    content_type TEXT    NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes        BLOB    NOT NULL,
    size         INTEGER NOT NULL CHECK (size = length(bytes)),
    created_at   INTEGER NOT NULL
) STRICT;

-- A request's photos in order. UNIQUE (photo_id): a photo belongs to at most one request.
CREATE TABLE request_photos (
    request_id INTEGER NOT NULL REFERENCES requests(id),
    photo_id   TEXT    NOT NULL UNIQUE REFERENCES photos(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (request_id, position)
) STRICT;
