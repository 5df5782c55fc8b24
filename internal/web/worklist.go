package web

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"taotai"
	"taotai/internal/store"
)

// workGroup is one group of the home page's worklist: its first records,
// how many there are in all, and the list that holds them all. Mine says
// whether the user's role can act on it; otherwise Decider names who
// decides.
type workGroup struct {
	ID, Title string
	Total     int
	Items     []workItem
	All       string // the full, paginated, filterable list
	Mine      bool
	Decider   string
}

// More reports whether the group holds fewer records than there are.
func (g workGroup) More() bool { return g.Total > len(g.Items) }

// workItem is one record of a group: a link and what follows it.
type workItem struct {
	Href, Name, Detail string
	Major              bool
}

// cnDate writes a day as the pages do in running text: 2020年6月30日.
func cnDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(taotai.Shanghai).Format("2006年1月2日")
}

// worklistGroups lays a worklist out for a user, most urgent first: major
// hazards left without a stop-production order or without their 五落实
// (danger to life), yellow cards past their deadline (the law's next step
// is due), overdue hazards, hazards due within a week, listed enterprises
// not yet inspected, planned inspections overdue, then data to complete. Empty groups are left out.
func worklistGroups(wl *store.Worklist, a *taotai.Actor) []workGroup {
	days := url.Values{"from": {isoDate(wl.From)}, "to": {isoDate(wl.To)}}
	hazardList := func(flag string) string {
		q := url.Values{flag: {"1"}}
		for k, v := range days {
			q[k] = v
		}
		return "/hazards?" + q.Encode()
	}
	hazardItems := func(hs []*taotai.Hazard, toInspection, deadline bool) []workItem {
		var out []workItem
		for _, h := range hs {
			it := workItem{Href: fmt.Sprintf("/hazards/%d", h.ID), Name: h.EnterpriseName + "：" + h.Description,
				Major: h.Level == taotai.HazardMajor}
			if toInspection {
				it.Href = fmt.Sprintf("/inspections/%d", h.InspectionID)
			}
			if deadline {
				it.Detail = "期限" + cnDate(h.Deadline)
			}
			out = append(out, it)
		}
		return out
	}
	year := strconv.Itoa(wl.Year)
	var gs []workGroup
	add := func(g workGroup, action taotai.Action) {
		if g.Total == 0 {
			return
		}
		g.Mine, g.Decider = a.Can(action), taotai.DeciderNames(action)
		gs = append(gs, g)
	}
	add(workGroup{ID: "wl-stop", Title: "重大隐患尚未下达停产整顿文书", Total: wl.NoStopOrderAll,
		Items: hazardItems(wl.NoStopOrder, true, false), All: hazardList("no_stop_order")}, taotai.ActIssueDocument)
	add(workGroup{ID: "wl-guarantees", Title: "重大隐患“五落实”不全，应责令停产停业整改", Total: wl.NoGuaranteesAll,
		Items: hazardItems(wl.NoGuarantees, false, false), All: hazardList("no_guarantees")}, taotai.ActRecordInspection)
	var red []workItem
	for _, c := range wl.RedCandidates {
		red = append(red, workItem{Href: fmt.Sprintf("/enterprises/%d/card/%d", c.EnterpriseID, c.Year), Name: c.EnterpriseName,
			Detail: "整改期限" + cnDate(c.Deadline) + "已过"})
	}
	add(workGroup{ID: "wl-red", Title: "黄牌逾期、拟转红牌", Total: wl.RedAll, Items: red,
		All: "/cards?" + url.Values{"year": {year}, "state": {taotai.CardYellow}, "overdue": {"1"}}.Encode()}, taotai.ActCardRed)
	add(workGroup{ID: "wl-overdue", Title: "隐患逾期未整改", Total: wl.OverdueAll,
		Items: hazardItems(wl.Overdue, false, true), All: hazardList("overdue")}, taotai.ActRecordInspection)
	add(workGroup{ID: "wl-soon", Title: "7日内到期的隐患", Total: wl.DueSoonAll,
		Items: hazardItems(wl.DueSoon, false, true), All: hazardList("due_soon")}, taotai.ActRecordInspection)
	var un []workItem
	for _, e := range wl.Uninspected {
		un = append(un, workItem{Href: fmt.Sprintf("/enterprises/%d", e.ID), Name: e.Name, Detail: e.CityName + e.RegionName})
	}
	add(workGroup{ID: "wl-uninspected", Title: year + "年度名单内" + cnDate(wl.CoverageDeadline) + "前尚未检查的企业",
		Total: wl.UninspectedAll, Items: un, All: "/coverage/gaps?year=" + year}, taotai.ActRecordInspection)
	var planned []workItem
	for _, it := range wl.PlanOverdue {
		planned = append(planned, workItem{Href: fmt.Sprintf("/enterprises/%d", it.Enterprise.ID), Name: it.Enterprise.Name,
			Detail: it.Enterprise.RegionName + "，计划" + strconv.Itoa(it.Month) + "月检查"})
	}
	add(workGroup{ID: "wl-plan-overdue", Title: "执法检查计划逾期未检查的企业", Total: wl.PlanOverdueAll, Items: planned,
		All: "/plans?year=" + year}, taotai.ActRecordInspection)
	add(workGroup{ID: "wl-codes", Title: "待补充统一社会信用代码的企业", Total: wl.MissingCodes,
		All: "/enterprises?missing_code=1"}, taotai.ActWriteRegistry)
	return gs
}

// anyMine reports whether the user can act on any group.
func anyMine(gs []workGroup) bool {
	for _, g := range gs {
		if g.Mine {
			return true
		}
	}
	return false
}
