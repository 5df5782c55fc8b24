package taotai_test

import (
	"strings"
	"testing"
	"time"

	"taotai"
)

func TestWorkingDaysAfter(t *testing.T) {
	for _, tt := range []struct {
		from time.Time
		n    int
		want time.Time
	}{
		{day(2020, 6, 1), 3, day(2020, 6, 4)},               // Monday → Thursday
		{day(2020, 6, 4), 3, day(2020, 6, 9)},               // Thursday → Tuesday, over the weekend
		{day(2020, 6, 6), 3, day(2020, 6, 10)},              // Saturday: Monday is the first working day
		{day(2020, 6, 5), 5, day(2020, 6, 12)},              // Friday → the next Friday
		{day(2020, 6, 5), 0, day(2020, 6, 5)},               // no days
		{at(t, "2020-06-04T17:00:00Z"), 1, day(2020, 6, 8)}, // 01:00 on Friday 5 June in Shanghai
	} {
		if got := taotai.WorkingDaysAfter(tt.from, tt.n); !got.Equal(tt.want) {
			t.Errorf("%v + %d working days = %v, want %v", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestPenaltyNoticePeriods(t *testing.T) {
	for _, tt := range []struct {
		name             string
		on               time.Time
		fine             taotai.Yuan
		stop             string
		hearing          bool
		statement, until time.Time
	}{
		{"small fine: a statement only", day(2020, 6, 1), 20_000, "", false, day(2020, 6, 4), day(2020, 6, 4)},
		{"5万元: a hearing, 3 days under the 2017 law", day(2020, 6, 1), 50_000, "", true, day(2020, 6, 4), day(2020, 6, 4)},
		{"a stop order: a hearing whatever the fine", day(2020, 6, 1), 0, taotai.StateStopped, true, day(2020, 6, 4), day(2020, 6, 4)},
		{"5 working days from 15 July 2021", day(2021, 7, 15), 100_000, "", true, day(2021, 7, 20), day(2021, 7, 22)},
		{"the day before the 2021 law", day(2021, 7, 14), 100_000, "", true, day(2021, 7, 19), day(2021, 7, 19)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := &taotai.PenaltyNotice{IssuedOn: tt.on, Fine: tt.fine, StopState: tt.stop}
			n.SetPeriods()
			if n.Hearing != tt.hearing || !n.StatementUntil.Equal(tt.statement) || !n.WaitUntil().Equal(tt.until) {
				t.Fatalf("hearing %v, statement until %v, wait until %v", n.Hearing, n.StatementUntil, n.WaitUntil())
			}
			if n.DecidableOn(tt.until) || !n.DecidableOn(tt.until.AddDate(0, 0, 1)) {
				t.Fatalf("a decision must come the day after %v", tt.until)
			}
		})
	}
}

func TestPenaltyNoticeValidate(t *testing.T) {
	for _, tt := range []struct {
		name  string
		n     taotai.PenaltyNotice
		field string
	}{
		{"a fine", taotai.PenaltyNotice{IssuedOn: day(2020, 6, 1), Fine: 30_000}, ""},
		{"a stop order only", taotai.PenaltyNotice{IssuedOn: day(2020, 6, 1), StopState: taotai.StatePartial}, ""},
		{"nothing proposed", taotai.PenaltyNotice{IssuedOn: day(2020, 6, 1)}, "fine"},
		{"negative", taotai.PenaltyNotice{IssuedOn: day(2020, 6, 1), Fine: -1}, "fine"},
		{"over the legal maximum", taotai.PenaltyNotice{IssuedOn: day(2020, 6, 1), Fine: taotai.MaxFine + 1}, "fine"},
		{"no date", taotai.PenaltyNotice{Fine: 1}, "issued_on"},
		{"unknown stop", taotai.PenaltyNotice{IssuedOn: day(2020, 6, 1), StopState: "normal"}, "stop_state"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.n.Validate()
			if tt.field == "" && len(f) != 0 || tt.field != "" && f[tt.field] == "" {
				t.Fatalf("want a message on %q, got %v", tt.field, f)
			}
		})
	}
}

func TestCheckPenaltyDecision(t *testing.T) {
	notice := func() *taotai.PenaltyNotice {
		n := &taotai.PenaltyNotice{ID: 7, EnterpriseID: 1, Number: "（鞍）应急罚告〔2020〕1号", IssuedOn: day(2020, 6, 1), Fine: 30_000}
		n.SetPeriods() // statement until Thursday 4 June
		return n
	}
	decision := func(on time.Time, fine taotai.Yuan) *taotai.Document {
		return &taotai.Document{Kind: taotai.DocPenalty, EnterpriseID: 1, IssuedOn: on, Fine: fine}
	}
	for _, tt := range []struct {
		name string
		d    *taotai.Document
		edit func(n *taotai.PenaltyNotice) *taotai.PenaltyNotice
		msg  string // "" for allowed
	}{
		{"after the statement period", decision(day(2020, 6, 5), 30_000), nil, ""},
		{"a lighter fine", decision(day(2020, 6, 5), 10_000), nil, ""},
		{"no notice", decision(day(2020, 6, 5), 30_000), func(*taotai.PenaltyNotice) *taotai.PenaltyNotice { return nil }, "须先向该企业下达行政处罚告知书"},
		{"another enterprise's notice", decision(day(2020, 6, 5), 30_000), func(n *taotai.PenaltyNotice) *taotai.PenaltyNotice { n.EnterpriseID = 2; return n }, "不是下达给该企业的"},
		{"within the statement period", decision(day(2020, 6, 4), 30_000), nil, "处罚决定最早于2020-06-05作出"},
		{"the notice's day", decision(day(2020, 6, 1), 30_000), nil, "陈述、申辩期限至2020-06-04"},
		{"a decision before its notice", decision(day(2020, 5, 29), 30_000), nil, "不能早于行政处罚告知书"},
		{"within the hearing period", decision(day(2021, 8, 6), 30_000), func(n *taotai.PenaltyNotice) *taotai.PenaltyNotice {
			n.IssuedOn, n.Fine = day(2021, 8, 2), 100_000
			n.SetPeriods() // hearing until Monday 9 August
			return n
		}, "陈述、申辩及申请听证期限至2021-08-09"},
		{"already decided", decision(day(2020, 6, 5), 30_000), func(n *taotai.PenaltyNotice) *taotai.PenaltyNotice { n.DecisionID = 3; return n }, "已作出处罚决定"},
		{"heavier than notified", decision(day(2020, 6, 5), 30_001), nil, "不能高于告知书告知的拟罚款"},
		{"a stop not notified", &taotai.Document{Kind: taotai.DocPenalty, EnterpriseID: 1, IssuedOn: day(2020, 6, 5), StopState: taotai.StatePartial}, nil, "未告知责令停产停业整顿"},
		{"a whole stop for a partial one", &taotai.Document{Kind: taotai.DocPenalty, EnterpriseID: 1, IssuedOn: day(2020, 6, 8), StopState: taotai.StateStopped},
			func(n *taotai.PenaltyNotice) *taotai.PenaltyNotice { n.StopState = taotai.StatePartial; return n }, "不能改为全部停产"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := notice()
			if tt.edit != nil {
				n = tt.edit(n)
			}
			err := taotai.CheckPenaltyDecision(tt.d, n)
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(taotai.ErrorMessage(err), tt.msg) {
				t.Fatalf("got %v, want EINVALID with %q", err, tt.msg)
			}
		})
	}
}

func TestCheckStopState(t *testing.T) {
	for _, tt := range []struct {
		kind, state string
		ok          bool
	}{
		{taotai.DocStopOrder, taotai.StateStopped, true},
		{taotai.DocStopOrder, taotai.StatePartial, true},
		{taotai.DocPenalty, taotai.StateStopped, true},
		{taotai.DocPenalty, "", true},
		{taotai.DocRectOrder, taotai.StateStopped, false},
		{taotai.DocPenalty, taotai.StateNormal, false},
	} {
		if err := taotai.CheckStopState(tt.kind, tt.state); (err == nil) != tt.ok {
			t.Errorf("%s/%s: %v", tt.kind, tt.state, err)
		}
	}
}

func TestCheckLiftStop(t *testing.T) {
	today := day(2020, 7, 1)
	stop := func() *taotai.ProductionStop {
		return &taotai.ProductionStop{State: taotai.StateStopped, From: day(2020, 6, 1)}
	}
	passed := &taotai.Hazard{Status: taotai.HazardPassed, RecheckDate: day(2020, 6, 20)}
	open := &taotai.Hazard{Status: taotai.HazardRectifying}
	for _, tt := range []struct {
		name     string
		s        *taotai.ProductionStop
		on       time.Time
		reason   string
		hazards  []*taotai.Hazard
		rechecks []time.Time
		msg      string
	}{
		{"a hazard re-checked as passed", stop(), day(2020, 6, 20), "复查合格", []*taotai.Hazard{passed}, nil, ""},
		{"a re-check opinion", stop(), day(2020, 6, 25), "复查合格", nil, []time.Time{day(2020, 6, 22)}, ""},
		{"no re-check", stop(), day(2020, 6, 25), "复查合格", nil, nil, "须经整改复查合格"},
		{"a re-check before the order", stop(), day(2020, 6, 25), "复查合格", nil, []time.Time{day(2020, 5, 30)}, "须经整改复查合格"},
		{"lifted before the re-check", stop(), day(2020, 6, 19), "复查合格", []*taotai.Hazard{passed}, nil, "须经整改复查合格"},
		{"a hazard still open", stop(), day(2020, 6, 25), "复查合格", []*taotai.Hazard{passed, open}, nil, "尚有1项未经复查合格"},
		{"no reason", stop(), day(2020, 6, 25), " ", []*taotai.Hazard{passed}, nil, "请填写解除停产整顿的依据"},
		{"before the order", stop(), day(2020, 5, 31), "复查合格", []*taotai.Hazard{passed}, nil, "不能早于停产整顿的起始日期"},
		{"tomorrow", stop(), day(2020, 7, 2), "复查合格", []*taotai.Hazard{passed}, nil, "不能晚于今天"},
		{"no date", stop(), time.Time{}, "复查合格", []*taotai.Hazard{passed}, nil, "请填写解除日期"},
		{"already lifted", &taotai.ProductionStop{From: day(2020, 6, 1), LiftedOn: day(2020, 6, 21)}, day(2020, 6, 25), "复查合格", []*taotai.Hazard{passed}, nil, "已于2020-06-21解除"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := taotai.CheckLiftStop(tt.s, tt.on, today, tt.reason, tt.hazards, tt.rechecks)
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(taotai.ErrorMessage(err), tt.msg) {
				t.Fatalf("got %v, want EINVALID with %q", err, tt.msg)
			}
		})
	}
}

func TestValidateAgencyMark(t *testing.T) {
	for _, tt := range []struct{ in, want, msg string }{
		{" 鞍铁西 ", "鞍铁西", ""},
		{"辽阳煤", "辽阳煤", ""},
		{"", "", "请填写机关简称"},
		{"（鞍）", "", "不含括号"},
		{"鞍 铁西", "", "不含括号、空格"},
		{"一二三四五六七八九", "", "不能超过8个字"},
	} {
		got, err := taotai.ValidateAgencyMark(tt.in)
		if tt.msg == "" && (err != nil || got != tt.want) || tt.msg != "" && !strings.Contains(taotai.ErrorMessage(err), tt.msg) {
			t.Errorf("%q: %q %v", tt.in, got, err)
		}
	}
}

func TestCriterionInForce(t *testing.T) {
	c2017 := &taotai.Criterion{Standard: "2017版", InForceFrom: day(2017, 11, 30), InForceTo: day(2023, 5, 14)}
	c10 := &taotai.Criterion{Standard: "第10号", InForceFrom: day(2023, 5, 15)}
	open := &taotai.Criterion{}
	for _, tt := range []struct {
		c    *taotai.Criterion
		on   time.Time
		want bool
	}{
		{c2017, day(2020, 6, 1), true},
		{c2017, day(2023, 5, 14), true},
		{c2017, day(2023, 5, 15), false},
		{c2017, day(2017, 11, 29), false},
		{c10, day(2020, 6, 1), false},
		{c10, day(2023, 5, 15), true},
		{c10, at(t, "2023-05-14T16:30:00Z"), true}, // 00:30 on 15 May in Shanghai
		{open, day(2001, 1, 1), true},
	} {
		if got := tt.c.InForceOn(tt.on); got != tt.want {
			t.Errorf("%s on %v: %v", tt.c.Standard, tt.on, got)
		}
		if err := tt.c.CheckInForce(tt.on); (err == nil) != tt.want {
			t.Errorf("%s on %v: %v", tt.c.Standard, tt.on, err)
		}
	}
	if c2017.InForceText() != "2017-11-30至2023-05-14" || c10.InForceText() != "2023-05-15起" || open.InForceText() != "长期有效" {
		t.Fatal(c2017.InForceText(), c10.InForceText())
	}
	if f := (&taotai.Criterion{Standard: "x", Article: "y", Text: "z", InForceFrom: day(2023, 5, 15), InForceTo: day(2023, 5, 14)}).Validate(); f["in_force_to"] == "" {
		t.Fatal("an end before the start was accepted")
	}
}
