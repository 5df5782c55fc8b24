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
	var appErr *taotai.Error
	if errors.As(err, &appErr) && appErr.Code == taotai.EINVALID {
		p := &accountPage{Errors: appErr.Fields, Message: appErr.Message}
		for _, k := range []struct{ key, label string }{{"current", ""}, {"password", ""}, {"confirm", ""}} {
			if m, ok := appErr.Fields[k.key]; ok {
				p.Summary = append(p.Summary, fieldError{k.key, m})
			}
		}
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
// a code from it confirms the set-up.
func (s *Server) totpSetup(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if u.RegionCode != taotai.ProvinceCode {
		return taotai.Errorf(taotai.EFORBIDDEN, "动态口令仅用于省级账号。")
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
	if !totp.Validate(code, secret) {
		p := &accountPage{TOTPSecret: secret, Errors: map[string]string{"code": "动态口令不正确，请输入验证器当前显示的6位数字。"},
			Message: "动态口令未启用。", Summary: []fieldError{{"code", "动态口令不正确，请输入验证器当前显示的6位数字。"}}}
		return s.renderAccount(w, r, http.StatusBadRequest, p)
	}
	if err := s.store.SetTOTP(r.Context(), secret); err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), "totp_setup")
	s.sessions.Put(r.Context(), sessionFlash, "动态口令已启用，下次登录时需要输入。")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

func (s *Server) totpDisable(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.SetTOTP(r.Context(), ""); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "动态口令已停用。")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}
