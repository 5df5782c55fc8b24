package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/alexedwards/argon2id"

	"taotai"
)

// hashParams are argon2id's parameters: 64 MiB, 1 pass, 2 lanes — the
// RFC 9106 second recommendation, within this system's 2-core machines.
var hashParams = &argon2id.Params{Memory: 64 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// dummyHash is checked against when the username is unknown, so that a
// wrong name takes as long as a wrong password. It is made at the first
// sign-in, not when the package loads: a hash costs 64 MiB and 0.2 s,
// which every command (export, import, backup …) would otherwise pay.
var dummyHash = sync.OnceValue(func() string { return mustHash("taotai-dummy-password") })

func mustHash(p string) string {
	h, err := argon2id.CreateHash(p, hashParams)
	if err != nil {
		panic(err)
	}
	return h
}

const userSelect = `SELECT u.id, u.username, u.display_name, u.role, u.agency_id, a.name, u.region_code, r.name,
	u.sector, u.disabled, u.must_change_password, u.created_at, u.password_hash, u.failed_logins, u.locked_until,
	u.totp_secret, r.path
	FROM users u JOIN agencies a ON a.id = u.agency_id JOIN regions r ON r.code = u.region_code`

// userRow is a user with the columns that never leave the store.
type userRow struct {
	*taotai.User
	hash        string
	failed      int
	lockedUntil string
	totpSecret  string
	regionPath  string
}

func scanUser(row interface{ Scan(...any) error }) (*userRow, error) {
	u := &userRow{User: &taotai.User{}}
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.AgencyID, &u.AgencyName, &u.RegionCode,
		&u.RegionName, &u.Sector, &u.Disabled, &u.MustChangePassword, &u.CreatedAt, &u.hash, &u.failed, &u.lockedUntil,
		&u.totpSecret, &u.regionPath)
	u.HasTOTP = u.totpSecret != ""
	return u, err
}

// asUser returns a context acting as u, for the audit trail of its own
// sign-in.
func asUser(ctx context.Context, u *userRow) context.Context {
	return taotai.NewContextWithActor(ctx, u.actor())
}

// actor is the actor u is: their lane with its region path.
func (u *userRow) actor() *taotai.Actor {
	return &taotai.Actor{UserID: u.ID, Username: u.Username, Role: u.Role,
		RegionCode: u.RegionCode, RegionPath: u.regionPath, Sector: u.Sector, AgencyID: u.AgencyID}
}

// Authenticate checks a username and password. Every attempt that is
// checked is recorded in the audit trail. Failures are counted per account
// and client address (taotai.ClientAddr): after taotai.MaxFailedLogins in a
// row from one address the account is locked for that address for
// taotai.LockoutDuration; an address, or an account tried from addresses
// it never signed in from, that fails often must wait longer before each
// attempt (taotai.AddrRule, taotai.AccountRule). An attempt that must wait
// is refused with an ETOOMANY taotai.WaitError before the name is even
// looked up, so a locked account and an unknown name answer alike. The
// password is checked outside any transaction (argon2id takes tens of
// milliseconds) and failures are counted atomically, so simultaneous
// attempts all count.
func (s *DB) Authenticate(ctx context.Context, username, password string) (*taotai.User, error) {
	username = strings.TrimSpace(username)
	name, addr, now := signInName(username), signInAddr(ctx), s.clock.Now().UTC()
	if err := s.checkSignIn(ctx, name, addr, now); err != nil {
		return nil, err
	}
	fail := func(ctx context.Context, c change) error {
		_, until, err := s.signInFailed(ctx, name, addr, now, c)
		if err != nil {
			return err
		}
		return taotai.Errorf(taotai.EUNAUTH, "用户名或密码不正确。%s", lockedNotice(until))
	}
	u, err := scanUser(s.db.QueryRowContext(ctx, userSelect+` WHERE u.username = $1`, username))
	if isNoRows(err) {
		// Against a dummy hash, to take as long as a real comparison: the
		// result and error mean nothing.
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash())
		anon := taotai.NewContextWithActor(ctx, &taotai.Actor{Username: name})
		return nil, fail(anon, change{Action: taotai.AuditLoginFailed, Entity: "user", EntityID: "", Note: "用户名不存在"})
	} else if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	uctx := asUser(ctx, u)
	ok, err := argon2id.ComparePasswordAndHash(password, u.hash)
	if err != nil {
		return nil, fmt.Errorf("compare password: %w", err)
	}
	if !ok {
		return nil, fail(uctx, change{Action: taotai.AuditLoginFailed, Entity: "user", EntityID: u.ID, RegionPath: u.regionPath, Note: "密码错误"})
	}
	if u.Disabled {
		return nil, s.event(uctx, change{Action: taotai.AuditLoginFailed, Entity: "user", EntityID: u.ID, RegionPath: u.regionPath,
			Note: "账号已停用"}, taotai.Errorf(taotai.EUNAUTH, "该账号已停用，请联系系统管理员。"))
	}
	c := change{Action: taotai.AuditLogin, Entity: "user", EntityID: u.ID, RegionPath: u.regionPath, Note: "密码验证通过"}
	if u.HasTOTP {
		// Not signed in yet: the failures in a row go on counting until
		// the code is right too.
		c.Note += "，待验证动态口令"
		if err := s.event(uctx, c, nil); err != nil {
			return nil, err
		}
		return u.User, nil
	}
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		if err := signInSucceeded(ctx, tx, name, addr, now); err != nil {
			return err
		}
		return s.record(uctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return u.User, nil
}

// event records c in a transaction of its own and returns result, or the
// error of recording.
func (s *DB) event(ctx context.Context, c change, result error) error {
	if err := s.Transact(ctx, func(tx *sql.Tx) error { return s.record(ctx, tx, c) }); err != nil {
		return err
	}
	return result
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// FindUser returns a user by id.
func (s *DB) FindUser(ctx context.Context, id int64) (*taotai.User, error) {
	u, _, err := s.FindActor(ctx, id)
	return u, err
}

// FindActor returns a user and the actor they are (their lane with its
// region path), read in one statement: what every signed-in request
// needs first.
func (s *DB) FindActor(ctx context.Context, id int64) (*taotai.User, *taotai.Actor, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, userSelect+` WHERE u.id = $1`, id))
	if isNoRows(err) {
		return nil, nil, taotai.Errorf(taotai.ENOTFOUND, "用户不存在。")
	} else if err != nil {
		return nil, nil, fmt.Errorf("find user: %w", err)
	}
	return u.User, u.actor(), nil
}

// ActorFor returns the actor of a user: their lane with its region path.
func (s *DB) ActorFor(ctx context.Context, u *taotai.User) (*taotai.Actor, error) {
	r, err := findRegion(ctx, s.db, u.RegionCode)
	if err != nil {
		return nil, err
	}
	return &taotai.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, RegionCode: u.RegionCode,
		RegionPath: r.Path, Sector: u.Sector, AgencyID: u.AgencyID}, nil
}

// CreateUser adds an account and, when none exists yet, the agency of its
// region and sector. It is the operator's way (taotai user add): no lane
// is checked. Administrators on the web go through CreateAccount, which
// checks the same fields (checkUser) and then their lane and role.
func (s *DB) CreateUser(ctx context.Context, u *taotai.User, password string) error {
	u.Username = strings.TrimSpace(u.Username)
	if err := checkUser(taotai.FieldErrors{}, u, password).Err(); err != nil {
		return err
	}
	hash, err := argon2id.CreateHash(password, hashParams)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		r, err := findRegion(ctx, tx, u.RegionCode)
		if err != nil {
			return err
		}
		return s.insertUser(ctx, tx, u, r, hash)
	})
}

// checkUser checks the fields of a new account, the same for the operator
// and for administrators: a username of at most 50 characters, a name of
// at most taotai.MaxDisplayNameLen, text ValidText accepts, a known role
// and sector, and a password taotai.ValidatePassword accepts. It adds its
// messages to f (a field keeps its first) and returns f.
func checkUser(f taotai.FieldErrors, u *taotai.User, password string) taotai.FieldErrors {
	if u.Username == "" || len([]rune(u.Username)) > 50 {
		f.Add("username", "用户名不能为空，且不超过50个字符。")
	} else if !taotai.ValidText(u.Username, false) {
		f.Add("username", taotai.BadTextMessage("用户名"))
	}
	if !taotai.ValidText(u.DisplayName, false) {
		f.Add("display_name", taotai.BadTextMessage("姓名"))
	} else if n := len([]rune(u.DisplayName)); n > taotai.MaxDisplayNameLen {
		f.Add("display_name", fmt.Sprintf("姓名不能超过%d个字，当前%d个字。", taotai.MaxDisplayNameLen, n))
	}
	if !taotai.ValidRole(u.Role) {
		var roles []string
		for _, r := range taotai.Roles {
			roles = append(roles, r+"（"+taotai.RoleName(r)+"）")
		}
		f.Add("role", "角色应为："+strings.Join(roles, "、")+"。")
	}
	if u.Sector != "" && !taotai.ValidSector(u.Sector) {
		f.Add("sector", taotai.MsgBadSector)
	}
	if msg := taotai.ValidatePassword(u.Username, password); msg != "" {
		f.Add("password", msg)
	}
	return f
}

// insertUser writes a checked account in region r, with its agency (found
// or made), and records it.
func (s *DB) insertUser(ctx context.Context, tx *sql.Tx, u *taotai.User, r *taotai.Region, hash string) error {
	var err error
	if u.AgencyID == 0 {
		if u.AgencyID, err = ensureAgency(ctx, tx, r, u.Sector, u.AgencyName); err != nil {
			return err
		}
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	u.CreatedAt = s.clock.Now().UTC()
	err = tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, password_hash, role, agency_id,
		region_code, sector, must_change_password, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		u.Username, u.DisplayName, hash, u.Role, u.AgencyID, u.RegionCode, u.Sector, u.MustChangePassword, u.CreatedAt).Scan(&u.ID)
	if isUniqueViolation(err) {
		msg := fmt.Sprintf("用户名“%s”已被使用。", u.Username)
		return &taotai.Error{Code: taotai.ECONFLICT, Message: msg, Fields: map[string]string{"username": msg}}
	} else if err != nil {
		return err
	}
	return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "user", EntityID: u.ID, RegionPath: r.Path, Sector: u.Sector,
		After: userRecord{u.Username, u.DisplayName, u.Role, u.AgencyID, u.RegionCode, u.Sector, u.MustChangePassword}})
}

// ensureAgency finds or creates the agency of a region and sector; name
// defaults to the usual one (鞍山市应急管理局, 阜新市煤矿安全监管局 …).
func ensureAgency(ctx context.Context, tx *sql.Tx, r *taotai.Region, sector, name string) (int64, error) {
	if name == "" {
		name = DefaultAgencyName(r, sector)
		if r.Level == taotai.LevelCounty {
			// County names repeat across cities (铁西区 in 沈阳 and 鞍山).
			p, err := findRegion(ctx, tx, r.Parent)
			if err != nil {
				return 0, err
			}
			name = p.Name + name
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM agencies WHERE name = $1`, name).Scan(&id)
	if err == nil {
		return id, nil
	} else if !isNoRows(err) {
		return 0, err
	}
	mark, err := freeAgencyMark(ctx, tx, r, sector)
	if err != nil {
		return 0, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO agencies (name, short_name, region_code, sector) VALUES ($1, $2, $3, $4) RETURNING id`,
		name, mark, r.Code, sector).Scan(&id)
	return id, err
}

// freeAgencyMark returns the mark a new agency of a region and sector
// takes: AgencyShortName when no agency prints it yet; for a county whose
// name repeats in another city (铁西区 in 沈阳 and 鞍山), the city's
// character in front (鞍铁西); otherwise a number after it, for the
// administrator to correct. Marks are unique province-wide (the index
// agencies_short_name), or two agencies would print the same numbers.
func freeAgencyMark(ctx context.Context, tx *sql.Tx, r *taotai.Region, sector string) (string, error) {
	base := AgencyShortName(r, sector)
	candidates := []string{base}
	if r.Level == taotai.LevelCounty && r.Parent != "" {
		p, err := findRegion(ctx, tx, r.Parent)
		if err != nil {
			return "", err
		}
		candidates = append(candidates, string([]rune(p.Name)[:1])+base)
	}
	for i := 2; i < 100; i++ {
		candidates = append(candidates, fmt.Sprintf("%s%d", base, i))
	}
	for _, c := range candidates {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies WHERE short_name = $1`, c).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return c, nil
		}
	}
	return "", taotai.Errorf(taotai.ECONFLICT, "机关简称“%s”已被使用，请系统管理员先为新单位设定简称。", base)
}

// AgencyShortName is the mark an agency puts in its document numbers
// （鞍）应急责改〔2020〕1号: the city's first character (辽 for the province,
// and 辽阳 for 辽阳, whose first character is the province's), a county's
// name without 区/县/市, 沈抚 for 沈抚新区, and 煤 added for a coal agency,
// so that a city's two agencies never print the same number. Marks are
// unique province-wide; an administrator may correct them (SetAgencyMark).
func AgencyShortName(r *taotai.Region, sector string) string {
	name := []rune(r.Name)
	short := string(name[:1])
	switch {
	case r.Code == ShenfuCode:
		short = "沈抚"
	case r.Level == taotai.LevelCity && short == "辽" && len(name) > 2:
		short = strings.TrimSuffix(r.Name, "市")
	case r.Level == taotai.LevelCounty && len(name) > 2:
		short = strings.TrimRight(r.Name, "区县市")
		if short == "" {
			short = string(name[:1])
		}
	}
	if sector == taotai.SectorCoal {
		short += "煤"
	}
	return short
}

// DefaultAgencyName names the usual agency of a region and sector.
func DefaultAgencyName(r *taotai.Region, sector string) string {
	switch {
	case r.Level == taotai.LevelProvince && sector == taotai.SectorCoal:
		return "辽宁煤矿安全监察局"
	case r.Level == taotai.LevelProvince:
		return "辽宁省应急管理厅"
	case r.Code == ShenfuCode:
		return "沈抚新区管委会应急管理局"
	case sector == taotai.SectorCoal:
		return r.Name + "煤矿安全监管局"
	}
	return r.Name + "应急管理局"
}

// SetPassword replaces a user's password, as an operator does: the user
// must change it at the next sign-in, the lock is lifted and every session
// of the user ends. Administrators on the web go through ResetPassword,
// which does the same after checking their lane.
func (s *DB) SetPassword(ctx context.Context, username, password string) error {
	if msg := taotai.ValidatePassword(username, password); msg != "" {
		return taotai.Errorf(taotai.EINVALID, "%s", msg)
	}
	hash, err := argon2id.CreateHash(password, hashParams)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.byUsername(ctx, username, func(tx *sql.Tx, u *userRef) error {
		return s.resetPassword(ctx, tx, u, hash, "管理员重置密码，下次登录须修改")
	})
}

// ChangePassword lets the signed-in user replace their own password after
// giving the current one; it clears a forced change and ends the user's
// other sessions.
func (s *DB) ChangePassword(ctx context.Context, current, next string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	u, err := scanUser(s.db.QueryRowContext(ctx, userSelect+` WHERE u.id = $1`, a.UserID))
	if err != nil {
		return taotai.Errorf(taotai.ENOTFOUND, "用户不存在。")
	}
	f := taotai.FieldErrors{}
	if ok, _ := argon2id.ComparePasswordAndHash(current, u.hash); !ok {
		f.Add("current", "当前密码不正确。")
	}
	if msg := taotai.ValidatePassword(u.Username, next); msg != "" {
		f.Add("password", msg)
	} else if next == current {
		f.Add("password", "新密码不能与当前密码相同。")
	}
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := argon2id.CreateHash(next, hashParams)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = FALSE WHERE id = $2`, hash, u.ID); err != nil {
			return err
		}
		if _, err := revokeUserSessions(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditPassword, Entity: "user", EntityID: u.ID, RegionPath: u.regionPath,
			Sector: u.Sector, Note: "本人修改密码"})
	})
}

// DisableUser stops an account from signing in and ends its sessions (the
// operator's way; administrators use SetAccountDisabled).
func (s *DB) DisableUser(ctx context.Context, username string) error {
	return s.byUsername(ctx, username, func(tx *sql.Tx, u *userRef) error {
		return s.setDisabled(ctx, tx, u, true, "")
	})
}

// EnableUser lets a disabled account sign in again (the operator's way;
// administrators use SetAccountDisabled).
func (s *DB) EnableUser(ctx context.Context, username string) error {
	return s.byUsername(ctx, username, func(tx *sql.Tx, u *userRef) error {
		return s.setDisabled(ctx, tx, u, false, "")
	})
}

// UnlockUser lifts every lockout and wait of an account after failed
// sign-ins, from whatever address (the operator's way; administrators use
// UnlockAccount).
func (s *DB) UnlockUser(ctx context.Context, username string) error {
	return s.byUsername(ctx, username, func(tx *sql.Tx, u *userRef) error {
		return s.unlock(ctx, tx, u, "")
	})
}

// userRef is what a change of an account needs to know of it: who, and the
// lane its audit entries belong to.
type userRef struct {
	id             int64
	username, path string
	sector         string
}

// byUsername runs fn in a transaction on the account of that name, without
// a lane (the operator's commands), or answers ENOTFOUND.
func (s *DB) byUsername(ctx context.Context, username string, fn func(tx *sql.Tx, u *userRef) error) error {
	return s.Transact(ctx, func(tx *sql.Tx) error {
		u := &userRef{username: username}
		err := tx.QueryRowContext(ctx, `SELECT u.id, r.path, u.sector FROM users u JOIN regions r ON r.code = u.region_code
			WHERE u.username = $1`, username).Scan(&u.id, &u.path, &u.sector)
		if isNoRows(err) {
			return taotai.Errorf(taotai.ENOTFOUND, "用户“%s”不存在。", username)
		} else if err != nil {
			return err
		}
		return fn(tx, u)
	})
}

// resetPassword sets a password the user must change at the next sign-in,
// lifts the account's locks, ends its sessions and records note.
func (s *DB) resetPassword(ctx context.Context, tx *sql.Tx, u *userRef, hash, note string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = TRUE, failed_logins = 0,
		locked_until = '' WHERE id = $2`, hash, u.id); err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	if err := clearSignInFailures(ctx, tx, u.username); err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	if _, err := revokeUserSessions(ctx, tx, u.id); err != nil {
		return err
	}
	return s.record(ctx, tx, change{Action: taotai.AuditPassword, Entity: "user", EntityID: u.id, RegionPath: u.path, Sector: u.sector, Note: note})
}

// setDisabled stops an account from signing in (ending its sessions) or
// lets it again, and records the change with note.
func (s *DB) setDisabled(ctx context.Context, tx *sql.Tx, u *userRef, disabled bool, note string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, u.id); err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	if disabled {
		if _, err := revokeUserSessions(ctx, tx, u.id); err != nil {
			return err
		}
	}
	return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "user", EntityID: u.id, RegionPath: u.path, Sector: u.sector,
		Before: map[string]bool{"disabled": !disabled}, After: map[string]bool{"disabled": disabled}, Note: note})
}

// unlock lifts every lockout and wait of an account and records it.
func (s *DB) unlock(ctx context.Context, tx *sql.Tx, u *userRef, reason string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = '' WHERE id = $1`, u.id); err != nil {
		return fmt.Errorf("unlock user: %w", err)
	}
	if err := clearSignInFailures(ctx, tx, u.username); err != nil {
		return fmt.Errorf("unlock user: %w", err)
	}
	note := "解除登录锁定"
	if reason != "" {
		note += "：" + reason
	}
	return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "user", EntityID: u.id, RegionPath: u.path, Sector: u.sector, Note: note})
}

// userRecord is what the audit trail keeps of an account (never the hash).
type userRecord struct {
	Username           string `json:"username"`
	DisplayName        string `json:"display_name"`
	Role               string `json:"role"`
	AgencyID           int64  `json:"agency_id"`
	RegionCode         string `json:"region_code"`
	Sector             string `json:"sector"`
	MustChangePassword bool   `json:"must_change_password"`
}

// Agencies returns every agency with its mark, by region code and name;
// administrators only (the marks are province-wide data).
func (s *DB) Agencies(ctx context.Context) ([]*taotai.Agency, error) {
	if _, err := requireProvinceAdmin(ctx, "维护机关简称"); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, short_name, region_code, sector FROM agencies ORDER BY region_code, name`)
	if err != nil {
		return nil, fmt.Errorf("agencies: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Agency
	for rows.Next() {
		a := &taotai.Agency{}
		if err := rows.Scan(&a.ID, &a.Name, &a.ShortName, &a.RegionCode, &a.Sector); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetAgencyMark changes the mark an agency prints in its document numbers;
// administrators only. A mark another agency prints is ECONFLICT (the
// database's unique index agencies_short_name says so too). Documents
// already issued keep their numbers.
func (s *DB) SetAgencyMark(ctx context.Context, id int64, mark string) error {
	if _, err := requireProvinceAdmin(ctx, "维护机关简称"); err != nil {
		return err
	}
	mark, err := taotai.ValidateAgencyMark(mark)
	if err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		var name, before string
		err := tx.QueryRowContext(ctx, `SELECT name, short_name FROM agencies WHERE id = $1`, id).Scan(&name, &before)
		if isNoRows(err) {
			return taotai.Errorf(taotai.ENOTFOUND, "单位不存在。")
		} else if err != nil {
			return err
		}
		if before == mark {
			return nil
		}
		var other string
		err = tx.QueryRowContext(ctx, `SELECT name FROM agencies WHERE short_name = $1 AND id <> $2`, mark, id).Scan(&other)
		if err == nil {
			return taotai.Errorf(taotai.ECONFLICT, "机关简称“%s”已由%s使用：全省各执法单位的简称不能重复，否则文书编号会相同。", mark, other)
		} else if !isNoRows(err) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE agencies SET short_name = $1 WHERE id = $2`, mark, id); err != nil {
			if isUniqueViolation(err) {
				return taotai.Errorf(taotai.ECONFLICT, "机关简称“%s”已被其他单位使用。", mark)
			}
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "agency", EntityID: id,
			Before: map[string]string{"name": name, "short_name": before}, After: map[string]string{"name": name, "short_name": mark}})
	})
}
