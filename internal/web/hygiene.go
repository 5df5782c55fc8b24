package web

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzhttp"
)

// The small web hygiene every answer shares: compressed when the client
// accepts it, and exactly one Cache-Control.

// compress gzips answers for clients that accept it, with klauspost's
// gzhttp (a well-kept handler: Vary, ETag, Range and small bodies are
// handled, and its encoder is faster than compress/gzip's) rather than a
// wrapper of our own. Already-compressed files (the .xlsx and .pdf
// downloads, zip inside) are sent as they are.
func compress(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.ContentTypeFilter(func(ct string) bool {
		ct = strings.ToLower(ct)
		return gzhttp.DefaultContentTypeFilter(ct) && !strings.Contains(ct, "openxmlformats") &&
			!strings.Contains(ct, "application/pdf") && !strings.HasPrefix(ct, "image/png")
	}))
	if err != nil {
		panic(err) // constant options: a programming error
	}
	return wrap(next)
}

// Cache-Control values. Pages, downloads, redirects and errors are never
// stored: they show one user's lane (securityHeaders sets this for every
// answer, and a handler may replace it, never add a second). A static
// file named with its version (?v=…, see asset) never changes under that
// name; without it the browser asks again each time (ETag).
const (
	cacheNever     = "no-store"
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheRevalid   = "no-cache"
)

// staticHashes are the SHA-256 of each embedded static file (by its path
// under static/), and assetVersion a digest of them all: it changes
// whenever any asset does.
var (
	hashOnce     sync.Once
	staticHashes map[string]string
	assetVersion string
)

func hashStatic() {
	hashOnce.Do(func() {
		staticHashes = map[string]string{}
		all := sha256.New()
		sub, _ := fs.Sub(assets, "static")
		_ = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(sub, p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			staticHashes[p] = hex.EncodeToString(sum[:])
			all.Write([]byte(p))
			all.Write(sum[:])
			return nil
		})
		assetVersion = hex.EncodeToString(all.Sum(nil))[:12]
	})
}

// asset is the URL of a static file with the assets' version, for the
// templates: {{asset "style.css"}} is /static/style.css?v=….
func asset(name string) string {
	hashStatic()
	return "/static/" + name + "?v=" + assetVersion
}

// describedBy ties a field to its hint (id "<id>-hint") and its error
// message ("<id>-error"), when each is shown, for the templates:
// <input id="x" {{describedBy "x" .Hint .Error}}>. hint and err count when
// they are a non-empty string or true.
func describedBy(id string, hint, err any) template.HTMLAttr {
	var ids []string
	if truthy(hint) {
		ids = append(ids, id+"-hint")
	}
	if truthy(err) {
		ids = append(ids, id+"-error")
	}
	if len(ids) == 0 {
		return ""
	}
	return template.HTMLAttr(`aria-describedby="` + html.EscapeString(strings.Join(ids, " ")) + `"`) //nolint:gosec // G203: the ids are escaped
}

func truthy(v any) bool {
	switch v := v.(type) {
	case string:
		return v != ""
	case bool:
		return v
	case nil:
		return false
	}
	return true
}
