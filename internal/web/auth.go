package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

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
	if status, refused := s.signInRefused(w, r, err); refused {
		s.log.Info("login failed", "username", username, "remote", clientIP(r), "status", status)
		p := &loginPage{Page: s.page(r, "登录"), Username: username, Error: taotai.ErrorMessage(err)}
		s.render(w, r, status, "login", p)
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

// signInRefused tells whether err refuses a sign-in step (wrong, or
// too many failures: then with Retry-After), and the status to answer.
func (s *Server) signInRefused(w http.ResponseWriter, r *http.Request, err error) (int, bool) {
	switch taotai.ErrorCode(err) {
	case taotai.EUNAUTH:
		return http.StatusUnauthorized, true
	case taotai.ETOOMANY:
		if secs, ok := taotai.RetryAfter(err, s.store.Clock().Now()); ok {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		return http.StatusTooManyRequests, true
	}
	return 0, false
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
	code := strings.TrimSpace(taotai.FoldWidth(r.PostFormValue("code")))
	u, err := s.store.VerifyTOTP(r.Context(), id, code)
	status, refused := s.signInRefused(w, r, err)
	switch {
	case refused && status == http.StatusTooManyRequests:
		// Locked: the password must be given again, once the lock ends.
		if err := s.sessions.Destroy(r.Context()); err != nil {
			return err
		}
		s.renderError(w, r, status, taotai.ErrorMessage(err))
		return nil
	case refused:
		s.render(w, r, status, "login_totp", &totpLoginPage{Page: s.page(r, "动态口令"), Error: taotai.ErrorMessage(err)})
		return nil
	case err != nil:
		return err
	}
	return s.completeLogin(w, r, u)
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
