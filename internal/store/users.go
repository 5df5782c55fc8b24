package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/alexedwards/argon2id"

	"taotai"
)

// hashParams are argon2id's parameters: 64 MiB, 1 pass, 2 lanes — the
// RFC 9106 second recommendation, within this system's 2-core machines.
var hashParams = &argon2id.Params{Memory: 64 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// dummyHash is checked against when the username is unknown, so that a
// wrong name takes as long as a wrong password.
var dummyHash = mustHash("taotai-dummy-password")

func mustHash(p string) string {
	h, err := argon2id.CreateHash(p, hashParams)
	if err != nil {
		panic(err)
	}
	return h
}

const userSelect = `SELECT u.id, u.username, u.display_name, u.role, u.agency_id, a.name, u.region_code, r.name,
	u.sector, u.disabled, u.must_change_password, u.created_at, u.password_hash
	FROM users u JOIN agencies a ON a.id = u.agency_id JOIN regions r ON r.code = u.region_code`

func scanUser(row interface{ Scan(...any) error }) (*taotai.User, string, error) {
	u := &taotai.User{}
	var hash string
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.AgencyID, &u.AgencyName, &u.RegionCode,
		&u.RegionName, &u.Sector, &u.Disabled, &u.MustChangePassword, &u.CreatedAt, &hash)
	return u, hash, err
}

// Authenticate checks a username and password.
func (s *DB) Authenticate(ctx context.Context, username, password string) (*taotai.User, error) {
	fail := taotai.Errorf(taotai.EUNAUTH, "用户名或密码不正确。")
	u, hash, err := scanUser(s.db.QueryRowContext(ctx, userSelect+` WHERE u.username = $1`, strings.TrimSpace(username)))
	if isNoRows(err) {
		argon2id.ComparePasswordAndHash(password, dummyHash)
		return nil, fail
	} else if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return nil, fmt.Errorf("compare password: %w", err)
	}
	if !ok {
		return nil, fail
	}
	if u.Disabled {
		return nil, taotai.Errorf(taotai.EUNAUTH, "该账号已停用，请联系系统管理员。")
	}
	return u, nil
}

// FindUser returns a user by id.
func (s *DB) FindUser(ctx context.Context, id int64) (*taotai.User, error) {
	u, _, err := scanUser(s.db.QueryRowContext(ctx, userSelect+` WHERE u.id = $1`, id))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "用户不存在。")
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
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
// region and sector.
func (s *DB) CreateUser(ctx context.Context, u *taotai.User, password string) error {
	u.Username = strings.TrimSpace(u.Username)
	f := taotai.FieldErrors{}
	if u.Username == "" || len([]rune(u.Username)) > 50 {
		f.Add("username", "用户名不能为空，且不超过50个字符。")
	}
	if !taotai.ValidRole(u.Role) {
		f.Add("role", "角色应为："+strings.Join(taotai.Roles, "、")+"。")
	}
	if u.Sector != "" && !taotai.ValidSector(u.Sector) {
		f.Add("sector", "行业类别应为 coal（煤矿）或 noncoal（非煤）。")
	}
	if msg := taotai.ValidatePassword(u.Username, password); msg != "" {
		f.Add("password", msg)
	}
	if err := f.Err(); err != nil {
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
			return taotai.Errorf(taotai.ECONFLICT, "用户名“%s”已被使用。", u.Username)
		}
		return err
	})
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
	short := []rune(r.Name)[:1]
	err = tx.QueryRowContext(ctx, `INSERT INTO agencies (name, short_name, region_code, sector) VALUES ($1, $2, $3, $4) RETURNING id`,
		name, string(short), r.Code, sector).Scan(&id)
	return id, err
}

// DefaultAgencyName names the usual agency of a region and sector.
func DefaultAgencyName(r *taotai.Region, sector string) string {
	switch {
	case r.Level == taotai.LevelProvince && sector == taotai.SectorCoal:
		return "辽宁省煤矿安全监察局"
	case r.Level == taotai.LevelProvince:
		return "辽宁省应急管理厅"
	case r.Code == ShenfuCode:
		return "沈抚新区管委会应急管理局"
	case sector == taotai.SectorCoal:
		return r.Name + "煤矿安全监管局"
	}
	return r.Name + "应急管理局"
}

// SetPassword replaces a user's password and clears a forced change.
func (s *DB) SetPassword(ctx context.Context, username, password string) error {
	if msg := taotai.ValidatePassword(username, password); msg != "" {
		return taotai.Errorf(taotai.EINVALID, "%s", msg)
	}
	hash, err := argon2id.CreateHash(password, hashParams)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.updateUser(ctx, username, `UPDATE users SET password_hash = $1, must_change_password = FALSE WHERE username = $2`, hash)
}

// DisableUser stops an account from signing in and ends its sessions at
// their next request (the session loader checks Disabled).
func (s *DB) DisableUser(ctx context.Context, username string) error {
	return s.updateUser(ctx, username, `UPDATE users SET disabled = TRUE WHERE username = $1`)
}

func (s *DB) updateUser(ctx context.Context, username, query string, args ...any) error {
	return s.Transact(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, append(args, username)...)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return taotai.Errorf(taotai.ENOTFOUND, "用户“%s”不存在。", username)
		}
		return nil
	})
}
