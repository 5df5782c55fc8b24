package store

import (
	"context"
	"fmt"
	"slices"
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

// History is what an enterprise's page shows of it beside its record:
// the timeline, and what the timeline is partly told from (stop orders,
// exit acceptances, hazards), its cards and its safety record, read once
// for all in one batch (readAll).
type History struct {
	Enterprise  *taotai.Enterprise     // with its key years, as FindEnterprise
	Years       []*taotai.CampaignYear // as CampaignYears
	Timeline    []TimelineItem
	Stops       []*taotai.ProductionStop
	Acceptances []*taotai.Acceptance // newest first
	Safety      *taotai.SafetyRecord
	// Unresolved are the hazards not yet 复查合格, the earliest deadline
	// first (the newest found first on the same day).
	Unresolved []*taotai.Hazard

	e     *taotai.Enterprise
	cards map[int]*taotai.Card
}

// Card returns the enterprise's card of a campaign year (one in state
// "none" when it never had one), as FindCard does.
func (h *History) Card(year int) *taotai.Card {
	if c, ok := h.cards[year]; ok {
		return c
	}
	return noCard(h.e, year)
}

// History reads an enterprise in the actor's lane with its timeline,
// cards, stops, acceptances, unresolved hazards and safety record, and the
// campaign years (CampaignYears, kept between requests); the enterprise
// and its records in one batch: what is read of an enterprise outside the
// lane (its lane checked by findEnterpriseWith) is dropped unread.
func (s *DB) History(ctx context.Context, enterpriseID int64) (*History, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	years, err := s.CampaignYears(ctx) // kept between requests: rarely read here
	if err != nil {
		return nil, err
	}
	var keyYears []int // from the listings read below, newest first
	// The enterprise's records are read in the same batch as the
	// enterprise itself (one round trip): each read names the enterprise
	// by id, and what they read is dropped unread when the enterprise is
	// not in the actor's lane (findEnterpriseWith's ENOTFOUND).
	hist := &History{Safety: &taotai.SafetyRecord{EnterpriseID: enterpriseID}, cards: map[int]*taotai.Card{}}
	var listings, removals, cardItems []TimelineItem
	var ins []*taotai.Inspection
	var hs []*taotai.Hazard
	var ds []*taotai.Document
	var ns []*taotai.PenaltyNotice
	var cards []*taotai.Card
	// What the enterprise's read gives (its name, region, lane) is not
	// joined again to each of its records: on PostgreSQL a statement's
	// cost on this page was mostly that of setting up its plan, each join
	// a part of it (docs/benchmarks.md, ninth pass).
	iw := &where{}
	iw.lane(a, "n") // an inspection keeps the lane it was made in
	iw.add("n.enterprise_id = ?", enterpriseID)
	first := []read{
		listingsRead(enterpriseID, &listings, &keyYears),
		removalsRead(enterpriseID, &removals),
		acceptancesRead(enterpriseID, &hist.Acceptances),
		timelineInspectionsRead(iw, &ins),
		hazardsRead("h.enterprise_id = $1", enterpriseID, &hs),
		documentsRead("d.enterprise_id = $1", enterpriseID, &ds),
		readInto(&ns, scanNotice, noticesOfEnterprise, enterpriseID),
		readInto(&hist.Stops, scanStop, stopsOfEnterprise, enterpriseID),
		readInto(&cards, scanCard, cardSelect+` WHERE c.enterprise_id = $1`, enterpriseID),
		cardEventItemsRead(enterpriseID, &cardItems),
		safetyRead(hist.Safety)}
	e, err := findEnterpriseWith(ctx, s, a, enterpriseID, first...)
	if err != nil {
		return nil, err
	}
	slices.Reverse(keyYears)
	e.KeyYears = keyYears
	hist.Enterprise, hist.Years, hist.e = e, years, e
	for _, c := range cards {
		hist.cards[c.Year] = c
	}
	for _, acc := range hist.Acceptances {
		acc.EnterpriseName, acc.RegionName = e.Name, regionName(e.CityName, e.RegionName)
	}
	// Each inspection's hazards, counted from the enterprise's hazards
	// (a hazard is its inspection's enterprise's).
	found, major := map[int64]int{}, map[int64]int{}
	for _, h := range hs {
		found[h.InspectionID]++
		if h.Level == taotai.HazardMajor {
			major[h.InspectionID]++
		}
	}
	for _, in := range ins {
		in.EnterpriseName, in.RegionCode, in.Hazards, in.MajorHazards = e.Name, e.RegionCode, found[in.ID], major[in.ID]
	}
	out := append(listings, removals...)
	out = append(out, acceptanceItems(hist.Acceptances)...)
	for _, in := range ins {
		text := fmt.Sprintf("%s；执法人员%d人次，专家%d人次；发现问题和隐患%d项（重大%d项）", in.AgencyName, in.InspectorCount, in.ExpertCount, in.Hazards, in.MajorHazards)
		out = append(out, TimelineItem{At: in.Date, Kind: "inspection", Title: taotai.InspectionKindName(in.Kind), Text: text, Link: fmt.Sprintf("/inspections/%d", in.ID)})
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
		if h.Status != taotai.HazardPassed {
			hist.Unresolved = append(hist.Unresolved, h)
		}
	}
	sort.SliceStable(hist.Unresolved, func(i, j int) bool {
		a, b := hist.Unresolved[i], hist.Unresolved[j]
		if !a.Deadline.Equal(b.Deadline) {
			return a.Deadline.Before(b.Deadline)
		}
		return a.ID > b.ID
	})
	for _, d := range ds {
		text := d.Number
		if d.Fine > 0 {
			text += "，罚款" + d.Fine.Wan() + "万元"
		}
		out = append(out, TimelineItem{At: d.IssuedOn, Kind: "document", Title: taotai.DocKindName(d.Kind), Text: text, Link: fmt.Sprintf("/inspections/%d", d.InspectionID)})
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
	for _, st := range hist.Stops {
		out = append(out, TimelineItem{At: st.From, Kind: "stop", Title: "责令" + taotai.StopStateName(st.State),
			Text: st.DocNumber + "；生产状态改为" + taotai.ProductionStateName(st.State), Link: fmt.Sprintf("/inspections/%d", st.InspectionID)})
		if !st.Active() {
			out = append(out, TimelineItem{At: st.LiftedOn, Kind: "stop", Title: "解除停产停业整顿",
				Text: st.LiftReason + "（" + st.LiftedBy + "）", Link: fmt.Sprintf("/inspections/%d", st.InspectionID)})
		}
	}
	out = append(out, cardItems...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	hist.Timeline = out
	return hist, nil
}

// timelineInspectionsRead reads the inspections w selects for the
// timeline, newest first (500 at most), into *out: what the timeline tells
// of them and their agency; History adds the enterprise and the counts of
// hazards.
func timelineInspectionsRead(w *where, out *[]*taotai.Inspection) read {
	return readInto(out, func(row rowScanner) (*taotai.Inspection, error) {
		in := &taotai.Inspection{}
		var date string
		err := row.Scan(&in.ID, &in.EnterpriseID, &in.RegionPath, &in.Sector, &date, &in.AgencyID, &in.AgencyName, &in.Kind,
			&in.InspectorCount, &in.ExpertCount)
		in.Date = dateOf(date)
		return in, err
	}, `SELECT n.id, n.enterprise_id, n.region_path, n.sector, n.date, n.agency_id, a.name, n.kind, n.inspector_count, n.expert_count
		FROM inspections n JOIN agencies a ON a.id = n.agency_id`+w.String()+` ORDER BY n.date DESC, n.id DESC LIMIT 500`, w.args...)
}

// cardEventItemsRead reads the changes of an enterprise's cards as
// timeline items into *out.
func cardEventItemsRead(enterpriseID int64, out *[]TimelineItem) read {
	return readInto(out, func(row rowScanner) (TimelineItem, error) {
		var y int
		var from, to, why, by string
		var at time.Time
		err := row.Scan(&y, &from, &to, &why, &by, &at)
		return TimelineItem{At: at, Kind: "card", Title: fmt.Sprintf("%s → %s", taotai.CardStateName(from), taotai.CardStateName(to)),
			Text: why + "（" + by + "）", Link: fmt.Sprintf("/enterprises/%d/card/%d", enterpriseID, y)}, err
	}, `SELECT c.year, v.from_state, v.to_state, v.why, `+byName+`, v.at FROM card_events v
		JOIN cards c ON c.id = v.card_id LEFT JOIN users u ON u.id = v.by_user WHERE c.enterprise_id = $1`, enterpriseID)
}

// listingsRead reads an enterprise's listings as timeline items into
// *out, and their years, oldest first, into *years (the enterprise's key
// years: one statement for both).
func listingsRead(enterpriseID int64, out *[]TimelineItem, years *[]int) read {
	return readInto(out, func(row rowScanner) (TimelineItem, error) {
		var y int
		var note string
		var at time.Time
		err := row.Scan(&y, &note, &at)
		*years = append(*years, y)
		return TimelineItem{At: at, Kind: "listing", Title: fmt.Sprintf("列入%d年度重点淘汰行业企业名单", y), Text: note, Link: fmt.Sprintf("/keylist/%d", y)}, err
	}, `SELECT year, note, added_at FROM key_list WHERE enterprise_id = $1 ORDER BY year`, enterpriseID)
}
