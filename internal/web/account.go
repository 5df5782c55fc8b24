package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pquerna/otp/totp"

	"taotai"
)

type accountPage struct {
	Page
	Errors     map[string]string
	Summary    []fieldError
	Message    string
	Forced     bool
	CanTOTP    bool
	TOTPSecret string // a new secret being set up
	TOTPURL    string
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, &accountPage{})
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, p *accountPage) error {
	u := currentUser(r)
	title := "我的账号"
	if u.MustChangePassword {
		title = "请修改密码"
	}
	if len(p.Summary) > 0 {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	p.Forced = u.MustChangePassword
	p.CanTOTP = u.RegionCode == taotai.ProvinceCode
	s.render(w, r, status, "account", p)
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")
	var err error
	if next != confirm {
		err = &taotai.Error{Code: taotai.EINVALID, Message: "提交的内容有误，请按提示修改后重新提交。",
			Fields: map[string]string{"confirm": "两次输入的新密码不一致。"}}
	} else {
		err = s.store.ChangePassword(r.Context(), current, next)
	}
	if p := accountFormErrors(err, "current", "password", "confirm"); p != nil {
		return s.renderAccount(w, r, http.StatusBadRequest, p)
	} else if err != nil {
		return err
	}
	// The store ended every session of the user; keep this one on a new token.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "密码已修改。")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// totpSetup offers a new secret to scan; it is kept in the session until
// a code from it confirms the set-up. An account that has a second factor
// must disable it first, with its password and a code.
func (s *Server) totpSetup(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if u.RegionCode != taotai.ProvinceCode {
		return taotai.Errorf(taotai.EFORBIDDEN, "动态口令仅用于省级账号。")
	}
	if u.HasTOTP {
		return taotai.Errorf(taotai.ECONFLICT, "动态口令已启用。如需更换，请先停用当前的动态口令（须输入密码和动态口令）。")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "taotai", AccountName: u.Username})
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "totp_setup", key.Secret())
	return s.renderAccount(w, r, http.StatusOK, &accountPage{TOTPSecret: key.Secret(), TOTPURL: key.URL()})
}

func (s *Server) totpEnable(w http.ResponseWriter, r *http.Request) error {
	secret := s.sessions.GetString(r.Context(), "totp_setup")
	if secret == "" {
		return taotai.Errorf(taotai.EINVALID, "请先生成动态口令密钥。")
	}
	code := strings.TrimSpace(taotai.FoldWidth(r.PostFormValue("code")))
	err := s.store.EnableTOTP(r.Context(), secret, code)
	if p := accountFormErrors(err, "code"); p != nil {
		p.TOTPSecret = secret
		return s.renderAccount(w, r, http.StatusBadRequest, p)
	} else if err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), "totp_setup")
	s.sessions.Put(r.Context(), sessionFlash, "动态口令已启用，下次登录时需要输入。")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// totpDisable removes the second factor, given the password and a current
// code: a stolen session alone cannot.
func (s *Server) totpDisable(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u.RegionCode == taotai.ProvinceCode && !u.HasTOTP {
		s.sessions.Put(r.Context(), sessionFlash, "动态口令未启用。")
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return nil
	}
	code := strings.TrimSpace(taotai.FoldWidth(r.PostFormValue("totp_code")))
	err := s.store.DisableTOTP(r.Context(), r.PostFormValue("totp_password"), code)
	if p := accountFormErrors(err, "totp_password", "totp_code"); p != nil {
		return s.renderAccount(w, r, http.StatusBadRequest, p)
	} else if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "动态口令已停用。")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// accountFormErrors returns the account page showing an EINVALID error's
// messages for fields (in order), or nil for any other error.
func accountFormErrors(err error, fields ...string) *accountPage {
	var appErr *taotai.Error
	if !errors.As(err, &appErr) || appErr.Code != taotai.EINVALID {
		return nil
	}
	p := &accountPage{Errors: appErr.Fields, Message: appErr.Message}
	for _, f := range fields {
		if m, ok := appErr.Fields[f]; ok {
			p.Summary = append(p.Summary, fieldError{f, m})
		}
	}
	return p
}
