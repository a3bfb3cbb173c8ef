-- The hub's epoch: a new one whenever the file goes back in time (a restore), so
-- desks know to re-offer what the hub may have lost and to read the feed again.
INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', lower(hex(randomblob(16))));
