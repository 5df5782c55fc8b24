-- +goose Up
-- The worklist's red-card candidates (yellow cards of the year past their
-- deadline) and the cards list by state and year: one range of this
-- index, the lane read in it, instead of every yellow card's row
-- (issue 14).
CREATE INDEX cards_due ON cards(state, year, deadline, region_path, sector);

-- +goose Down
DROP INDEX cards_due;
