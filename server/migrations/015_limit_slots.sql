-- Attempt limits (sign-in, host credentials, SMS code requests, check-in codes, photo uploads,
-- the time bank's look-ups), kept here instead of in one process's memory so that every replica
-- counts against the same tallies. One row per key's state in one part of one limit: the core's
-- `throttle::Slot` (`marked_at`: a window's start or a last failure; `tally`: the attempts or
-- failures counted) and when it stops mattering (`forget_at`), after which housekeeping deletes
-- it.
CREATE TABLE limit_slots (
    limit_name TEXT    NOT NULL,
    part       TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    marked_at  INTEGER NOT NULL,
    tally      INTEGER NOT NULL CHECK (tally >= 0),
    forget_at  INTEGER NOT NULL,
    PRIMARY KEY (limit_name, part, key)
) STRICT;
CREATE INDEX limit_slots_by_expiry ON limit_slots(forget_at);
