-- +goose Up
-- Failed sign-ins, counted per kind of subject so that several instances
-- agree: 'account_addr' (an account from one address: the lockout),
-- 'account' (an account from anywhere), 'addr' (an address, any account),
-- and 'known' (an address the account signed in from, exempt from the
-- account-wide wait). Times are Unix milliseconds; rows expire.
CREATE TABLE sign_in_throttle (
    kind          TEXT NOT NULL,
    username      TEXT NOT NULL DEFAULT '',
    addr          TEXT NOT NULL DEFAULT '',
    failures      INTEGER NOT NULL DEFAULT 0,
    blocked_until BIGINT NOT NULL DEFAULT 0,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (kind, username, addr)
);
CREATE INDEX sign_in_throttle_updated ON sign_in_throttle(updated_at);

-- The last TOTP time step accepted for the user: a code of that step or an
-- earlier one is refused, so each code signs in once.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN totp_last_step;
DROP TABLE sign_in_throttle;
