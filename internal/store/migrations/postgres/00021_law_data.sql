-- +goose Up
-- The law's data (issue 11).
--
-- Major-hazard criteria carry the dates they are in force ('' = open), so
-- that an inspection is offered, and keeps, the criteria in force on its
-- day: 应急管理部令第10号 replaced the 2017 工贸 list on 2023-05-15 and
-- 应急管理部令第4号 replaced 总局令第85号 on 2021-01-01. The lists the
-- seed adds (the 2017 工贸 list, 总局令第85号) come with their dates.
ALTER TABLE major_hazard_criteria ADD COLUMN in_force_from TEXT NOT NULL DEFAULT '';
ALTER TABLE major_hazard_criteria ADD COLUMN in_force_to TEXT NOT NULL DEFAULT '';
UPDATE major_hazard_criteria SET in_force_from = '2023-05-15'
    WHERE standard = '工贸企业重大事故隐患判定标准（应急管理部令第10号）' AND in_force_from = '';
UPDATE major_hazard_criteria SET in_force_from = '2021-01-01'
    WHERE standard = '煤矿重大事故隐患判定标准（应急管理部令第4号）' AND in_force_from = '';

-- An agency's mark (机关简称) is unique province-wide: two agencies that
-- printed the same mark printed the same document numbers. 辽阳's bureaus
-- printed （辽）, the province's mark; 沈阳's and 鞍山's 铁西 districts both
-- printed （铁西）. 辽阳 takes its two characters, a county mark that
-- repeats takes its city's character in front (沈铁西, 鞍铁西), and anything
-- still repeated its id, for the administrator to correct.
UPDATE agencies SET short_name = '辽阳' || CASE WHEN sector = 'coal' THEN '煤' ELSE '' END
    WHERE region_code = '211000';
CREATE TEMPORARY TABLE agencies_repeated AS
    SELECT a.id FROM agencies a JOIN regions r ON r.code = a.region_code
    WHERE r.level = 'county' AND a.short_name <> ''
      AND EXISTS (SELECT 1 FROM agencies b WHERE b.short_name = a.short_name AND b.id <> a.id);
UPDATE agencies SET short_name = (SELECT substr(p.name, 1, 1) FROM regions r JOIN regions p ON p.code = r.parent
        WHERE r.code = agencies.region_code) || short_name
    WHERE id IN (SELECT id FROM agencies_repeated);
DROP TABLE agencies_repeated;
UPDATE agencies SET short_name = short_name || CAST(id AS TEXT)
    WHERE short_name <> ''
      AND EXISTS (SELECT 1 FROM agencies b WHERE b.short_name = agencies.short_name AND b.id < agencies.id);
CREATE UNIQUE INDEX agencies_short_name ON agencies(short_name) WHERE short_name <> '';

-- +goose Down
DROP INDEX agencies_short_name;
ALTER TABLE major_hazard_criteria DROP COLUMN in_force_to;
ALTER TABLE major_hazard_criteria DROP COLUMN in_force_from;
