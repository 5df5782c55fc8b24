-- +goose Up
-- The month table of inspections keeps the person-times too (inspectors'
-- and experts'), so that the inspections list of whole months (or of no
-- dates) counts its totals from it (issue 14), as the hazards and
-- documents lists do.
ALTER TABLE inspection_months ADD COLUMN inspectors BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inspection_months ADD COLUMN experts BIGINT NOT NULL DEFAULT 0;
UPDATE inspection_months m SET inspectors = x.inspectors, experts = x.experts
    FROM (SELECT substr(date, 1, 7) AS month, region_path, sector, SUM(inspectors) AS inspectors, SUM(experts) AS experts
        FROM inspection_days GROUP BY 1, 2, 3) x
    WHERE x.month = m.month AND x.region_path = m.region_path AND x.sector = m.sector;
DROP TRIGGER inspection_months_update ON inspection_days;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION inspection_months_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inspection_months AS t (month, region_path, sector, n, inspectors, experts)
        VALUES (substr(NEW.date, 1, 7), NEW.region_path, NEW.sector,
            NEW.n - CASE WHEN TG_OP = 'UPDATE' THEN OLD.n ELSE 0 END,
            NEW.inspectors - CASE WHEN TG_OP = 'UPDATE' THEN OLD.inspectors ELSE 0 END,
            NEW.experts - CASE WHEN TG_OP = 'UPDATE' THEN OLD.experts ELSE 0 END)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = t.n + excluded.n, inspectors = t.inspectors + excluded.inspectors,
            experts = t.experts + excluded.experts;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER inspection_months_update AFTER UPDATE OF n, inspectors, experts ON inspection_days FOR EACH ROW
    WHEN (OLD.n <> NEW.n OR OLD.inspectors <> NEW.inspectors OR OLD.experts <> NEW.experts)
    EXECUTE FUNCTION inspection_months_change();

-- +goose Down
DROP TRIGGER inspection_months_update ON inspection_days;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION inspection_months_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inspection_months AS t (month, region_path, sector, n)
        VALUES (substr(NEW.date, 1, 7), NEW.region_path, NEW.sector, NEW.n - CASE WHEN TG_OP = 'UPDATE' THEN OLD.n ELSE 0 END)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER inspection_months_update AFTER UPDATE OF n ON inspection_days FOR EACH ROW WHEN (OLD.n <> NEW.n)
    EXECUTE FUNCTION inspection_months_change();
ALTER TABLE inspection_months DROP COLUMN experts;
ALTER TABLE inspection_months DROP COLUMN inspectors;
