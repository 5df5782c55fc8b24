-- +goose Up
-- The dashboard (issue 12 item 7) counts a year's records by child unit and
-- month, for the whole province at once: at --scale 100 about a million
-- inspections, 1.4 million hazards and 1.3 million documents. Each family
-- is one pass over an index that holds every column the count reads, so no
-- table row is fetched. (The hazards' day found, found_on, is 00016's.)
--
-- SQLite streams a GROUP BY only in an index's order: these indexes begin
-- with the lane and the month (an expression), so the counts by county and
-- month come out of one ordered pass without sorting a million rows (the
-- documents by day and kind took 2.5 times as long through a sort). The
-- day itself comes last, for the year's range.
CREATE INDEX inspections_lane_month ON inspections(region_path, substr(date, 1, 7), sector, date);
CREATE INDEX hazards_lane_month ON hazards(region_path, substr(found_on, 1, 7), sector, level, status, deadline, found_on);
CREATE INDEX documents_lane_month ON documents(region_path, substr(issued_on, 1, 7), kind, sector, fine, issued_on);

-- +goose Down
DROP INDEX documents_lane_month;
DROP INDEX hazards_lane_month;
DROP INDEX inspections_lane_month;
