package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/store"
)

// User administration: an administrator lists, creates and manages the
// accounts of their lane. The store checks the lane and the rules; these
// handlers read the forms, ask to confirm the consequential acts (a reset,
// a change of role or lane, disabling) with their reason, and show a
// password the system made once.

const accountsPerPage = 50

type adminUsersPage struct {
	Page
	Query    url.Values
	Filter   taotai.AccountFilter
	Accounts []*taotai.Account
	Total    int
	PageNo   int
	Pages    int
	Roles    []string
	Regions  []regionOption
	States   []string
}

// PageLink returns the address of page n with the same filters.
func (p *adminUsersPage) PageLink(n int) string {
	return "/admin/users" + withQuery(p.Query, "page", strconv.Itoa(n))
}

// Filtered reports whether any filter is set.
func (p *adminUsersPage) Filtered() bool {
	f := p.Filter
	return f.Q != "" || f.Role != "" || f.Region != "" || f.State != ""
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := taotai.AccountFilter{Q: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), Region: q.Get("region"), State: q.Get("state")}
	p := &adminUsersPage{Page: s.page(r, "用户管理"), Query: q, Filter: f, Roles: taotai.Roles,
		States: append(append([]string{}, taotai.AccountStates...), taotai.AccountMustChange)}
	p.PageNo = max(atoiOr(q.Get("page"), 1), 1)
	f.Limit, f.Offset = accountsPerPage, (p.PageNo-1)*accountsPerPage
	var err error
	if p.Accounts, p.Total, err = s.store.Accounts(r.Context(), f); err != nil {
		return err
	}
	p.Pages = (p.Total + accountsPerPage - 1) / accountsPerPage
	if p.Regions, err = s.laneRegions(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_users", p)
	return nil
}

// userForm is what the create and edit forms hold.
type userForm struct {
	Username, DisplayName, Role, Region, Sector, Reason string
	Version                                             int
}

type adminUserFormPage struct {
	Page
	New     bool
	A       *taotai.Account // the account being edited
	F       userForm
	Roles   []string
	Regions []regionOption
	Sectors []string // "" = both
	Errors  map[string]string
	Summary []fieldError
	Message string
}

// userFormOrder is the order of the form's fields, for the error summary.
var userFormOrder = []string{"username", "display_name", "role", "region", "sector", "reason"}

func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, p *adminUserFormPage, err error) error {
	if err != nil {
		var appErr *taotai.Error
		if !errors.As(err, &appErr) || (appErr.Code != taotai.EINVALID && appErr.Code != taotai.ECONFLICT) || len(appErr.Fields) == 0 {
			return err
		}
		p.Errors, p.Message = appErr.Fields, appErr.Message
		for _, k := range userFormOrder {
			if m, ok := appErr.Fields[k]; ok {
				p.Summary = append(p.Summary, fieldError{k, m})
			}
		}
	}
	title := "新建账号"
	if !p.New {
		title = "修改账号：" + p.A.DisplayName
	}
	if len(p.Summary) > 0 {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	a := taotai.ActorFromContext(r.Context())
	p.Roles = taotai.GrantableRoles(a)
	p.Sectors = []string{a.Sector}
	if a.Sector == "" {
		p.Sectors = []string{taotai.SectorNonCoal, taotai.SectorCoal, ""}
	}
	var rerr error
	if p.Regions, rerr = s.laneRegions(r); rerr != nil {
		return rerr
	}
	s.render(w, r, status, "admin_user_form", p)
	return nil
}

func (s *Server) adminUserNew(w http.ResponseWriter, r *http.Request) error {
	a := taotai.ActorFromContext(r.Context())
	return s.renderUserForm(w, r, http.StatusOK, &adminUserFormPage{New: true, F: userForm{Region: a.RegionCode, Sector: a.Sector}}, nil)
}

func readUserForm(r *http.Request) userForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return userForm{Username: v("username"), DisplayName: v("display_name"), Role: v("role"), Region: v("region"),
		Sector: v("sector"), Reason: v("reason"), Version: atoiOr(v("version"), 0)}
}

func (s *Server) adminUserCreate(w http.ResponseWriter, r *http.Request) error {
	f := readUserForm(r)
	u := &taotai.User{Username: f.Username, DisplayName: f.DisplayName, Role: f.Role, RegionCode: f.Region, Sector: f.Sector}
	password, err := s.store.CreateAccount(r.Context(), u)
	if err != nil {
		return s.renderUserForm(w, r, statusOf(taotai.ErrorCode(err)), &adminUserFormPage{New: true, F: f}, err)
	}
	ac, err := s.store.Account(r.Context(), u.ID)
	if err != nil {
		return err
	}
	// Shown once, on this answer only: the password is kept nowhere but
	// as its hash.
	return s.renderUser(w, r, http.StatusOK, &adminUserPage{A: ac, NewPassword: password,
		Notice: "已新建账号“" + ac.Username + "”。请将初始密码当面或电话告知本人，首次登录须修改密码。"})
}

// userConfirm is the check before a consequential act: what will change,
// for whom, and the form that does it.
type userConfirm struct {
	Title   string
	Action  string // the address the confirmed form posts to
	Changes []accountChange
	Effects []string // what else happens
	Reason  string
	Hidden  map[string]string // the form's values, sent again
	Button  string
	Back    string
}

// accountChange is one item a change of an account changes.
type accountChange struct{ Label, Now, Next string }

type adminUserPage struct {
	Page
	A           *taotai.Account
	Manage      bool   // the administrator may manage the account
	Self        bool   // the administrator's own account
	Rank        string // why the account may not be managed, when so
	NewPassword string // shown once
	Notice      string
	Confirm     *userConfirm
	Form        string // the section whose form failed: password, disable
	Reason      string
	Errors      map[string]string
	Message     string
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, p *adminUserPage) error {
	title := "账号：" + p.A.DisplayName
	switch {
	case p.Confirm != nil:
		title = p.Confirm.Title
	case p.Message != "":
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	a := taotai.ActorFromContext(r.Context())
	p.Manage, p.Self = taotai.CanGrantRole(a, p.A.Role), p.A.ID == a.UserID
	if !p.Manage {
		p.Rank = fmt.Sprintf("该账号的角色是“%s”，只有省级系统管理员可以管理。", taotai.RoleName(p.A.Role))
	}
	s.render(w, r, status, "admin_user", p)
	return nil
}

// findAccount reads the account of the address's {id} in the lane.
func (s *Server) findAccount(r *http.Request) (*taotai.Account, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.Account(r.Context(), id)
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.findAccount(r)
	if err != nil {
		return err
	}
	return s.renderUser(w, r, http.StatusOK, &adminUserPage{A: ac})
}

func (s *Server) adminUserEdit(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.findAccount(r)
	if err != nil {
		return err
	}
	f := userForm{Username: ac.Username, DisplayName: ac.DisplayName, Role: ac.Role, Region: ac.RegionCode, Sector: ac.Sector, Version: ac.Version}
	return s.renderUserForm(w, r, http.StatusOK, &adminUserFormPage{A: ac, F: f}, nil)
}

// confirmed reports whether the form is the confirmation of its act.
func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "1" }

func (s *Server) adminUserUpdate(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.findAccount(r)
	if err != nil {
		return err
	}
	f := readUserForm(r)
	upd := taotai.AccountUpdate{DisplayName: f.DisplayName, Role: f.Role, RegionCode: f.Region, Sector: f.Sector, Version: f.Version, Reason: f.Reason}
	if !confirmed(r) {
		ch, err := s.store.CheckAccountUpdate(r.Context(), ac.ID, upd)
		if err != nil {
			return s.renderUserForm(w, r, statusOf(taotai.ErrorCode(err)), &adminUserFormPage{A: ac, F: f}, err)
		}
		return s.renderUser(w, r, http.StatusOK, &adminUserPage{A: ac, Confirm: updateConfirm(ac, ch, f)})
	}
	saved, err := s.store.UpdateAccount(r.Context(), ac.ID, upd)
	if err != nil {
		return s.renderUserForm(w, r, statusOf(taotai.ErrorCode(err)), &adminUserFormPage{A: ac, F: f}, err)
	}
	msg := "已保存对账号“" + saved.Username + "”的修改。"
	if saved.Role != ac.Role || saved.RegionCode != ac.RegionCode || saved.Sector != ac.Sector {
		msg += "该用户须重新登录。"
	}
	return s.redirectUser(w, r, saved.ID, msg)
}

// updateConfirm describes a checked change of name, role or lane.
func updateConfirm(ac *taotai.Account, ch *store.AccountChange, f userForm) *userConfirm {
	c := &userConfirm{Title: "确认修改账号", Action: fmt.Sprintf("/admin/users/%d", ac.ID), Reason: ch.Update.Reason,
		Button: "确认修改", Back: fmt.Sprintf("/admin/users/%d/edit", ac.ID),
		Hidden: map[string]string{"display_name": f.DisplayName, "role": f.Role, "region": f.Region, "sector": f.Sector,
			"version": strconv.Itoa(f.Version), "reason": f.Reason}}
	add := func(label, now, next string) {
		if now != next {
			c.Changes = append(c.Changes, accountChange{label, now, next})
		}
	}
	add("姓名", ac.DisplayName, ch.Update.DisplayName)
	add("角色", taotai.RoleName(ac.Role), taotai.RoleName(ch.Update.Role))
	add("所在地区", ac.RegionName, ch.Region.Name)
	add("行业类别", taotai.SectorName(ac.Sector), taotai.SectorName(ch.Update.Sector))
	if ch.EndsSessions {
		c.Effects = append(c.Effects, "该用户此后只能看到、办理新地区和行业类别内的数据，权限按新角色确定。")
		if ac.Sessions > 0 {
			c.Effects = append(c.Effects, fmt.Sprintf("该用户现有的%d个登录会话将立即结束，须重新登录。", ac.Sessions))
		} else {
			c.Effects = append(c.Effects, "该用户如已登录，须重新登录。")
		}
	}
	if ch.Moved {
		c.Effects = append(c.Effects, "所属单位将改为新地区、行业类别的应急管理部门。")
	}
	return c
}

func (s *Server) redirectUser(w http.ResponseWriter, r *http.Request, id int64, msg string) error {
	s.sessions.Put(r.Context(), sessionFlash, msg)
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", id), http.StatusSeeOther)
	return nil
}

// actError shows the account page again with a form's error, when err is
// about the input (EINVALID); any other error is returned.
func (s *Server) actError(w http.ResponseWriter, r *http.Request, ac *taotai.Account, form, reason string, err error) error {
	var appErr *taotai.Error
	if !errors.As(err, &appErr) || appErr.Code != taotai.EINVALID {
		return err
	}
	return s.renderUser(w, r, http.StatusBadRequest, &adminUserPage{A: ac, Form: form, Reason: reason, Errors: appErr.Fields, Message: appErr.Message})
}

func (s *Server) adminUserPassword(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.findAccount(r)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if !confirmed(r) {
		if err := checkAct(r, ac, reason, true); err != nil {
			return s.actError(w, r, ac, "password", reason, err)
		}
		c := &userConfirm{Title: "确认重置密码", Action: fmt.Sprintf("/admin/users/%d/password", ac.ID), Reason: reason,
			Button: "确认重置密码", Back: fmt.Sprintf("/admin/users/%d", ac.ID), Hidden: map[string]string{"reason": reason},
			Effects: []string{"系统将生成新的初始密码，只在下一页显示一次，请当面或电话告知本人。",
				"该用户原密码立即失效，下次登录须修改密码。", "因连续登录失败造成的锁定一并解除。"}}
		if ac.Sessions > 0 {
			c.Effects = append(c.Effects, fmt.Sprintf("该用户现有的%d个登录会话将立即结束。", ac.Sessions))
		}
		return s.renderUser(w, r, http.StatusOK, &adminUserPage{A: ac, Confirm: c})
	}
	password, err := s.store.ResetPassword(r.Context(), ac.ID, reason)
	if err != nil {
		return s.actError(w, r, ac, "password", reason, err)
	}
	if ac, err = s.store.Account(r.Context(), ac.ID); err != nil {
		return err
	}
	return s.renderUser(w, r, http.StatusOK, &adminUserPage{A: ac, NewPassword: password,
		Notice: "已重置账号“" + ac.Username + "”的密码，该用户的会话已结束。请将新的初始密码当面或电话告知本人，登录后须修改。"})
}

// checkAct refuses, before asking to confirm, what the store would refuse
// anyway: a missing reason, one's own account, a disabled account.
func checkAct(r *http.Request, ac *taotai.Account, reason string, required bool) error {
	if msg := taotai.ReasonMessage(reason, required); msg != "" {
		return &taotai.Error{Code: taotai.EINVALID, Message: msg, Fields: map[string]string{"reason": msg}}
	}
	a := taotai.ActorFromContext(r.Context())
	if !taotai.CanGrantRole(a, ac.Role) {
		return taotai.Errorf(taotai.EFORBIDDEN, "该账号的角色是“%s”，只有省级系统管理员可以管理。", taotai.RoleName(ac.Role))
	}
	if ac.ID == a.UserID {
		return taotai.Errorf(taotai.EINVALID, "不能对自己的账号进行此操作。")
	}
	return nil
}

func (s *Server) adminUserDisable(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.findAccount(r)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if !confirmed(r) {
		if err := checkAct(r, ac, reason, true); err != nil {
			return s.actError(w, r, ac, "disable", reason, err)
		}
		if ac.Disabled {
			return taotai.Errorf(taotai.ECONFLICT, "该账号已停用。")
		}
		c := &userConfirm{Title: "确认停用账号", Action: fmt.Sprintf("/admin/users/%d/disable", ac.ID), Reason: reason,
			Button: "确认停用", Back: fmt.Sprintf("/admin/users/%d", ac.ID), Hidden: map[string]string{"reason": reason},
			Effects: []string{"该用户将不能登录，直至重新启用。", "该用户录入的数据和操作记录保持不变。"}}
		if ac.Sessions > 0 {
			c.Effects = append(c.Effects, fmt.Sprintf("该用户现有的%d个登录会话将立即结束。", ac.Sessions))
		}
		return s.renderUser(w, r, http.StatusOK, &adminUserPage{A: ac, Confirm: c})
	}
	if err := s.store.SetAccountDisabled(r.Context(), ac.ID, true, reason); err != nil {
		return s.actError(w, r, ac, "disable", reason, err)
	}
	return s.redirectUser(w, r, ac.ID, "已停用账号“"+ac.Username+"”，该用户的会话已结束。")
}

func (s *Server) adminUserEnable(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.findAccount(r)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if err := s.store.SetAccountDisabled(r.Context(), ac.ID, false, reason); err != nil {
		return s.actError(w, r, ac, "enable", reason, err)
	}
	return s.redirectUser(w, r, ac.ID, "已重新启用账号“"+ac.Username+"”。")
}

func (s *Server) adminUserUnlock(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.findAccount(r)
	if err != nil {
		return err
	}
	if err := s.store.UnlockAccount(r.Context(), ac.ID, ""); err != nil {
		return err
	}
	return s.redirectUser(w, r, ac.ID, "已解除账号“"+ac.Username+"”的登录锁定。")
}

func (s *Server) adminUserEndSessions(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.findAccount(r)
	if err != nil {
		return err
	}
	n, err := s.store.EndAccountSessions(r.Context(), ac.ID)
	if err != nil {
		return s.actError(w, r, ac, "sessions", "", err)
	}
	return s.redirectUser(w, r, ac.ID, fmt.Sprintf("已结束账号“%s”的%d个登录会话，该用户须重新登录。", ac.Username, n))
}

// reasonField is the reason of one of an account page's forms, with the
// page for its error and what was typed.
type reasonField struct {
	Page              *adminUserPage
	Form, Label, Hint string
}

func newReasonField(p *adminUserPage, form, label, hint string) reasonField {
	return reasonField{p, form, label, hint}
}
