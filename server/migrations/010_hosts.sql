-- Host apps that embed Citizen Cloud and sign their residents in with single-use codes
-- (`citizen-server add-host`). Only digests of secrets and codes are kept: a copy of the database
-- lets nobody ask for a code or sign anybody in.
CREATE TABLE hosts (
    id                   INTEGER PRIMARY KEY,
    client_id            TEXT    NOT NULL UNIQUE,
    secret_hash          BLOB    NOT NULL CHECK (length(secret_hash) = 32),
    name                 TEXT    NOT NULL,
    origin               TEXT    NOT NULL,
    -- The community the host serves: it signs in that community's people and creates residents there.
    community            TEXT    NOT NULL,
    may_create_residents INTEGER NOT NULL CHECK (may_create_residents IN (0, 1)),
    created_at           INTEGER NOT NULL
) STRICT;

CREATE TABLE host_codes (
    code_hash  BLOB    PRIMARY KEY CHECK (length(code_hash) = 32),
    host_id    INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    mobile     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX host_codes_by_expiry ON host_codes(expires_at);
