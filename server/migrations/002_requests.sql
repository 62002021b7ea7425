-- Requests (诉求). AUTOINCREMENT: an id, and so a tracking number, is never issued twice, even
-- after a deletion. The workflow (state, department, timeline…) is the core's, kept as JSON; the
-- columns beside it are copies for queues and statistics.
CREATE TABLE requests (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking    TEXT    NOT NULL UNIQUE,
    owner_id    INTEGER NOT NULL REFERENCES people(id),
    community   TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    description TEXT    NOT NULL,
    lat         REAL,
    lng         REAL,
    address     TEXT,
    contact     TEXT,
    anonymous   INTEGER NOT NULL,
    state       TEXT    NOT NULL,
    workflow    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX requests_by_owner ON requests(owner_id, id);
CREATE INDEX requests_by_queue ON requests(community, state, category);
