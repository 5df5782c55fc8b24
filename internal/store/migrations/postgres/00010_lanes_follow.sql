-- +goose Up
-- A record's lane follows its enterprise. Inspections, hazards, documents,
-- cards, evidence files and imported 附件2/附件3 rows keep a copy of their
-- enterprise's region_path and sector (so that every lane clause is a range
-- on one table); when the enterprise moves to another region or sector,
-- this trigger moves every copy in the same statement, whichever code
-- changed the enterprise.
-- +goose StatementBegin
CREATE FUNCTION enterprises_lane_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE inspections    SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE hazards        SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE documents      SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE cards          SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE attachments    SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE reported_form2 SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE reported_form3 SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER enterprises_lane_follows AFTER UPDATE OF region_path, sector ON enterprises
    FOR EACH ROW WHEN (OLD.region_path IS DISTINCT FROM NEW.region_path OR OLD.sector IS DISTINCT FROM NEW.sector)
    EXECUTE FUNCTION enterprises_lane_follows();

-- The audit trail is scoped like everything else: an entry's lane is its
-- region_path and sector ('' = both sectors; an entry with no region is
-- the province's). The sector takes part in the entry's hash when it is
-- not empty, so entries written before it hash as they did.
ALTER TABLE audit_log ADD COLUMN sector TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_lane ON audit_log(region_path, seq);

DROP FUNCTION audit_append(text, bigint, text, text, text, text, text, text, text, text, text, text);
DROP FUNCTION audit_append_batch(text, bigint, text, text, text, text[], text[], text[], text[], text[], text[], text[]);

-- audit_append appends one entry in one round trip: it takes the chain's
-- advisory lock, reads the head, and hashes the entry exactly as
-- taotai.AuditEntry.ComputeHash does (fields joined by U+001F, the sector
-- appended when not empty, SHA-256, hex).
-- +goose StatementBegin
CREATE FUNCTION audit_append(p_at text, p_user_id bigint, p_username text, p_role text, p_addr text,
    p_action text, p_entity text, p_entity_id text, p_region_path text, p_sector text, p_before text, p_after text, p_note text)
RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RETURN audit_append_batch(p_at, p_user_id, p_username, p_role, p_addr, ARRAY[p_action], ARRAY[p_entity],
        ARRAY[p_entity_id], ARRAY[p_region_path], ARRAY[p_sector], ARRAY[p_before], ARRAY[p_after], ARRAY[p_note]);
END
$$;
-- +goose StatementEnd

-- audit_append_batch appends several entries of one actor and moment in
-- one round trip, in order.
-- +goose StatementBegin
CREATE FUNCTION audit_append_batch(p_at text, p_user_id bigint, p_username text, p_role text, p_addr text,
    p_actions text[], p_entities text[], p_entity_ids text[], p_region_paths text[], p_sectors text[], p_befores text[],
    p_afters text[], p_notes text[])
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_seq  bigint;
    v_prev text;
    v_hash text;
    i      int;
BEGIN
    PERFORM pg_advisory_xact_lock(70200325);
    SELECT seq, hash INTO v_seq, v_prev FROM audit_log ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        v_seq := 0;
        v_prev := repeat('0', 64);
    END IF;
    FOR i IN 1 .. coalesce(array_length(p_actions, 1), 0) LOOP
        v_seq := v_seq + 1;
        v_hash := encode(sha256(convert_to(concat_ws(chr(31), v_prev, v_seq::text, p_at, coalesce(p_user_id, 0)::text,
            p_username, p_role, p_addr, p_actions[i], p_entities[i], p_entity_ids[i], p_region_paths[i], p_befores[i],
            p_afters[i], p_notes[i]) || CASE WHEN p_sectors[i] <> '' THEN chr(31) || p_sectors[i] ELSE '' END, 'UTF8')), 'hex');
        INSERT INTO audit_log (seq, at, user_id, username, role, addr, action, entity, entity_id, region_path, sector,
            before, after, note, prev_hash, hash)
        VALUES (v_seq, p_at, p_user_id, p_username, p_role, p_addr, p_actions[i], p_entities[i], p_entity_ids[i],
            p_region_paths[i], p_sectors[i], p_befores[i], p_afters[i], p_notes[i], v_prev, v_hash);
        v_prev := v_hash;
    END LOOP;
    RETURN v_seq;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION audit_append(text, bigint, text, text, text, text, text, text, text, text, text, text, text);
DROP FUNCTION audit_append_batch(text, bigint, text, text, text, text[], text[], text[], text[], text[], text[], text[], text[]);
DROP INDEX audit_log_lane;
ALTER TABLE audit_log DROP COLUMN sector;
DROP TRIGGER enterprises_lane_follows ON enterprises;
DROP FUNCTION enterprises_lane_follows();
