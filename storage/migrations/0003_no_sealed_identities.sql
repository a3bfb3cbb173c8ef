-- An Anonim reporter's identity as received was kept in sealed_identities, which
-- nothing ever read back. What is not kept cannot leak from a lost PC or backup:
-- the rows go, their pages zeroed (secure_delete), and the table with them.
PRAGMA secure_delete = ON;
DELETE FROM sealed_identities;
DROP TABLE sealed_identities;
