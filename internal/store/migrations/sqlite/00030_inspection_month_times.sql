-- +goose Up
-- The month table of inspections keeps the person-times too (inspectors'
-- and experts'), so that the inspections list of whole months (or of no
-- dates) counts its totals from it (issue 14), as the hazards and
-- documents lists do.
ALTER TABLE inspection_months ADD COLUMN inspectors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inspection_months ADD COLUMN experts INTEGER NOT NULL DEFAULT 0;
UPDATE inspection_months SET
    inspectors = COALESCE((SELECT SUM(d.inspectors) FROM inspection_days d WHERE substr(d.date, 1, 7) = inspection_months.month
        AND d.region_path = inspection_months.region_path AND d.sector = inspection_months.sector), 0),
    experts = COALESCE((SELECT SUM(d.experts) FROM inspection_days d WHERE substr(d.date, 1, 7) = inspection_months.month
        AND d.region_path = inspection_months.region_path AND d.sector = inspection_months.sector), 0);
DROP TRIGGER inspection_months_insert;
DROP TRIGGER inspection_months_update;
-- +goose StatementBegin
CREATE TRIGGER inspection_months_insert AFTER INSERT ON inspection_days
BEGIN
    INSERT INTO inspection_months (month, region_path, sector, n, inspectors, experts)
        VALUES (substr(NEW.date, 1, 7), NEW.region_path, NEW.sector, NEW.n, NEW.inspectors, NEW.experts)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = n + excluded.n, inspectors = inspectors + excluded.inspectors,
            experts = experts + excluded.experts;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER inspection_months_update AFTER UPDATE OF n, inspectors, experts ON inspection_days
WHEN OLD.n <> NEW.n OR OLD.inspectors <> NEW.inspectors OR OLD.experts <> NEW.experts
BEGIN
    UPDATE inspection_months SET n = n + NEW.n - OLD.n, inspectors = inspectors + NEW.inspectors - OLD.inspectors,
        experts = experts + NEW.experts - OLD.experts
        WHERE month = substr(NEW.date, 1, 7) AND region_path = NEW.region_path AND sector = NEW.sector;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER inspection_months_insert;
DROP TRIGGER inspection_months_update;
-- +goose StatementBegin
CREATE TRIGGER inspection_months_insert AFTER INSERT ON inspection_days
BEGIN
    INSERT INTO inspection_months (month, region_path, sector, n) VALUES (substr(NEW.date, 1, 7), NEW.region_path, NEW.sector, NEW.n)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER inspection_months_update AFTER UPDATE OF n ON inspection_days WHEN OLD.n <> NEW.n
BEGIN
    UPDATE inspection_months SET n = n + NEW.n - OLD.n
        WHERE month = substr(NEW.date, 1, 7) AND region_path = NEW.region_path AND sector = NEW.sector;
END;
-- +goose StatementEnd
ALTER TABLE inspection_months DROP COLUMN experts;
ALTER TABLE inspection_months DROP COLUMN inspectors;
