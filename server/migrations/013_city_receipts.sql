-- The receipts of a signed-in person's filings at a city's GeoReport endpoint (the city knows
-- nobody here): the request's id, the deferred filing's token, or both. Kept with the endpoint
-- the served config named when they were filed, so a changed endpoint hides them.
CREATE TABLE city_receipts (
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    endpoint   TEXT    NOT NULL,
    request_id TEXT,
    token      TEXT,
    filed_at   INTEGER NOT NULL,
    CHECK (request_id IS NOT NULL OR token IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX city_receipts_by_id ON city_receipts(person_id, endpoint, request_id)
    WHERE request_id IS NOT NULL;
CREATE UNIQUE INDEX city_receipts_by_token ON city_receipts(person_id, endpoint, token)
    WHERE token IS NOT NULL;
