-- +goose Up
-- 附件2 counts a unit's hazards of a period from the hazards alone (each
-- carries its enterprise, lane and the day it was found), through this
-- covering index, lane first as inspections_lane and documents_lane
-- (00019) are: the count no longer joins every hazard to its inspection
-- (issue 14, the province's annual export under load).
CREATE INDEX hazards_lane ON hazards(region_path, found_on, sector, enterprise_id, level);

-- +goose Down
DROP INDEX hazards_lane;
