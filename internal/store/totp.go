package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"taotai"
)

// totpPeriod is the length of a TOTP time step (RFC 6238's default, which
// every authenticator app uses).
const totpPeriod = 30

// totpStep returns the time step whose code is code, looking at now's step
// and its two neighbours (a phone's clock may be half a minute off), or -1.
func totpStep(secret, code string, now time.Time) int64 {
	if secret == "" || len(code) != 6 {
		return -1
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for _, k := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(k*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, t, opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return t.Unix() / totpPeriod
		}
	}
	return -1
}

// useTOTPStep marks step as the user's last used one, unless it or a later
// one was used already: each code is accepted once, on every instance.
func useTOTPStep(ctx context.Context, tx *sql.Tx, userID, step int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1`, step, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const totpWrong = "动态口令不正确，请查看验证器中的6位数字后重试。" //nolint:gosec // G101: a message shown on a wrong code, not a credential

// VerifyTOTP checks the second factor of a user whose password
// Authenticate accepted, and returns the user when it is right. A wrong
// code, or one of a time step already used, counts toward the lockout as a
// wrong password does (same counters, same ETOOMANY refusals); every
// attempt is recorded.
func (s *DB) VerifyTOTP(ctx context.Context, userID int64, code string) (*taotai.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, userSelect+` WHERE u.id = $1`, userID))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "用户不存在。")
	} else if err != nil {
		return nil, err
	}
	name, addr, now := signInName(u.Username), signInAddr(ctx), s.clock.Now().UTC()
	if err := s.checkSignIn(ctx, name, addr, now); err != nil {
		return nil, err
	}
	uctx := asUser(ctx, u)
	if u.Disabled {
		return nil, taotai.Errorf(taotai.EUNAUTH, "该账号已停用，请联系系统管理员。")
	}
	step := totpStep(u.totpSecret, code, now)
	ok, note := u.totpSecret == "", "动态口令错误"
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		if step >= 0 {
			var err error
			if ok, err = useTOTPStep(ctx, tx, u.ID, step); err != nil {
				return err
			} else if !ok {
				note = "动态口令已使用过（重复提交）"
			}
		}
		if !ok {
			return nil
		}
		if err := signInSucceeded(ctx, tx, name, addr, now); err != nil {
			return err
		}
		return s.record(uctx, tx, change{Action: taotai.AuditLogin, Entity: "user", EntityID: u.ID, RegionPath: u.regionPath,
			Note: "动态口令验证通过"})
	})
	if err != nil {
		return nil, err
	}
	if ok {
		return u.User, nil
	}
	_, until, err := s.signInFailed(uctx, name, addr, now, change{Action: taotai.AuditLoginFailed, Entity: "user",
		EntityID: u.ID, RegionPath: u.regionPath, Note: note})
	if err != nil {
		return nil, err
	}
	return nil, taotai.Errorf(taotai.EUNAUTH, "%s%s", totpWrong, lockedNotice(until))
}

// EnableTOTP sets the signed-in user's second factor to secret, once code
// shows that their authenticator holds it; the code's step counts as used.
// Only provincial accounts may use one, and one that has a second factor
// must disable it (DisableTOTP, with password and code) before setting a
// new one.
func (s *DB) EnableTOTP(ctx context.Context, secret, code string) error {
	a, err := totpActor(ctx)
	if err != nil {
		return err
	}
	step := totpStep(secret, code, s.clock.Now())
	if step < 0 {
		return &taotai.Error{Code: taotai.EINVALID, Message: "动态口令未启用。",
			Fields: map[string]string{"code": "动态口令不正确，请输入验证器当前显示的6位数字。"}}
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_last_step = $2 WHERE id = $3 AND totp_secret = ''`,
			secret, step, a.UserID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return totpEnabled()
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "user", EntityID: a.UserID, RegionPath: a.RegionPath,
			Before: map[string]bool{"totp": false}, After: map[string]bool{"totp": true}, Note: "启用动态口令"})
	})
}

func totpEnabled() error {
	return taotai.Errorf(taotai.ECONFLICT, "动态口令已启用。如需更换，请先停用当前的动态口令（须输入密码和动态口令）。")
}

// DisableTOTP removes the signed-in user's second factor, given their
// password and a current code (a stolen session alone cannot). Failures
// count toward the lockout as failed sign-ins do, and are recorded.
// Field errors name the fields totp_password and totp_code.
func (s *DB) DisableTOTP(ctx context.Context, password, code string) error {
	a, err := totpActor(ctx)
	if err != nil {
		return err
	}
	u, err := scanUser(s.db.QueryRowContext(ctx, userSelect+` WHERE u.id = $1`, a.UserID))
	if err != nil {
		return taotai.Errorf(taotai.ENOTFOUND, "用户不存在。")
	}
	if u.totpSecret == "" {
		return taotai.Errorf(taotai.ECONFLICT, "动态口令未启用。")
	}
	name, addr, now := signInName(u.Username), signInAddr(ctx), s.clock.Now().UTC()
	if err := s.checkSignIn(ctx, name, addr, now); err != nil {
		return err
	}
	f := taotai.FieldErrors{}
	if ok, _ := argon2id.ComparePasswordAndHash(password, u.hash); !ok {
		f.Add("totp_password", "密码不正确。")
	}
	step := totpStep(u.totpSecret, code, now)
	if step < 0 {
		f.Add("totp_code", "动态口令不正确，请输入验证器当前显示的6位数字。")
	}
	if len(f) == 0 {
		err := s.Transact(ctx, func(tx *sql.Tx) error {
			if ok, err := useTOTPStep(ctx, tx, u.ID, step); err != nil {
				return err
			} else if !ok {
				f.Add("totp_code", "该动态口令已使用过，请等验证器显示新的6位数字后再输入。")
				return nil
			}
			if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = '' WHERE id = $1`, u.ID); err != nil {
				return err
			}
			return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "user", EntityID: u.ID, RegionPath: u.regionPath,
				Before: map[string]bool{"totp": true}, After: map[string]bool{"totp": false}, Note: "停用动态口令（已核对密码和动态口令）"})
		})
		if err != nil || len(f) == 0 {
			return err
		}
	}
	_, until, err := s.signInFailed(ctx, name, addr, now, change{Action: taotai.AuditLoginFailed, Entity: "user", EntityID: u.ID,
		RegionPath: u.regionPath, Note: "停用动态口令未通过核对"})
	if err != nil {
		return err
	}
	e := f.Err().(*taotai.Error)
	e.Message = "动态口令未停用。" + lockedNotice(until)
	return e
}

// totpActor returns the signed-in actor, who must be a provincial one.
func totpActor(ctx context.Context) (*taotai.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.RegionCode != taotai.ProvinceCode {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "动态口令仅用于省级账号。")
	}
	return a, nil
}
