-- +goose Up
-- Overdue hazards without a recount (issue 14): the hazards not yet passed
-- that have a deadline, counted by lane (a county's path and a sector),
-- month found, month due and level. "Overdue on a day" is then the rows
-- due in the months before the day's, and the hazards due in its own month
-- before it, which the index of pending hazards (hazards_pending, by
-- deadline) reads: the worklist's and the dashboard's overdue figures read
-- a few thousand rows, not every pending hazard. Triggers keep it in the
-- same transaction as every write to hazards (a lane's move and a found
-- day's change included: they are updates of hazards).
CREATE TABLE hazard_pending_months (
    region_path    TEXT NOT NULL,
    sector         TEXT NOT NULL,
    found_month    TEXT NOT NULL,
    deadline_month TEXT NOT NULL,
    level          TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (region_path, sector, found_month, deadline_month, level)
) WITHOUT ROWID;
INSERT INTO hazard_pending_months (region_path, sector, found_month, deadline_month, level, n)
    SELECT region_path, sector, substr(found_on, 1, 7), substr(deadline, 1, 7), level, COUNT(*) FROM hazards
    WHERE status <> 'passed' AND deadline <> '' GROUP BY region_path, sector, substr(found_on, 1, 7), substr(deadline, 1, 7), level;

-- +goose StatementBegin
CREATE TRIGGER hazard_pending_insert AFTER INSERT ON hazards WHEN NEW.status <> 'passed' AND NEW.deadline <> ''
BEGIN
    INSERT INTO hazard_pending_months (region_path, sector, found_month, deadline_month, level, n)
        VALUES (NEW.region_path, NEW.sector, substr(NEW.found_on, 1, 7), substr(NEW.deadline, 1, 7), NEW.level, 1)
        ON CONFLICT (region_path, sector, found_month, deadline_month, level) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER hazard_pending_delete AFTER DELETE ON hazards WHEN OLD.status <> 'passed' AND OLD.deadline <> ''
BEGIN
    UPDATE hazard_pending_months SET n = n - 1 WHERE region_path = OLD.region_path AND sector = OLD.sector
        AND found_month = substr(OLD.found_on, 1, 7) AND deadline_month = substr(OLD.deadline, 1, 7) AND level = OLD.level;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER hazard_pending_update AFTER UPDATE OF status, deadline, found_on, region_path, sector, level ON hazards
BEGIN
    UPDATE hazard_pending_months SET n = n - 1 WHERE OLD.status <> 'passed' AND OLD.deadline <> ''
        AND region_path = OLD.region_path AND sector = OLD.sector
        AND found_month = substr(OLD.found_on, 1, 7) AND deadline_month = substr(OLD.deadline, 1, 7) AND level = OLD.level;
    INSERT INTO hazard_pending_months (region_path, sector, found_month, deadline_month, level, n)
        SELECT NEW.region_path, NEW.sector, substr(NEW.found_on, 1, 7), substr(NEW.deadline, 1, 7), NEW.level, 1
        WHERE NEW.status <> 'passed' AND NEW.deadline <> ''
        ON CONFLICT (region_path, sector, found_month, deadline_month, level) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER hazard_pending_update;
DROP TRIGGER hazard_pending_delete;
DROP TRIGGER hazard_pending_insert;
DROP TABLE hazard_pending_months;
