-- Events the hub's administrator set aside (lapordesk-server quarantine): kept in the
-- append-only record, but no longer handed to desks or counted in a report's state.
CREATE TABLE quarantine (
    seq    INTEGER PRIMARY KEY REFERENCES events (seq),
    reason TEXT    NOT NULL,
    at     INTEGER NOT NULL -- Unix seconds
);
