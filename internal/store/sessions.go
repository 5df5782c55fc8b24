package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"taotai"
)

// SessionStore keeps web sessions in the database, so that several
// instances share them. It implements scs.CtxStore. Tokens are stored as
// their SHA-256; the signed-in user and address are read out of the session
// data so that administrators can list and revoke sessions.
//
// The idle timeout is kept here rather than by scs (whose IdleTimeout
// rewrites the session on every request): a row expires Idle after the
// session's last-seen time (SessionSeen, which the web layer refreshes at
// most once a minute), or at its absolute deadline if sooner. A session
// nobody has signed in to (a pending second factor) lasts PreAuthLifetime.
type SessionStore struct {
	s    *DB
	idle time.Duration
}

// Session keys that the store reads out of the session data.
const (
	SessionUserID = "user_id"
	SessionAddr   = "addr"
	SessionSeen   = "seen" // Unix seconds of the last request, refreshed at most once a minute
)

// Session lifetimes.
const (
	DefaultIdleTimeout = 30 * time.Minute
	PreAuthLifetime    = 10 * time.Minute
)

// Sessions returns the session store of the database, with the default
// idle timeout.
func (s *DB) Sessions() *SessionStore { return &SessionStore{s, DefaultIdleTimeout} }

// WithIdleTimeout returns the store with another idle timeout.
func (ss *SessionStore) WithIdleTimeout(d time.Duration) *SessionStore {
	return &SessionStore{ss.s, d}
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// FindCtx returns the data of an unexpired session. Under
// WithSessionUser it reads the session's signed-in user in the same
// statement (the sessions row's user_id), for SessionUser.
func (ss *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	hash, now := hashToken(token), time.Now().UTC()
	held, _ := ctx.Value(sessionUserKey{}).(*sessionUser)
	if held == nil {
		var b []byte
		err := ss.s.db.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token_hash = $1 AND expiry > $2`, hash, now).Scan(&b)
		if isNoRows(err) {
			return nil, false, nil
		} else if err != nil {
			return nil, false, fmt.Errorf("find session: %w", err)
		}
		return b, true, nil
	}
	b, u, err := scanSessionUser(ss.s.db.QueryRowContext(ctx, sessionUserSelect, hash, now))
	if isNoRows(err) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	held.u = u
	return b, true, nil
}

// sessionUserSelect reads a session with its signed-in user, if any (one
// statement: each statement of a request costs it more than its joins).
// Of the user, what a request needs: not the password hash, the sign-in
// throttle's counts nor the second factor's secret.
const sessionUserSelect = `SELECT s.data, u.id, u.username, u.display_name, u.role, u.agency_id, a.name, u.region_code,
	r.name, u.sector, u.disabled, u.must_change_password, u.created_at, u.totp_secret <> '', r.path
	FROM sessions s LEFT JOIN users u ON u.id = s.user_id
	LEFT JOIN agencies a ON a.id = u.agency_id LEFT JOIN regions r ON r.code = u.region_code
	WHERE s.token_hash = $1 AND s.expiry > $2`

// scanSessionUser scans a row of sessionUserSelect: the session's data,
// and its user (nil when nobody has signed in to it).
func scanSessionUser(row rowScanner) ([]byte, *userRow, error) {
	var b []byte
	var id, agency sql.NullInt64
	var username, display, role, agencyName, region, regionName, sector, path sql.NullString
	var disabled, mustChange, totp sql.NullBool
	var created sql.NullTime
	if err := row.Scan(&b, &id, &username, &display, &role, &agency, &agencyName, &region, &regionName, &sector,
		&disabled, &mustChange, &created, &totp, &path); err != nil {
		return nil, nil, err
	}
	if !id.Valid || !agencyName.Valid || !regionName.Valid {
		return b, nil, nil
	}
	u := &userRow{User: &taotai.User{ID: id.Int64, Username: username.String, DisplayName: display.String, Role: role.String,
		AgencyID: agency.Int64, AgencyName: agencyName.String, RegionCode: region.String, RegionName: regionName.String,
		Sector: sector.String, Disabled: disabled.Bool, MustChangePassword: mustChange.Bool, CreatedAt: created.Time,
		HasTOTP: totp.Bool}, regionPath: path.String}
	return b, u, nil
}

type sessionUserKey struct{}

// sessionUser is the signed-in user read with a request's session.
type sessionUser struct{ u *userRow }

// WithSessionUser returns a context under which the session store, when
// it finds the session, reads its signed-in user (the sessions row's
// user_id) at once: one round trip where two followed each other on every
// request.
func WithSessionUser(ctx context.Context) context.Context {
	return context.WithValue(ctx, sessionUserKey{}, &sessionUser{})
}

// SessionUser returns the user read with the request's session and the
// actor they are, if that user is id (the user the session's data names);
// otherwise FindActor reads them.
func SessionUser(ctx context.Context, id int64) (*taotai.User, *taotai.Actor, bool) {
	held, _ := ctx.Value(sessionUserKey{}).(*sessionUser)
	if held == nil || held.u == nil || held.u.ID != id {
		return nil, nil, false
	}
	return held.u.User, held.u.actor(), true
}

// CommitCtx saves a session. Its row expires at the session's deadline, or
// sooner: idle after it was last seen, or PreAuthLifetime from now when
// nobody has signed in to it.
func (ss *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	var uid any
	addr := ""
	now := time.Now().UTC()
	seen := now
	if _, values, err := (SessionCodec{}).Decode(b); err == nil {
		if id, ok := values[SessionUserID].(int64); ok && id != 0 {
			uid = id
		}
		addr, _ = values[SessionAddr].(string)
		if t, ok := values[SessionSeen].(int64); ok && t != 0 {
			seen = time.Unix(t, 0).UTC()
		}
	}
	if uid == nil {
		expiry = minTime(expiry, now.Add(PreAuthLifetime))
	} else {
		expiry = minTime(expiry, seen.Add(ss.idle))
	}
	_, err := ss.s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, data, expiry, user_id, addr, created_at, seen_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expiry = excluded.expiry,
			user_id = excluded.user_id, addr = excluded.addr, seen_at = excluded.seen_at`,
		hashToken(token), b, expiry.UTC(), uid, addr, now, seen)
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// DeleteCtx removes a session.
func (ss *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := ss.s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token))
	return err
}

// Find implements scs.Store.
func (ss *SessionStore) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (ss *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (ss *SessionStore) Delete(token string) error {
	return ss.DeleteCtx(context.Background(), token)
}

// DeleteExpired removes sessions past their expiry.
func (ss *SessionStore) DeleteExpired(ctx context.Context) error {
	_, err := ss.s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, time.Now().UTC())
	return err
}

// ActiveSession is a signed-in session, as administrators see it.
type ActiveSession struct {
	ID          string // the first 16 hex digits of the token's hash
	UserID      int64
	Username    string
	DisplayName string
	Role        string
	Addr        string
	CreatedAt   time.Time
	SeenAt      time.Time
	Expiry      time.Time
}

// ActiveSessions lists the unexpired signed-in sessions of the accounts in
// the administrator's lane, newest activity first.
func (s *DB) ActiveSessions(ctx context.Context) ([]*ActiveSession, error) {
	a, err := requireAdmin(ctx, "查看在线会话")
	if err != nil {
		return nil, err
	}
	w := &where{}
	userLane(w, a)
	w.add("s.expiry > ?", time.Now().UTC())
	rows, err := s.db.QueryContext(ctx, `SELECT s.token_hash, u.id, u.username, u.display_name, u.role, s.addr,
		s.created_at, s.seen_at, s.expiry FROM sessions s JOIN users u ON u.id = s.user_id JOIN regions r ON r.code = u.region_code`+
		w.String()+` ORDER BY s.seen_at DESC`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("active sessions: %w", err)
	}
	defer rows.Close()
	var out []*ActiveSession
	for rows.Next() {
		a := &ActiveSession{}
		if err := rows.Scan(&a.ID, &a.UserID, &a.Username, &a.DisplayName, &a.Role, &a.Addr, &a.CreatedAt, &a.SeenAt, &a.Expiry); err != nil {
			return nil, err
		}
		a.ID = a.ID[:16]
		out = append(out, a)
	}
	return out, rows.Err()
}

// RevokeSession ends the session whose id (ActiveSession.ID) is given, of
// an account in the administrator's lane.
func (s *DB) RevokeSession(ctx context.Context, id string) error {
	a, err := requireAdmin(ctx, "注销会话")
	if err != nil {
		return err
	}
	if !validSessionID(id) {
		return taotai.Errorf(taotai.ENOTFOUND, "会话不存在或已结束。")
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		var full, path, sector string
		var uid int64
		w := &where{}
		userLane(w, a)
		w.add("substr(s.token_hash, 1, 16) = ?", id)
		err := tx.QueryRowContext(ctx, `SELECT s.token_hash, u.id, r.path, u.sector FROM sessions s JOIN users u ON u.id = s.user_id
			JOIN regions r ON r.code = u.region_code`+w.String(), w.args...).Scan(&full, &uid, &path, &sector)
		if isNoRows(err) {
			return taotai.Errorf(taotai.ENOTFOUND, "会话不存在或已结束。")
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, full); err != nil {
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditRevoke, Entity: "session", EntityID: id, RegionPath: path, Sector: sector,
			After: map[string]int64{"user_id": uid}, Note: fmt.Sprintf("用户编号%d的会话被注销", uid)})
	})
}

// validSessionID reports whether id has the form of ActiveSession.ID: 16
// lower-case hex digits, nothing a pattern could widen.
func validSessionID(id string) bool {
	if len(id) != 16 {
		return false
	}
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// revokeUserSessions ends every session of a user (after a password change,
// a change of role or lane, or when the account is disabled) and returns
// how many were signed in and unexpired.
func revokeUserSessions(ctx context.Context, tx *sql.Tx, userID int64) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expiry > $2`,
		userID, time.Now().UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return 0, fmt.Errorf("revoke sessions: %w", err)
	}
	return n, nil
}
