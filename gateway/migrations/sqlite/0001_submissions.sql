-- Every POST /v1/bulk the gateway forwarded, recorded before it left, and the mass
-- action it became. Times are Unix microseconds (UTC) so both backends sort them alike.
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    submitted_by TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    file_size BIGINT NOT NULL,
    md5 TEXT NOT NULL,
    action_type TEXT NOT NULL,
    track_id TEXT,
    bulk_key TEXT UNIQUE,
    status TEXT NOT NULL,
    http_status BIGINT,
    reasons TEXT NOT NULL DEFAULT '[]',
    total_count BIGINT,
    processed_count BIGINT,
    success_count BIGINT,
    error_count BIGINT,
    started_on TEXT,
    ended_on TEXT,
    output_url TEXT,
    last_checked_at BIGINT,
    lease_holder TEXT,
    lease_until BIGINT
);

CREATE INDEX submissions_newest ON submissions (submitted_at DESC, id DESC);
CREATE INDEX submissions_open ON submissions (status, lease_until);

-- The last 200 reply of GET /v1/bulk/{key}, as Zuora sent it, for any key the gateway
-- polled (also keys it did not submit itself).
CREATE TABLE status_replies (
    bulk_key TEXT PRIMARY KEY,
    content_type TEXT,
    body TEXT NOT NULL,
    fetched_at BIGINT NOT NULL
);
