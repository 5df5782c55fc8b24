package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"time"

	"taotai"
)

// The kinds of subject the sign-in throttle counts failures of (table
// sign_in_throttle, migration 00011).
const (
	throttleAccountAddr = "account_addr" // an account from one address: the lockout
	throttleAccount     = "account"      // an account from anywhere
	throttleAddr        = "addr"         // an address, whatever the account
	throttleKnown       = "known"        // an address the account signed in from
)

// throttleRules pairs each counted kind with its rule.
var throttleRules = []struct {
	kind string
	rule taotai.SignInRule
}{
	{throttleAccountAddr, taotai.LockoutRule},
	{throttleAccount, taotai.AccountRule},
	{throttleAddr, taotai.AddrRule},
}

// throttleKey returns the (username, addr) columns of a subject.
func throttleKey(kind, username, addr string) (string, string) {
	switch kind {
	case throttleAccount:
		return username, ""
	case throttleAddr:
		return "", addr
	}
	return username, addr
}

// signInAddr is the client address as the throttle counts it: an IPv6
// address by its /64 network, which one holder has whole.
func signInAddr(ctx context.Context) string {
	addr := taotai.ClientAddr(ctx)
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is6() || ip.Is4In6() {
		return addr
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// signInName is the username as the throttle counts it, whether or not
// such an account exists.
func signInName(username string) string { return truncateRunes(username, 50) }

// checkSignIn returns an ETOOMANY taotai.WaitError when an attempt on the
// account from the address must wait, and writes nothing. It reads the
// same rows whether or not the account exists, before anything else, so a
// locked real account and an unknown name answer alike.
func (s *DB) checkSignIn(ctx context.Context, username, addr string, now time.Time) error {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, blocked_until, updated_at FROM sign_in_throttle
		WHERE (kind IN ($1, $2) AND username = $3 AND addr = $4) OR (kind = $5 AND username = $3 AND addr = '')
			OR (kind = $6 AND username = '' AND addr = $4)`,
		throttleAccountAddr, throttleKnown, username, addr, throttleAccount, throttleAddr)
	if err != nil {
		return fmt.Errorf("check sign-in: %w", err)
	}
	defer rows.Close()
	until := map[string]time.Time{}
	known := false
	for rows.Next() {
		var kind string
		var blocked, updated int64
		if err := rows.Scan(&kind, &blocked, &updated); err != nil {
			return err
		}
		until[kind] = time.UnixMilli(blocked)
		if kind == throttleKnown && now.Sub(time.UnixMilli(updated)) < taotai.KnownAddrTTL {
			known = true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if t := until[throttleAccountAddr]; now.Before(t) {
		return &taotai.WaitError{Until: t, Err: taotai.Errorf(taotai.ETOOMANY,
			"因连续%d次登录失败，该账号在您当前的网络地址已被锁定，请于%s后再试，或联系系统管理员解锁。",
			taotai.MaxFailedLogins, t.In(taotai.Shanghai).Format("15:04"))}
	}
	wait := until[throttleAddr]
	if t := until[throttleAccount]; !known && t.After(wait) {
		wait = t
	}
	if now.Before(wait) {
		secs := max(1, int((wait.Sub(now)+time.Second-1)/time.Second))
		return &taotai.WaitError{Until: wait, Err: taotai.Errorf(taotai.ETOOMANY, "登录失败次数过多，请%d秒后再试。", secs)}
	}
	return nil
}

// countSignInFailure counts a failed password or TOTP code against the
// account from the address, the account and the address, and returns the
// failures in a row of the account from the address and, when they lock
// it, until when.
func (s *DB) countSignInFailure(ctx context.Context, tx *sql.Tx, username, addr string, now time.Time) (int, time.Time, error) {
	var lockN int
	var lockUntil time.Time
	for _, tr := range throttleRules {
		u, a := throttleKey(tr.kind, username, addr)
		var n int
		err := tx.QueryRowContext(ctx, `INSERT INTO sign_in_throttle (kind, username, addr, failures, blocked_until, updated_at)
			VALUES ($1, $2, $3, 1, 0, $4)
			ON CONFLICT (kind, username, addr) DO UPDATE SET updated_at = excluded.updated_at,
				failures = CASE WHEN sign_in_throttle.updated_at < $5 THEN 1 ELSE sign_in_throttle.failures + 1 END
			RETURNING failures`, tr.kind, u, a, now.UnixMilli(), now.Add(-tr.rule.Forget).UnixMilli()).Scan(&n)
		if err != nil {
			return 0, time.Time{}, fmt.Errorf("count sign-in failure: %w", err)
		}
		wait := tr.rule.Wait(n)
		if wait > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE sign_in_throttle SET blocked_until = $1
				WHERE kind = $2 AND username = $3 AND addr = $4`, now.Add(wait).UnixMilli(), tr.kind, u, a); err != nil {
				return 0, time.Time{}, fmt.Errorf("count sign-in failure: %w", err)
			}
		}
		if tr.kind == throttleAccountAddr {
			lockN = n
			if wait > 0 {
				lockUntil = now.Add(wait)
			}
		}
	}
	return lockN, lockUntil, nil
}

// signInFailed counts a failure and records c with the count, in one
// transaction; it returns the failures in a row of the account from the
// address and the end of the lock they started (zero when none).
func (s *DB) signInFailed(ctx context.Context, username, addr string, now time.Time, c change) (int, time.Time, error) {
	var n int
	var until time.Time
	err := s.Transact(ctx, func(tx *sql.Tx) error {
		var err error
		if n, until, err = s.countSignInFailure(ctx, tx, username, addr, now); err != nil {
			return err
		}
		c.Note += fmt.Sprintf("（本地址连续第%d次）", n)
		if !until.IsZero() {
			c.Note += "，该账号在此地址锁定至" + until.In(taotai.Shanghai).Format("15:04")
		}
		return s.record(ctx, tx, c)
	})
	return n, until, err
}

// lockedNotice is what a failure that starts a lock adds to its message.
func lockedNotice(until time.Time) string {
	if until.IsZero() {
		return ""
	}
	return fmt.Sprintf("因连续%d次登录失败，该账号在您当前的网络地址已被锁定%d分钟。",
		taotai.MaxFailedLogins, int(taotai.LockoutDuration.Minutes()))
}

// signInSucceeded ends the failures in a row of the account from the
// address, remembers the address as the account's and the time as its
// last sign-in.
func signInSucceeded(ctx context.Context, tx *sql.Tx, username, addr string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET last_sign_in = $1 WHERE username = $2`, timeText(now), username); err != nil {
		return fmt.Errorf("sign-in success: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_throttle WHERE kind = $1 AND username = $2 AND addr = $3`,
		throttleAccountAddr, username, addr); err != nil {
		return fmt.Errorf("sign-in success: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sign_in_throttle (kind, username, addr, failures, blocked_until, updated_at)
		VALUES ($1, $2, $3, 0, 0, $4) ON CONFLICT (kind, username, addr) DO UPDATE SET updated_at = excluded.updated_at`,
		throttleKnown, username, addr, now.UnixMilli())
	if err != nil {
		return fmt.Errorf("sign-in success: %w", err)
	}
	return nil
}

// clearSignInFailures lifts every lock and wait of an account (an
// operator's unlock or password reset).
func clearSignInFailures(ctx context.Context, tx *sql.Tx, username string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM sign_in_throttle WHERE kind IN ($1, $2) AND username = $3`,
		throttleAccountAddr, throttleAccount, username)
	return err
}

// DeleteExpiredSignIns removes throttle entries no rule reads any more:
// failures a day old, and addresses unused by their account for
// taotai.KnownAddrTTL. The table stays bounded by the attempts of a day.
func (s *DB) DeleteExpiredSignIns(ctx context.Context) error {
	now := s.clock.Now()
	_, err := s.db.ExecContext(ctx, `DELETE FROM sign_in_throttle
		WHERE (kind <> $1 AND updated_at < $2 AND blocked_until < $3) OR (kind = $1 AND updated_at < $4)`,
		throttleKnown, now.Add(-24*time.Hour).UnixMilli(), now.UnixMilli(), now.Add(-taotai.KnownAddrTTL).UnixMilli())
	if err != nil {
		return fmt.Errorf("delete expired sign-ins: %w", err)
	}
	return nil
}
