package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"taotai/internal/store"
	"taotai/internal/store/storetest"
	"taotai/internal/web"
)

// newMeteredServer serves the application with request metrics in reg.
func newMeteredServer(t *testing.T, db *store.DB, reg *prometheus.Registry) *httptest.Server {
	t.Helper()
	srv, err := web.New(web.Config{Store: db, Metrics: web.NewMetrics(reg), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// sample returns the value of the series of the named family whose labels
// include want: a counter's value, or a histogram's count.
func sample(t *testing.T, reg *prometheus.Registry, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if got[k] != v {
					continue series
				}
			}
			if h := m.GetHistogram(); h != nil {
				return float64(h.GetSampleCount())
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

func TestMetricsLabelRequestsByPattern(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	reg := prometheus.NewRegistry()
	ts := newMeteredServer(t, db, reg)
	c := newClient(t, ts)
	for _, p := range []string{"/enterprises/7", "/enterprises/8", "/no-such-page"} {
		c.get(p)
	}
	// A form posted from another site is refused before the router.
	req, _ := http.NewRequest("POST", ts.URL+"/login", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.do(req); r.Status != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", r.Status)
	}

	tests := []struct {
		name   string
		family string
		labels map[string]string
		want   float64
	}{
		{"pattern, not path", "taotai_http_requests_total", map[string]string{"method": "GET", "route": "GET /enterprises/{id}", "status": "3xx"}, 2},
		{"catch-all", "taotai_http_requests_total", map[string]string{"method": "GET", "route": "/", "status": "4xx"}, 1},
		{"refused before the router", "taotai_http_requests_total", map[string]string{"method": "POST", "route": "unmatched", "status": "4xx"}, 1},
		{"latency by pattern", "taotai_http_request_duration_seconds", map[string]string{"route": "GET /enterprises/{id}"}, 2},
		{"no errors", "taotai_http_errors_total", map[string]string{}, 0},
	}
	for _, tt := range tests {
		if got := sample(t, reg, tt.family, tt.labels); got != tt.want {
			t.Errorf("%s: %s%v = %v, want %v", tt.name, tt.family, tt.labels, got, tt.want)
		}
	}
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if strings.Contains(l.GetValue(), "/enterprises/7") || strings.Contains(l.GetValue(), "no-such-page") {
					t.Errorf("%s has a raw path as label %s=%q", mf.GetName(), l.GetName(), l.GetValue())
				}
			}
		}
	}
}

func TestMetricsCountServerErrors(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	reg := prometheus.NewRegistry()
	ts := newMeteredServer(t, db, reg)
	c := newClient(t, ts)
	if r := c.get("/healthz"); r.Status != http.StatusOK {
		t.Fatalf("healthz: %d", r.Status)
	}
	db.Close() // the database stops answering
	if r := c.get("/healthz"); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("healthz without a database: %d", r.Status)
	}
	route := map[string]string{"route": "GET /healthz"}
	if got := sample(t, reg, "taotai_http_errors_total", route); got != 1 {
		t.Errorf("errors_total%v = %v, want 1", route, got)
	}
	five := map[string]string{"route": "GET /healthz", "status": "5xx"}
	if got := sample(t, reg, "taotai_http_requests_total", five); got != 1 {
		t.Errorf("requests_total%v = %v, want 1", five, got)
	}
}

func TestNilMetricsServes(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	c := newClient(t, newServer(t, db)) // Config.Metrics nil
	if r := c.get("/healthz"); r.Status != http.StatusOK {
		t.Fatalf("healthz: %d", r.Status)
	}
}
