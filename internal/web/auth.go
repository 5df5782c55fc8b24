package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"taotai"
	"taotai/internal/store"
)

// Form tokens (CSRF). A signed-in session carries its own token, made at
// sign-in. A visitor who is not signed in has no session at all (loading a
// page must not write a row), so their forms (the login form, the second
// factor's) use a double-submit token instead: a random value in a cookie
// of its own — HttpOnly, SameSite=Strict, Secure and __Host- over TLS —
// that the form repeats. A double-submit cookie rather than an HMAC-signed
// token: it needs no secret key to share between instances and rotate, and
// a cross-site page can neither read the cookie nor make the browser send
// it; net/http's CrossOriginProtection stays in front of both.

// formTokenKey holds a visitor's double-submit token in the context.
type formTokenKey struct{}

// csrfCookieName is the double-submit cookie's name.
func (s *Server) csrfCookieName() string {
	if s.secure {
		return "__Host-taotai_csrf"
	}
	return "taotai_csrf"
}

// newToken returns 32 random bytes, base64url-encoded (43 characters).
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// formToken gives a request without a session-bound token the visitor's
// double-submit token, setting the cookie when it has none.
func (s *Server) formToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.sessions.GetString(r.Context(), sessionCSRF) == "" {
			tok := s.visitorToken(r)
			if tok == "" {
				tok = newToken()
				http.SetCookie(w, &http.Cookie{Name: s.csrfCookieName(), Value: tok, Path: "/", HttpOnly: true, //nolint:gosec // G124: Secure is s.secure, set when served over TLS; over plain HTTP a Secure cookie would never come back
					Secure: s.secure, SameSite: http.SameSiteStrictMode})
			}
			r = r.WithContext(context.WithValue(r.Context(), formTokenKey{}, tok))
		}
		next.ServeHTTP(w, r)
	})
}

// visitorToken returns the double-submit cookie's token, or "".
func (s *Server) visitorToken(r *http.Request) string {
	c, err := r.Cookie(s.csrfCookieName())
	if err != nil || len(c.Value) != 43 {
		return ""
	}
	return c.Value
}

// csrfToken returns the token for the page's forms: the session's, or the
// visitor's double-submit token.
func (s *Server) csrfToken(r *http.Request) string {
	if tok := s.sessions.GetString(r.Context(), sessionCSRF); tok != "" {
		return tok
	}
	if currentUser(r) != nil {
		// A session from before tokens were made at sign-in.
		tok := newToken()
		s.sessions.Put(r.Context(), sessionCSRF, tok)
		return tok
	}
	tok, _ := r.Context().Value(formTokenKey{}).(string)
	return tok
}

// validCSRF checks the form's token against the session's or, for a
// visitor who is not signed in, against the double-submit cookie.
func (s *Server) validCSRF(r *http.Request) bool {
	want := s.sessions.GetString(r.Context(), sessionCSRF)
	if want == "" && currentUser(r) == nil {
		want = s.visitorToken(r)
	}
	got := r.PostFormValue("csrf_token")
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// returnCookie remembers, for a visitor sent to sign in, the page they
// asked for: a cookie rather than a session, which a visitor does not get.
const returnCookie = "taotai_return"

// rememberReturn keeps the address of the page the visitor asked for.
func (s *Server) rememberReturn(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: returnCookie, Value: url.QueryEscape(r.URL.RequestURI()), Path: "/login", //nolint:gosec // G124: Secure is s.secure, set when served over TLS; over plain HTTP a Secure cookie would never come back
		MaxAge: 900, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// popReturn returns the remembered page (a local path, else "/") and
// forgets it.
func (s *Server) popReturn(w http.ResponseWriter, r *http.Request) string {
	to := "/"
	if c, err := r.Cookie(returnCookie); err == nil {
		http.SetCookie(w, &http.Cookie{Name: returnCookie, Path: "/login", MaxAge: -1, HttpOnly: true, Secure: s.secure, //nolint:gosec // G124: Secure is s.secure, set when served over TLS; over plain HTTP a Secure cookie would never come back
			SameSite: http.SameSiteLaxMode})
		if v, err := url.QueryUnescape(c.Value); err == nil && localPath(v) {
			to = v
		}
	}
	return to
}

// localPath reports whether v is a path of this site that a browser cannot
// read as another host: one leading slash and not two; no backslash
// anywhere (browsers read one as a slash, and http.Redirect cleans
// `/a/../\x` to `/\x`); no control character (browsers drop a tab, so
// "/<tab>/x" would become "//x"; url.Parse refuses them).
func localPath(v string) bool {
	if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.ContainsRune(v, '\\') {
		return false
	}
	u, err := url.Parse(v)
	return err == nil && u.Scheme == "" && u.Host == ""
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
		// The password is right; the second factor comes next, in a
		// short-lived session (store.PreAuthLifetime) on a new token.
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			return err
		}
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
	s.sessions.Put(r.Context(), store.SessionSeen, time.Now().Unix())
	s.sessions.Put(r.Context(), sessionCSRF, newToken())
	s.log.Info("login", "username", u.Username, "remote", clientIP(r))
	to := s.popReturn(w, r)
	if u.MustChangePassword {
		to = "/"
	}
	http.Redirect(w, r, to, http.StatusSeeOther) //nolint:gosec // G710: to is "/" or a remembered path that localPath accepts: this site's, never another host
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
