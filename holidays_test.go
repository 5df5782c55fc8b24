package taotai_test

import (
	"testing"
	"time"

	"taotai"
)

// TestHolidayCalendar: the make-up working days are weekend days, the
// holidays' lengths are those of the notices, and days outside the
// calendar's years count Monday to Friday.
func TestHolidayCalendar(t *testing.T) {
	holidays, makeUp := map[int]int{}, map[int]int{}
	for d := day(2020, 1, 1); d.Year() <= 2026; d = d.AddDate(0, 0, 1) {
		if taotai.IsStatutoryHoliday(d) {
			holidays[d.Year()]++
			if taotai.IsWorkingDay(d) {
				t.Errorf("%s is a holiday and a working day", d.Format(time.DateOnly))
			}
		}
		if wd := d.Weekday(); (wd == time.Saturday || wd == time.Sunday) && taotai.IsWorkingDay(d) {
			makeUp[d.Year()]++
		}
	}
	// Days off counted by the notices (2023's New Year begins on 31 December 2022).
	want := map[int]int{2020: 1 + 10 + 3 + 5 + 3 + 8, 2021: 3 + 7 + 3 + 5 + 3 + 3 + 7, 2022: 3 + 7 + 3 + 5 + 3 + 3 + 7 + 1,
		2023: 2 + 7 + 1 + 5 + 3 + 8, 2024: 1 + 8 + 3 + 5 + 1 + 3 + 7, 2025: 1 + 8 + 3 + 5 + 3 + 8, 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7}
	for y, n := range want {
		if holidays[y] != n {
			t.Errorf("%d: %d holiday days, want %d", y, holidays[y], n)
		}
	}
	// Weekend days worked in exchange, by the notices.
	for y, n := range map[int]int{2020: 6, 2021: 7, 2022: 7, 2023: 7, 2024: 8, 2025: 5, 2026: 6} {
		if makeUp[y] != n {
			t.Errorf("%d: %d weekend days worked, want %d", y, makeUp[y], n)
		}
	}
	for _, tt := range []struct {
		d       time.Time
		working bool
	}{
		{day(2020, 10, 10), true},  // Saturday worked for 国庆
		{day(2020, 10, 8), false},  // Thursday, 国庆中秋
		{day(2020, 5, 9), true},    // Saturday worked for 劳动节
		{day(2020, 2, 1), false},   // Saturday, the Spring Festival extended for the epidemic
		{day(2024, 2, 18), true},   // Sunday worked for 春节
		{day(2019, 10, 1), true},   // outside the calendar: a Tuesday
		{day(2027, 1, 2), false},   // outside the calendar: a Saturday
		{day(2026, 10, 10), true},  // Saturday worked for 国庆
		{day(2025, 10, 8), false},  // Wednesday, 国庆中秋
		{day(2023, 12, 31), false}, // an ordinary Sunday
	} {
		if got := taotai.IsWorkingDay(tt.d); got != tt.working {
			t.Errorf("%s: working %v, want %v", tt.d.Format(time.DateOnly), got, tt.working)
		}
	}
	if !taotai.HolidayCalendarCovers(2020) || !taotai.HolidayCalendarCovers(2026) || taotai.HolidayCalendarCovers(2027) {
		t.Error("the calendar's years")
	}
}

// TestWorkingDaysOverHolidays: a notice served before a holiday counts its
// working days after it, and the make-up Saturdays count.
func TestWorkingDaysOverHolidays(t *testing.T) {
	for _, tt := range []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"before 国庆 2020: 9 Oct, Sat 10 Oct worked, Mon 12 Oct", day(2020, 9, 30), 3, day(2020, 10, 12)},
		{"the hearing's 5 days over 国庆 2020", day(2020, 9, 30), 5, day(2020, 10, 14)},
		{"Friday 8 May 2020: Saturday 9 May worked", day(2020, 5, 8), 3, day(2020, 5, 12)},
		{"before 端午 2020: Sunday 28 June worked", day(2020, 6, 24), 3, day(2020, 6, 30)},
		{"before 春节 2021: Saturday 20 Feb worked", day(2021, 2, 10), 3, day(2021, 2, 20)},
		{"over 2025's 国庆中秋 (8 days)", day(2025, 9, 30), 1, day(2025, 10, 9)},
		{"an ordinary week", day(2020, 6, 1), 3, day(2020, 6, 4)},
	} {
		if got := taotai.WorkingDaysAfter(tt.from, tt.n); !got.Equal(tt.want) {
			t.Errorf("%s: %s, want %s", tt.name, got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
		}
	}
}
