-- LAPOR Desk hub, schema 1.
--
-- events is the record: append-only, numbered by the hub (seq), the canonical order
-- of every report's history on every desk. feed and visibility say which unit's
-- devices receive which events; they only grow.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    coordinator INTEGER NOT NULL DEFAULT 0
);

-- One-time enrolment tokens, kept hashed.
CREATE TABLE enrolments (
    token_hash TEXT PRIMARY KEY,
    unit       TEXT NOT NULL REFERENCES units (code),
    role       TEXT NOT NULL CHECK (role IN ('unit', 'coordinator')),
    created_at INTEGER NOT NULL,             -- Unix seconds
    expires_at INTEGER NOT NULL,
    device_id  TEXT,                         -- the device that used it
    used_at    INTEGER
);

-- Enrolled desktops; the bearer token is kept hashed.
CREATE TABLE devices (
    id         TEXT PRIMARY KEY,
    unit       TEXT NOT NULL REFERENCES units (code),
    role       TEXT NOT NULL CHECK (role IN ('unit', 'coordinator')),
    name       TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER,
    revoked_at INTEGER
);

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT, -- monotonic, never reused
    id          TEXT    NOT NULL UNIQUE,
    report_id   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    unit        TEXT    NOT NULL,
    body        BLOB    NOT NULL,                  -- canonical JSON, as the desk sent it
    hash        TEXT    NOT NULL,                  -- hex SHA-256 of body
    device      TEXT    NOT NULL,
    received_at INTEGER NOT NULL                   -- Unix milliseconds
);
CREATE INDEX events_report ON events (report_id, seq);

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- Events kept but not applied: stale or illegal when they arrived.
CREATE TABLE conflicts (
    seq    INTEGER PRIMARY KEY REFERENCES events (seq),
    reason TEXT NOT NULL
);

-- The units a report is, or was, with (Report.Units), from the event that first
-- made it so.
CREATE TABLE visibility (
    report_id TEXT    NOT NULL,
    unit      TEXT    NOT NULL,
    since_seq INTEGER NOT NULL,
    PRIMARY KEY (report_id, unit)
) WITHOUT ROWID;
CREATE INDEX visibility_unit ON visibility (unit);

-- Each unit's feed: the events its devices receive, in the order they became
-- visible to it. A report handed to a unit brings its earlier history into the feed
-- at that moment, so a device's cursor (a feed position) never misses them.
CREATE TABLE feed (
    pos  INTEGER PRIMARY KEY AUTOINCREMENT,
    unit TEXT    NOT NULL,
    seq  INTEGER NOT NULL REFERENCES events (seq)
);
CREATE UNIQUE INDEX feed_unit_pos ON feed (unit, pos);
CREATE UNIQUE INDEX feed_unit_seq ON feed (unit, seq);

-- Which reports name which attachment: a device may fetch or upload only the
-- attachments of reports it sees.
CREATE TABLE blob_refs (
    sha256    TEXT NOT NULL,
    report_id TEXT NOT NULL,
    PRIMARY KEY (sha256, report_id)
) WITHOUT ROWID;
CREATE INDEX blob_refs_report ON blob_refs (report_id);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    mime   TEXT    NOT NULL DEFAULT '',
    data   BLOB    NOT NULL
);

-- Uploads under way, resumable from length(data).
CREATE TABLE uploads (
    sha256     TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mime       TEXT    NOT NULL DEFAULT '',
    data       BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Reference data the hub distributes (categories, holidays, weekend, policy), JSON.
CREATE TABLE refdata (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
