-- Listing apps asks which have a build under way, and start-up fails the interrupted ones: with a partial index
-- both read only the few pending rows instead of every build and release ever made.
CREATE INDEX builds_pending ON builds (app_id) WHERE status = 'pending';
CREATE INDEX releases_pending ON releases (app_id) WHERE status = 'pending';
