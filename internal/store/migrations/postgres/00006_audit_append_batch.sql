-- +goose Up
-- audit_append_batch appends several entries of one actor and moment in
-- one round trip, in order, exactly as audit_append does for one.
-- +goose StatementBegin
CREATE FUNCTION audit_append_batch(p_at text, p_user_id bigint, p_username text, p_role text, p_addr text,
    p_actions text[], p_entities text[], p_entity_ids text[], p_region_paths text[], p_befores text[], p_afters text[], p_notes text[])
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
            p_afters[i], p_notes[i]), 'UTF8')), 'hex');
        INSERT INTO audit_log (seq, at, user_id, username, role, addr, action, entity, entity_id, region_path,
            before, after, note, prev_hash, hash)
        VALUES (v_seq, p_at, p_user_id, p_username, p_role, p_addr, p_actions[i], p_entities[i], p_entity_ids[i],
            p_region_paths[i], p_befores[i], p_afters[i], p_notes[i], v_prev, v_hash);
        v_prev := v_hash;
    END LOOP;
    RETURN v_seq;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION audit_append_batch;
