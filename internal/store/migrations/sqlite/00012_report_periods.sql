-- +goose Up
-- Reporting periods without gaps: a campaign year starts on a date (the
-- notice's, 2020-03-25), and each report's statistics end on a cut-off
-- (empty: its due date); the next report counts from the day after. The
-- province's receiving unit of each channel is named per year, as its
-- forms print it.
ALTER TABLE campaign_years ADD COLUMN start_date TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign_years ADD COLUMN unit_noncoal TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign_years ADD COLUMN unit_coal TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign_deadlines ADD COLUMN cutoff_date TEXT NOT NULL DEFAULT '';
UPDATE campaign_years SET start_date = '2020-03-25', unit_noncoal = '辽宁省应急管理厅', unit_coal = '辽宁煤矿安全监察局'
    WHERE year = 2020 AND start_date = '';
-- 附件2 counts documents by the day they were issued.
CREATE INDEX documents_issued ON documents(issued_on);

-- +goose Down
DROP INDEX documents_issued;
ALTER TABLE campaign_deadlines DROP COLUMN cutoff_date;
ALTER TABLE campaign_years DROP COLUMN unit_coal;
ALTER TABLE campaign_years DROP COLUMN unit_noncoal;
ALTER TABLE campaign_years DROP COLUMN start_date;
