-- People, their roles, their sign-in sessions, and replies kept for idempotent retries.
CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    mobile        TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    community     TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE person_roles (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role      TEXT    NOT NULL CHECK (role IN ('resident', 'volunteer', 'staff')),
    PRIMARY KEY (person_id, role)
) STRICT, WITHOUT ROWID;

-- Only a digest of each token is kept: a copy of the database signs nobody in.
CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
CREATE INDEX sessions_by_person ON sessions(person_id);

CREATE TABLE favourites (
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    tile       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (person_id, tile)
) STRICT;

-- status 0 marks a request still being handled.
CREATE TABLE idempotency_keys (
    scope        TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    request_hash BLOB    NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT,
    body         BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT;
CREATE INDEX idempotency_by_age ON idempotency_keys(created_at);
