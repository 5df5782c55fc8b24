package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"taotai"
)

//go:embed templates static
var assets embed.FS

// static serves the embedded assets under /static/ (the prefix stripped):
// files only. A directory, /static/ itself included, is not listed: it
// answers 404 like any name that is not a file.
// A file asked for with the assets' current version (?v=, see asset) is
// cached for a year; otherwise it is revalidated by its ETag.
func (s *Server) static() http.Handler {
	hashStatic()
	sub, _ := fs.Sub(assets, "static")
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st, err := fs.Stat(sub, r.URL.Path); err != nil || st.IsDir() {
			// Static files touch no session, so no page layout either.
			http.Error(w, "您要找的文件不存在。", http.StatusNotFound)
			return
		}
		h := w.Header()
		// Weak: the gzip and the plain answer are the same file.
		h.Set("ETag", `W/"`+staticHashes[r.URL.Path][:20]+`"`)
		if r.URL.Query().Get("v") == assetVersion {
			h.Set("Cache-Control", cacheImmutable)
		} else {
			h.Set("Cache-Control", cacheRevalid)
		}
		files.ServeHTTP(w, r)
	})
}

// templates holds one parsed set per page: the layout plus the page.
type templates struct{ pages map[string]*template.Template }

var funcs = template.FuncMap{
	"asset":      asset,
	"roleName":   taotai.RoleName,
	"sectorName": taotai.SectorName,
	"stateName":  taotai.ProductionStateName,
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(taotai.Shanghai).Format("2006年1月2日")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(taotai.Shanghai).Format("2006-01-02 15:04")
	},
	// when is an instant in running text and facts: 2020年6月10日 10:00
	// (datetime, 2020-06-10 10:00, is for dense tables).
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(taotai.Shanghai).Format("2006年1月2日 15:04")
	},
	"add": func(a, b int) int { return a + b },
	"isReport": func(key string) bool {
		return key == taotai.DeadlineFirstReport || strings.HasPrefix(key, "monthly_")
	},
	"accountState":  taotai.AccountStateName,
	"reasonField":   newReasonField,
	"actionName":    taotai.AuditActionName,
	"entityName":    taotai.AuditEntityName,
	"auditEntities": func() []string { return taotai.AuditEntities },
	"field":         newFieldData,
	"describedBy":   describedBy,
	// The enforcement loop's names.
	"cardState":      taotai.CardStateName,
	"cardReason":     taotai.CardReasonName,
	"cardColor":      taotai.CardColor,
	"cardField":      newCardField,
	"neg":            func(n int) int { return -n },
	"hazardStatus":   taotai.HazardStatusName,
	"hazardLevel":    taotai.HazardLevelName,
	"docKind":        taotai.DocKindName,
	"inspectionKind": taotai.InspectionKindName,
	"wan":            func(y taotai.Yuan) string { return y.Wan() },
	"isoDate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(taotai.Shanghai).Format("2006-01-02")
	},
	// The reporting year's names.
	"pct":             pct,
	"stateClass":      stateClass,
	"dueTime":         dueTime,
	"reportPath":      reportPath,
	"channelName":     taotai.ChannelName,
	"submissionState": taotai.SubmissionStateName,
	"reportForms":     taotai.ReportFormNames,
	"periodShort":     periodShort,
	"formChanges":     formChanges,
	"rowSide":         rowSide,
	"shortState":      shortState,
	"dueShort":        dueShort,
	"summaryFileList": func() string { return strings.ReplaceAll(taotai.SummaryFileTypes, "、", " ") },
	"summaryFileAccept": func() string {
		return strings.ReplaceAll(taotai.SummaryFileTypes, "、", ",")
	},
	// Inspection plans (plans.go).
	"planState":    taotai.PlanStateName,
	"planProgress": taotai.PlanProgressName,
	"gradeName":    taotai.GradeName,     // safety.go
	"coalState":    taotai.CoalStateName, // coal_mines.go
	// Acceptance of exited enterprises (acceptances.go).
	"acceptBasis": taotai.AcceptBasisName,
	"signVerdict": taotai.SignVerdictName,
	// The province's letters and the annual summary.
	"tableClass":         tableClass,
	"letterEnd":          letterEnd,
	"coordinationOffice": func() string { return taotai.CoordinationOffice },
	"join": func(xs []int) string {
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = strconv.Itoa(x)
		}
		return strings.Join(s, "、")
	},
}

// parseTemplates parses every page at start-up.
func parseTemplates() (*templates, error) {
	layout, err := template.New("layout").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/fields.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "fields" {
			continue
		}
		clone, err := layout.Clone()
		if err != nil {
			return nil, err
		}
		if t.pages[name], err = clone.ParseFS(assets, f); err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
	}
	return t, nil
}

// Page is what every template gets: the title, the user and their lane,
// the CSRF token and a one-time message.
type Page struct {
	Title string
	User  *taotai.User
	Actor *taotai.Actor
	CSRF  string
	Flash string
	Path  string
}

func (s *Server) page(r *http.Request, title string) Page {
	return Page{Title: title, User: currentUser(r), Actor: taotai.ActorFromContext(r.Context()),
		CSRF: s.csrfToken(r), Flash: s.sessions.PopString(r.Context(), sessionFlash), Path: r.URL.Path}
}

// Can reports whether the user's role may perform the action.
func (p Page) Can(action string) bool { return p.Actor.Can(taotai.Action(action)) }

// render executes a page into a buffer first, so a failing template gives a
// clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := s.tmpl.pages[name]
	if !ok {
		s.log.Error("no template", "name", name)
		http.Error(w, "系统内部错误", http.StatusInternalServerError)
		return
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "系统内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", cacheNever)
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w) // a client that has gone: nothing left to do
}

// renderBuffers hold pages while they are written: a page is written
// whole before its status is sent (an error shows the error page instead),
// and a buffer grown anew for each page was an eighth of the bytes a
// request allocated (docs/benchmarks.md).
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns a buffer to renderBuffers, unless a big page
// (a long list) grew it: that memory is let go.
func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	renderBuffers.Put(b)
}

// withQuery returns the current query with key set to value, for links
// such as pagination that keep the filters.
func withQuery(q url.Values, key, value string) string {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	c.Set(key, value)
	return "?" + c.Encode()
}

// fieldData is a text input with its label, hint and error.
type fieldData struct{ Name, Label, Value, Hint, Error string }

func newFieldData(name, label, value, hint string, errs map[string]string) fieldData {
	return fieldData{Name: name, Label: label, Value: value, Hint: hint, Error: errs[name]}
}
