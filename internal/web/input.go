package web

import (
	"net/http"
	"net/url"

	"taotai"
)

// multiLineFields are the form fields people type several lines into: the
// <textarea>s of the templates (inspection_form.html's insp-area,
// hazard.html's hz-area, the document content of inspection.html,
// report.html's rp-area: the work summary and the review's reasons, and
// the province's letter's paragraph and its own summary text). Every
// other field is one line. A hazard row's fields are named h<N>_<field>
// (hazardInput) and count by <field>. TestMultiLineFieldsMatchTemplates
// keeps this list and the templates together.
var multiLineFields = map[string]bool{
	"findings": true, "description": true, "measures": true, "plan": true, "reason": true, "note": true,
	"content": true, "summary": true, "unlock_reason": true,
	"extra": true, "text": true, // letter.html and summary.html
	"scheme":     true,                  // plan_form.html: an inspection plan's 检查方案
	"conditions": true, "measure": true, // fields.html's coal-fields: an entry of the coal-mine list
	"exit_document": true, // acceptance_form.html: the basis of capacity withdrawn
}

// multiLine reports whether the field of that name may hold line breaks
// and tabs.
func multiLine(name string) bool {
	if len(name) > 2 && name[0] == 'h' {
		i := 1
		for i < len(name) && name[i] >= '0' && name[i] <= '9' {
			i++
		}
		if i > 1 && i < len(name) && name[i] == '_' {
			name = name[i+1:]
		}
	}
	return multiLineFields[name]
}

// validValues reports whether every name and value of vs is text
// taotai.ValidText accepts: names one line, values as their field allows.
func validValues(vs url.Values) bool {
	for name, list := range vs {
		if !taotai.ValidText(name, false) {
			return false
		}
		for _, v := range list {
			if !taotai.ValidText(v, multiLine(name)) {
				return false
			}
		}
	}
	return true
}

// validAddress checks the text a request brings in its address: the path
// (whose segments become path values such as {id} and {key}) and every
// query parameter, searches and filters included.
func validAddress(r *http.Request) bool {
	if !taotai.ValidText(r.URL.Path, false) {
		return false
	}
	q, _ := url.ParseQuery(r.URL.RawQuery) // what parses is what a handler can read
	return validValues(q)
}

// validBody checks the text of a parsed POST body: every field, and the
// names of uploaded files.
func validBody(r *http.Request) bool {
	if !validValues(r.PostForm) {
		return false
	}
	if r.MultipartForm == nil {
		return true
	}
	for name, files := range r.MultipartForm.File {
		if !taotai.ValidText(name, false) {
			return false
		}
		for _, fh := range files {
			if !taotai.ValidText(fh.Filename, false) {
				return false
			}
		}
	}
	return true
}

// badInput answers a request whose text taotai.ValidText refuses: 400,
// with the same message on every page and on both databases.
func (s *Server) badInput(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusBadRequest, taotai.MsgBadText)
}
