package web

import (
	"context"
	"errors"
	"net/http"

	"taotai"
)

// statusOf maps an application error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case taotai.EINVALID:
		return http.StatusBadRequest
	case taotai.ENOTFOUND:
		return http.StatusNotFound
	case taotai.ECONFLICT:
		return http.StatusConflict
	case taotai.EFORBIDDEN:
		return http.StatusForbidden
	case taotai.EUNAUTH:
		return http.StatusUnauthorized
	case taotai.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// handleError renders err as a page with its status; only internal errors
// are logged, and their details are never shown.
func (s *Server) handleError(w http.ResponseWriter, r *http.Request, err error) {
	code := taotai.ErrorCode(err)
	if code == taotai.EINTERNAL {
		s.serverError(w, r, err)
		return
	}
	s.renderError(w, r, statusOf(code), taotai.ErrorMessage(err))
}

// StatusClientClosed is the status logged for a request whose client went
// away before the answer (nginx's 499): the failure it causes (a canceled
// query) is not the server's, and not a 5xx.
const StatusClientClosed = 499

// clientGone reports whether the request's client has gone away: net/http
// cancels the request's context when the connection closes.
func clientGone(r *http.Request) bool {
	return errors.Is(r.Context().Err(), context.Canceled)
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(r) {
		s.log.Info("client went away", "method", r.Method, "path", r.URL.Path, "err", err)
		w.WriteHeader(StatusClientClosed)
		return
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	s.renderError(w, r, http.StatusInternalServerError, taotai.ErrorMessage(err))
}

type errorPage struct {
	Page
	Status  int
	Message string
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	title := "出错了"
	switch status {
	case http.StatusNotFound:
		title = "未找到"
	case http.StatusForbidden:
		title = "无权操作"
	case http.StatusConflict:
		title = "操作冲突"
	case http.StatusBadRequest:
		title = "请求有误"
	case http.StatusTooManyRequests:
		title = "请稍后再试"
	}
	s.render(w, r, status, "error", &errorPage{Page: s.page(r, title), Status: status, Message: msg})
}

// notFound is the error for an address that names nothing.
func notFound() error {
	return taotai.Errorf(taotai.ENOTFOUND, "您要找的页面不存在，或不在您的管辖范围内。")
}

func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) error { return notFound() }
