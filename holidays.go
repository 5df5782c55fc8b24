package taotai

import "time"

// China's statutory public holidays (法定节假日) and their make-up working
// days (调休上班的周六、周日), 2020–2026, as the State Council's General
// Office published them each year in its notice on the arrangement of
// some holidays (国务院办公厅关于XXXX年部分节假日安排的通知; 2020's Spring
// Festival as extended to 2 February for the epidemic, 国办发明电〔2020〕1号).
//
// The dates were typed from those notices and should be checked against
// them (www.gov.cn) before being relied on in a dispute; 2026's notice is
// the most recent and the least checked. A year outside 2020–2026 counts
// Monday to Friday only (HolidayCalendarCovers says which years are in).

// holidaySpan is one holiday period, its first and last days inclusive,
// as "2006-01-02".
type holidaySpan struct{ from, to string }

var statutoryHolidaySpans = []holidaySpan{
	// 2020 (国办发明电〔2019〕16号; Spring Festival extended by 国办发明电〔2020〕1号)
	{"2020-01-01", "2020-01-01"}, {"2020-01-24", "2020-02-02"}, {"2020-04-04", "2020-04-06"}, {"2020-05-01", "2020-05-05"},
	{"2020-06-25", "2020-06-27"}, {"2020-10-01", "2020-10-08"},
	// 2021 (国办发明电〔2020〕27号)
	{"2021-01-01", "2021-01-03"}, {"2021-02-11", "2021-02-17"}, {"2021-04-03", "2021-04-05"}, {"2021-05-01", "2021-05-05"},
	{"2021-06-12", "2021-06-14"}, {"2021-09-19", "2021-09-21"}, {"2021-10-01", "2021-10-07"},
	// 2022 (国办发明电〔2021〕11号)
	{"2022-01-01", "2022-01-03"}, {"2022-01-31", "2022-02-06"}, {"2022-04-03", "2022-04-05"}, {"2022-04-30", "2022-05-04"},
	{"2022-06-03", "2022-06-05"}, {"2022-09-10", "2022-09-12"}, {"2022-10-01", "2022-10-07"},
	// 2023 (国办发明电〔2022〕16号)
	{"2022-12-31", "2023-01-02"}, {"2023-01-21", "2023-01-27"}, {"2023-04-05", "2023-04-05"}, {"2023-04-29", "2023-05-03"},
	{"2023-06-22", "2023-06-24"}, {"2023-09-29", "2023-10-06"},
	// 2024 (国办发明电〔2023〕7号)
	{"2024-01-01", "2024-01-01"}, {"2024-02-10", "2024-02-17"}, {"2024-04-04", "2024-04-06"}, {"2024-05-01", "2024-05-05"},
	{"2024-06-10", "2024-06-10"}, {"2024-09-15", "2024-09-17"}, {"2024-10-01", "2024-10-07"},
	// 2025 (国办发明电〔2024〕12号)
	{"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"}, {"2025-05-01", "2025-05-05"},
	{"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"},
	// 2026 (the notice of November 2025)
	{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"}, {"2026-05-01", "2026-05-05"},
	{"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"}, {"2026-10-01", "2026-10-07"},
}

// makeUpWorkdays are the Saturdays and Sundays worked in exchange (调休).
var makeUpWorkdays = []string{
	"2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10",
	"2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09",
	"2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09",
	"2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08",
	"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
	"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
	"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
}

// First and last years of the calendar.
const (
	holidayCalendarFrom = 2020
	holidayCalendarTo   = 2026
)

// calendar is the day → working or not exceptions, built once from the
// lists above and only read afterwards.
var calendar = buildCalendar()

func buildCalendar() map[string]bool {
	m := map[string]bool{}
	for _, s := range statutoryHolidaySpans {
		from, _ := time.ParseInLocation(time.DateOnly, s.from, Shanghai)
		to, _ := time.ParseInLocation(time.DateOnly, s.to, Shanghai)
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			m[d.Format(time.DateOnly)] = false
		}
	}
	for _, s := range makeUpWorkdays {
		m[s] = true
	}
	return m
}

// HolidayCalendarCovers reports whether the statutory holidays of year are
// in the calendar (2020–2026).
func HolidayCalendarCovers(year int) bool {
	return year >= holidayCalendarFrom && year <= holidayCalendarTo
}

// IsStatutoryHoliday reports whether the day (in Asia/Shanghai) is a
// statutory holiday of the calendar.
func IsStatutoryHoliday(d time.Time) bool {
	working, ok := calendar[Today(d).Format(time.DateOnly)]
	return ok && !working
}

// IsWorkingDay reports whether the day (in Asia/Shanghai) is a working day:
// Monday to Friday outside the statutory holidays, and the Saturdays and
// Sundays worked in exchange for them.
func IsWorkingDay(d time.Time) bool {
	if working, ok := calendar[Today(d).Format(time.DateOnly)]; ok {
		return working
	}
	wd := Today(d).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}
