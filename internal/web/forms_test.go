package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func TestFormDownload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := enforcementSetup(t, db) // an inspection on 2020-05-09 with a major hazard
		c := newClient(t, newServer(t, db))
		c.login("ansh_clerk")
		if r := c.get("/forms"); r.Status != 200 || r.Doc.Find("#export-form").Length() != 1 {
			t.Fatalf("forms page: %d", r.Status)
		}
		r := c.get("/forms/download?form=2&period=2020-05&region=210300&sector=noncoal")
		if r.Status != 200 {
			t.Fatalf("download: %d %s", r.Status, text(r, "#error-message"))
		}
		x, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		sheet := x.GetSheetName(0)
		title, _ := x.GetCellValue(sheet, "A2")
		name, _ := x.GetCellValue(sheet, "B5")
		major, _ := x.GetCellValue(sheet, "H5")
		if title != "重点淘汰行业执法检查统计表（5月）" || name != f.own.Name || major != "1" {
			t.Fatalf("title %q, row %q, major %q", title, name, major)
		}
		if r := c.get("/forms/download?form=2&period=2020&region=210900"); r.Status != http.StatusNotFound {
			t.Fatalf("another city's form: %d", r.Status)
		}
		if r := c.get("/forms/download?form=9"); r.Status != http.StatusBadRequest {
			t.Fatalf("form 9: %d", r.Status)
		}
		csv := c.get("/forms/download?form=1&period=2020&format=csv")
		if csv.Status != 200 || !strings.HasPrefix(csv.Body, "\uFEFF") {
			t.Fatalf("csv: %d", csv.Status)
		}
		exports, _, _ := db.FindAudit(taotai.NewContextWithActor(context.Background(), taotai.System), taotai.AuditFilter{Action: taotai.AuditExport})
		if len(exports) != 2 {
			t.Fatalf("%d exports recorded, want 2", len(exports))
		}
	})
}
