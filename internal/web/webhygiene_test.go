package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// rawGet asks for path with the client's cookies and the headers given,
// without the transport's transparent decompression.
func (c *client) rawGet(path string, hdr map[string]string) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, b
}

// TestCompressedAndOneCacheControl: a client that accepts gzip gets the
// page compressed (and the same page once decompressed), one that does
// not gets it plain; every kind of answer — a page, a static file with and
// without its version, a 404, a redirect, an .xlsx download — carries
// exactly one Cache-Control, and the right one.
func TestCompressedAndOneCacheControl(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	enforcementSetup(t, db)
	ts := newServer(t, db)
	anon := newClient(t, ts)
	c := newClient(t, ts)
	c.login("ansh_clerk")

	plainRes, plain := c.rawGet("/enterprises", map[string]string{"Accept-Encoding": "identity"})
	if plainRes.StatusCode != http.StatusOK || plainRes.Header.Get("Content-Encoding") != "" || !strings.Contains(string(plain), "企业名录") {
		t.Fatalf("plain page: %d, encoding %q", plainRes.StatusCode, plainRes.Header.Get("Content-Encoding"))
	}
	gzRes, gz := c.rawGet("/enterprises", map[string]string{"Accept-Encoding": "gzip"})
	if gzRes.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("page with Accept-Encoding gzip: Content-Encoding %q", gzRes.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(gzRes.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("compressed page: Vary %q", gzRes.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(strings.NewReader(string(gz)))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// The same page, but for its CSRF token (the session's, the same) —
	// compare the documents' text.
	docText := func(b []byte) string {
		d, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		return d.Find("main").Text()
	}
	if docText(unzipped) != docText(plain) || !strings.HasPrefix(string(unzipped), "<!doctype html>") {
		t.Errorf("the decompressed page differs from the plain one (%d vs %d bytes)", len(unzipped), len(plain))
	}
	if len(gz) >= len(unzipped)/2 {
		t.Errorf("compressed %d bytes of %d", len(gz), len(unzipped))
	}
	if res, css := anon.rawGet("/static/style.css", map[string]string{"Accept-Encoding": "gzip"}); res.Header.Get("Content-Encoding") != "gzip" || len(css) == 0 {
		t.Errorf("style.css: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}

	// The page names its stylesheet with the assets' version.
	page := c.get("/")
	css, _ := page.Doc.Find(`link[rel=stylesheet]`).Attr("href")
	if !strings.HasPrefix(css, "/static/style.css?v=") {
		t.Fatalf("stylesheet %q has no version", css)
	}
	for _, tc := range []struct {
		name   string
		c      *client
		path   string
		status int
		want   string
	}{
		{"page", c, "/enterprises", 200, "no-store"},
		{"home", c, "/", 200, "no-store"},
		{"static file with its version", anon, css, 200, "public, max-age=31536000, immutable"},
		{"static file without version", anon, "/static/style.css", 200, "no-cache"},
		{"static file with an old version", anon, "/static/style.css?v=0", 200, "no-cache"},
		{"missing static file", anon, "/static/nothing.css", 404, "no-store"},
		{"missing page", c, "/no-such-page", 404, "no-store"},
		{"enterprise out of reach", c, "/enterprises/999999", 404, "no-store"},
		{"redirect to sign in", anon, "/enterprises", 303, "no-store"},
		{"login page", anon, "/login", 200, "no-store"},
		{"xlsx download", c, "/forms/download?form=2&period=2020-05&region=210300&sector=noncoal", 200, "no-store"},
	} {
		res, body := tc.c.rawGet(tc.path, map[string]string{"Accept-Encoding": "gzip"})
		if res.StatusCode != tc.status {
			t.Errorf("%s (%s): status %d, want %d", tc.name, tc.path, res.StatusCode, tc.status)
		}
		if got := res.Header.Values("Cache-Control"); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s (%s): Cache-Control %q, want exactly %q", tc.name, tc.path, got, tc.want)
		}
		if tc.name == "xlsx download" && (res.Header.Get("Content-Encoding") != "" || !strings.HasPrefix(string(body), "PK")) {
			t.Errorf("the .xlsx (zip already) is compressed again: %q", res.Header.Get("Content-Encoding"))
		}
	}
	// A revalidation of an unversioned file: 304 by its ETag.
	res, _ := anon.rawGet("/static/style.css", nil)
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("style.css has no ETag")
	}
	if res, _ := anon.rawGet("/static/style.css", map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: %d, want 304", etag, res.StatusCode)
	}
}

// TestPageDescriptions: every page has one description, a sentence in
// Chinese; the main pages have their own.
func TestPageDescriptions(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f := setup(t, db)
	ts := newServer(t, db)
	anon := newClient(t, ts)
	c := newClient(t, ts)
	c.login("ansh_clerk")
	seen := map[string]string{}
	for _, tc := range []struct {
		c    *client
		path string
	}{{anon, "/login"}, {c, "/"}, {c, "/enterprises"}, {c, idPath(f.own.ID, "")}, {c, idPath(f.own.ID, "/inspections/new")},
		{c, "/coverage"}, {c, "/keylist"}, {c, "/reports"}, {c, "/dashboard"}, {c, "/plans"}, {c, "/account"}} {
		r := tc.c.get(tc.path)
		d := r.Doc.Find(`head meta[name=description]`)
		content := strings.TrimSpace(d.AttrOr("content", ""))
		if d.Length() != 1 || len([]rune(content)) < 10 || !strings.HasSuffix(content, "。") {
			t.Errorf("%s: %d descriptions, %q", tc.path, d.Length(), content)
		}
		if other, dup := seen[content]; dup {
			t.Errorf("%s has the description of %s: %q", tc.path, other, content)
		}
		seen[content] = tc.path
	}
}
