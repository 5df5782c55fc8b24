package taotai

import (
	"strings"
	"time"
)

// ReplayCard returns the card its transitions made, applied in order to
// base without checking them again (each was checked when it was made):
// the card as it stood right after the last of them. The forms use it to
// state a card as it was at the end of a past period.
func ReplayCard(base Card, ts []CardTransition) Card {
	c := base
	if c.State == "" {
		c.State = CardNone
	}
	for _, t := range ts {
		c.replay(t)
	}
	return c
}

func (c *Card) replay(t CardTransition) {
	switch t.To {
	case CardYellow:
		c.Reason, c.Rectify, c.RectifiedInTime = t.Reason, strings.TrimSpace(t.Rectify), false
		c.ClosureBasis, c.ReportedOn, c.ClosedOn = "", time.Time{}, time.Time{}
		if !t.Deadline.IsZero() {
			c.Deadline = Today(t.Deadline)
		}
	case CardCleared:
		c.RectifiedInTime = true
	case CardRed:
		c.Reason, c.RectifiedInTime = t.Reason, false
	case CardProposed:
		c.ClosureBasis = strings.TrimSpace(t.Basis)
		if !t.ReportedOn.IsZero() {
			c.ReportedOn = Today(t.ReportedOn)
		}
	case CardClosed:
		c.ClosureBasis, c.ClosureEvidence, c.VerifiedBy = strings.TrimSpace(t.Basis), strings.TrimSpace(t.Evidence), strings.TrimSpace(t.VerifiedBy)
		if !t.ClosedOn.IsZero() {
			c.ClosedOn = Today(t.ClosedOn)
		}
	case CardAccepted:
		c.AcceptanceMembers, c.AcceptanceFindings = strings.TrimSpace(t.Members), strings.TrimSpace(t.Findings)
		if !t.AcceptedOn.IsZero() {
			c.AcceptedOn = Today(t.AcceptedOn)
		}
	}
	c.State = t.To
}

// Form3 columns of a card's state, as 附件3 writes them.
const (
	Form3Yellow       = "黄牌"
	Form3Red          = "红牌"
	Form3Yes          = "是"
	Form3No           = "否"
	Form3WithinPeriod = "整改期限内" // a yellow card whose rectification deadline has not yet come
)

// Form3State is what 附件3 says of a card at the end of the day end: its
// colour, whether it was rectified in time (整改期限内 while a yellow card's
// deadline is still to come), its closure basis once one was given, and
// whether the enterprise was closed. end is the period's last day.
func Form3State(c Card, end time.Time) (card, inTime, basis, closed string) {
	card, inTime, closed = Form3Yellow, Form3No, Form3No
	switch c.State {
	case CardRed, CardProposed, CardClosed, CardAccepted:
		card = Form3Red
	}
	switch {
	case c.RectifiedInTime:
		inTime = Form3Yes
	case c.State == CardYellow && !c.Deadline.IsZero() && Today(c.Deadline).After(Today(end)):
		inTime = Form3WithinPeriod
	}
	if card == Form3Red {
		basis = c.ClosureBasis
	}
	if c.State == CardClosed || c.State == CardAccepted {
		closed = Form3Yes
	}
	return card, inTime, basis, closed
}
