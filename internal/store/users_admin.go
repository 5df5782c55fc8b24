package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"

	"taotai"
)

// Administrators manage accounts on the web in their lane: the accounts of
// their region's subtree and, when they have one, their sector. An account
// outside the lane answers ENOTFOUND, as any record does; inside it, an
// administrator manages only accounts whose role they could give
// (taotai.CanGrantRole), and never disables, demotes, moves or resets
// themselves. The operator's commands (taotai user …) run as taotai.System,
// whose lane is the whole province, and share the writes (resetPassword,
// setDisabled, unlock) and the checks of a new account (checkUser).

// accountColumns are an account's columns; the two placeholders are the
// throttle's now (Unix milliseconds) and the sessions' now.
const accountColumns = `u.id, u.username, u.display_name, u.role, u.agency_id, a.name, u.region_code, r.name,
	u.sector, u.disabled, u.must_change_password, u.created_at, u.totp_secret, r.path, u.version, u.last_sign_in,
	COALESCE((SELECT MAX(t.blocked_until) FROM sign_in_throttle t
		WHERE t.kind = 'account_addr' AND t.username = u.username AND t.blocked_until > %[1]s), 0),
	(SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id AND s.expiry > %[2]s)`

const accountFrom = ` FROM users u JOIN agencies a ON a.id = u.agency_id JOIN regions r ON r.code = u.region_code`

func scanAccount(row interface{ Scan(...any) error }) (*taotai.Account, error) {
	ac := &taotai.Account{}
	var totp, last string
	var locked int64
	err := row.Scan(&ac.ID, &ac.Username, &ac.DisplayName, &ac.Role, &ac.AgencyID, &ac.AgencyName, &ac.RegionCode, &ac.RegionName,
		&ac.Sector, &ac.Disabled, &ac.MustChangePassword, &ac.CreatedAt, &totp, &ac.RegionPath, &ac.Version, &last, &locked, &ac.Sessions)
	if err != nil {
		return nil, err
	}
	ac.HasTOTP, ac.LastSignIn = totp != "", timeOf(last)
	if locked > 0 {
		ac.LockedUntil = time.UnixMilli(locked).UTC()
	}
	return ac, nil
}

// selectAccounts returns the SELECT of accounts with w's conditions, its
// two "now" placeholders added to w.
func (s *DB) selectAccounts(w *where) string {
	return `SELECT ` + fmt.Sprintf(accountColumns, w.next(s.clock.Now().UnixMilli()), w.next(time.Now().UTC())) + accountFrom + w.String()
}

// userLane adds the actor's lane on users u joined with regions r.
func userLane(w *where, a *taotai.Actor) {
	w.add("r.path >= ? AND r.path < ?", a.RegionPath, a.RegionPath[:len(a.RegionPath)-1]+"0")
	if a.Sector != "" {
		w.add("u.sector = ?", a.Sector)
	}
}

func requireUserAdmin(ctx context.Context) (*taotai.Actor, error) {
	return requireAdmin(ctx, "管理用户账号")
}

// Accounts returns a page of the accounts in the administrator's lane that
// match f, by region then username, and how many match in all.
func (s *DB) Accounts(ctx context.Context, f taotai.AccountFilter) ([]*taotai.Account, int, error) {
	a, err := requireUserAdmin(ctx)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	userLane(w, a)
	if q := strings.ToLower(strings.TrimSpace(f.Q)); q != "" {
		w.add(`(LOWER(u.username) LIKE ? ESCAPE '\' OR u.display_name LIKE ? ESCAPE '\')`, likeContains(q), likeContains(strings.TrimSpace(f.Q)))
	}
	if f.Role != "" {
		w.add("u.role = ?", f.Role)
	}
	if f.Region != "" {
		r, err := findRegion(ctx, s.db, f.Region)
		if taotai.ErrorCode(err) == taotai.ENOTFOUND {
			return nil, 0, nil
		} else if err != nil {
			return nil, 0, err
		}
		w.add("r.path >= ? AND r.path < ?", r.Path, r.Path[:len(r.Path)-1]+"0")
	}
	locked := `EXISTS (SELECT 1 FROM sign_in_throttle t WHERE t.kind = 'account_addr' AND t.username = u.username AND t.blocked_until > ?)`
	switch f.State {
	case taotai.AccountActive:
		w.add("u.disabled = FALSE AND NOT "+locked, s.clock.Now().UnixMilli())
	case taotai.AccountDisabled:
		w.add("u.disabled = TRUE")
	case taotai.AccountLocked:
		w.add("u.disabled = FALSE AND "+locked, s.clock.Now().UnixMilli())
	case taotai.AccountMustChange:
		w.add("u.must_change_password = TRUE")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+accountFrom+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count accounts: %w", err)
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	query := s.selectAccounts(w) + ` ORDER BY r.path, u.username LIMIT ` + w.next(limit) + ` OFFSET ` + w.next(max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find accounts: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Account
	for rows.Next() {
		ac, err := scanAccount(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, ac)
	}
	return out, total, rows.Err()
}

// Account returns one account in the administrator's lane, or ENOTFOUND.
func (s *DB) Account(ctx context.Context, id int64) (*taotai.Account, error) {
	a, err := requireUserAdmin(ctx)
	if err != nil {
		return nil, err
	}
	return s.laneAccount(ctx, s.db, a, id)
}

// laneAccount reads the account id within a's lane.
func (s *DB) laneAccount(ctx context.Context, q queryer, a *taotai.Actor, id int64) (*taotai.Account, error) {
	w := &where{}
	userLane(w, a)
	w.add("u.id = ?", id)
	ac, err := scanAccount(q.QueryRowContext(ctx, s.selectAccounts(w), w.args...))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "该用户不存在，或不在您的管辖范围内。")
	} else if err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	return ac, nil
}

// manageable reports, as an error, why a may not manage ac: its role is
// one a could not give.
func manageable(a *taotai.Actor, ac *taotai.Account) error {
	if !taotai.CanGrantRole(a, ac.Role) {
		return taotai.Errorf(taotai.EFORBIDDEN, "该账号的角色是“%s”，只有省级系统管理员可以管理。", taotai.RoleName(ac.Role))
	}
	return nil
}

// changeAccount runs fn in a transaction on an account that a may manage.
func (s *DB) changeAccount(ctx context.Context, id int64, fn func(tx *sql.Tx, a *taotai.Actor, ac *taotai.Account) error) error {
	a, err := requireUserAdmin(ctx)
	if err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		ac, err := s.laneAccount(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := manageable(a, ac); err != nil {
			return err
		}
		return fn(tx, a, ac)
	})
}

func refOf(ac *taotai.Account) *userRef {
	return &userRef{id: ac.ID, username: ac.Username, path: ac.RegionPath, sector: ac.Sector}
}

// checkLane adds to f why an account in region code and sector may not be
// given by a: an unknown region, one outside a's subtree, a sector outside
// a's. It returns the region when it exists.
func checkLane(ctx context.Context, q queryer, a *taotai.Actor, code, sector string, f taotai.FieldErrors) (*taotai.Region, error) {
	if code == "" {
		f.Add("region", "请选择所在地区。")
		return nil, nil
	}
	r, err := findRegion(ctx, q, code)
	if taotai.ErrorCode(err) == taotai.ENOTFOUND {
		f.Add("region", "请从列表中选择所在地区。")
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	switch {
	case !strings.HasPrefix(r.Path, a.RegionPath):
		f.Add("region", "只能选择您管辖范围内的地区。")
	case sector != "" && !taotai.ValidSector(sector):
		f.Add("sector", "请选择行业类别。")
	case !a.Covers(r.Path, sector):
		f.Add("sector", fmt.Sprintf("您只管理%s账号，行业类别只能选“%s”。", taotai.SectorName(a.Sector), taotai.SectorName(a.Sector)))
	}
	return r, nil
}

// checkRole adds to f why a may not give role.
func checkRole(a *taotai.Actor, role string, f taotai.FieldErrors) {
	switch {
	case role == "":
		f.Add("role", "请选择角色。")
	case !taotai.ValidRole(role):
		f.Add("role", "请从列表中选择角色。")
	case !taotai.CanGrantRole(a, role):
		f.Add("role", fmt.Sprintf("只有省级系统管理员可以授予“%s”角色。", taotai.RoleName(role)))
	}
}

// CreateAccount adds an account in the administrator's lane with a
// password the system makes, which it returns once: the user must change
// it at the first sign-in. The fields are checked as the operator's
// CreateUser checks them (checkUser), then the name is required and the
// region, sector and role must be the administrator's to give. Failures
// are EINVALID (ECONFLICT for a used username) with a message per field.
func (s *DB) CreateAccount(ctx context.Context, u *taotai.User) (string, error) {
	a, err := requireUserAdmin(ctx)
	if err != nil {
		return "", err
	}
	u.Username, u.DisplayName = strings.TrimSpace(u.Username), strings.TrimSpace(u.DisplayName)
	u.AgencyID, u.AgencyName, u.MustChangePassword = 0, "", true
	password, err := newPassword(u.Username)
	if err != nil {
		return "", err
	}
	// The administrator's own checks first: their messages are the
	// page's, the operator's name the role keys of the command line.
	f := taotai.FieldErrors{}
	if u.DisplayName == "" {
		f.Add("display_name", "请填写姓名。")
	}
	checkRole(a, u.Role, f)
	checkUser(f, u, password)
	r, err := checkLane(ctx, s.db, a, u.RegionCode, u.Sector, f)
	if err != nil {
		return "", err
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	hash, err := argon2id.CreateHash(password, hashParams)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	if err := s.Transact(ctx, func(tx *sql.Tx) error { return s.insertUser(ctx, tx, u, r, hash) }); err != nil {
		return "", err
	}
	return password, nil
}

// ResetPassword gives an account in the administrator's lane a new
// password, which it returns once: the user must change it at the next
// sign-in; the account's locks are lifted and its sessions end. The reason
// is required and kept in the audit trail. An administrator changes their
// own password on their account page, not here.
func (s *DB) ResetPassword(ctx context.Context, id int64, reason string) (string, error) {
	a, err := requireUserAdmin(ctx)
	if err != nil {
		return "", err
	}
	ac, err := s.laneAccount(ctx, s.db, a, id)
	if err != nil {
		return "", err
	}
	if err := manageable(a, ac); err != nil {
		return "", err
	}
	if msg := taotai.ReasonMessage(reason, true); msg != "" {
		return "", reasonError(msg)
	}
	if ac.ID == a.UserID {
		return "", taotai.Errorf(taotai.EINVALID, "不能在这里重置自己的密码，请在“我的账号”中修改。")
	}
	password, err := newPassword(ac.Username)
	if err != nil {
		return "", err
	}
	hash, err := argon2id.CreateHash(password, hashParams)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	err = s.changeAccount(ctx, id, func(tx *sql.Tx, _ *taotai.Actor, ac *taotai.Account) error {
		return s.resetPassword(ctx, tx, refOf(ac), hash, "管理员重置密码，下次登录须修改。理由："+strings.TrimSpace(reason))
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// AccountChange is a checked change of an account's name, role and lane:
// the account as it is, the change and the region it goes to.
type AccountChange struct {
	Before *taotai.Account
	Update taotai.AccountUpdate
	Region *taotai.Region
	Moved  bool // the region or sector changes
	// EndsSessions: the role or lane changes, so the account's sessions end.
	EndsSessions bool
}

// CheckAccountUpdate checks a change as UpdateAccount would and says what
// it would do, writing nothing: the page that asks to confirm it shows
// that.
func (s *DB) CheckAccountUpdate(ctx context.Context, id int64, upd taotai.AccountUpdate) (*AccountChange, error) {
	var ch *AccountChange
	err := s.changeAccount(ctx, id, func(tx *sql.Tx, a *taotai.Actor, ac *taotai.Account) error {
		var err error
		ch, err = planUpdate(ctx, tx, a, ac, upd)
		return err
	})
	return ch, err
}

// UpdateAccount changes an account's name, role, region and sector. The
// new role, region and sector must be the administrator's to give, the
// form's version current (else ECONFLICT) and a reason given; an
// administrator may not change their own role, region or sector. A change
// of role or lane ends the account's sessions. The audit trail keeps the
// account before and after; a change of lane is also recorded in the old
// lane (as a move), so that its auditors see the account leave.
func (s *DB) UpdateAccount(ctx context.Context, id int64, upd taotai.AccountUpdate) (*taotai.Account, error) {
	var saved *taotai.Account
	err := s.changeAccount(ctx, id, func(tx *sql.Tx, a *taotai.Actor, ac *taotai.Account) error {
		ch, err := planUpdate(ctx, tx, a, ac, upd)
		if err != nil {
			return err
		}
		if err := s.applyUpdate(ctx, tx, ch); err != nil {
			return err
		}
		saved, err = s.laneAccount(ctx, tx, taotai.System, ac.ID)
		return err
	})
	return saved, err
}

// planUpdate checks a's change upd of the account ac.
func planUpdate(ctx context.Context, tx *sql.Tx, a *taotai.Actor, ac *taotai.Account, upd taotai.AccountUpdate) (*AccountChange, error) {
	upd.DisplayName, upd.Reason = strings.TrimSpace(upd.DisplayName), strings.TrimSpace(upd.Reason)
	f := taotai.FieldErrors{}
	switch n := len([]rune(upd.DisplayName)); {
	case !taotai.ValidText(upd.DisplayName, false):
		f.Add("display_name", taotai.BadTextMessage("姓名"))
	case n == 0:
		f.Add("display_name", "请填写姓名。")
	case n > taotai.MaxDisplayNameLen:
		f.Add("display_name", fmt.Sprintf("姓名不能超过%d个字，当前%d个字。", taotai.MaxDisplayNameLen, n))
	}
	checkRole(a, upd.Role, f)
	r, err := checkLane(ctx, tx, a, upd.RegionCode, upd.Sector, f)
	if err != nil {
		return nil, err
	}
	if msg := taotai.ReasonMessage(upd.Reason, true); msg != "" {
		f.Add("reason", msg)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if upd.Version != ac.Version {
		return nil, taotai.Errorf(taotai.ECONFLICT, "该账号刚被他人修改过，请重新打开本页，核对后再修改。")
	}
	ch := &AccountChange{Before: ac, Update: upd, Region: r, Moved: upd.RegionCode != ac.RegionCode || upd.Sector != ac.Sector}
	ch.EndsSessions = ch.Moved || upd.Role != ac.Role
	if ac.ID == a.UserID && ch.EndsSessions {
		return nil, &taotai.Error{Code: taotai.EINVALID, Message: "不能修改自己的角色、地区或行业类别，请联系上级系统管理员。",
			Fields: map[string]string{"role": "不能修改自己的角色、地区或行业类别。"}}
	}
	if !ch.EndsSessions && upd.DisplayName == ac.DisplayName {
		return nil, taotai.Errorf(taotai.EINVALID, "没有需要保存的修改。")
	}
	return ch, nil
}

// applyUpdate writes a checked change and records it.
func (s *DB) applyUpdate(ctx context.Context, tx *sql.Tx, ch *AccountChange) error {
	ac, upd, r := ch.Before, ch.Update, ch.Region
	agency := ac.AgencyID
	if ch.Moved {
		var err error
		if agency, err = ensureAgency(ctx, tx, r, upd.Sector, ""); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET display_name = $1, role = $2, region_code = $3, sector = $4,
		agency_id = $5, version = version + 1 WHERE id = $6`, upd.DisplayName, upd.Role, upd.RegionCode, upd.Sector, agency, ac.ID); err != nil {
		return fmt.Errorf("update account: %w", err)
	}
	if ch.EndsSessions {
		if _, err := revokeUserSessions(ctx, tx, ac.ID); err != nil {
			return err
		}
	}
	before := userRecord{ac.Username, ac.DisplayName, ac.Role, ac.AgencyID, ac.RegionCode, ac.Sector, ac.MustChangePassword}
	after := userRecord{ac.Username, upd.DisplayName, upd.Role, agency, upd.RegionCode, upd.Sector, ac.MustChangePassword}
	var cs []change
	if ch.Moved {
		cs = append(cs, change{Action: taotai.AuditMove, Entity: "user", EntityID: ac.ID, RegionPath: ac.RegionPath, Sector: ac.Sector,
			Before: laneRecord{ac.RegionCode, ac.RegionPath, ac.Sector}, After: laneRecord{upd.RegionCode, r.Path, upd.Sector},
			Note: fmt.Sprintf("账号由%s%s调至%s%s。理由：%s", ac.RegionName, taotai.SectorName(ac.Sector), r.Name, taotai.SectorName(upd.Sector), upd.Reason)})
	}
	cs = append(cs, change{Action: taotai.AuditUpdate, Entity: "user", EntityID: ac.ID, RegionPath: r.Path, Sector: upd.Sector,
		Before: before, After: after, Note: upd.Reason})
	return s.recordAll(ctx, tx, cs)
}

// SetAccountDisabled stops an account in the administrator's lane from
// signing in (its sessions end) or lets it sign in again. Disabling needs
// a reason, kept in the audit trail; an administrator may not disable
// themselves. Disabling a disabled account, or enabling an active one, is
// ECONFLICT.
func (s *DB) SetAccountDisabled(ctx context.Context, id int64, disabled bool, reason string) error {
	return s.changeAccount(ctx, id, func(tx *sql.Tx, a *taotai.Actor, ac *taotai.Account) error {
		if msg := taotai.ReasonMessage(reason, disabled); msg != "" {
			return reasonError(msg)
		}
		switch {
		case disabled && ac.ID == a.UserID:
			return taotai.Errorf(taotai.EINVALID, "不能停用自己的账号。")
		case disabled && ac.Disabled:
			return taotai.Errorf(taotai.ECONFLICT, "该账号已停用。")
		case !disabled && !ac.Disabled:
			return taotai.Errorf(taotai.ECONFLICT, "该账号未停用，无需启用。")
		}
		note := "停用账号"
		if !disabled {
			note = "重新启用账号"
		}
		if r := strings.TrimSpace(reason); r != "" {
			note += "。理由：" + r
		}
		return s.setDisabled(ctx, tx, refOf(ac), disabled, note)
	})
}

// UnlockAccount lifts every lockout and wait of an account in the
// administrator's lane after failed sign-ins, from whatever address.
func (s *DB) UnlockAccount(ctx context.Context, id int64, reason string) error {
	return s.changeAccount(ctx, id, func(tx *sql.Tx, _ *taotai.Actor, ac *taotai.Account) error {
		if msg := taotai.ReasonMessage(reason, false); msg != "" {
			return reasonError(msg)
		}
		return s.unlock(ctx, tx, refOf(ac), strings.TrimSpace(reason))
	})
}

// EndAccountSessions ends every session of an account in the
// administrator's lane and returns how many were signed in. An
// administrator ends their own by signing out.
func (s *DB) EndAccountSessions(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.changeAccount(ctx, id, func(tx *sql.Tx, a *taotai.Actor, ac *taotai.Account) error {
		if ac.ID == a.UserID {
			return taotai.Errorf(taotai.EINVALID, "要结束自己的会话，请点击页面右上角的“退出”。")
		}
		var err error
		if n, err = revokeUserSessions(ctx, tx, ac.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditRevoke, Entity: "user", EntityID: ac.ID, RegionPath: ac.RegionPath,
			Sector: ac.Sector, Note: fmt.Sprintf("结束该用户的全部会话（%d个）", n)})
	})
	return n, err
}

// reasonError is the EINVALID error of a bad reason, on the field reason.
func reasonError(msg string) error {
	return &taotai.Error{Code: taotai.EINVALID, Message: msg, Fields: map[string]string{"reason": msg}}
}

// passwordAlphabet leaves out the characters people misread: 0 O o, 1 l I.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newPassword makes a password for an account: four groups of four
// characters from passwordAlphabet (about 93 bits), one that
// taotai.ValidatePassword accepts for the username.
func newPassword(username string) (string, error) {
	n := big.NewInt(int64(len(passwordAlphabet)))
	for {
		var b strings.Builder
		for i := range 16 {
			if i > 0 && i%4 == 0 {
				b.WriteByte('-')
			}
			k, err := rand.Int(rand.Reader, n)
			if err != nil {
				return "", fmt.Errorf("make password: %w", err)
			}
			b.WriteByte(passwordAlphabet[k.Int64()])
		}
		if p := b.String(); taotai.ValidatePassword(username, p) == "" {
			return p, nil
		}
	}
}
