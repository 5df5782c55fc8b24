package taotai

import "time"

// Shanghai is China Standard Time, the zone of every deadline in the campaign.
var Shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Fall back to a fixed zone: China has no daylight saving time.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Clock tells the current time. Tests set it to stand on a given day.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock always returns T; tests move it by assigning T.
type FixedClock struct{ T time.Time }

// Now returns T.
func (c *FixedClock) Now() time.Time { return c.T }

// Today returns the calendar date of t in Asia/Shanghai, at midnight there.
func Today(t time.Time) time.Time {
	y, m, d := t.In(Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Shanghai)
}
