-- Photo limits: the per-person daily quota reads one person's uploads of the last 24 hours,
-- and the housekeeping purge finds uncited photos by age. Both by index, not by a scan of every
-- photo's row (the bytes live in the rows).
CREATE INDEX photos_by_owner_time ON photos (owner_id, created_at);
CREATE INDEX photos_by_time ON photos (created_at);
