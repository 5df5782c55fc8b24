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
CREATE TRIGGER hazard_stop_ordered_given AFTER INSERT ON hazards
WHEN EXISTS (SELECT 1 FROM documents d WHERE d.inspection_id = NEW.inspection_id AND d.kind = 'stop_order')
BEGIN
    UPDATE hazards SET stop_ordered = 1 WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER hazard_stop_ordered_issued AFTER INSERT ON documents WHEN NEW.kind = 'stop_order'
BEGIN
    UPDATE hazards SET stop_ordered = 1 WHERE inspection_id = NEW.inspection_id AND stop_ordered = 0;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER hazard_stop_ordered_withdrawn AFTER DELETE ON documents WHEN OLD.kind = 'stop_order'
BEGIN
    UPDATE hazards SET stop_ordered = EXISTS (SELECT 1 FROM documents d WHERE d.inspection_id = OLD.inspection_id AND d.kind = 'stop_order')
        WHERE inspection_id = OLD.inspection_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER hazard_stop_ordered_changed AFTER UPDATE OF kind, inspection_id ON documents
WHEN OLD.kind = 'stop_order' OR NEW.kind = 'stop_order'
BEGIN
    UPDATE hazards SET stop_ordered = EXISTS (SELECT 1 FROM documents d WHERE d.inspection_id = hazards.inspection_id AND d.kind = 'stop_order')
        WHERE inspection_id IN (OLD.inspection_id, NEW.inspection_id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER hazard_stop_ordered_changed;
DROP TRIGGER hazard_stop_ordered_withdrawn;
DROP TRIGGER hazard_stop_ordered_issued;
DROP TRIGGER hazard_stop_ordered_given;
DROP INDEX hazards_major_no_stop;
ALTER TABLE hazards DROP COLUMN stop_ordered;
