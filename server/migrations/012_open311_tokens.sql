-- GeoReport v2's `token` for a request filed through `/open311/v2`: 128 random bits, a capability
-- only for the request's id (`GET tokens/{token}` answers the id and nothing else). Requests filed
-- through `/api/v1` have none.
ALTER TABLE requests ADD COLUMN open311_token TEXT;
CREATE UNIQUE INDEX requests_by_open311_token ON requests(open311_token)
    WHERE open311_token IS NOT NULL;
