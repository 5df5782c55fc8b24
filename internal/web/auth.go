package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"

	"taotai"
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
		s.log.Info("login failed", "username", username, "remote", r.RemoteAddr)
		p := &loginPage{Page: s.page(r, "登录"), Username: username, Error: taotai.ErrorMessage(err)}
		s.render(w, r, http.StatusUnauthorized, "login", p)
		return nil
	} else if err != nil {
		return err
	}
	// A new token on sign-in defeats session fixation.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionUserID, u.ID)
	s.log.Info("login", "username", u.Username, "remote", r.RemoteAddr)
	to := s.sessions.PopString(r.Context(), "return_to")
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") {
		to = "/"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
