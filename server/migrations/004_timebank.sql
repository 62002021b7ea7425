-- The time bank (时间银行), one bank per community: what the core's TimeBank is restored from
-- (records, transfers, family links) and, beside it, the ledger's entries with the balance after
-- each, so a statement page or a balance is one index lookup. Ids are the core's: per community,
-- from 0, in order. Members are people; the pool is NULL in transfers and 'pool' in entries.

CREATE TABLE timebank_records (
    community  TEXT    NOT NULL,
    id         INTEGER NOT NULL CHECK (id >= 0),
    provider   INTEGER NOT NULL REFERENCES people(id),
    recipient  INTEGER NOT NULL REFERENCES people(id),
    service    TEXT    NOT NULL,
    start      INTEGER NOT NULL,
    duration   INTEGER NOT NULL CHECK (duration BETWEEN 15 AND 480),
    note       TEXT,
    payer      TEXT    NOT NULL CHECK (payer IN ('recipient', 'pool')),
    logged_at  INTEGER NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('pending', 'confirmed', 'rejected')),
    decided_by INTEGER REFERENCES people(id),
    decided_at INTEGER,
    -- The transfer that paid a confirmed record.
    transfer   INTEGER,
    -- Why a rejected record was rejected.
    reason     TEXT,
    PRIMARY KEY (community, id),
    CHECK (provider <> recipient),
    CHECK ((state = 'pending') = (decided_by IS NULL)),
    CHECK ((state = 'confirmed') = (transfer IS NOT NULL))
) STRICT;
CREATE INDEX timebank_records_by_provider ON timebank_records(provider, state);
CREATE INDEX timebank_records_by_recipient ON timebank_records(recipient, state);

CREATE TABLE timebank_transfers (
    community   TEXT    NOT NULL,
    id          INTEGER NOT NULL CHECK (id >= 0),
    at          INTEGER NOT NULL,
    from_member INTEGER REFERENCES people(id),
    to_member   INTEGER REFERENCES people(id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    kind        TEXT    NOT NULL CHECK (kind IN ('service', 'gift')),
    -- The record a service transfer paid.
    record      INTEGER,
    PRIMARY KEY (community, id),
    CHECK ((kind = 'service') = (record IS NOT NULL)),
    CHECK (from_member IS NOT to_member)
) STRICT;
-- A record is paid at most once.
CREATE UNIQUE INDEX timebank_transfers_paying ON timebank_transfers(community, record)
    WHERE record IS NOT NULL;

-- Two entries per transfer, minus on one side and plus on the other.
CREATE TABLE timebank_entries (
    community    TEXT    NOT NULL,
    account      TEXT    NOT NULL,
    transfer     INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    counterparty TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('service', 'gift')),
    record       INTEGER,
    delta        INTEGER NOT NULL CHECK (delta <> 0),
    balance      INTEGER NOT NULL CHECK (account = 'pool' OR balance >= 0),
    PRIMARY KEY (community, account, transfer),
    FOREIGN KEY (community, transfer) REFERENCES timebank_transfers(community, id)
) STRICT, WITHOUT ROWID;

-- Each pair once, the smaller person id first.
CREATE TABLE timebank_family (
    community TEXT    NOT NULL,
    a         INTEGER NOT NULL REFERENCES people(id),
    b         INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (community, a, b),
    CHECK (a < b)
) STRICT, WITHOUT ROWID;
CREATE INDEX timebank_family_by_b ON timebank_family(community, b);
