-- +goose Up
-- The registry's search by part of a name (or of a credit code) reads an
-- index of the names' bigrams, two characters at a time, instead of every
-- name of the lane: Chinese has no spaces, and people type two or three
-- characters (鞍钢, 宏达), which pg_trgm cannot look up (a LIKE pattern
-- shorter than three characters gives it no trigram). A query of two
-- characters or more looks up each of its bigrams here and checks the few
-- enterprises that hold them all with LIKE, as before. Letters are lowered
-- as SQLite lowers them (ASCII only), so that both databases index alike.
-- Triggers keep the index equal to the names whatever writes them (per
-- statement for inserts, which the bulk loader makes a thousand at a
-- time); LaneMismatches checks it.

CREATE FUNCTION ascii_lower(s TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT translate(s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $$;

CREATE TABLE enterprise_grams (
    gram          TEXT COLLATE "C" NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    PRIMARY KEY (gram, enterprise_id)
);
CREATE INDEX enterprise_grams_enterprise ON enterprise_grams(enterprise_id);

INSERT INTO enterprise_grams (gram, enterprise_id)
    SELECT DISTINCT substr(ascii_lower(t.s), p.n, 2), t.id
    FROM (SELECT id, name AS s FROM enterprises UNION ALL SELECT id, credit_code FROM enterprises WHERE credit_code IS NOT NULL) t
    CROSS JOIN LATERAL generate_series(1, length(t.s) - 1) AS p(n);

-- +goose StatementBegin
CREATE FUNCTION enterprise_grams_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO enterprise_grams (gram, enterprise_id)
        SELECT DISTINCT substr(ascii_lower(t.s), p.n, 2), t.id
        FROM (SELECT id, name AS s FROM new_rows UNION ALL SELECT id, credit_code FROM new_rows WHERE credit_code IS NOT NULL) t
        CROSS JOIN LATERAL generate_series(1, length(t.s) - 1) AS p(n)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER enterprise_grams_insert AFTER INSERT ON enterprises
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION enterprise_grams_inserted();

-- +goose StatementBegin
CREATE FUNCTION enterprise_grams_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM enterprise_grams WHERE enterprise_id = NEW.id;
    INSERT INTO enterprise_grams (gram, enterprise_id)
        SELECT DISTINCT substr(ascii_lower(t.s), p.n, 2), NEW.id
        FROM (SELECT NEW.name AS s UNION ALL SELECT NEW.credit_code WHERE NEW.credit_code IS NOT NULL) t
        CROSS JOIN LATERAL generate_series(1, length(t.s) - 1) AS p(n);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER enterprise_grams_update AFTER UPDATE OF name, credit_code ON enterprises
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.credit_code IS DISTINCT FROM NEW.credit_code)
    EXECUTE FUNCTION enterprise_grams_updated();

-- +goose Down
DROP TRIGGER enterprise_grams_update ON enterprises;
DROP FUNCTION enterprise_grams_updated();
DROP TRIGGER enterprise_grams_insert ON enterprises;
DROP FUNCTION enterprise_grams_inserted();
DROP TABLE enterprise_grams;
DROP FUNCTION ascii_lower(TEXT);
