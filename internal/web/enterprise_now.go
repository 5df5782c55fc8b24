package web

import (
	"fmt"
	"time"

	"taotai"
)

// enterpriseNow is what matters now about an enterprise, at the top of its
// page: its hazards not yet passed (the most urgent first), its card of
// the open campaign year, and the next deadline.
type enterpriseNow struct {
	Hazards      []*taotai.Hazard // the first nowShown, by deadline
	OpenHazards  int              // all not yet 复查合格
	Overdue      int              // of them, past their deadline
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
func (n *enterpriseNow) IsOverdue(h *taotai.Hazard) bool { return h.Deadline.Before(n.Today) }

// enterpriseNow reads the top of an enterprise's page.
func (s *Server) enterpriseNow(e *taotai.Enterprise, years []*taotai.CampaignYear, cards []*taotai.Card, unresolved []*taotai.Hazard) *enterpriseNow {
	now := s.store.Clock().Now()
	n := &enterpriseNow{Today: taotai.Today(now),
		HazardsLink: fmt.Sprintf("/hazards?enterprise=%d&status=%s", e.ID, taotai.HazardUnresolved)}
	items := unresolved // by deadline (store.History)
	n.OpenHazards = len(items)
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
	return n
}
