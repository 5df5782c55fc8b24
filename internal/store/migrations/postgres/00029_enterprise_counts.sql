-- +goose Up
-- The registry's counts without a recount (issue 14): how many
-- enterprises, and how many of them lack a credit code, per lane (a
-- county's path and a sector), industry and production state. The
-- registry's total, the home page's and the worklist's figures read a few
-- hundred rows, not the registry. Triggers keep it in the same transaction
-- as every write to enterprises, whichever code writes.
CREATE TABLE enterprise_counts (
    region_path      TEXT COLLATE "C" NOT NULL,
    sector           TEXT NOT NULL,
    industry_id      BIGINT NOT NULL,
    production_state TEXT NOT NULL,
    n                INTEGER NOT NULL DEFAULT 0,
    missing_codes    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region_path, sector, industry_id, production_state)
);
INSERT INTO enterprise_counts (region_path, sector, industry_id, production_state, n, missing_codes)
    SELECT region_path, sector, industry_id, production_state, COUNT(*), COUNT(*) FILTER (WHERE credit_code IS NULL)
    FROM enterprises GROUP BY region_path, sector, industry_id, production_state;

-- +goose StatementBegin
CREATE FUNCTION enterprise_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE enterprise_counts SET n = n - 1, missing_codes = missing_codes - CASE WHEN OLD.credit_code IS NULL THEN 1 ELSE 0 END
            WHERE region_path = OLD.region_path AND sector = OLD.sector AND industry_id = OLD.industry_id
            AND production_state = OLD.production_state;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO enterprise_counts (region_path, sector, industry_id, production_state, n, missing_codes)
            VALUES (NEW.region_path, NEW.sector, NEW.industry_id, NEW.production_state, 1, CASE WHEN NEW.credit_code IS NULL THEN 1 ELSE 0 END)
            ON CONFLICT (region_path, sector, industry_id, production_state) DO UPDATE SET n = enterprise_counts.n + excluded.n,
                missing_codes = enterprise_counts.missing_codes + excluded.missing_codes;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER enterprise_counts_follow AFTER INSERT OR DELETE ON enterprises FOR EACH ROW EXECUTE FUNCTION enterprise_counts_follow();
CREATE TRIGGER enterprise_counts_follow_update AFTER UPDATE OF region_path, sector, industry_id, production_state, credit_code ON enterprises
    FOR EACH ROW WHEN (OLD.region_path IS DISTINCT FROM NEW.region_path OR OLD.sector IS DISTINCT FROM NEW.sector
        OR OLD.industry_id IS DISTINCT FROM NEW.industry_id OR OLD.production_state IS DISTINCT FROM NEW.production_state
        OR (OLD.credit_code IS NULL) <> (NEW.credit_code IS NULL))
    EXECUTE FUNCTION enterprise_counts_follow();

-- The key list in its order (region, enterprise), its lane checked in
-- passing: a deep page of the list walks this index, not a sort.
CREATE INDEX key_list_ordered ON key_list(year, region_path, enterprise_id, sector);

-- +goose Down
DROP INDEX key_list_ordered;
DROP TRIGGER enterprise_counts_follow_update ON enterprises;
DROP TRIGGER enterprise_counts_follow ON enterprises;
DROP FUNCTION enterprise_counts_follow();
DROP TABLE enterprise_counts;
