package taotai

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Audit actions.
const (
	AuditCreate      = "create"
	AuditUpdate      = "update"
	AuditDelete      = "delete"
	AuditState       = "state"
	AuditLogin       = "login"
	AuditLoginFailed = "login_failed"
	AuditLogout      = "logout"
	AuditExport      = "export"
	AuditImport      = "import"
	AuditPublish     = "publish"
	AuditPassword    = "password"
	AuditRevoke      = "revoke"
	AuditMove        = "move" // an enterprise, with all its records, to another region or sector
)

// AuditActionName returns the Chinese name of an audit action.
func AuditActionName(a string) string {
	switch a {
	case AuditCreate:
		return "新增"
	case AuditUpdate:
		return "修改"
	case AuditDelete:
		return "删除"
	case AuditState:
		return "状态变更"
	case AuditLogin:
		return "登录"
	case AuditLoginFailed:
		return "登录失败"
	case AuditLogout:
		return "退出"
	case AuditExport:
		return "导出"
	case AuditImport:
		return "导入"
	case AuditPublish:
		return "公布"
	case AuditPassword:
		return "修改密码"
	case AuditRevoke:
		return "注销会话"
	case AuditMove:
		return "变更管辖"
	}
	return a
}

// AuditActions lists the actions in display order.
var AuditActions = []string{AuditCreate, AuditUpdate, AuditDelete, AuditState, AuditLogin, AuditLoginFailed,
	AuditLogout, AuditPassword, AuditRevoke, AuditExport, AuditImport, AuditPublish, AuditMove}

// AuditEntry is one line of the audit trail: who did what to which record,
// when, from where, with the values before and after (JSON).
type AuditEntry struct {
	Seq        int64
	At         time.Time
	UserID     int64 // 0 for an anonymous caller (a failed login)
	Username   string
	Role       string
	Addr       string
	Action     string
	Entity     string // enterprise, key_list, user, industry, region, deadline, campaign_year
	EntityID   string
	RegionPath string // the lane of the record, "" when it has none (the province's)
	Sector     string // the lane's sector, "" for both
	Before     string
	After      string
	Note       string
	PrevHash   string
	Hash       string
}

// AuditTimeFormat is how At is stored and hashed: UTC, microseconds.
const AuditTimeFormat = "2006-01-02T15:04:05.000000Z"

// GenesisHash is the previous hash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the SHA-256 of the entry's content chained to its
// PrevHash. Every stored field but Hash takes part, separated by a byte that
// cannot occur in them (0x1f, the unit separator); the sector last, when
// it is not empty.
func (e *AuditEntry) ComputeHash() string {
	fields := []string{e.PrevHash, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(AuditTimeFormat),
		strconv.FormatInt(e.UserID, 10), e.Username, e.Role, e.Addr, e.Action, e.Entity, e.EntityID,
		e.RegionPath, e.Before, e.After, e.Note}
	if e.Sector != "" {
		// Appended only when set, so entries written before the audit
		// trail knew sectors hash as they did.
		fields = append(fields, e.Sector)
	}
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	Username      string
	Entity        string
	EntityID      string
	Action        string
	From, To      time.Time // To is exclusive
	Offset, Limit int
}

// AuditBreak describes the first broken link of the chain.
type AuditBreak struct {
	Seq    int64
	Reason string // in Chinese
}

type clientAddrKey struct{}

// WithClientAddr returns a context carrying where the request came from
// (an IP address, or "命令行" for operator commands).
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddr returns the address set by WithClientAddr, or "".
func ClientAddr(ctx context.Context) string {
	s, _ := ctx.Value(clientAddrKey{}).(string)
	return s
}
