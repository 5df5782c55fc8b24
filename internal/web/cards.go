package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"time"

	"taotai"
	"taotai/internal/store"
)

// maxEvidence bounds the evidence files of one card change.
const maxEvidence = 20 << 20

type cardPage struct {
	Page
	E       *taotai.Enterprise
	Card    *taotai.Card
	Events  []*store.CardEvent
	Year    int
	Targets []cardTarget
	Errors  map[string]string
	Message string
	Form    map[string]string
	FormTo  string // the target whose form failed
	Today   string
	RedHint bool
}

// cardTarget is a transition the user may make, with its form: Blocked
// says why it cannot succeed now (its button is disabled), Recommended
// marks the one the rules propose, Check a change confirmed on a check
// page first.
type cardTarget struct {
	To, Name    string
	Blocked     string
	Recommended bool
	Primary     bool // the first that can succeed: the page's one primary button
	Check       bool
}

func pathYearOf(r *http.Request) (int, error) {
	raw := r.PathValue("year")
	y, err := strconv.Atoi(raw)
	if err != nil || y < 2000 || y > 2100 {
		return 0, taotai.Errorf(taotai.EINVALID, "年度“%s”格式不正确。", truncate(raw, 10))
	}
	return y, nil
}

func (s *Server) cardDetail(w http.ResponseWriter, r *http.Request) error {
	return s.renderCard(w, r, http.StatusOK, &cardPage{})
}

func (s *Server) renderCard(w http.ResponseWriter, r *http.Request, status int, p *cardPage) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if p.Year, err = pathYearOf(r); err != nil {
		return err
	}
	if p.E, err = s.store.FindEnterprise(r.Context(), id); err != nil {
		return err
	}
	if p.Card, p.Events, err = s.store.FindCard(r.Context(), id, p.Year); err != nil {
		return err
	}
	now := s.store.Clock().Now()
	p.Today = taotai.Today(now).Format("2006-01-02")
	p.RedHint = taotai.RedCandidate(p.Card, now)
	if p.Targets, err = s.cardTargets(r, p.Card, now); err != nil {
		return err
	}
	if p.Form == nil {
		p.Form = map[string]string{}
	}
	title := fmt.Sprintf("%s：%d年度黄/红牌", p.E.Name, p.Year)
	if p.Message != "" {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	s.render(w, r, status, "card", p)
	return nil
}

// cardFields are the form fields of a transition.
var cardFields = []string{"reason", "why", "rectify", "deadline", "basis", "reported_on", "closed_on", "evidence", "verified_by",
	"accepted_on", "members", "findings"}

func (s *Server) cardTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	year, err := pathYearOf(r)
	if err != nil {
		return err
	}
	// The route wrapper has bounded and parsed the body (maxRequestBody);
	// the files' total is checked below.
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(8 << 20); err != nil { //nolint:gosec // G120: the route wrapper bounds every POST body with http.MaxBytesReader(maxRequestBody), and has parsed it already
			return taotai.Errorf(taotai.EINVALID, "上传的证明材料过大或格式不正确（合计不超过20MB）。")
		}
	}
	form := map[string]string{}
	for _, k := range cardFields {
		form[k] = strings.TrimSpace(r.FormValue(k))
	}
	to := r.FormValue("to")
	t := taotai.CardTransition{To: to, Reason: form["reason"], Why: form["why"], Rectify: form["rectify"], Basis: form["basis"],
		Evidence: form["evidence"], VerifiedBy: form["verified_by"], Members: form["members"], Findings: form["findings"]}
	bad := taotai.FieldErrors{}
	for _, d := range []struct {
		key string
		dst *timeField
	}{{"deadline", &timeField{&t.Deadline}}, {"reported_on", &timeField{&t.ReportedOn}}, {"closed_on", &timeField{&t.ClosedOn}}, {"accepted_on", &timeField{&t.AcceptedOn}}} {
		if v := form[d.key]; v != "" {
			day, ok := taotai.ParseDate(v)
			if !ok {
				bad.Add(d.key, "“"+truncate(v, 20)+"”不是有效日期，应为“2020-06-30”的格式。")
				continue
			}
			*d.dst.t = day
		}
	}
	if cardChecked[to] {
		if r.FormValue("step") != "confirm" && len(bad) == 0 {
			return s.cardCheck(w, r, id, year, to, form, t)
		}
		if strings.TrimSpace(t.Why) == "" {
			bad.Add("why", "请填写变更理由：它记入变更记录，随企业履历保存。")
		}
	}
	files, err := evidenceFiles(r)
	if err != nil {
		return err
	}
	var out *taotai.Card
	if err = bad.Err(); err == nil {
		out, err = s.store.TransitionCard(r.Context(), id, year, atoiOr(r.FormValue("version"), 0), t, files)
	}
	var appErr *taotai.Error
	if errors.As(err, &appErr) && (appErr.Code == taotai.EINVALID || appErr.Code == taotai.ECONFLICT) {
		return s.renderCard(w, r, statusOf(appErr.Code), &cardPage{Errors: appErr.Fields, Message: appErr.Message, Form: form, FormTo: to})
	} else if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "已变更为“"+taotai.CardStateName(out.State)+"”。")
	http.Redirect(w, r, fmt.Sprintf("/enterprises/%d/card/%d", id, year), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric id and year, no host
	return nil
}

type timeField struct{ t *time.Time }

// evidenceFiles reads the uploaded evidence files ("evidence_files").
func evidenceFiles(r *http.Request) ([]store.Attachment, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []store.Attachment
	total := int64(0)
	for _, fh := range r.MultipartForm.File["evidence_files"] {
		total += fh.Size
		if total > maxEvidence {
			return nil, taotai.Errorf(taotai.EINVALID, "证明材料合计不能超过20MB。")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(f)
		_ = f.Close() // an upload, only read: closing loses nothing
		if err != nil {
			return nil, err
		}
		name := filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
		ct := http.DetectContentType(data)
		out = append(out, store.Attachment{Filename: truncate(name, 100), ContentType: ct, Data: data})
	}
	return out, nil
}

// attachment serves an evidence file as a download; only images and PDFs
// keep their type, anything else is served as bytes.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := s.store.Attachment(r.Context(), id)
	if err != nil {
		return err
	}
	ct := "application/octet-stream"
	switch {
	case strings.HasPrefix(f.ContentType, "image/jpeg"), strings.HasPrefix(f.ContentType, "image/png"), strings.HasPrefix(f.ContentType, "application/pdf"):
		ct = f.ContentType
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename}))
	w.Header().Set("X-Checksum-SHA256", f.SHA256)
	w.Write(f.Data) //nolint:gosec // G705: a download (Content-Disposition: attachment, nosniff), typed as JPEG, PNG, PDF or bytes, never HTML
	return nil
}

// cardFieldData is one input of a transition form: values and messages
// belong to the form that was sent.
type cardFieldData struct{ ID, Name, Label, Value, Error string }

func newCardField(to, name, label string, p *cardPage) cardFieldData {
	f := cardFieldData{ID: to + "-" + name, Name: name, Label: label}
	if p.FormTo == to {
		f.Value, f.Error = p.Form[name], p.Errors[name]
	}
	return f
}
