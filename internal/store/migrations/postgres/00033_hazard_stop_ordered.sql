-- +goose Up
-- Whether a hazard's inspection issued a stop-production order
-- (现场处理措施决定书, kind stop_order), kept on the hazard by triggers on
-- documents and hazards, so that the worklist's group of major hazards
-- without one reads a partial index of those alone (issue 14) instead of
-- looking up each major pending hazard's documents.
ALTER TABLE hazards ADD COLUMN stop_ordered INTEGER NOT NULL DEFAULT 0;
UPDATE hazards SET stop_ordered = 1
    WHERE EXISTS (SELECT 1 FROM documents d WHERE d.inspection_id = hazards.inspection_id AND d.kind = 'stop_order');
CREATE INDEX hazards_major_no_stop ON hazards(region_path, sector, found_on) WHERE level = 'major' AND status <> 'passed' AND stop_ordered = 0;

-- +goose StatementBegin
CREATE FUNCTION hazard_stop_ordered_given() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.stop_ordered := CASE WHEN EXISTS (SELECT 1 FROM documents d WHERE d.inspection_id = NEW.inspection_id AND d.kind = 'stop_order')
        THEN 1 ELSE 0 END;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER hazard_stop_ordered_given BEFORE INSERT ON hazards FOR EACH ROW EXECUTE FUNCTION hazard_stop_ordered_given();

-- +goose StatementBegin
CREATE FUNCTION hazard_stop_ordered_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind = 'stop_order' THEN
        UPDATE hazards h SET stop_ordered = CASE WHEN EXISTS (SELECT 1 FROM documents d WHERE d.inspection_id = OLD.inspection_id
            AND d.kind = 'stop_order') THEN 1 ELSE 0 END WHERE h.inspection_id = OLD.inspection_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kind = 'stop_order' THEN
        UPDATE hazards SET stop_ordered = 1 WHERE inspection_id = NEW.inspection_id AND stop_ordered = 0;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER hazard_stop_ordered_follow AFTER INSERT OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION hazard_stop_ordered_follow();
CREATE TRIGGER hazard_stop_ordered_follow_update AFTER UPDATE OF kind, inspection_id ON documents FOR EACH ROW
    WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.inspection_id IS DISTINCT FROM NEW.inspection_id)
    EXECUTE FUNCTION hazard_stop_ordered_follow();

-- +goose Down
DROP TRIGGER hazard_stop_ordered_follow_update ON documents;
DROP TRIGGER hazard_stop_ordered_follow ON documents;
DROP FUNCTION hazard_stop_ordered_follow();
DROP TRIGGER hazard_stop_ordered_given ON hazards;
DROP FUNCTION hazard_stop_ordered_given();
DROP INDEX hazards_major_no_stop;
ALTER TABLE hazards DROP COLUMN stop_ordered;
