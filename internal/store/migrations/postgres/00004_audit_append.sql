-- +goose Up
-- audit_append appends one entry in one round trip: it takes the chain's
-- advisory lock, reads the head (a fresh snapshot: each statement of a
-- volatile function takes one), and hashes the entry exactly as
-- taotai.AuditEntry.ComputeHash does (fields joined by U+001F, SHA-256, hex).
-- +goose StatementBegin
CREATE FUNCTION audit_append(p_at text, p_user_id bigint, p_username text, p_role text, p_addr text,
    p_action text, p_entity text, p_entity_id text, p_region_path text, p_before text, p_after text, p_note text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_seq  bigint;
    v_prev text;
    v_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(70200325);
    SELECT seq, hash INTO v_seq, v_prev FROM audit_log ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        v_seq := 0;
        v_prev := repeat('0', 64);
    END IF;
    v_seq := v_seq + 1;
    v_hash := encode(sha256(convert_to(concat_ws(chr(31), v_prev, v_seq::text, p_at, coalesce(p_user_id, 0)::text,
        p_username, p_role, p_addr, p_action, p_entity, p_entity_id, p_region_path, p_before, p_after, p_note), 'UTF8')), 'hex');
    INSERT INTO audit_log (seq, at, user_id, username, role, addr, action, entity, entity_id, region_path,
        before, after, note, prev_hash, hash)
    VALUES (v_seq, p_at, p_user_id, p_username, p_role, p_addr, p_action, p_entity, p_entity_id, p_region_path,
        p_before, p_after, p_note, v_prev, v_hash);
    RETURN v_seq;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION audit_append;
