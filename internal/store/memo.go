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
	all         []*taotai.CampaignYear // every year, when read (CampaignYears)
	years       map[int]*taotai.CampaignYear
	enterprises map[enterpriseKey]*taotai.Enterprise
	regions     *regionTable // every region, when read (memoRegions)
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
		m.all, m.years, m.enterprises, m.regions = nil, nil, nil, nil
		m.mu.Unlock()
	}
}

// campaignYear returns a copy of the remembered year, if any.
func (m *requestMemo) campaignYear(year int) (*taotai.CampaignYear, bool) {
	return memoGet(m, &m.years, year, copyCampaignYear)
}

func (m *requestMemo) keepCampaignYear(c *taotai.CampaignYear) {
	memoPut(m, &m.years, c.Year, copyCampaignYear(c))
}

// campaignYears returns copies of every year, if read.
func (m *requestMemo) campaignYears() ([]*taotai.CampaignYear, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.all == nil {
		return nil, false
	}
	out := make([]*taotai.CampaignYear, len(m.all))
	for i, c := range m.all {
		out[i] = copyCampaignYear(c)
	}
	return out, true
}

// keepCampaignYears keeps copies of every year, and of each as itself.
func (m *requestMemo) keepCampaignYears(all []*taotai.CampaignYear) {
	kept := make([]*taotai.CampaignYear, len(all))
	for i, c := range all {
		kept[i] = copyCampaignYear(c)
	}
	m.keepSharedCampaignYears(kept)
}

// keepSharedCampaignYears keeps every year, and each as itself, without
// copies: all are values nobody changes (copies, or kept between requests
// by figures.go), and the memo only ever hands out copies.
func (m *requestMemo) keepSharedCampaignYears(all []*taotai.CampaignYear) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.years == nil {
		m.years = map[int]*taotai.CampaignYear{}
	}
	for _, c := range all {
		m.years[c.Year] = c
	}
	m.all = all
}

// enterprise returns a copy of the enterprise found in the lane, if any.
func (m *requestMemo) enterprise(k enterpriseKey) (*taotai.Enterprise, bool) {
	return memoGet(m, &m.enterprises, k, copyEnterprise)
}

func (m *requestMemo) keepEnterprise(k enterpriseKey, e *taotai.Enterprise) {
	memoPut(m, &m.enterprises, k, copyEnterprise(e))
}

// memoGet returns a copy (by clone) of what *table keeps under k; the
// callers may change what they are given.
func memoGet[K comparable, V any](m *requestMemo, table *map[K]V, k K, clone func(V) V) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := (*table)[k]
	if !ok {
		return v, false
	}
	return clone(v), true
}

// memoPut keeps v under k in *table, made on first use.
func memoPut[K comparable, V any](m *requestMemo, table *map[K]V, k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if *table == nil {
		*table = map[K]V{}
	}
	(*table)[k] = v
}

func copyCampaignYear(c *taotai.CampaignYear) *taotai.CampaignYear {
	d := *c
	d.Deadlines = slices.Clone(c.Deadlines)
	return &d
}

func copyEnterprise(e *taotai.Enterprise) *taotai.Enterprise {
	c := *e
	c.KeyYears = slices.Clone(e.KeyYears)
	return &c
}
