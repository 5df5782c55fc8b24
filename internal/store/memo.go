package store

import (
	"context"
	"slices"
	"sync"

	"taotai"
)

// A request's memo of what many store calls of one page read again: the
// campaign year and its deadlines (the worklist, the reporting calendar
// and the coverage deadline each ask: seven times for the province's home
// page), and an enterprise found within the lane (its page's card,
// timeline, safety, stops and acceptances each check it). Under
// WithRequestMemo the first read is kept for the rest of the request (14
// of the home page's 40 statements, each a round trip on PostgreSQL). Any
// write transaction of the request forgets it (Transact), and a read
// inside a transaction never uses it.

type memoKey struct{}

type requestMemo struct {
	mu          sync.Mutex
	years       map[int]*taotai.CampaignYear
	enterprises map[enterpriseKey]*taotai.Enterprise
}

// enterpriseKey is an enterprise as found within a lane.
type enterpriseKey struct {
	path, sector string
	id           int64
}

// WithRequestMemo returns a context under which the store remembers the
// campaign years it reads until the context's next write transaction. The
// web server gives one to each request; nothing outlives the request.
func WithRequestMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &requestMemo{})
}

func memoFrom(ctx context.Context) *requestMemo {
	m, _ := ctx.Value(memoKey{}).(*requestMemo)
	return m
}

// forgetMemo drops what the request's memo holds (after a write).
func forgetMemo(ctx context.Context) {
	if m := memoFrom(ctx); m != nil {
		m.mu.Lock()
		m.years, m.enterprises = nil, nil
		m.mu.Unlock()
	}
}

// campaignYear returns a copy of the remembered year, if any.
func (m *requestMemo) campaignYear(year int) (*taotai.CampaignYear, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.years[year]
	if !ok {
		return nil, false
	}
	return copyCampaignYear(c), true
}

func (m *requestMemo) keepCampaignYear(c *taotai.CampaignYear) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.years == nil {
		m.years = map[int]*taotai.CampaignYear{}
	}
	m.years[c.Year] = copyCampaignYear(c)
}

func copyCampaignYear(c *taotai.CampaignYear) *taotai.CampaignYear {
	d := *c
	d.Deadlines = slices.Clone(c.Deadlines)
	return &d
}

// enterprise returns a copy of the enterprise found in the lane, if any.
func (m *requestMemo) enterprise(k enterpriseKey) (*taotai.Enterprise, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.enterprises[k]
	if !ok {
		return nil, false
	}
	return copyEnterprise(e), true
}

func (m *requestMemo) keepEnterprise(k enterpriseKey, e *taotai.Enterprise) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.enterprises == nil {
		m.enterprises = map[enterpriseKey]*taotai.Enterprise{}
	}
	m.enterprises[k] = copyEnterprise(e)
}

func copyEnterprise(e *taotai.Enterprise) *taotai.Enterprise {
	c := *e
	c.KeyYears = slices.Clone(e.KeyYears)
	return &c
}
