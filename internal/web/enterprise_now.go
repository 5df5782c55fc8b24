package web

import (
	"fmt"
	"net/http"
	"sort"
	"time"

	"taotai"
	"taotai/internal/store"
)

// enterpriseNow is what matters now about an enterprise, at the top of its
// page: its hazards not yet passed (the most urgent first), its card of
// the open campaign year, and the next deadline.
type enterpriseNow struct {
	Hazards      []store.HazardItem // the first nowShown, by deadline
	OpenHazards  int                // all not yet 复查合格
	Overdue      int                // of them, past their deadline
	HazardsLink  string
	Card         *taotai.Card // of the open campaign year; nil with none
	NextDeadline time.Time    // the earliest deadline still to come
	NextWhat     string
	Today        time.Time
}

// nowShown is how many open hazards the top of the page lists.
const nowShown = 5

// MoreHazards reports whether more hazards are open than listed.
func (n *enterpriseNow) MoreHazards() bool { return n.OpenHazards > len(n.Hazards) }

// IsOverdue reports whether a hazard's deadline day has ended.
func (n *enterpriseNow) IsOverdue(h store.HazardItem) bool { return h.Deadline.Before(n.Today) }

// enterpriseNow reads the top of an enterprise's page.
func (s *Server) enterpriseNow(r *http.Request, e *taotai.Enterprise, years []*taotai.CampaignYear, cards []*taotai.Card) (*enterpriseNow, error) {
	now := s.store.Clock().Now()
	n := &enterpriseNow{Today: taotai.Today(now),
		HazardsLink: fmt.Sprintf("/hazards?enterprise=%d&status=%s", e.ID, taotai.HazardUnresolved)}
	items, total, err := s.store.ListHazards(r.Context(), taotai.HazardFilter{RecordFilter: taotai.RecordFilter{EnterpriseID: e.ID, Limit: 500},
		Status: taotai.HazardUnresolved})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Deadline.Before(items[j].Deadline) })
	n.OpenHazards = total
	for _, h := range items {
		switch {
		case h.Deadline.Before(n.Today):
			n.Overdue++
		case n.NextDeadline.IsZero():
			n.NextDeadline, n.NextWhat = h.Deadline, "隐患整改期限："+h.Description
		}
	}
	n.Hazards = items[:min(len(items), nowShown)]
	if y := taotai.OpenCampaignYear(years, now); y != nil {
		for i, c := range cards {
			if years[i].Year == y.Year && c.State != taotai.CardNone {
				n.Card = c
			}
		}
	}
	if c := n.Card; c != nil && c.State == taotai.CardYellow && !c.Deadline.Before(n.Today) &&
		(n.NextDeadline.IsZero() || c.Deadline.Before(n.NextDeadline)) {
		n.NextDeadline, n.NextWhat = c.Deadline, "黄牌整改期限"
	}
	return n, nil
}
