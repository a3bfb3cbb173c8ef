-- LAPOR Desk store, schema 1.
--
-- events is the record: append-only, never updated (but for the hub sequence number,
-- set once) or deleted. Every other table below "projections" is derived from it and
-- can be rebuilt; settings, reference data and counters are configuration.

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,          -- local order of arrival
    id          TEXT    NOT NULL UNIQUE,      -- UUIDv7
    report_id   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    at          TEXT    NOT NULL,             -- RFC 3339, UTC
    unit        TEXT    NOT NULL,
    body        BLOB    NOT NULL,             -- canonical JSON of the event
    hash        TEXT    NOT NULL,             -- hex SHA-256 of body
    hub_seq     INTEGER UNIQUE,               -- the hub's sequence number, once known
    origin      TEXT    NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'hub'))
);
CREATE INDEX events_report ON events (report_id, seq);

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_no_update BEFORE UPDATE OF seq, id, report_id, kind, at, unit, body, hash, origin ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_hub_seq_once BEFORE UPDATE OF hub_seq ON events
WHEN OLD.hub_seq IS NOT NULL AND NEW.hub_seq IS NOT OLD.hub_seq
BEGIN
    SELECT RAISE(ABORT, 'hub sequence number already set');
END;

-- Events not yet acknowledged by the hub, in order.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY REFERENCES events (seq)
);

-- Sync cursor and other sync bookkeeping (key/value).
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Configuration.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL                       -- JSON
);

CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    coordinator INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE categories (
    id        TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES categories (id),
    name      TEXT NOT NULL,
    position  INTEGER NOT NULL
);

CREATE TABLE holidays (
    date TEXT PRIMARY KEY,                    -- YYYY-MM-DD
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);

-- Gap-free running numbers (agenda numbers, letter numbers), per name and year.
CREATE TABLE counters (
    name  TEXT    NOT NULL,
    year  INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (name, year)
);

-- Attachment contents, addressed by SHA-256.
CREATE TABLE blobs (
    sha256  TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    mime    TEXT NOT NULL DEFAULT '',
    data    BLOB NOT NULL
);

-- Projections: what the screens read, derived from events.
CREATE TABLE reports (
    rid               INTEGER PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,
    tracking_id       TEXT,                   -- NULL until LAPOR! assigns one
    agenda_no         TEXT    NOT NULL,
    classification    TEXT    NOT NULL,
    category_id       TEXT    NOT NULL DEFAULT '',
    category_path     TEXT    NOT NULL DEFAULT '',
    title             TEXT    NOT NULL,
    body              TEXT    NOT NULL,
    location_text     TEXT    NOT NULL DEFAULT '',
    channel           TEXT    NOT NULL,
    confidentiality   TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    status_rank       INTEGER NOT NULL,
    unit              TEXT    NOT NULL,
    received_at       INTEGER NOT NULL,       -- Unix milliseconds
    received_date     TEXT    NOT NULL,       -- office-local YYYY-MM-DD
    updated_at        INTEGER NOT NULL,
    step              TEXT    NOT NULL DEFAULT '',
    due_date          TEXT,                   -- the step's due date
    close_on          TEXT,                   -- auto-close date after a follow-up
    resolution_due    TEXT,
    late_date         TEXT,                   -- earliest of due_date and resolution_due
    sort_due          TEXT    NOT NULL,       -- late_date, else 'z' || close_on, else '~'
    first_response_at INTEGER,
    follow_up_at      INTEGER,
    version           INTEGER NOT NULL,
    conflicts         INTEGER NOT NULL DEFAULT 0,
    state             BLOB    NOT NULL        -- JSON of the report, identity masked
);
CREATE INDEX reports_tracking ON reports (tracking_id) WHERE tracking_id IS NOT NULL;
CREATE INDEX reports_agenda ON reports (agenda_no);
-- The list indexes: each gives one of the list orders (rid, unique, right after
-- the sort key keeps the order exact for keyset pages), then carries the filter
-- columns, so a filter is checked on the index entry and the row is read only for
-- the rows shown.
CREATE INDEX reports_status_due ON reports (status, sort_due, rid, unit, classification, channel, category_id, received_date);
CREATE INDEX reports_status_received ON reports (status, received_at, rid, unit, classification, channel, category_id, received_date);
CREATE INDEX reports_due ON reports (sort_due, rid, unit, status, classification, channel, category_id, received_date);
CREATE INDEX reports_received ON reports (received_at, rid, unit, status, classification, channel, category_id, received_date);
CREATE INDEX reports_rank_due ON reports (status_rank, sort_due, rid, unit, classification, channel, category_id, received_date);
-- Unit desks and the coordinator's per-unit views list by unit and status.
CREATE INDEX reports_unit_status ON reports (unit, status, sort_due, rid, classification, channel, category_id, received_date);
-- A category filter reads its own range and sorts it (every sort key is here).
CREATE INDEX reports_category ON reports (category_id, sort_due, rid, unit, status, status_rank, received_at, classification, channel, received_date);
-- Rekap reads a period's reports from this index alone (a row is a page of text).
CREATE INDEX reports_recap ON reports (received_date, unit, status, classification, channel, category_id, received_at, first_response_at, follow_up_at, sort_due);
CREATE INDEX reports_conflicts ON reports (conflicts) WHERE conflicts > 0;

-- How many reports each unit holds in each status, kept with the projection so the
-- desk's counters cost a lookup, not a scan of a million rows.
CREATE TABLE report_counts (
    unit   TEXT    NOT NULL,
    status TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (unit, status)
) WITHOUT ROWID;

-- Full-text search over the projection (external content: the text lives once).
CREATE VIRTUAL TABLE report_fts USING fts5 (
    title, body, location_text, category_path,
    content = 'reports', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2',
    -- Prefix indexes answer "jalan*" while the user types from one lookup instead
    -- of merging every term that starts so (about 5% more file for 50x less time).
    prefix = '2 3 4 5 6'
);

-- An Anonim reporter's identity as received, kept on the desk that received it and
-- nowhere else: events (which sync) carry it masked, and no screen, export, letter
-- or sync reads this table.
CREATE TABLE sealed_identities (
    report_id TEXT PRIMARY KEY,
    reporter  BLOB NOT NULL                   -- JSON
);
