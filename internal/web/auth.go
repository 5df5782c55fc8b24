package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/pquerna/otp/totp"

	"taotai"
	"taotai/internal/store"
)

// csrfToken returns the session's token for forms, creating it once.
func (s *Server) csrfToken(r *http.Request) string {
	tok := s.sessions.GetString(r.Context(), sessionCSRF)
	if tok == "" {
		b := make([]byte, 32)
		rand.Read(b)
		tok = base64.RawURLEncoding.EncodeToString(b)
		s.sessions.Put(r.Context(), sessionCSRF, tok)
	}
	return tok
}

// validCSRF checks the form's token against the session's.
func (s *Server) validCSRF(r *http.Request) bool {
	want := s.sessions.GetString(r.Context(), sessionCSRF)
	got := r.PostFormValue("csrf_token")
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

type loginPage struct {
	Page
	Username string
	Error    string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "login", &loginPage{Page: s.page(r, "登录")})
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	u, err := s.store.Authenticate(r.Context(), username, password)
	if taotai.ErrorCode(err) == taotai.EUNAUTH {
		s.log.Info("login failed", "username", username, "remote", clientIP(r))
		p := &loginPage{Page: s.page(r, "登录"), Username: username, Error: taotai.ErrorMessage(err)}
		s.render(w, r, http.StatusUnauthorized, "login", p)
		return nil
	} else if err != nil {
		return err
	}
	if u.HasTOTP {
		// The password is right; the second factor comes next.
		s.sessions.Put(r.Context(), sessionPendingTOTP, u.ID)
		http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
		return nil
	}
	return s.completeLogin(w, r, u)
}

// completeLogin starts the signed-in session of u.
func (s *Server) completeLogin(w http.ResponseWriter, r *http.Request, u *taotai.User) error {
	// A new token on sign-in defeats session fixation.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), sessionPendingTOTP)
	s.sessions.Put(r.Context(), sessionUserID, u.ID)
	s.sessions.Put(r.Context(), store.SessionAddr, clientIP(r))
	s.log.Info("login", "username", u.Username, "remote", clientIP(r))
	to := s.sessions.PopString(r.Context(), "return_to")
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || u.MustChangePassword {
		to = "/"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

type totpLoginPage struct {
	Page
	Error string
}

func (s *Server) totpForm(w http.ResponseWriter, r *http.Request) error {
	if s.sessions.GetInt64(r.Context(), sessionPendingTOTP) == 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "login_totp", &totpLoginPage{Page: s.page(r, "动态口令")})
	return nil
}

func (s *Server) totpLogin(w http.ResponseWriter, r *http.Request) error {
	id := s.sessions.GetInt64(r.Context(), sessionPendingTOTP)
	if id == 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	u, err := s.store.FindUser(r.Context(), id)
	if err != nil {
		return err
	}
	secret, err := s.store.TOTPSecret(r.Context(), id)
	if err != nil {
		return err
	}
	code := strings.TrimSpace(taotai.FoldWidth(r.PostFormValue("code")))
	if secret == "" || totp.Validate(code, secret) {
		return s.completeLogin(w, r, u)
	}
	tries := s.sessions.GetInt(r.Context(), "totp_tries") + 1
	s.sessions.Put(r.Context(), "totp_tries", tries)
	s.store.RecordEvent(r.Context(), taotai.AuditLoginFailed, "user", u.ID, "动态口令错误（"+strconv.Itoa(tries)+"）")
	if tries >= taotai.MaxFailedLogins {
		s.sessions.Destroy(r.Context())
		s.renderError(w, r, http.StatusUnauthorized, "动态口令连续错误，请重新登录。")
		return nil
	}
	s.render(w, r, http.StatusUnauthorized, "login_totp", &totpLoginPage{Page: s.page(r, "动态口令"), Error: "动态口令不正确，请查看验证器中的6位数字后重试。"})
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		if err := s.store.RecordEvent(r.Context(), taotai.AuditLogout, "user", u.ID, ""); err != nil {
			return err
		}
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
