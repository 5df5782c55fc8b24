package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taotai"
)

// The domain's enums are codes for the program (yellow, rect_order,
// noncoal …); a person reads their Chinese names. rawCodes finds the codes
// a page shows: in its visible text and in the attributes a person reads
// (title, placeholder, aria-label, alt, a button's value is not read). The
// raw record of the audit trail (details.raw), kept one click away on
// purpose, is not scanned.

// enumCodes are the codes of every enum of the domain, and the keys of the
// seeded industries.
var enumCodes = func() map[string]bool {
	var all []string
	for _, l := range [][]string{taotai.CardStates, taotai.YellowReasons, taotai.RedReasons, taotai.DocKinds, taotai.ProductionStates,
		taotai.HazardLevels, taotai.HazardStatusCriteria, taotai.InspectionKinds, taotai.Roles, taotai.AccountStates,
		{taotai.SectorCoal, taotai.SectorNonCoal},
		{taotai.ReportNotDue, taotai.ReportMissing, taotai.ReportOnTime, taotai.ReportLate, taotai.ReportReturned, taotai.ReportAccepted},
		{taotai.SubmissionPrepared, taotai.SubmissionSubmitted, taotai.SubmissionReturned, taotai.SubmissionAccepted},
		taotai.AuditActions, taotai.AuditEntities,
		{"steel", "cement", "aluminium", "aluminum", "glass", "flat_glass"}} {
		all = append(all, l...)
	}
	m := map[string]bool{}
	for _, c := range all {
		m[c] = true
	}
	return m
}()

// asciiWord is a run of the letters codes are made of.
var asciiWord = regexp.MustCompile(`[A-Za-z_]+`)

// rawCodes returns the enum codes a page shows a person, each once.
func rawCodes(doc *goquery.Document) []string {
	body := doc.Find("body").Clone()
	body.Find("script, style, template, details.raw, noscript").Remove()
	texts := []string{body.Text()}
	body.Find("[title], [placeholder], [aria-label], [alt]").Each(func(_ int, s *goquery.Selection) {
		for _, a := range []string{"title", "placeholder", "aria-label", "alt"} {
			texts = append(texts, s.AttrOr(a, ""))
		}
	})
	var found []string
	for _, w := range asciiWord.FindAllString(strings.Join(texts, " "), -1) {
		if enumCodes[w] && !slices.Contains(found, w) {
			found = append(found, w)
		}
	}
	return found
}

// TestNoCodesInMessages: no Chinese text in the code — a message, a
// label, a hint — names an enum by its code ("应为coal（煤矿）或noncoal"):
// a person reads the Chinese names only. The command line (cmd/), whose
// flags take the codes, is not scanned. It caught the sector messages of
// the store (now taotai.MsgBadSector, MsgBadChannel).
func TestNoCodesInMessages(t *testing.T) {
	han := regexp.MustCompile(`\p{Han}`)
	fset := token.NewFileSet()
	for _, dir := range []string{"../..", "../store", "../forms", ".", "../demo"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				// SQL, and errors wrapped for the log (%w: a person sees
				// 系统内部错误), are not read by a person.
				if err != nil || !han.MatchString(s) || strings.Contains(s, "SELECT ") || strings.Contains(s, "%w") {
					return true
				}
				for _, w := range asciiWord.FindAllString(s, -1) {
					if enumCodes[w] {
						t.Errorf("%s: %q names the code %q", fset.Position(lit.Pos()), s, w)
					}
				}
				return true
			})
		}
	}
}
