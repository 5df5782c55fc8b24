package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"taotai"
)

// mapError turns driver errors that mean a broken rule into the domain's
// codes, in one place: a unique violation becomes ECONFLICT.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return &taotai.Error{Code: taotai.ECONFLICT, Message: "该记录与已有记录重复。"}
		case "23503":
			return &taotai.Error{Code: taotai.EINVALID, Message: "引用的记录不存在。"}
		case "22021", "22P05": // a NUL byte or invalid UTF-8 that got past taotai.ValidText
			return &taotai.Error{Code: taotai.EINVALID, Message: taotai.MsgBadText}
		}
		return err
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &taotai.Error{Code: taotai.ECONFLICT, Message: "该记录与已有记录重复。"}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &taotai.Error{Code: taotai.EINVALID, Message: "引用的记录不存在。"}
		}
	}
	return err
}

// isUniqueViolation reports whether err is a unique-constraint violation.
func isUniqueViolation(err error) bool {
	return taotai.ErrorCode(mapError(err)) == taotai.ECONFLICT
}

func isSerializationFailure(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}
