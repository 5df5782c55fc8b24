package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"taotai"
)

// A card's consequential changes — 红牌, 拟关闭, 关闭 — go through a
// check-your-answers step: the form posts step=check, the server checks
// it as the change itself would and shows what will change, for whom and
// what will be published; only the confirmation (step=confirm) changes the
// card. Each needs a reason (why), kept in the card's history. 验收 has a
// check step of its own (the acceptance pages).

// cardChecked lists the target states whose change is checked first.
var cardChecked = map[string]bool{taotai.CardRed: true, taotai.CardProposed: true, taotai.CardClosed: true}

// checkRow is one answer on a check page.
type checkRow struct{ Label, Value string }

// cardCheckPage is the check-your-answers page of a card change.
type cardCheckPage struct {
	Page
	E        *taotai.Enterprise
	Card     *taotai.Card
	Year     int
	To, Name string
	Rows     []checkRow
	Effects  []string
	Form     map[string]string
	Files    bool // the closure's evidence files are chosen here
}

// cardAnswers are the answers a change shows on its check page, in the
// form's order.
func cardAnswers(to string, form map[string]string) []checkRow {
	var rows []checkRow
	add := func(label, key string) {
		if v := form[key]; v != "" {
			rows = append(rows, checkRow{label, v})
		}
	}
	switch to {
	case taotai.CardRed:
		rows = append(rows, checkRow{"原因", taotai.CardReasonName(form["reason"])})
	case taotai.CardProposed:
		add("拟关闭依据", "basis")
		add("报请属地人民政府日期", "reported_on")
	case taotai.CardClosed:
		add("关闭日期", "closed_on")
		add("关闭依据", "basis")
		add("关闭证明", "evidence")
		add("核实人", "verified_by")
	}
	add("变更理由（记入变更记录）", "why")
	return rows
}

// cardEffects says what a change does, to whom and what is published.
func cardEffects(e *taotai.Enterprise, year int, to string) []string {
	city := e.CityName + e.RegionName
	switch to {
	case taotai.CardRed:
		return []string{
			fmt.Sprintf("%s（%s）%d年度的状态由“黄牌”变为“红牌”，不能再摘牌，此后只能报请关闭。", e.Name, city, year),
			"本期及以后的附件3（安全生产“黄”“红”牌企业名单汇总表）中，该企业列为红牌，“是否按期整改合格”为“否”。",
			"附件3随月报报送省级部门；各市按月在本级政府网站公布黄/红牌企业名单，企业名称、地址、行业和红牌将被公布。",
			"应报请属地人民政府依法关闭（下一步：拟关闭）；红牌企业信息与工信、发改、生态环境、市场监管等部门共享，实施联合惩戒。",
		}
	case taotai.CardProposed:
		return []string{
			fmt.Sprintf("%s（%s）%d年度的状态由“红牌”变为“拟关闭”。", e.Name, city, year),
			"附件3“拟关闭/关闭依据”一栏填写本次的依据，报送省级部门并随黄/红牌名单公布。",
		}
	case taotai.CardClosed:
		return []string{
			fmt.Sprintf("%s（%s）%d年度的状态由“拟关闭”变为“已关闭”，企业退出。", e.Name, city, year),
			"附件3“是否已关闭”一栏为“是”，“拟关闭/关闭依据”为本次的关闭依据，报送省级部门并随黄/红牌名单公布。",
			"关闭证明材料的SHA-256校验值记入变更记录，可供总结验收时核对。",
		}
	}
	return nil
}

// cardCheck answers a checked change's step=check (or a post without a
// step): its errors on the card page, else the check page. step=edit goes
// back to the form with the answers kept.
func (s *Server) cardCheck(w http.ResponseWriter, r *http.Request, id int64, year int, to string, form map[string]string, t taotai.CardTransition) error {
	if r.FormValue("step") == "edit" {
		return s.renderCard(w, r, http.StatusOK, &cardPage{Form: form, FormTo: to})
	}
	e, err := s.store.FindEnterprise(r.Context(), id)
	if err != nil {
		return err
	}
	c, _, err := s.store.FindCard(r.Context(), id, year)
	if err != nil {
		return err
	}
	a := taotai.ActorFromContext(r.Context())
	if !a.Can(taotai.CardPermission(to)) {
		return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能将企业变更为“%s”，由%s决定。", taotai.RoleName(a.Role),
			taotai.CardStateName(to), taotai.DeciderNames(taotai.CardPermission(to)))
	}
	if err := checkCardChange(c, t, s.store.Clock().Now()); err != nil {
		var appErr *taotai.Error
		if errors.As(err, &appErr) {
			return s.renderCard(w, r, statusOf(appErr.Code), &cardPage{Errors: appErr.Fields, Message: appErr.Message, Form: form, FormTo: to})
		}
		return err
	}
	p := &cardCheckPage{Page: s.page(r, "请核对："+e.Name+"变更为“"+taotai.CardStateName(to)+"”"), E: e, Card: c, Year: year, To: to,
		Name: taotai.CardStateName(to), Rows: cardAnswers(to, form), Effects: cardEffects(e, year, to), Form: form,
		Files: to == taotai.CardClosed}
	s.render(w, r, http.StatusOK, "card_check", p)
	return nil
}

// checkCardChange checks a change as the store would make it, on a copy of
// the card, and requires its reason.
func checkCardChange(c *taotai.Card, t taotai.CardTransition, now time.Time) error {
	cp := *c
	err := cp.Apply(t, now)
	var appErr *taotai.Error
	if err != nil && (!errors.As(err, &appErr) || appErr.Fields == nil) {
		return err // a rule of timing or state: its own message
	}
	fields := taotai.FieldErrors{}
	if appErr != nil {
		for k, v := range appErr.Fields {
			fields.Add(k, v)
		}
	}
	if strings.TrimSpace(t.Why) == "" && fields["why"] == "" {
		fields.Add("why", "请填写变更理由：它记入变更记录，随企业履历保存。")
	}
	return fields.Err()
}

// Hidden lists the answers to send again with the confirmation.
func (p *cardCheckPage) Hidden() []checkRow {
	var out []checkRow
	for _, k := range cardFields {
		if v := p.Form[k]; v != "" {
			out = append(out, checkRow{k, v})
		}
	}
	return out
}

// cardTargets lists the changes the user's role may make to a card, the
// one the rules recommend first and those that cannot succeed now last,
// each of these with the reason.
func (s *Server) cardTargets(r *http.Request, c *taotai.Card, now time.Time) ([]cardTarget, error) {
	a := taotai.ActorFromContext(r.Context())
	var out []cardTarget
	for _, to := range taotai.CardTransitions(c.State) {
		if !a.Can(taotai.CardPermission(to)) {
			continue
		}
		t := cardTarget{To: to, Name: taotai.CardStateName(to), Check: cardChecked[to]}
		switch to {
		case taotai.CardCleared:
			rechecked, err := s.store.Rechecked(r.Context(), c.EnterpriseID)
			if err != nil {
				return nil, err
			}
			switch {
			case taotai.RedCandidate(c, now):
				t.Blocked = "整改期限（" + cnDate(c.Deadline) + "）已过，不能摘牌，应转为红牌。"
			case !rechecked:
				t.Blocked = "尚无复查合格记录：该企业的隐患全部复查合格后才能摘牌。"
			default:
				t.Recommended = true
			}
		case taotai.CardRed:
			t.Recommended = taotai.RedCandidate(c, now)
		}
		out = append(out, t)
	}
	rank := func(t cardTarget) int {
		switch {
		case t.Recommended:
			return 0
		case t.Blocked == "":
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(x, y cardTarget) int { return rank(x) - rank(y) })
	if len(out) > 0 && out[0].Blocked == "" {
		out[0].Primary = true // the page's one primary action
	}
	return out, nil
}

// Undecidable says who decides the changes the card's state allows that
// the user's role cannot make ("" when it can make them all, or none is
// left).
func (p *cardPage) Undecidable() string {
	var parts []string
	for _, to := range taotai.CardTransitions(p.Card.State) {
		if !p.Actor.Can(taotai.CardPermission(to)) {
			parts = append(parts, "变更为“"+taotai.CardStateName(to)+"”由"+taotai.DeciderNames(taotai.CardPermission(to))+"决定")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "；") + "；您的角色（" + taotai.RoleName(p.Actor.Role) + "）不能办理。"
}
