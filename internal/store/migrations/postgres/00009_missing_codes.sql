-- +goose Up
-- Enterprises registered without a credit code (by a 附件1 import), for the
-- worklist's count and the registry's filter: few rows, found by lane.
CREATE INDEX enterprises_no_code ON enterprises(region_path) WHERE credit_code IS NULL;

-- +goose Down
DROP INDEX enterprises_no_code;
