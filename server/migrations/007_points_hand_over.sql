-- Points: separation of duties. A redemption is handed over at the counter by staff, which the
-- ledger records as its own entry (`hand_over`: the redemption, its member and item; no points,
-- no stock). After hand-over only staff (not the redeemer) may cancel it.
--
-- SQLite cannot change a CHECK constraint in place, so the ledger is copied into a table that
-- allows the new kind, entry for entry and in order, and takes the old one's name, indexes and
-- append-only triggers. Nothing in the ledger changes: the copy is the same rows.

CREATE TABLE volunteer_points_v7 (
    community        TEXT    NOT NULL,
    seq              INTEGER NOT NULL CHECK (seq >= 0),
    at               INTEGER NOT NULL,
    kind             TEXT    NOT NULL
        CHECK (kind IN ('award', 'redeem', 'cancel_redeem', 'restock', 'hand_over')),
    member           INTEGER REFERENCES people(id),
    item             TEXT,
    activity         TEXT,
    points           INTEGER CHECK (points BETWEEN 1 AND 1000000),
    verified_minutes INTEGER CHECK (verified_minutes BETWEEN 0 AND 1440),
    quantity         INTEGER CHECK (quantity >= 1),
    -- The redemption a cancellation undoes, or a hand-over gives out.
    redemption       INTEGER CHECK (redemption < seq),
    PRIMARY KEY (community, seq),
    FOREIGN KEY (community, activity) REFERENCES volunteer_activities(community, id),
    FOREIGN KEY (community, item) REFERENCES volunteer_mall_items(community, id),
    FOREIGN KEY (community, redemption) REFERENCES volunteer_points_v7(community, seq),
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
        WHEN 'hand_over' THEN member IS NOT NULL AND item IS NOT NULL AND redemption IS NOT NULL
            AND points IS NULL AND activity IS NULL AND verified_minutes IS NULL
            AND quantity IS NULL
        ELSE item IS NOT NULL AND quantity IS NOT NULL
            AND member IS NULL AND activity IS NULL AND points IS NULL
            AND verified_minutes IS NULL AND redemption IS NULL
    END)
) STRICT, WITHOUT ROWID;

INSERT INTO volunteer_points_v7
    (community, seq, at, kind, member, item, activity, points, verified_minutes, quantity,
     redemption)
SELECT community, seq, at, kind, member, item, activity, points, verified_minutes, quantity,
       redemption
FROM volunteer_points ORDER BY community, seq;

-- Dropping a table takes its indexes and triggers with it (the triggers only stop UPDATE and
-- DELETE statements, not DROP).
DROP TABLE volunteer_points;
ALTER TABLE volunteer_points_v7 RENAME TO volunteer_points;

-- Verifying a person at an activity credits them once.
CREATE UNIQUE INDEX volunteer_points_award_once ON volunteer_points(community, member, activity)
    WHERE kind = 'award';
-- A redemption is cancelled at most once, and handed over at most once.
CREATE UNIQUE INDEX volunteer_points_cancel_once ON volunteer_points(community, redemption)
    WHERE kind = 'cancel_redeem';
CREATE UNIQUE INDEX volunteer_points_hand_over_once ON volunteer_points(community, redemption)
    WHERE kind = 'hand_over';
-- A member's history; a month's awards for the leaderboard; the redemptions at the counter.
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
