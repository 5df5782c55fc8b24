-- +goose Up
-- The registry's search by part of a name (or of a credit code) reads an
-- index of the names' bigrams, two characters at a time, instead of every
-- name of the lane: Chinese has no spaces, and people type two or three
-- characters (鞍钢, 宏达). A query of two characters or more looks up each
-- of its bigrams here and checks the few enterprises that hold them all
-- with LIKE, as before. Letters are lowered (ASCII only, as SQLite's
-- lower() does), since SQLite's LIKE ignores their case. Triggers keep the
-- index equal to the names whatever writes them; LaneMismatches checks it.

-- The positions of a name's characters (names are at most 100, codes 18).
CREATE TABLE gram_positions (n INTEGER PRIMARY KEY);
INSERT INTO gram_positions (n)
    WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000) SELECT n FROM s;

CREATE TABLE enterprise_grams (
    gram          TEXT NOT NULL,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    PRIMARY KEY (gram, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX enterprise_grams_enterprise ON enterprise_grams(enterprise_id);

INSERT OR IGNORE INTO enterprise_grams (gram, enterprise_id)
    SELECT substr(lower(e.name), p.n, 2), e.id FROM enterprises e JOIN gram_positions p ON p.n < length(e.name)
    UNION SELECT substr(lower(e.credit_code), p.n, 2), e.id FROM enterprises e JOIN gram_positions p ON p.n < length(e.credit_code);

-- +goose StatementBegin
CREATE TRIGGER enterprise_grams_insert AFTER INSERT ON enterprises
BEGIN
    INSERT OR IGNORE INTO enterprise_grams (gram, enterprise_id)
        SELECT substr(lower(NEW.name), p.n, 2), NEW.id FROM gram_positions p WHERE p.n < length(NEW.name)
        UNION SELECT substr(lower(NEW.credit_code), p.n, 2), NEW.id FROM gram_positions p WHERE p.n < length(NEW.credit_code);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER enterprise_grams_update AFTER UPDATE OF name, credit_code ON enterprises
    WHEN OLD.name IS NOT NEW.name OR OLD.credit_code IS NOT NEW.credit_code
BEGIN
    DELETE FROM enterprise_grams WHERE enterprise_id = NEW.id;
    INSERT OR IGNORE INTO enterprise_grams (gram, enterprise_id)
        SELECT substr(lower(NEW.name), p.n, 2), NEW.id FROM gram_positions p WHERE p.n < length(NEW.name)
        UNION SELECT substr(lower(NEW.credit_code), p.n, 2), NEW.id FROM gram_positions p WHERE p.n < length(NEW.credit_code);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER enterprise_grams_update;
DROP TRIGGER enterprise_grams_insert;
DROP TABLE enterprise_grams;
DROP TABLE gram_positions;
