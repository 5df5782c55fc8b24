package web

import (
	"fmt"
	"strings"

	"taotai"
	"taotai/internal/forms"
)

// What changed between the versions of a report: each version compared
// with the one before it, form by form and cell by cell (the rule is
// taotai.DiffTables': an enterprise's row found by its name and address).

// versionChanges compares each version with the one before it, newest
// first.
func versionChanges(vs []reportVersion) ([]taotai.VersionChanges, error) {
	var out []taotai.VersionChanges
	for i := len(vs) - 1; i > 0; i-- {
		vc, err := taotai.CompareVersions(vs[i-1].Submission, vs[i].Submission, forms.SubmittedTable)
		if err != nil {
			return nil, fmt.Errorf("compare versions %d and %d: %w", vs[i-1].Version, vs[i].Version, err)
		}
		out = append(out, vc)
	}
	return out, nil
}

// formChanges sums up a form's changes: "修改1行，新增2行，删除1行", or
// "无变化".
func formChanges(fc taotai.FormChanges) string {
	var parts []string
	for _, p := range []struct {
		n    int
		verb string
	}{{fc.Changed, "修改"}, {fc.Added, "新增"}, {fc.Removed, "删除"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%s%d行", p.verb, p.n))
		}
	}
	if len(parts) == 0 {
		return "无变化"
	}
	return strings.Join(parts, "，")
}

// rowSide names how a row changed: 修改, 新增 or 删除.
func rowSide(side string) string {
	switch side {
	case taotai.RowAdded:
		return "新增"
	case taotai.RowRemoved:
		return "删除"
	}
	return "修改"
}
