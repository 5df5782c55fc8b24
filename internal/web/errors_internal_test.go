package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// A query that fails because the client went away is answered 499 and
// not logged as an error.
func TestServerErrorClientGone(t *testing.T) {
	var logs bytes.Buffer
	s, err := New(Config{Store: storetest.Open(t, store.SQLite), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	s.handleError(rec, httptest.NewRequest("GET", "/enterprises", nil).WithContext(ctx), fmt.Errorf("find enterprises: %w", context.Canceled))
	if rec.Code != StatusClientClosed {
		t.Errorf("status %d, want 499", rec.Code)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("logged as an error: %s", logs.String())
	}
}
