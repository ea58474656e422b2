-- Sleeping is desired state: an app asleep when slipwayd stops stays asleep when it starts.
ALTER TABLE apps ADD COLUMN sleeping INTEGER NOT NULL DEFAULT 0;

-- Metered free/eco dyno time, per account, pool, calendar month (UTC, 'YYYY-MM') and app, in seconds.
CREATE TABLE quota_usage (
    account_id TEXT NOT NULL,
    pool TEXT NOT NULL,
    month TEXT NOT NULL,
    app_id TEXT NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (account_id, pool, month, app_id)
);

-- Quota notifications (80 % and 100 %), once per account, pool and month.
CREATE TABLE quota_events (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    pool TEXT NOT NULL,
    month TEXT NOT NULL,
    level INTEGER NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (account_id, pool, month, level)
);
