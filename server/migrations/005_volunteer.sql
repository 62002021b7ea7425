-- Volunteering (志愿积分), per community: activities with their sign-ups, the points mall's
-- items, and the points ledger, from which every balance and every stock is a sum (the core's
-- PointsBook is restored from it, entry by entry, through its rules). Members are people;
-- activity and item ids are short strings the server makes up ([A-Za-z0-9_-], 1–64).

CREATE TABLE volunteer_activities (
    community  TEXT    NOT NULL,
    id         TEXT    NOT NULL
        CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9_-]*'),
    -- Texts as the core bounded them (title 2–60 characters, place 2–100, details 1–1,000).
    title      TEXT    NOT NULL,
    place      TEXT    NOT NULL,
    details    TEXT,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    slots      INTEGER NOT NULL CHECK (slots BETWEEN 1 AND 500),
    -- The award rule: `per_hour` points an hour up to `award_cap`, or `fixed` points.
    award_kind TEXT    NOT NULL CHECK (award_kind IN ('per_hour', 'fixed')),
    award      INTEGER NOT NULL CHECK (award BETWEEN 1 AND 1000000),
    award_cap  INTEGER CHECK (award_cap BETWEEN 1 AND 1000000),
    -- The check-in secret (TOTP key), lowercase hex: it never leaves the server.
    secret     TEXT    NOT NULL
        CHECK (length(secret) BETWEEN 32 AND 128 AND secret NOT GLOB '*[^0-9a-f]*'),
    created_by INTEGER NOT NULL REFERENCES people(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (community, id),
    CHECK (ends_at > starts_at),
    CHECK ((award_kind = 'per_hour') = (award_cap IS NOT NULL))
) STRICT;
CREATE INDEX volunteer_activities_by_end ON volunteer_activities(community, ends_at);

-- One row per person signed up; `id` keeps the sign-up order (a cancelled and renewed sign-up
-- goes to the end, as in the core).
CREATE TABLE volunteer_signups (
    id               INTEGER PRIMARY KEY,
    community        TEXT    NOT NULL,
    activity         TEXT    NOT NULL,
    member           INTEGER NOT NULL REFERENCES people(id),
    signed_up_at     INTEGER NOT NULL,
    checked_in_at    INTEGER,
    checked_out_at   INTEGER,
    verified_minutes INTEGER CHECK (verified_minutes BETWEEN 0 AND 1440),
    points           INTEGER CHECK (points >= 0),
    verified_at      INTEGER,
    UNIQUE (community, activity, member),
    FOREIGN KEY (community, activity) REFERENCES volunteer_activities(community, id),
    CHECK (checked_out_at IS NULL OR checked_out_at >= checked_in_at),
    CHECK ((verified_minutes IS NULL) = (points IS NULL)
       AND (points IS NULL) = (verified_at IS NULL)),
    -- Nobody is verified who did not check in.
    CHECK (verified_at IS NULL OR checked_in_at IS NOT NULL)
) STRICT;
CREATE INDEX volunteer_signups_by_member ON volunteer_signups(member);

CREATE TABLE volunteer_mall_items (
    community  TEXT    NOT NULL,
    id         TEXT    NOT NULL
        CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9_-]*'),
    -- 2–40 and 1–200 characters, as the core bounded them.
    name       TEXT    NOT NULL,
    details    TEXT,
    price      INTEGER NOT NULL CHECK (price BETWEEN 1 AND 1000000),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (community, id)
) STRICT;

-- The points ledger, append-only: `seq` is the core's entry number, per community, from 0.
-- `points` is an award's points or a redemption's (and its cancellation's) price.
CREATE TABLE volunteer_points (
    community        TEXT    NOT NULL,
    seq              INTEGER NOT NULL CHECK (seq >= 0),
    at               INTEGER NOT NULL,
    kind             TEXT    NOT NULL
        CHECK (kind IN ('award', 'redeem', 'cancel_redeem', 'restock')),
    member           INTEGER REFERENCES people(id),
    item             TEXT,
    activity         TEXT,
    points           INTEGER CHECK (points BETWEEN 1 AND 1000000),
    verified_minutes INTEGER CHECK (verified_minutes BETWEEN 0 AND 1440),
    quantity         INTEGER CHECK (quantity >= 1),
    -- The redemption a cancellation undoes.
    redemption       INTEGER CHECK (redemption < seq),
    PRIMARY KEY (community, seq),
    FOREIGN KEY (community, activity) REFERENCES volunteer_activities(community, id),
    FOREIGN KEY (community, item) REFERENCES volunteer_mall_items(community, id),
    FOREIGN KEY (community, redemption) REFERENCES volunteer_points(community, seq),
    CHECK (CASE kind
        WHEN 'award' THEN member IS NOT NULL AND activity IS NOT NULL AND points IS NOT NULL
            AND verified_minutes IS NOT NULL
            AND item IS NULL AND quantity IS NULL AND redemption IS NULL
        WHEN 'redeem' THEN member IS NOT NULL AND item IS NOT NULL AND points IS NOT NULL
            AND activity IS NULL AND verified_minutes IS NULL AND quantity IS NULL
            AND redemption IS NULL
        WHEN 'cancel_redeem' THEN member IS NOT NULL AND item IS NOT NULL
            AND points IS NOT NULL AND redemption IS NOT NULL
            AND activity IS NULL AND verified_minutes IS NULL AND quantity IS NULL
        ELSE item IS NOT NULL AND quantity IS NOT NULL
            AND member IS NULL AND activity IS NULL AND points IS NULL
            AND verified_minutes IS NULL AND redemption IS NULL
    END)
) STRICT, WITHOUT ROWID;
-- Verifying a person at an activity credits them once.
CREATE UNIQUE INDEX volunteer_points_award_once ON volunteer_points(community, member, activity)
    WHERE kind = 'award';
-- A redemption is cancelled at most once.
CREATE UNIQUE INDEX volunteer_points_cancel_once ON volunteer_points(community, redemption)
    WHERE kind = 'cancel_redeem';
-- A member's history; a month's awards for the leaderboard.
CREATE INDEX volunteer_points_by_member ON volunteer_points(community, member, seq)
    WHERE member IS NOT NULL;
CREATE INDEX volunteer_points_awards ON volunteer_points(community, at) WHERE kind = 'award';

-- Balances and stock are sums over the history: the history never changes.
CREATE TRIGGER volunteer_points_no_update BEFORE UPDATE ON volunteer_points
BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;
CREATE TRIGGER volunteer_points_no_delete BEFORE DELETE ON volunteer_points
BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;
