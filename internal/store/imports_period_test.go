package store_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// retitle replaces the title (A2) of a written form, as a clerk retypes it.
func retitle(t *testing.T, data []byte, title string) []byte {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.SetCellValue(x.GetSheetName(0), "A2", title); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestImportPeriodFromTitle: 附件2's and 附件3's period is read from the
// title as clerks write it; a 附件3 with neither a period in its title nor
// one chosen is refused, not taken for the year (whose rows it would
// replace); a title naming another year than the chosen one is refused.
func TestImportPeriodFromTitle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := mustCreate(t, db, tiedong, "steel")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		var b2, b3 bytes.Buffer
		if err := forms.Write2(&b2, forms.Header{Period: "6月"}, []forms.Row2{{Name: e.Name, Address: e.Address, Inspections: 1, InspectorTimes: 2}}); err != nil {
			t.Fatal(err)
		}
		if err := forms.Write3(&b3, forms.Header{}, []forms.Row3{{Region: "鞍山市铁东区", Name: e.Name, Address: e.Address, Industry: "钢铁",
			Rectify: "煤气报警失效", Card: "黄牌", Closed: "否"}}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			form   int
			title  string
			period string // chosen
			want   string // the period's key, or the beginning of the refusal
		}{
			{forms.Form2, "重点淘汰行业执法检查统计表（6月份）", "", "2020-06"},
			{forms.Form2, "重点淘汰行业执法检查统计表（2020年6月）", "", "2020-06"},
			{forms.Form2, "重点淘汰行业执法检查统计表（ ７ 月）", "", "2020-07"},
			{forms.Form2, "重点淘汰行业执法检查统计表(2020年度)", "", "2020"},
			{forms.Form2, "重点淘汰行业执法检查统计表（5月）", "", "2020-05"},
			{forms.Form2, "重点淘汰行业执法检查统计表（2019年6月）", "", "表格标题“重点淘汰行业执法检查统计表（2019年6月）”写的是2019年，与所选年度（2020年）不一致"},
			{forms.Form2, "重点淘汰行业执法检查统计表（2019年度）", "2020", "表格标题“重点淘汰行业执法检查统计表（2019年度）”写的是2019年"},
			{forms.Form2, "重点淘汰行业执法检查统计表（6月）", "2020-07", "表格标题“重点淘汰行业执法检查统计表（6月）”的报送期间为6月，与所选报送期间（7月）不一致"},
			{forms.Form2, "重点淘汰行业执法检查统计表（3月）", "", "表格标题“重点淘汰行业执法检查统计表（3月）”的报送期间（3月）不是2020年的报送期间（2020年首次报送（"},
			{forms.Form3, forms.Title3, "", "表格标题中没有报送期间"},
			{forms.Form3, forms.Title3, "2020-06", "2020-06"},
			{forms.Form3, "安全生产“黄”“红”牌企业名单汇总表（6月）", "", "2020-06"},
			{forms.Form3, "安全生产\"黄\"\"红\"牌企业名单汇总表（2020年度）", "", "2020"},
			{forms.Form3, "安全生产“黄”“红”牌企业名单汇总表（2021年6月）", "2020-06", "表格标题“安全生产“黄”“红”牌企业名单汇总表（2021年6月）”写的是2021年"},
		}
		for _, tt := range tests {
			data := b2.Bytes()
			if tt.form == forms.Form3 {
				data = b3.Bytes()
			}
			opt := store.ImportOptions{Form: tt.form, RegionCode: anshan, Year: 2020, Period: tt.period, FileName: "t.xlsx", DryRun: true}
			rep, err := db.ImportForm(clerk, opt, retitle(t, data, tt.title))
			switch {
			case strings.HasPrefix(tt.want, "2020"):
				if err != nil || rep.Period.Key != tt.want || rep.HasErrors() {
					t.Errorf("附件%d %q (chosen %q): %+v %v; want %s", tt.form, tt.title, tt.period, rep, err, tt.want)
				}
			case taotai.ErrorCode(err) != taotai.EINVALID || !strings.HasPrefix(taotai.ErrorMessage(err), tt.want):
				t.Errorf("附件%d %q (chosen %q): %v (%s); want EINVALID %q", tt.form, tt.title, tt.period, err, taotai.ErrorMessage(err), tt.want)
			}
		}
	})
}
