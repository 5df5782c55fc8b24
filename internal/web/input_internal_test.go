package web

import (
	"io/fs"
	"regexp"
	"testing"
)

// Every <textarea> of the templates is in multiLineFields, and the list
// names no field that is not one.
func TestMultiLineFieldsMatchTemplates(t *testing.T) {
	areaTemplates := regexp.MustCompile(`(?s)\{\{define "([^"]+)"\}\}((?:[^{]|\{[^{]|\{\{[^d])*?)<textarea`)
	literal := regexp.MustCompile(`<textarea[^>]*\bname="([a-z_0-9]+)"`)
	found := map[string]bool{}
	files, _ := fs.Glob(assets, "templates/*.html")
	var areas []string
	texts := map[string]string{}
	for _, f := range files {
		b, err := fs.ReadFile(assets, f)
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = string(b)
		for _, m := range areaTemplates.FindAllStringSubmatch(string(b), -1) {
			areas = append(areas, m[1])
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			found[m[1]] = true
		}
	}
	if len(areas) == 0 {
		t.Fatal("no textarea templates found")
	}
	for _, a := range areas {
		uses := regexp.MustCompile(`\{\{template "` + regexp.QuoteMeta(a) + `" \(field (?:"([a-z_0-9]+)"|\(\.Name "([a-z_0-9]+)"\))`)
		for _, text := range texts {
			for _, m := range uses.FindAllStringSubmatch(text, -1) {
				if m[1] != "" {
					found[m[1]] = true
				} else {
					found[hazardInput(0, m[2])] = true
				}
			}
		}
	}
	for name := range found {
		if !multiLine(name) {
			t.Errorf("textarea %q is not in multiLineFields", name)
		}
	}
	for name := range multiLineFields {
		if !found[name] && !found[hazardInput(0, name)] {
			t.Errorf("multiLineFields names %q, which is no textarea", name)
		}
	}
	if multiLine("name") || multiLine("h0_place") || multiLine("hx_description") {
		t.Error("a one-line field taken for multi-line")
	}
}
