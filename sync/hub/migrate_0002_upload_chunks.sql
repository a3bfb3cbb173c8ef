-- Uploads keep their chunks apart: appending with data || ? made the bytes TEXT, and a
-- binary file (a phone photo) was cut at its first NUL byte. Uploads under way are
-- dropped (they may be cut already); desks send them again from the start.
DELETE FROM uploads;
ALTER TABLE uploads DROP COLUMN data;
ALTER TABLE uploads ADD COLUMN received INTEGER NOT NULL DEFAULT 0;
CREATE TABLE upload_chunks (
    sha256 TEXT    NOT NULL,
    offset INTEGER NOT NULL,
    data   BLOB    NOT NULL,
    PRIMARY KEY (sha256, offset)
) WITHOUT ROWID;
