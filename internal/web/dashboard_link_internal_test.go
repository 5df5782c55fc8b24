package web

import (
	"net/url"
	"strconv"
	"testing"
	"time"
)

// TestDrillLinkEncodes compares drill.link, which writes its parameters
// in order by hand, with url.Values' encoding of the same parameters.
func TestDrillLinkEncodes(t *testing.T) {
	want := func(d drill) string {
		v := url.Values{}
		set := func(k, val string) {
			if val != "" {
				v.Set(k, val)
			}
		}
		switch d.list {
		case "cards", "coverage", "coverage/gaps", "reports", "dashboard":
			set("year", strconv.Itoa(d.year))
		}
		if d.list != "reports" {
			set("region", d.region)
		}
		set("sector", d.sector)
		if !d.from.IsZero() {
			set("from", d.from.Format("2006-01-02"))
		}
		if !d.to.IsZero() {
			set("to", d.to.Format("2006-01-02"))
		}
		set("level", d.level)
		set("status", d.status)
		if d.overdue {
			v.Set("overdue", "1")
		}
		set("kind", d.kind)
		if d.fined {
			v.Set("fined", "1")
		}
		set("state", d.state)
		return "/" + d.list + "?" + v.Encode()
	}
	jan := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	dec := time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, d := range []drill{
		{list: "dashboard", year: 2020, region: "210300", sector: "noncoal"},
		{list: "reports", year: 2020, region: "210300", sector: "coal"},
		{list: "hazards", year: 2020, region: "210000", from: jan, to: dec, level: "major", status: "unresolved", overdue: true},
		{list: "documents", region: "210302", from: jan, to: dec, kind: "penalty", fined: true},
		{list: "cards", year: 2021, region: "210000", state: "yellow"},
		{list: "coverage/gaps", year: 2020, region: "a b&c=d/é"},
		{list: "inspections"},
	} {
		if got, w := d.link(), want(d); got != w {
			t.Errorf("%+v: %s, url.Values %s", d, got, w)
		}
	}
}
