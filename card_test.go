package taotai_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"taotai"
)

// cardAllowed is the transition table, written out independently of the
// code under test.
var cardAllowed = map[[2]string]bool{
	{taotai.CardNone, taotai.CardYellow}:     true,
	{taotai.CardYellow, taotai.CardCleared}:  true,
	{taotai.CardYellow, taotai.CardRed}:      true,
	{taotai.CardCleared, taotai.CardYellow}:  true,
	{taotai.CardRed, taotai.CardProposed}:    true,
	{taotai.CardProposed, taotai.CardClosed}: true,
	{taotai.CardClosed, taotai.CardAccepted}: true,
}

// cardNow stands in the acceptance phase, so that every transition can be
// made on the same day.
const cardNow = "2020-10-15T10:00:00+08:00"

// cardIn returns a 2020 card in state with the data its past transitions
// would have left: a yellow deadline of 31 October, reported on 20
// September, closed on 25 September.
func cardIn(state string) *taotai.Card {
	return &taotai.Card{ID: 1, EnterpriseID: 1, EnterpriseName: "鞍山某钢铁有限公司", Year: 2020, State: state,
		Reason: taotai.ReasonBelowStandard, Rectify: "转炉水冷元件加装监测报警", Deadline: day(2020, 10, 31),
		ReportedOn: day(2020, 9, 20), ClosedOn: day(2020, 9, 25), Version: 3}
}

// completeTransition returns a transition to the state with all the data it
// needs on cardNow.
func completeTransition(to string) taotai.CardTransition {
	t := taotai.CardTransition{To: to, Why: "依据复查结果"}
	switch to {
	case taotai.CardYellow:
		t.Reason, t.Rectify, t.Deadline = taotai.ReasonMajorHazard, "高炉炉顶压力联锁整改", day(2020, 11, 30)
	case taotai.CardCleared:
		t.Rechecked = true
	case taotai.CardRed:
		t.Reason = taotai.ReasonStillBelow
	case taotai.CardProposed:
		t.Basis, t.ReportedOn = "《安全生产法》第六十条", day(2020, 10, 10)
	case taotai.CardClosed:
		t.Basis, t.ClosedOn, t.Evidence, t.VerifiedBy = "鞍山市人民政府关闭决定", day(2020, 10, 12), "断电、拆除设备照片", "王伟、李娜"
	case taotai.CardAccepted:
		t.AcceptedOn, t.Members, t.Findings = day(2020, 10, 14), "应急局王伟、工信局赵明、发改委钱亮", "设备已拆除，同意验收"
	}
	return t
}

// requiredData lists, per target state, the data whose absence must be
// refused and the field that must say so.
var requiredData = map[string][]struct {
	field string
	blank func(t *taotai.CardTransition)
}{
	taotai.CardYellow: {
		{"reason", func(t *taotai.CardTransition) { t.Reason = "" }},
		{"rectify", func(t *taotai.CardTransition) { t.Rectify = " " }},
		{"deadline", func(t *taotai.CardTransition) { t.Deadline = time.Time{} }},
	},
	taotai.CardRed: {
		{"reason", func(t *taotai.CardTransition) { t.Reason = "" }},
		{"why", func(t *taotai.CardTransition) { t.Why = "" }},
	},
	taotai.CardProposed: {
		{"basis", func(t *taotai.CardTransition) { t.Basis = "" }},
		{"reported_on", func(t *taotai.CardTransition) { t.ReportedOn = time.Time{} }},
	},
	taotai.CardClosed: {
		{"closed_on", func(t *taotai.CardTransition) { t.ClosedOn = time.Time{} }},
		{"basis", func(t *taotai.CardTransition) { t.Basis = "" }},
		{"evidence", func(t *taotai.CardTransition) { t.Evidence = "" }},
		{"verified_by", func(t *taotai.CardTransition) { t.VerifiedBy = "" }},
	},
	taotai.CardAccepted: {
		{"accepted_on", func(t *taotai.CardTransition) { t.AcceptedOn = time.Time{} }},
		{"members", func(t *taotai.CardTransition) { t.Members = "" }},
		{"findings", func(t *taotai.CardTransition) { t.Findings = "" }},
	},
}

func TestCardApplyEveryPair(t *testing.T) {
	now := at(t, cardNow)
	for _, from := range taotai.CardStates {
		for _, to := range append(slices.Clone(taotai.CardStates), "deleted") {
			name := from + "→" + to
			if !cardAllowed[[2]string{from, to}] {
				t.Run(name+" refused", func(t *testing.T) {
					c := cardIn(from)
					err := c.Apply(completeTransition(to), now)
					want := fmt.Sprintf("不能从“%s”直接变为“%s”。", taotai.CardStateName(from), taotai.CardStateName(to))
					if taotai.ErrorCode(err) != taotai.EINVALID || taotai.ErrorMessage(err) != want {
						t.Fatalf("got %v, want EINVALID %q", err, want)
					}
					if *c != *cardIn(from) {
						t.Fatalf("refused transition changed the card: %+v", c)
					}
				})
				continue
			}
			t.Run(name+" with complete data", func(t *testing.T) {
				c := cardIn(from)
				if err := c.Apply(completeTransition(to), now); err != nil {
					t.Fatalf("got %v (%v)", err, fieldsOf(err))
				}
				if c.State != to || !c.UpdatedAt.Equal(now) || c.Version != 3 {
					t.Fatalf("got state %q, updated %v, version %d", c.State, c.UpdatedAt, c.Version)
				}
			})
			for _, r := range requiredData[to] {
				t.Run(name+" without "+r.field, func(t *testing.T) {
					c := cardIn(from)
					tr := completeTransition(to)
					r.blank(&tr)
					err := c.Apply(tr, now)
					if taotai.ErrorCode(err) != taotai.EINVALID || fieldsOf(err)[r.field] == "" {
						t.Fatalf("got %v (%v), want a message for %s", err, fieldsOf(err), r.field)
					}
					if *c != *cardIn(from) {
						t.Fatalf("refused transition changed the card: %+v", c)
					}
				})
			}
		}
	}
}

func TestCardApplyRecords(t *testing.T) {
	now := at(t, cardNow)
	tests := []struct {
		name  string
		from  string
		to    string
		check func(c *taotai.Card) bool
	}{
		{"yellow keeps reason, content and deadline", taotai.CardNone, taotai.CardYellow, func(c *taotai.Card) bool {
			return c.Reason == taotai.ReasonMajorHazard && c.Rectify == "高炉炉顶压力联锁整改" && c.Deadline.Equal(day(2020, 11, 30)) && !c.RectifiedInTime
		}},
		{"cleared is rectified in time", taotai.CardYellow, taotai.CardCleared, func(c *taotai.Card) bool {
			return c.RectifiedInTime
		}},
		{"a new yellow card after clearing is not rectified", taotai.CardCleared, taotai.CardYellow, func(c *taotai.Card) bool {
			return !c.RectifiedInTime && c.Deadline.Equal(day(2020, 11, 30))
		}},
		{"red keeps its reason", taotai.CardYellow, taotai.CardRed, func(c *taotai.Card) bool {
			return c.Reason == taotai.ReasonStillBelow && !c.RectifiedInTime
		}},
		{"proposed keeps basis and report date", taotai.CardRed, taotai.CardProposed, func(c *taotai.Card) bool {
			return c.ClosureBasis == "《安全生产法》第六十条" && c.ReportedOn.Equal(day(2020, 10, 10))
		}},
		{"closed keeps date, basis, evidence, verifier", taotai.CardProposed, taotai.CardClosed, func(c *taotai.Card) bool {
			return c.ClosedOn.Equal(day(2020, 10, 12)) && c.ClosureBasis == "鞍山市人民政府关闭决定" &&
				c.ClosureEvidence == "断电、拆除设备照片" && c.VerifiedBy == "王伟、李娜"
		}},
		{"accepted keeps date, members, findings", taotai.CardClosed, taotai.CardAccepted, func(c *taotai.Card) bool {
			return c.AcceptedOn.Equal(day(2020, 10, 14)) && c.AcceptanceMembers == "应急局王伟、工信局赵明、发改委钱亮" &&
				c.AcceptanceFindings == "设备已拆除，同意验收"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cardIn(tt.from)
			c.RectifiedInTime = tt.from == taotai.CardCleared
			if err := c.Apply(completeTransition(tt.to), now); err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Fatalf("card after %s→%s: %+v", tt.from, tt.to, c)
			}
		})
	}
	c := &taotai.Card{Year: 2020}
	if err := c.Apply(completeTransition(taotai.CardYellow), now); err != nil || c.State != taotai.CardYellow {
		t.Fatalf("a card with an empty state is none: %v, %q", err, c.State)
	}
}

func TestCardApplyRules(t *testing.T) {
	tests := []struct {
		name  string
		from  string
		edit  func(c *taotai.Card, t *taotai.CardTransition)
		to    string
		now   string
		field string // "" with msg "" for success; "" with a msg for a plain message
		msg   string
	}{
		// Yellow: the deadline may be today, not yesterday (in Shanghai).
		{"yellow, deadline today", taotai.CardNone, func(c *taotai.Card, t *taotai.CardTransition) { t.Deadline = day(2020, 6, 30) },
			taotai.CardYellow, "2020-06-30T23:59:59+08:00", "", ""},
		{"yellow, deadline yesterday", taotai.CardNone, func(c *taotai.Card, t *taotai.CardTransition) { t.Deadline = day(2020, 6, 30) },
			taotai.CardYellow, "2020-07-01T00:00:00+08:00", "deadline", "整改期限不能早于今天"},
		{"yellow, deadline yesterday in Shanghai, today in UTC", taotai.CardNone, func(c *taotai.Card, t *taotai.CardTransition) { t.Deadline = day(2020, 6, 30) },
			taotai.CardYellow, "2020-06-30T16:30:00Z", "deadline", "整改期限不能早于今天"},
		{"yellow with a red reason", taotai.CardNone, func(c *taotai.Card, t *taotai.CardTransition) { t.Reason = taotai.ReasonOverdue },
			taotai.CardYellow, cardNow, "reason", "请选择黄牌原因"},
		{"yellow, content too long", taotai.CardNone, func(c *taotai.Card, t *taotai.CardTransition) { t.Rectify = strings.Repeat("改", 501) },
			taotai.CardYellow, cardNow, "rectify", "不能超过500个字"},
		{"why too long", taotai.CardNone, func(c *taotai.Card, t *taotai.CardTransition) { t.Why = strings.Repeat("因", 501) },
			taotai.CardYellow, cardNow, "why", "不能超过500个字"},

		// Cleared: only with a passed re-check, until the deadline day ends.
		{"cleared on the deadline day", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) { c.Deadline = day(2020, 6, 30) },
			taotai.CardCleared, "2020-06-30T23:59:59+08:00", "", ""},
		{"cleared the day after the deadline", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) { c.Deadline = day(2020, 6, 30) },
			taotai.CardCleared, "2020-07-01T00:00:00+08:00", "", "整改期限已过，应转为红牌。"},
		{"cleared at 00:30 on 1 July in Shanghai, given in UTC", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) { c.Deadline = day(2020, 6, 30) },
			taotai.CardCleared, "2020-06-30T16:30:00Z", "", "整改期限已过，应转为红牌。"},
		{"cleared without a re-check", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) { t.Rechecked = false },
			taotai.CardCleared, cardNow, "", "尚无复查合格记录，不能摘牌。"},

		// Red for being overdue: only once the deadline day has ended.
		{"overdue on the deadline day", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) {
			c.Deadline, t.Reason, t.Why = day(2020, 6, 30), taotai.ReasonOverdue, ""
		}, taotai.CardRed, "2020-06-30T23:59:59+08:00", "", "整改期限未到，不能以逾期未整改为由转为红牌。"},
		{"overdue on the deadline day, given in UTC", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) {
			c.Deadline, t.Reason = day(2020, 6, 30), taotai.ReasonOverdue
		}, taotai.CardRed, "2020-06-30T15:59:59Z", "", "整改期限未到"},
		{"overdue the day after", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) {
			c.Deadline, t.Reason, t.Why = day(2020, 6, 30), taotai.ReasonOverdue, ""
		}, taotai.CardRed, "2020-07-01T00:00:00+08:00", "", ""},
		{"overdue at 00:30 on 1 July in Shanghai, given in UTC", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) {
			c.Deadline, t.Reason = day(2020, 6, 30), taotai.ReasonOverdue
		}, taotai.CardRed, "2020-06-30T16:30:00Z", "", ""},
		{"still below standard before the deadline", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) { c.Deadline = day(2020, 12, 31) },
			taotai.CardRed, cardNow, "", ""},
		{"red with a yellow reason", taotai.CardYellow, func(c *taotai.Card, t *taotai.CardTransition) { t.Reason = taotai.ReasonMajorHazard },
			taotai.CardRed, cardNow, "reason", "请选择红牌原因"},

		// Proposed and closed: dates not in the future, closure after the report.
		{"reported tomorrow", taotai.CardRed, func(c *taotai.Card, t *taotai.CardTransition) { t.ReportedOn = day(2020, 10, 16) },
			taotai.CardProposed, cardNow, "reported_on", "不能晚于今天"},
		{"reported today", taotai.CardRed, func(c *taotai.Card, t *taotai.CardTransition) { t.ReportedOn = day(2020, 10, 15) },
			taotai.CardProposed, cardNow, "", ""},
		{"closed tomorrow", taotai.CardProposed, func(c *taotai.Card, t *taotai.CardTransition) { t.ClosedOn = day(2020, 10, 16) },
			taotai.CardClosed, cardNow, "closed_on", "关闭日期不能晚于今天"},
		{"closed before the report", taotai.CardProposed, func(c *taotai.Card, t *taotai.CardTransition) { t.ClosedOn = day(2020, 9, 19) },
			taotai.CardClosed, cardNow, "closed_on", "不能早于报请属地人民政府日期"},

		// Accepted: in the acceptance phase or later, not before the closure.
		{"accepted on 30 September", taotai.CardClosed, func(c *taotai.Card, t *taotai.CardTransition) { t.AcceptedOn = day(2020, 9, 30) },
			taotai.CardAccepted, cardNow, "", "验收应在总结验收阶段（10月1日至11月30日）进行。"},
		{"accepted on 1 October", taotai.CardClosed, func(c *taotai.Card, t *taotai.CardTransition) { t.AcceptedOn = day(2020, 10, 1) },
			taotai.CardAccepted, cardNow, "", ""},
		{"accepted in 30 November", taotai.CardClosed, func(c *taotai.Card, t *taotai.CardTransition) { t.AcceptedOn = day(2020, 11, 30) },
			taotai.CardAccepted, "2020-11-30T18:00:00+08:00", "", ""},
		{"accepted the next spring", taotai.CardClosed, func(c *taotai.Card, t *taotai.CardTransition) { t.AcceptedOn = day(2021, 3, 1) },
			taotai.CardAccepted, "2021-03-02T09:00:00+08:00", "", ""},
		{"accepted tomorrow", taotai.CardClosed, func(c *taotai.Card, t *taotai.CardTransition) { t.AcceptedOn = day(2020, 10, 16) },
			taotai.CardAccepted, cardNow, "accepted_on", "验收日期不能晚于今天"},
		{"accepted before the closure", taotai.CardClosed, func(c *taotai.Card, t *taotai.CardTransition) {
			c.ClosedOn, t.AcceptedOn = day(2020, 10, 12), day(2020, 10, 11)
		}, taotai.CardAccepted, cardNow, "accepted_on", "验收日期不能早于关闭日期"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cardIn(tt.from)
			tr := completeTransition(tt.to)
			tt.edit(c, &tr)
			before := *c
			err := c.Apply(tr, at(t, tt.now))
			checkErr(t, err, tt.field, tt.msg)
			if err != nil && *c != before {
				t.Fatalf("refused transition changed the card: %+v", c)
			}
		})
	}
}

func TestCardTransitions(t *testing.T) {
	for _, from := range append(slices.Clone(taotai.CardStates), "") {
		var want []string
		for _, to := range taotai.CardStates {
			f := from
			if f == "" {
				f = taotai.CardNone
			}
			if cardAllowed[[2]string{f, to}] {
				want = append(want, to)
			}
		}
		got := slices.Sorted(slices.Values(taotai.CardTransitions(from)))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("CardTransitions(%q) = %v, want %v", from, got, want)
		}
	}
}

func TestRedCandidate(t *testing.T) {
	tests := []struct {
		name  string
		state string
		now   string
		want  bool
	}{
		{"yellow, deadline day's last second", taotai.CardYellow, "2020-06-30T23:59:59+08:00", false},
		{"yellow, next day's first second", taotai.CardYellow, "2020-07-01T00:00:00+08:00", true},
		{"yellow, 00:30 on 1 July in Shanghai, given in UTC", taotai.CardYellow, "2020-06-30T16:30:00Z", true},
		{"cleared, long after", taotai.CardCleared, "2020-08-01T00:00:00+08:00", false},
		{"already red", taotai.CardRed, "2020-08-01T00:00:00+08:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cardIn(tt.state)
			c.Deadline = day(2020, 6, 30)
			if got := taotai.RedCandidate(c, at(t, tt.now)); got != tt.want {
				t.Fatalf("RedCandidate = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCardNames(t *testing.T) {
	want := map[string]string{"none": "无", "yellow": "黄牌", "cleared": "已摘牌", "red": "红牌",
		"proposed": "拟关闭", "closed": "已关闭", "accepted": "已验收"}
	for _, s := range taotai.CardStates {
		if got := taotai.CardStateName(s); got != want[s] {
			t.Errorf("CardStateName(%q) = %q, want %q", s, got, want[s])
		}
	}
	reasons := map[string]string{"below_standard": "安全生产条件不达标", "major_hazard": "存在重大事故隐患",
		"overdue": "逾期未整改", "still_below": "经整改仍不具备安全生产条件"}
	for _, r := range append(slices.Clone(taotai.YellowReasons), taotai.RedReasons...) {
		if got := taotai.CardReasonName(r); got != reasons[r] {
			t.Errorf("CardReasonName(%q) = %q, want %q", r, got, reasons[r])
		}
	}
	colors := map[string]string{"none": "", "yellow": "黄牌", "cleared": "黄牌", "red": "红牌", "proposed": "红牌", "closed": "红牌", "accepted": "红牌"}
	for s, c := range colors {
		if got := taotai.CardColor(s); got != c {
			t.Errorf("CardColor(%q) = %q, want %q", s, got, c)
		}
	}
}

func TestCardPermission(t *testing.T) {
	tests := []struct {
		role string
		to   string
		want bool
	}{
		{taotai.RoleInspector, taotai.CardYellow, true},
		{taotai.RoleInspector, taotai.CardCleared, true},
		{taotai.RoleInspector, taotai.CardRed, false},
		{taotai.RoleCityClerk, taotai.CardProposed, false},
		{taotai.RoleCityApprover, taotai.CardRed, true},
		{taotai.RoleCityApprover, taotai.CardAccepted, true},
		{taotai.RoleAdmin, taotai.CardClosed, true},
		{taotai.RolePartner, taotai.CardYellow, false},
		{taotai.RoleProvinceReviewer, taotai.CardYellow, false},
	}
	for _, tt := range tests {
		a := &taotai.Actor{Role: tt.role}
		if got := a.Can(taotai.CardPermission(tt.to)); got != tt.want {
			t.Errorf("%s may move a card to %s: %v, want %v", tt.role, tt.to, got, tt.want)
		}
	}
}

func TestNewActions(t *testing.T) {
	tests := []struct {
		action taotai.Action
		roles  []string
	}{
		{taotai.ActRecordInspection, []string{taotai.RoleInspector, taotai.RoleCityClerk, taotai.RoleCityApprover, taotai.RoleAdmin}},
		{taotai.ActIssueDocument, []string{taotai.RoleInspector, taotai.RoleCityClerk, taotai.RoleCityApprover, taotai.RoleAdmin}},
		{taotai.ActCardYellow, []string{taotai.RoleInspector, taotai.RoleCityClerk, taotai.RoleCityApprover, taotai.RoleAdmin}},
		{taotai.ActCardRed, []string{taotai.RoleCityApprover, taotai.RoleAdmin}},
		{taotai.ActManageCriteria, []string{taotai.RoleAdmin}},
		{taotai.ActImportForms, []string{taotai.RoleCityClerk, taotai.RoleCityApprover, taotai.RoleAdmin}},
	}
	for _, tt := range tests {
		for _, role := range taotai.Roles {
			want := slices.Contains(tt.roles, role)
			if got := (&taotai.Actor{Role: role}).Can(tt.action); got != want {
				t.Errorf("%s can %s: %v, want %v", role, tt.action, got, want)
			}
		}
	}
}
