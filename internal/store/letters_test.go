package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// checkYellowList: the first batch of the yellow list holds, per channel,
// the yellow rows of each unit's latest accepted first 附件3, recounted
// from the tables; each channel's reviewer sees their part only, a city
// nothing.
func checkYellowList(t *testing.T, db *store.DB) {
	admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
	l, err := db.YellowList(admin, 2020)
	if err != nil {
		t.Fatal(err)
	}
	if l.Period.Key != "2020-05" || len(l.Parts) != 2 || l.Parts[0].Sector != taotai.SectorNonCoal || l.Parts[1].Sector != taotai.SectorCoal {
		t.Fatalf("list: %s, %d parts", l.Period.Key, len(l.Parts))
	}
	// The recount: each unit's latest accepted version of May.
	latest := acceptedFirst3(t, db)
	want := map[string][]string{}
	units := map[string]int{}
	for k, js := range latest {
		var r3 []forms.Row3
		if err := json.Unmarshal([]byte(js), &r3); err != nil {
			t.Fatal(err)
		}
		sector := k[strings.Index(k, "/")+1:]
		units[sector]++
		for _, r := range r3 {
			if r.Card == taotai.Form3Yellow {
				want[sector] = append(want[sector], r.Name)
			}
		}
	}
	for _, p := range l.Parts {
		var got []string
		for _, e := range p.Entries {
			got = append(got, e.Name)
			if e.Industry == "" || e.Region == "" || e.Unit == "" || !strings.HasPrefix(e.Region, e.Unit) {
				t.Errorf("entry %+v", e)
			}
		}
		slices.Sort(got)
		slices.Sort(want[p.Sector])
		if len(got) == 0 || !slices.Equal(got, want[p.Sector]) {
			t.Errorf("%s: %d entries %v, want %v", p.Sector, len(got), got, want[p.Sector])
		}
		all := map[string]int{taotai.SectorNonCoal: 15, taotai.SectorCoal: 7}[p.Sector]
		if p.Units != units[p.Sector] || p.Units+len(p.Missing) != all {
			t.Errorf("%s: %d units accepted and %d missing, want %d of %d", p.Sector, p.Units, len(p.Missing), units[p.Sector], all)
		}
	}
	for _, c := range []struct {
		name   string
		ctx    context.Context
		sector string
	}{
		{"non-coal reviewer", storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal), taotai.SectorNonCoal},
		{"coal reviewer", storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal), taotai.SectorCoal},
	} {
		part, err := db.YellowList(c.ctx, 2020)
		if err != nil || len(part.Parts) != 1 || part.Parts[0].Sector != c.sector || part.Count() != len(want[c.sector]) {
			t.Errorf("%s: %+v %v", c.name, part, err)
		}
	}
	for _, ctx := range []context.Context{storetest.ActorContext(db, taotai.RoleCityApprover, anshan, taotai.SectorNonCoal),
		storetest.ActorContext(db, taotai.RoleAuditor, taotai.ProvinceCode, "")} {
		if _, err := db.YellowList(ctx, 2020); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Errorf("%s reads the letter's list: %v", taotai.ActorFromContext(ctx).Username, err)
		}
	}
}

// TestProvinceLetter: the province's entries of a letter are kept and
// audited, the same again writes nothing; a city, the coal reviewer, an
// empty 文号, a text too long, another year are refused in Chinese with
// nothing changed.
func TestProvinceLetter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 5, 14, 16, 0, 0, 0, taotai.Shanghai)
		reviewer := storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		empty, err := db.ProvinceLetter(reviewer, 2020, taotai.LetterYellowList)
		if err != nil || empty.DocNumber != "" || empty.Year != 2020 || empty.Kind != taotai.LetterYellowList {
			t.Fatalf("a letter nothing was entered for: %+v %v", empty, err)
		}
		l := &taotai.ProvinceLetter{Year: 2020, Kind: taotai.LetterYellowList, DocNumber: "辽应急函[2020]15号", Extra: "请审阅。",
			Contact: "王新，024-86907739", Dated: time.Date(2020, 5, 15, 0, 0, 0, 0, taotai.Shanghai)}
		before := auditCount(t, db)
		if err := db.SaveProvinceLetter(reviewer, l); err != nil {
			t.Fatal(err)
		}
		got, err := db.ProvinceLetter(admin, 2020, taotai.LetterYellowList)
		if err != nil || got.DocNumber != "辽应急函〔2020〕15号" || got.Extra != "请审阅。" || got.Contact != "王新，024-86907739" ||
			got.Dated.Format("2006-01-02") != "2020-05-15" || got.UpdatedBy != taotai.ActorFromContext(reviewer).Username {
			t.Fatalf("kept: %+v %v", got, err)
		}
		if auditCount(t, db) != before+1 {
			t.Fatal("the letter's entries were not audited")
		}
		var entity, action, id, after string
		if err := db.SQL().QueryRow(`SELECT entity, action, entity_id, after FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&entity, &action, &id, &after); err != nil {
			t.Fatal(err)
		}
		if entity != "province_letter" || action != taotai.AuditCreate || id != "2020/yellow_list" || !strings.Contains(after, "辽应急函〔2020〕15号") {
			t.Errorf("audit: %s %s %s %s", entity, action, id, after)
		}
		same := *l
		if err := db.SaveProvinceLetter(admin, &same); err != nil || auditCount(t, db) != before+1 {
			t.Errorf("the same entries again: %v, %d entries", err, auditCount(t, db)-before)
		}
		l.DocNumber = "辽应急函〔2020〕16号"
		if err := db.SaveProvinceLetter(admin, l); err != nil || auditCount(t, db) != before+2 {
			t.Fatalf("changed: %v", err)
		}
		stored := func() string {
			var s string
			if err := db.SQL().QueryRow(`SELECT doc_number || '|' || dated || '|' || extra || '|' || contact FROM province_letters
				WHERE year = 2020 AND kind = 'yellow_list'`).Scan(&s); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM province_letters`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return s + "|" + string(rune('0'+n))
		}
		was, audit := stored(), auditCount(t, db)
		tests := []struct {
			name  string
			ctx   context.Context
			l     taotai.ProvinceLetter
			code  string
			field string // the field the message stands beside
			msg   string
		}{
			{"a city", storetest.ActorContext(db, taotai.RoleCityApprover, anshan, taotai.SectorNonCoal),
				taotai.ProvinceLetter{Year: 2020, Kind: taotai.LetterYellowList, DocNumber: "鞍应急函〔2020〕1号"}, taotai.ENOTFOUND, "", "未找到该函件"},
			{"the coal reviewer", storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal),
				taotai.ProvinceLetter{Year: 2020, Kind: taotai.LetterYellowList, DocNumber: "辽煤安函〔2020〕1号"}, taotai.EFORBIDDEN, "", "以省应急管理厅名义发出"},
			{"an empty 文号", reviewer, taotai.ProvinceLetter{Year: 2020, Kind: taotai.LetterYellowList, DocNumber: " "}, taotai.EINVALID, "doc_number", "文号不能为空"},
			{"a 文号 without a year", reviewer, taotai.ProvinceLetter{Year: 2020, Kind: taotai.LetterYellowList, DocNumber: "辽应急函15号"},
				taotai.EINVALID, "doc_number", "机关代字〔年份〕序号号"},
			{"too long a paragraph", reviewer, taotai.ProvinceLetter{Year: 2020, Kind: taotai.LetterYellowList, DocNumber: "辽应急函〔2020〕17号",
				Extra: strings.Repeat("长", taotai.MaxLetterExtraLen+1)}, taotai.EINVALID, "extra", "不能超过3000个字"},
			{"another kind", reviewer, taotai.ProvinceLetter{Year: 2020, Kind: "report", DocNumber: "辽应急函〔2020〕17号"}, taotai.EINVALID, "kind", "函件种类"},
			{"a year not configured", reviewer, taotai.ProvinceLetter{Year: 2031, Kind: taotai.LetterSummary, DocNumber: "辽应急函〔2031〕1号"},
				taotai.ENOTFOUND, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := tt.l
				err := db.SaveProvinceLetter(tt.ctx, &in)
				msg := taotai.ErrorMessage(err)
				if tt.field != "" {
					msg = fieldsOf(err)[tt.field]
				}
				if taotai.ErrorCode(err) != tt.code || !strings.Contains(msg, tt.msg) {
					t.Fatalf("want %s “%s”, got %v (%q %v)", tt.code, tt.msg, err, taotai.ErrorMessage(err), fieldsOf(err))
				}
				if stored() != was || auditCount(t, db) != audit {
					t.Errorf("a refusal changed something: %s", stored())
				}
			})
		}
		if _, err := db.ProvinceLetter(storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal), 2020, taotai.LetterSummary); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Errorf("a city reads the letter: %v", err)
		}
	})
}

// acceptedFirst3 reads the 附件3 of each unit's latest accepted first
// report, by unit/sector, from the tables.
func acceptedFirst3(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT s.region_code, s.sector, f.rows_json FROM report_submissions s
		JOIN report_submission_forms f ON f.submission_id = s.id AND f.form = 3
		WHERE s.period_key = '2020-05' AND s.state = 'accepted' ORDER BY s.version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	latest := map[string]string{}
	for rows.Next() {
		var unit, sector, js string
		if err := rows.Scan(&unit, &sector, &js); err != nil {
			t.Fatal(err)
		}
		latest[unit+"/"+sector] = js
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return latest
}
