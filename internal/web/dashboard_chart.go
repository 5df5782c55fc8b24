package web

import "taotai"

// dashData is what static/dashboard.js draws, read from the page's JSON
// island (<script type="application/json" id="dashboard-data">, which
// html/template writes as JSON): the same figures as the tables, with the
// addresses a click on a chart opens.
type dashData struct {
	Map      bool              `json:"map"`        // units are the province's cities: draw the map
	MapURL   string            `json:"mapUrl"`     // the cities' outline (GeoJSON)
	Units    []dashDataUnit    `json:"units"`      // in the tables' order
	Months   []dashDataMonth   `json:"months"`     // January to December
	Cards    []string          `json:"cardStates"` // names of the card states, in the order of Unit.Cards
	Channels []dashDataChannel `json:"channels"`   // reporting timeliness
}

// dashDataUnit is one unit's figures for the charts.
type dashDataUnit struct {
	Name      string            `json:"name"`
	Coverage  float64           `json:"coverage"` // percent, one decimal
	Listed    int               `json:"listed"`
	Inspected int               `json:"inspected"`
	Passed    int               `json:"passed"`
	Pending   int               `json:"pending"` // unresolved, not yet overdue
	Overdue   int               `json:"overdue"`
	Cards     []int             `json:"cards"`
	Links     map[string]string `json:"links"` // board, coverage, gaps, passed, unresolved, overdue, cards
}

// dashDataMonth is one month of the trend.
type dashDataMonth struct {
	Name        string            `json:"name"`
	Inspections int               `json:"inspections"`
	Hazards     int               `json:"hazards"`
	Documents   int               `json:"documents"`
	Links       map[string]string `json:"links"`
}

// dashDataChannel is one channel's rates by reporting unit.
type dashDataChannel struct {
	Name  string         `json:"name"`
	Grid  string         `json:"grid"`
	Units []dashDataRate `json:"units"`
}

// dashDataRate is one unit's completeness and on-time rate, in percent.
type dashDataRate struct {
	Name         string  `json:"name"`
	Completeness float64 `json:"completeness"`
	OnTime       float64 `json:"onTime"`
}

// mapURL is the cities' outline, embedded under static/.
const mapURL = "/static/map/liaoning-cities.geo.json"

// chartData gathers the charts' figures from the laid-out rows.
func (p *dashboardPage) chartData() dashData {
	d := p.D
	out := dashData{Map: p.Map, MapURL: mapURL}
	for _, st := range dashboardCardStates {
		out.Cards = append(out.Cards, taotai.CardStateName(st))
	}
	for i, u := range d.Units {
		row := p.Rows[i]
		x := dashDataUnit{Name: u.Region.Name, Coverage: u.Coverage(), Listed: u.Listed, Inspected: u.Inspected,
			Passed: u.HazardsPassed, Pending: u.HazardsUnresolved - u.HazardsOverdue, Overdue: u.HazardsOverdue,
			Links: map[string]string{"board": row.Board, "coverage": row.Coverage.Href, "gaps": row.Uninspected.Href,
				"passed": row.Passed.Href, "unresolved": row.Unresolved.Href, "overdue": row.Overdue.Href}}
		for j, st := range dashboardCardStates {
			x.Cards = append(x.Cards, u.Cards[st])
			x.Links["card-"+st] = row.Cards[j].Href
		}
		out.Units = append(out.Units, x)
	}
	for i, m := range d.Months {
		row := p.Months[i]
		out.Months = append(out.Months, dashDataMonth{Name: row.Name, Inspections: m.Inspections, Hazards: m.Hazards,
			Documents: m.Documents, Links: map[string]string{"inspections": row.Inspections.Href, "hazards": row.Hazards.Href,
				"documents": row.Documents.Href}})
	}
	for _, ch := range p.Channels {
		c := dashDataChannel{Name: ch.Name, Grid: ch.Grid}
		for _, r := range ch.Rows {
			c.Units = append(c.Units, dashDataRate{Name: r.Name, Completeness: r.completenessValue, OnTime: r.onTimeRateValue})
		}
		out.Channels = append(out.Channels, c)
	}
	return out
}
