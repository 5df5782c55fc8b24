package taotai_test

import (
	"testing"

	"taotai"
)

func TestReplayCardAndForm3State(t *testing.T) {
	yellow := taotai.CardTransition{To: taotai.CardYellow, Reason: taotai.ReasonMajorHazard, Rectify: "煤气报警装置", Deadline: d("2020-06-30")}
	cleared := taotai.CardTransition{To: taotai.CardCleared, Rechecked: true}
	red := taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonOverdue}
	proposed := taotai.CardTransition{To: taotai.CardProposed, Basis: "《安全生产法》第一百一十三条", ReportedOn: d("2020-07-10")}
	closed := taotai.CardTransition{To: taotai.CardClosed, Basis: "市政府关闭决定", ClosedOn: d("2020-08-15"), Evidence: "决定书", VerifiedBy: "王"}
	tests := []struct {
		name                          string
		ts                            []taotai.CardTransition
		end                           string
		card, inTime, basis, isClosed string
	}{
		{"yellow, deadline to come", []taotai.CardTransition{yellow}, "2020-06-25", "黄牌", "整改期限内", "", "否"},
		{"yellow on its deadline day", []taotai.CardTransition{yellow}, "2020-06-30", "黄牌", "否", "", "否"},
		{"yellow past its deadline", []taotai.CardTransition{yellow}, "2020-07-25", "黄牌", "否", "", "否"},
		{"cleared in time", []taotai.CardTransition{yellow, cleared}, "2020-07-25", "黄牌", "是", "", "否"},
		{"red", []taotai.CardTransition{yellow, red}, "2020-07-25", "红牌", "否", "", "否"},
		{"proposed for closure", []taotai.CardTransition{yellow, red, proposed}, "2020-07-25", "红牌", "否", "《安全生产法》第一百一十三条", "否"},
		{"closed", []taotai.CardTransition{yellow, red, proposed, closed}, "2020-08-25", "红牌", "否", "市政府关闭决定", "是"},
		{"yellow again after clearing", []taotai.CardTransition{yellow, cleared, {To: taotai.CardYellow, Deadline: d("2020-09-30")}}, "2020-08-25", "黄牌", "整改期限内", "", "否"},
	}
	for _, tt := range tests {
		c := taotai.ReplayCard(taotai.Card{Year: 2020}, tt.ts)
		card, inTime, basis, closed := taotai.Form3State(c, d(tt.end))
		if card != tt.card || inTime != tt.inTime || basis != tt.basis || closed != tt.isClosed {
			t.Errorf("%s: %s %s %q %s, want %s %s %q %s", tt.name, card, inTime, basis, closed, tt.card, tt.inTime, tt.basis, tt.isClosed)
		}
	}
	if c := taotai.ReplayCard(taotai.Card{}, []taotai.CardTransition{yellow}); c.Rectify != "煤气报警装置" || !c.Deadline.Equal(d("2020-06-30")) {
		t.Errorf("replayed yellow card: %+v", c)
	}
}
