// Package taotai holds the domain of the backward-capacity enforcement
// campaign: enterprises, regions, industries, users and their lanes, and the
// rules that govern them. It does no I/O; storage and the web live in
// internal packages.
package taotai

import (
	"errors"
	"fmt"
)

// Application error codes. Each maps to one HTTP status in the web layer.
const (
	ECONFLICT  = "conflict"  // a unique value already used, or a stale version
	EINTERNAL  = "internal"  // a bug or an outage; never shown in detail
	EINVALID   = "invalid"   // the input breaks a rule
	ENOTFOUND  = "not_found" // absent, or outside the caller's lane
	EFORBIDDEN = "forbidden" // inside the lane but the role may not do it
	EUNAUTH    = "unauthorized"
	ETOOMANY   = "too_many" // too many failed attempts: wait, then try again
)

// Error is an application error with a code and a message fit for users
// (in Chinese). Fields, when set, hold per-field messages for a form.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("taotai error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an application error with the given code and message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, EINTERNAL for any
// other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of an application error, or
// a generic Chinese message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后再试或联系管理员。"
}

// FieldErrors collects per-field validation messages for a form.
type FieldErrors map[string]string

// Add records msg for field unless the field already has one.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns an EINVALID error carrying the fields, or nil when empty.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "提交的内容有误，请按提示修改后重新提交。", Fields: map[string]string(f)}
}
