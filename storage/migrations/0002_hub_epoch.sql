-- A hub restored from an older copy numbers its events anew (a new epoch): the desk
-- then forgets the old numbers (sets them NULL) and takes the new ones. A number is
-- still never changed into another directly.
DROP TRIGGER events_hub_seq_once;
CREATE TRIGGER events_hub_seq_once BEFORE UPDATE OF hub_seq ON events
WHEN OLD.hub_seq IS NOT NULL AND NEW.hub_seq IS NOT NULL AND NEW.hub_seq IS NOT OLD.hub_seq
BEGIN
    SELECT RAISE(ABORT, 'hub sequence number already set');
END;
