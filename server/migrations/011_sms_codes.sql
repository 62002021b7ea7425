-- SMS codes for signing up and resetting a password: one live code per number and purpose (a new
-- code replaces the old). Only an HMAC-SHA-256 of the code is kept, keyed with a secret that
-- lives in the server's memory alone (made at start, never written), so a copy of the database
-- and its WAL cannot be searched for the six digits offline.
CREATE TABLE sms_codes (
    mobile     TEXT    NOT NULL,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('sign-up', 'reset')),
    code_hash  BLOB    NOT NULL CHECK (length(code_hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    -- Tries counted so far, right or wrong, each before the digits were compared.
    tries      INTEGER NOT NULL DEFAULT 0 CHECK (tries >= 0),
    used_at    INTEGER,
    PRIMARY KEY (mobile, purpose)
) STRICT;
CREATE INDEX sms_codes_by_expiry ON sms_codes(expires_at);
