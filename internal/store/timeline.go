package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"taotai"
)

// TimelineItem is one event of an enterprise's story.
type TimelineItem struct {
	At    time.Time // a date (midnight Shanghai) or an instant
	Kind  string    // listing, inspection, hazard, recheck, document, card
	Title string
	Text  string
	Link  string
}

// Timeline tells an enterprise's story in the actor's lane: key-list
// listings, inspections, hazards and their re-checks, documents and card
// changes, newest first.
func (s *DB) Timeline(ctx context.Context, enterpriseID int64) ([]TimelineItem, error) {
	h, err := s.History(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	return h.Timeline, nil
}

// History is what an enterprise's page shows of its past: the timeline,
// and the stop orders and exit acceptances the timeline is partly told
// from, read once for both.
type History struct {
	Timeline    []TimelineItem
	Stops       []*taotai.ProductionStop
	Acceptances []*taotai.Acceptance // newest first
}

// History reads an enterprise's timeline with its stops and acceptances
// in the actor's lane.
func (s *DB) History(ctx context.Context, enterpriseID int64) (*History, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	e, err := findEnterprise(ctx, s.db, a, enterpriseID)
	if err != nil {
		return nil, err
	}
	hist := &History{}
	out, err := listingTimeline(ctx, s.db, e.ID)
	if err != nil {
		return nil, err
	}
	removals, err := removalTimeline(ctx, s.db, e.ID)
	if err != nil {
		return nil, err
	}
	out = append(out, removals...)
	if hist.Acceptances, err = enterpriseAcceptances(ctx, s.db, e.ID); err != nil {
		return nil, err
	}
	out = append(out, acceptanceItems(hist.Acceptances)...)
	ins, _, err := s.FindInspections(ctx, InspectionFilter{EnterpriseID: e.ID, Limit: 500, NoTotal: true})
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		text := fmt.Sprintf("%s；执法人员%d人次，专家%d人次；发现问题和隐患%d项（重大%d项）", in.AgencyName, in.InspectorCount, in.ExpertCount, in.Hazards, in.MajorHazards)
		out = append(out, TimelineItem{At: in.Date, Kind: "inspection", Title: taotai.InspectionKindName(in.Kind), Text: text, Link: fmt.Sprintf("/inspections/%d", in.ID)})
	}
	hs, err := s.hazardsWhere(ctx, "h.enterprise_id = $1", e.ID)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		title := "发现一般隐患"
		if h.Level == taotai.HazardMajor {
			title = "发现重大事故隐患（挂牌督办）"
		}
		out = append(out, TimelineItem{At: h.CreatedAt, Kind: "hazard", Title: title, Text: h.Description + "；整改期限" + h.Deadline.Format("2006年1月2日"), Link: fmt.Sprintf("/hazards/%d", h.ID)})
		if !h.RecheckDate.IsZero() {
			res := "复查合格"
			if h.Status == taotai.HazardFailed {
				res = "复查不合格"
			}
			out = append(out, TimelineItem{At: h.RecheckDate, Kind: "recheck", Title: res, Text: h.Description, Link: fmt.Sprintf("/hazards/%d", h.ID)})
		}
	}
	ds, err := s.documentsWhere(ctx, "d.enterprise_id = $1", e.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		text := d.Number
		if d.Fine > 0 {
			text += "，罚款" + d.Fine.Wan() + "万元"
		}
		out = append(out, TimelineItem{At: d.IssuedOn, Kind: "document", Title: taotai.DocKindName(d.Kind), Text: text, Link: fmt.Sprintf("/inspections/%d", d.InspectionID)})
	}
	ns, err := s.PenaltyNotices(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	for _, n := range ns {
		text := n.Number + "，拟罚款" + n.Fine.Wan() + "万元"
		if n.StopState != "" {
			text += "，拟责令" + taotai.StopStateName(n.StopState)
		}
		text += "；陈述申辩至" + dateString(n.StatementUntil)
		if n.Hearing {
			text += "，申请听证至" + dateString(n.HearingUntil)
		}
		out = append(out, TimelineItem{At: n.IssuedOn, Kind: "document", Title: "行政处罚告知书", Text: text, Link: fmt.Sprintf("/inspections/%d", n.InspectionID)})
	}
	if hist.Stops, err = s.ProductionStops(ctx, e.ID); err != nil {
		return nil, err
	}
	for _, st := range hist.Stops {
		out = append(out, TimelineItem{At: st.From, Kind: "stop", Title: "责令" + taotai.StopStateName(st.State),
			Text: st.DocNumber + "；生产状态改为" + taotai.ProductionStateName(st.State), Link: fmt.Sprintf("/inspections/%d", st.InspectionID)})
		if !st.Active() {
			out = append(out, TimelineItem{At: st.LiftedOn, Kind: "stop", Title: "解除停产停业整顿",
				Text: st.LiftReason + "（" + st.LiftedBy + "）", Link: fmt.Sprintf("/inspections/%d", st.InspectionID)})
		}
	}
	crows, err := s.db.QueryContext(ctx, `SELECT c.year, v.from_state, v.to_state, v.why, `+byName+`, v.at FROM card_events v
		JOIN cards c ON c.id = v.card_id LEFT JOIN users u ON u.id = v.by_user WHERE c.enterprise_id = $1`, e.ID)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var y int
		var from, to, why, by string
		var at time.Time
		if err := crows.Scan(&y, &from, &to, &why, &by, &at); err != nil {
			return nil, err
		}
		out = append(out, TimelineItem{At: at, Kind: "card", Title: fmt.Sprintf("%s → %s", taotai.CardStateName(from), taotai.CardStateName(to)),
			Text: why + "（" + by + "）", Link: fmt.Sprintf("/enterprises/%d/card/%d", e.ID, y)})
	}
	if err := crows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	hist.Timeline = out
	return hist, nil
}

// listingTimeline returns an enterprise's key-list listings as timeline
// items.
func listingTimeline(ctx context.Context, q queryer, enterpriseID int64) ([]TimelineItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT year, note, added_at FROM key_list WHERE enterprise_id = $1`, enterpriseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TimelineItem
	for rows.Next() {
		var y int
		var note string
		var at time.Time
		if err := rows.Scan(&y, &note, &at); err != nil {
			return nil, err
		}
		out = append(out, TimelineItem{At: at, Kind: "listing", Title: fmt.Sprintf("列入%d年度重点淘汰行业企业名单", y), Text: note, Link: fmt.Sprintf("/keylist/%d", y)})
	}
	return out, rows.Err()
}
