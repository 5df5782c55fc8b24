package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"taotai"
	"taotai/internal/store"
)

// plannedInspections is how many times a year a key-list enterprise
// covered by 30 September is inspected, and how often each count is drawn:
// 2 to 6, about 3.6 on average, as an agency's yearly plan for its listed
// enterprises runs. An enterprise with a major hazard gets 1 to 3
// follow-ups more, one below standard 1; registered enterprises not on the
// key list are inspected 0 to 3 times. So the volume grows with the
// enterprises (--scale), never with the inspections of each.
var plannedInspections = []weighted[int]{{2, 22}, {3, 30}, {4, 24}, {5, 14}, {6, 10}}

// Shares of the campaign, in per mille of enterprises (fates) or percent.
const (
	coveredShare       = 90 // % of key-list enterprises inspected by 30 September
	majorFatePerMille  = 70 // enterprises with a major hazard: yellow card (存在重大事故隐患)
	belowFatePerMille  = 20 // enterprises carded as below standard (安全生产条件不达标)
	hazardFoundPercent = 60 // inspections that find hazards
	// Of the inspections that are not joint ones (联合检查, the city's), the
	// share in percent by the city's bureau; the county's (区、县、县级市)
	// bureau does the rest: most of the work, as 各级应急管理部门 share it.
	cityShareNonCoal = 20
	cityShareCoal    = 35
	cityShareCarded  = 50 // the inspection that finds what cards the enterprise
)

// campaignYear is the year the demo's enforcement data plays in.
const campaignYear = KeyYear

// campaign generates the enforcement data of the demo year: inspections
// with hazards and documents (附件2), and yellow/red cards (附件3).
type campaign struct {
	g            *generator
	year         int
	start        time.Time // the campaign's start (2020: the notice's date): nothing happens before
	cutoff       time.Time // the last day with events: the day before today, at most 31 December
	periods      []store.Period
	regions      map[string]*taotai.Region
	industries   map[int64]*taotai.Industry
	criteria     map[int64][]*taotai.Criterion // by industry id: its own articles first
	enterprises  map[string]int                // enterprises by agency key (region code/sector), to size the staff
	staff        map[string][]string           // law-enforcement officers by agency key
	acceptTarget int                           // how many closed enterprises to accept (验收)
	accepted     int
	quiet        quietSpan // the unit and days with no inspection (its zero report)
}

// loadEnforcement generates the campaign year for the registered
// enterprises of list and loads it city by city, one transaction each (a
// city's documents are all numbered in one go, in the order of their
// dates). Nothing happens before the campaign's start or after the day
// before the store's today.
func loadEnforcement(ctx, sys context.Context, db *store.DB, opt Options, list []genEnterprise) error {
	if len(list) == 0 {
		return nil
	}
	c, err := newCampaign(ctx, db, opt)
	if err != nil {
		return err
	}
	if c.cutoff.Before(c.start) {
		return nil // the campaign has not begun
	}
	byCity := map[string][]genEnterprise{}
	var cities []string
	for _, ge := range list {
		city := c.cityOf(ge.e)
		if _, ok := byCity[city.Code]; !ok {
			cities = append(cities, city.Code)
		}
		byCity[city.Code] = append(byCity[city.Code], ge)
		sector := c.industries[ge.e.IndustryID].Sector
		c.enterprises[city.Code+"/"+sector]++
		if county := c.countyOf(ge.e); county != "" {
			c.enterprises[county+"/"+sector]++
		}
	}
	slices.Sort(cities)
	for _, code := range cities {
		b := &store.EnforcementBatch{}
		var years []*enterpriseYear
		carded := map[string]bool{}
		for _, ge := range byCity[code] {
			// The first key-list enterprise of each channel is carded, so
			// that every unit's 附件3 has its rows (but the quiet unit's).
			sector := c.industries[ge.e.IndustryID].Sector
			force := ge.listed && !carded[sector] && (code != c.quiet.city || sector != c.quiet.sector)
			carded[sector] = carded[sector] || force
			years = append(years, c.enterprise(ge, b, force))
		}
		c.everyPeriod(code, years, b)
		if err := db.BulkLoadEnforcement(sys, b); err != nil {
			return fmt.Errorf("demo: enforcement data of %s: %w", c.regions[code].Name, err)
		}
	}
	return nil
}

func newCampaign(ctx context.Context, db *store.DB, opt Options) (*campaign, error) {
	seed := uint64(opt.Seed) //nolint:gosec // G115: the seed's bits, reinterpreted on purpose: each int64 gives its own stream
	c := &campaign{
		g:            &generator{rng: rand.New(rand.NewPCG(seed, seed^0xe4f0_2020_0325))},
		year:         campaignYear,
		regions:      map[string]*taotai.Region{},
		industries:   map[int64]*taotai.Industry{},
		criteria:     map[int64][]*taotai.Criterion{},
		enterprises:  map[string]int{},
		staff:        map[string][]string{},
		acceptTarget: 2 * max(opt.Scale, 1),
	}
	c.start = c.day(time.January, 1)
	years, err := db.CampaignYears(ctx)
	if err != nil {
		return nil, err
	}
	for _, y := range years {
		if y.Year == c.year && !y.Start.IsZero() {
			c.start = taotai.DateOf(y.Start)
		}
	}
	c.cutoff = taotai.Today(db.Clock().Now()).AddDate(0, 0, -1)
	if end := c.day(time.December, 31); c.cutoff.After(end) {
		c.cutoff = end
	}
	regions, err := db.Regions(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range regions {
		c.regions[r.Code] = r
	}
	if c.periods, err = db.Periods(ctx, c.year); err != nil {
		return nil, err
	}
	c.quiet = quietSpanOf(c.periods, c.year)
	industries, err := db.Industries(ctx)
	if err != nil {
		return nil, err
	}
	for _, ind := range industries {
		c.industries[ind.ID] = ind
		// The lists in force in the campaign year (the 2017 工贸 list and
		// 总局令第85号 for 2020), as on its last day with events.
		crit, err := db.CriteriaOn(ctx, ind.ID, c.cutoff)
		if err != nil {
			return nil, err
		}
		// The industry's own articles first, then the general 工贸 ones.
		slices.SortStableFunc(crit, func(a, b *taotai.Criterion) int {
			return boolInt(a.IndustryKey != ind.Key) - boolInt(b.IndustryKey != ind.Key)
		})
		c.criteria[ind.ID] = crit
	}
	return c, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cityOf returns the city-level unit of an enterprise's region.
func (c *campaign) cityOf(e *taotai.Enterprise) *taotai.Region {
	r := c.regions[e.RegionCode]
	for r != nil && r.Level == taotai.LevelCounty {
		r = c.regions[r.Parent]
	}
	return r
}

// countyOf returns the code of an enterprise's county (区、县、县级市),
// whose bureau inspects it, or "" when it is registered at the city level
// (沈抚新区).
func (c *campaign) countyOf(e *taotai.Enterprise) string {
	if r := c.regions[e.RegionCode]; r != nil && r.Level == taotai.LevelCounty {
		return r.Code
	}
	return ""
}

// officers returns the law-enforcement officers of the agency of a region
// (city or county) and sector, the same all year: a county bureau has 4
// and one more for every 5 enterprises it oversees, a city's 6 and one more
// for every 8 of the city's (沈抚新区's, which has no counties to share the
// work, one for every 4), so that an officer takes part in a few dozen
// inspections a year at any scale.
func (c *campaign) officers(region, sector string) []string {
	key := region + "/" + sector
	if s, ok := c.staff[key]; ok {
		return s
	}
	n := 4 + c.enterprises[key]/5
	switch r := c.regions[region]; {
	case region == store.ShenfuCode:
		n = 6 + c.enterprises[key]/4
	case r != nil && r.Level != taotai.LevelCounty:
		n = 6 + c.enterprises[key]/8
	}
	seen := map[string]bool{}
	var s []string
	for len(s) < n {
		if p := c.g.person(); !seen[p] {
			seen[p] = true
			s = append(s, p)
		}
		if len(seen) > 4*n+1000 {
			// Too few distinct names for so large a staff: add a
			// distinguishing given name (very large scales only).
			seen = map[string]bool{}
			for _, p := range s {
				seen[p] = true
			}
			if p := c.g.person() + oneOf(c.g, givenNames); !seen[p] {
				seen[p] = true
				s = append(s, p)
			}
		}
	}
	c.staff[key] = s
	return s
}

func (c *campaign) intn(n int) int { return c.g.rng.IntN(n) }

// day returns a date of the campaign year.
func (c *campaign) day(month time.Month, d int) time.Time {
	return time.Date(c.year, month, d, 0, 0, 0, 0, taotai.Shanghai)
}

// between returns a day from from to to, both included.
func (c *campaign) between(from, to time.Time) time.Time {
	n := int(to.Sub(from).Hours()/24+0.5) + 1
	if n <= 1 {
		return from
	}
	return from.AddDate(0, 0, c.intn(n))
}

// holiday reports whether the day is a statutory holiday (the State
// Council's calendar in the domain package, holidays.go).
func (c *campaign) holiday(d time.Time) bool { return taotai.IsStatutoryHoliday(d) }

// workday moves most weekend days to the nearest weekday, and holidays to
// the day after: inspectors work on weekends now and then. The day stays
// within the campaign: from its start to 31 December.
func (c *campaign) workday(d time.Time) time.Time {
	for c.holiday(d) {
		d = d.AddDate(0, 0, 1)
	}
	if c.intn(10) != 0 {
		switch d.Weekday() {
		case time.Saturday:
			d = d.AddDate(0, 0, -1)
		case time.Sunday:
			d = d.AddDate(0, 0, 1)
		}
		for c.holiday(d) {
			d = d.AddDate(0, 0, 1)
		}
	}
	if d.Before(c.start) {
		d = c.start
	}
	if end := c.day(time.December, 31); d.After(end) {
		d = end
	}
	return d
}

// monthWeights spreads inspections over the year from the campaign's
// start (25 March in 2020): the survey in April and May, the push to full
// coverage by 30 September, the acceptance phase in October and November,
// a few in December.
var monthWeights = []int{2, 2, 3, 10, 14, 14, 13, 12, 14, 8, 6, 2}

// inspectionDay draws the day of an inspection, not before the start.
func (c *campaign) inspectionDay() time.Time {
	for {
		m := time.Month(c.g.pick(monthWeights) + 1)
		first, last := c.day(m, 1), c.day(m+1, 0)
		if first.Before(c.start) {
			first = c.start
		}
		if last.Before(first) {
			continue // a month before the start
		}
		return c.workday(c.between(first, last))
	}
}

// at returns a time on day between the hours from and to, Shanghai time.
func (c *campaign) at(day time.Time, from, to int) time.Time {
	return day.Add(time.Duration(from)*time.Hour + time.Duration(c.intn((to-from)*60))*time.Minute)
}

// Fates of an enterprise in the year.
const (
	fateNone  = iota
	fateMajor // a major hazard: yellow card (存在重大事故隐患)
	fateBelow // many hazards at once: yellow card (安全生产条件不达标)
)

// Outcomes of a yellow card.
const (
	outCleared    = iota // rectified and passed in time: 摘牌
	outPending           // deadline passed, nobody has acted yet: a red candidate
	outOverdue           // red: 逾期未整改
	outStillBelow        // red: 经整改仍不具备安全生产条件
)

// enterpriseYear is what is being generated for one enterprise.
type enterpriseYear struct {
	e      *taotai.Enterprise
	city   *taotai.Region
	county string // the county whose bureau inspects it; "" = the city's alone
	ind    *taotai.Industry
	staff  []string // the city bureau's officers of the sector (cards, closure)
	agency string   // the city bureau of the sector
	until  time.Time
	days   []time.Time // the days it was inspected, in order
}

// addDay adds an inspection day to days unless it is taken; it reports
// whether it did.
func addDay(days []time.Time, d time.Time) ([]time.Time, bool) {
	if slices.ContainsFunc(days, d.Equal) {
		return days, false
	}
	return append(days, d), true
}

// enterprise generates one enterprise's year into b; mustCard: it is
// covered and carded.
func (c *campaign) enterprise(ge genEnterprise, b *store.EnforcementBatch, mustCard bool) *enterpriseYear {
	e := ge.e
	y := &enterpriseYear{e: e, city: c.cityOf(e), county: c.countyOf(e), ind: c.industries[e.IndustryID], until: c.cutoff}
	y.staff = c.officers(y.city.Code, y.ind.Sector)
	y.agency = store.DefaultAgencyName(y.city, y.ind.Sector)

	// How many inspections, and when: never two on one day.
	covered := true
	var days []time.Time
	draw := func(n int, day func() time.Time) {
		for range n {
			for try := 0; try < 20; try++ {
				var ok bool
				if days, ok = addDay(days, c.quiet.move(y.city.Code, y.ind.Sector, day())); ok {
					break
				}
			}
		}
	}
	late := func() time.Time {
		return c.workday(c.between(c.day(time.October, 1), c.day(time.November, 15)))
	}
	switch {
	case ge.listed && !mustCard && c.intn(100) >= coveredShare:
		// Not covered by 30 September: half never inspected, half only in
		// the acceptance phase.
		covered = false
		if c.intn(2) == 0 {
			draw(1+c.intn(2), late)
		}
	case !ge.listed && c.intn(10) < 3:
		// Registered but not listed: some are not inspected.
	case !ge.listed:
		draw(1+c.intn(3), c.inspectionDay)
	default:
		draw(choose(c.g, plannedInspections), c.inspectionDay)
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	if len(days) == 0 {
		return y
	}
	fate := fateNone
	if covered {
		if ge.listed && days[0].After(c.day(time.September, 30)) {
			// The plan covers it by 30 September.
			for try := 0; try < 20; try++ {
				d := c.quiet.move(y.city.Code, y.ind.Sector, c.workday(c.between(maxTime(c.start, c.day(time.April, 1)), c.day(time.September, 28))))
				if !slices.ContainsFunc(days, d.Equal) {
					days[0] = d
					break
				}
			}
			slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
		}
		switch r := c.intn(1000); {
		case r < majorFatePerMille, mustCard && r%(majorFatePerMille+belowFatePerMille) < majorFatePerMille:
			fate = fateMajor
		case r < majorFatePerMille+belowFatePerMille, mustCard:
			fate = fateBelow
		}
	}
	special := -1
	if fate != fateNone {
		// Follow-ups of what was found.
		if fate == fateMajor {
			draw(1+c.intn(3), c.inspectionDay)
		} else {
			draw(1, c.inspectionDay)
		}
		slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
		// The card's story needs time: the finding is before September.
		var early []int
		for i, d := range days {
			if d.Before(c.day(time.September, 1)) {
				early = append(early, i)
			}
		}
		special = 0
		if len(early) > 0 {
			special = early[c.intn(len(early))]
		}
	}

	var card *store.CardLoad
	var specialInspection *store.InspectionLoad
	if special >= 0 && !days[special].After(y.until) {
		specialInspection, card = c.carded(y, fate, days[special])
	}
	for i, d := range days {
		if d.After(y.until) {
			break // after the closure, or not yet happened
		}
		y.days = append(y.days, d)
		if i == special && specialInspection != nil {
			b.Inspections = append(b.Inspections, specialInspection)
			continue
		}
		b.Inspections = append(b.Inspections, c.inspection(y, d, i == 0))
	}
	if card != nil {
		b.Cards = append(b.Cards, card)
	}
	return y
}

// everyPeriod makes sure each channel of the city inspected someone in
// every reporting period that has begun (but the quiet one), as a
// city's agencies do: a handful of coal mines, inspected three or four
// times a year each, could otherwise leave a month without inspections
// and the unit with a zero report the demo does not mean. The extra
// inspection goes to an enterprise of the channel still open that day.
func (c *campaign) everyPeriod(city string, years []*enterpriseYear, b *store.EnforcementBatch) {
	for _, sector := range []string{taotai.SectorNonCoal, taotai.SectorCoal} {
		// The enterprises of the channel, and among them those inspected
		// this year (an extra visit does not make an uncovered one covered).
		var mine, inspected []*enterpriseYear
		for _, y := range years {
			if y.ind.Sector == sector {
				mine = append(mine, y)
				if len(y.days) > 0 {
					inspected = append(inspected, y)
				}
			}
		}
		if len(mine) == 0 {
			continue
		}
		pool := inspected
		if len(pool) == 0 {
			pool = mine
		}
		for _, p := range c.periods {
			from, to := maxTime(p.From, c.start), p.To
			if to.After(c.cutoff) {
				to = c.cutoff
			}
			if to.Before(from) || (city == c.quiet.city && sector == c.quiet.sector && !p.From.After(c.quiet.from) && !p.To.Before(c.quiet.to)) {
				continue
			}
			if slices.ContainsFunc(inspected, func(y *enterpriseYear) bool {
				return slices.ContainsFunc(y.days, func(d time.Time) bool { return !d.Before(from) && !d.After(to) })
			}) {
				continue
			}
			for try := 0; try < 50; try++ {
				y := pool[c.intn(len(pool))]
				d := c.workday(c.between(from, to))
				if d.Before(from) || d.After(to) || d.After(y.until) || c.quiet.move(city, sector, d) != d {
					continue
				}
				var ok bool
				if y.days, ok = addDay(y.days, d); ok {
					b.Inspections = append(b.Inspections, c.inspection(y, d, len(y.days) == 1))
					break
				}
			}
		}
	}
}

// newInspection returns an inspection of y on day d without hazards, by
// the city's bureau (joint inspections, and cityShare percent of the
// others) or the county's, with two to four of its officers.
func (c *campaign) newInspection(y *enterpriseYear, d time.Time, first bool, cityShare int) *store.InspectionLoad {
	in := &taotai.Inspection{EnterpriseID: y.e.ID, Date: d, CreatedAt: c.at(d, 9, 18)}
	switch r := c.intn(100); {
	case first && r < 90, !first && r < 73:
		in.Kind = taotai.InspectionRoutine
	case first, r < 81:
		in.Kind = taotai.InspectionJoint
	case r < 96:
		in.Kind = taotai.InspectionFollowUp
	default:
		in.Kind = taotai.InspectionTipOff
	}
	x := &store.InspectionLoad{Inspection: in, AgencyRegion: y.city.Code}
	if y.county != "" && in.Kind != taotai.InspectionJoint && c.intn(100) >= cityShare {
		x.AgencyRegion = y.county
	}
	staff := c.officers(x.AgencyRegion, y.ind.Sector)
	n := 2 + c.g.pick([]int{60, 30, 10})
	names := make([]string, 0, n)
	for _, i := range c.g.rng.Perm(len(staff))[:n] {
		names = append(names, staff[i])
	}
	in.Inspectors, in.InspectorCount = strings.Join(names, "、"), n
	switch {
	case in.Kind == taotai.InspectionJoint && c.intn(10) < 7:
		in.ExpertCount = 1 + c.intn(3)
	case c.intn(100) < 12:
		in.ExpertCount = 1 + c.intn(2)
	}
	return x
}

// cityShare is the share of an enterprise's inspections (not joint) by
// its city's bureau.
func cityShare(y *enterpriseYear) int {
	if y.ind.Sector == taotai.SectorCoal {
		return cityShareCoal
	}
	return cityShareNonCoal
}

// findings describes an inspection's result.
func findings(hazards []*taotai.Hazard) string {
	if len(hazards) == 0 {
		return "检查安全生产管理制度、现场作业和设备设施，未发现明显问题和隐患。"
	}
	major := 0
	for _, h := range hazards {
		if h.Level == taotai.HazardMajor {
			major++
		}
	}
	s := fmt.Sprintf("检查发现问题和隐患%d项", len(hazards))
	if major > 0 {
		s += fmt.Sprintf("，其中重大事故隐患%d项", major)
	}
	return s + "，已当场下达执法文书，责令限期整改。"
}

// inspection generates an ordinary inspection: hazards in about 60%,
// mostly rectified and passed at a re-check before their deadline.
func (c *campaign) inspection(y *enterpriseYear, d time.Time, first bool) *store.InspectionLoad {
	x := c.newInspection(y, d, first, cityShare(y))
	if c.intn(100) < hazardFoundPercent {
		for range 1 + c.g.pick([]int{35, 28, 20, 10, 7}) {
			x.Hazards = append(x.Hazards, c.generalHazard(y, d, c.deadlineDays(), x.Hazards))
		}
		c.rectification(y, x, x.Hazards)
		c.maybePenalty(y, x, 6)
	}
	x.Inspection.Findings = findings(x.Hazards)
	return x
}

// deadlineDays draws a rectification period: 10 to 60 days, mostly round.
func (c *campaign) deadlineDays() int {
	return choose(c.g, []weighted[int]{{10, 2}, {15, 4}, {20, 2}, {30, 5}, {45, 1}, {60, 1}})
}

// generalHazard draws a general hazard found on day d, other than those
// already found by the inspection: a defect of a site of the industry's
// works (its own, or one any site may show), or of the safety management.
func (c *campaign) generalHazard(y *enterpriseYear, d time.Time, days int, found []*taotai.Hazard) *taotai.Hazard {
	var t hazardText
	for try := 0; try < 10; try++ {
		sites := hazardSites[y.ind.Key]
		common := siteDefects["plant"]
		if y.ind.Sector == taotai.SectorCoal {
			common = siteDefects["coal"]
		}
		switch r := c.intn(100); {
		case len(sites) == 0 || r < 20:
			t = oneOf(c.g, managementHazards)
		case r < 65:
			s := oneOf(c.g, sites)
			t = hazardText{s.place + oneOf(c.g, s.defects), s.place}
		default:
			s := oneOf(c.g, sites)
			t = hazardText{s.place + oneOf(c.g, common), s.place}
		}
		if !slices.ContainsFunc(found, func(h *taotai.Hazard) bool { return h.Description == t.desc }) {
			break
		}
	}
	return &taotai.Hazard{Description: t.desc, Place: t.place, Level: taotai.HazardGeneral, Deadline: d.AddDate(0, 0, days),
		Status: taotai.HazardOpen}
}

// rectification decides how the hazards of an inspection end — re-check
// visits, statuses and documents — and adds the rectification order.
func (c *campaign) rectification(y *enterpriseYear, x *store.InspectionLoad, hazards []*taotai.Hazard) {
	in := x.Inspection
	for _, h := range hazards {
		h.CreatedAt = in.CreatedAt
	}
	c.rectOrder(x)
	if len(hazards) == 0 {
		return
	}
	first := hazards[0].Deadline
	for _, h := range hazards {
		if h.Deadline.Before(first) {
			first = h.Deadline
		}
	}
	if c.intn(100) < 4 {
		// The enterprise does not rectify: everything stays open.
		for _, h := range hazards {
			c.unrectified(y, h)
		}
		return
	}
	// One re-check visit, in the second half of the shortest period.
	span := int(first.Sub(in.Date).Hours() / 24)
	visit := in.Date.AddDate(0, 0, max(1, span/2+c.intn(span-span/2+1)))
	var passed, failed []*taotai.Hazard
	for _, h := range hazards {
		switch r := c.intn(100); {
		case visit.After(y.until):
			c.unrectified(y, h)
		case r < 93:
			passed = append(passed, h)
		case r < 97:
			failed = append(failed, h)
		default:
			c.unrectified(y, h) // not yet rectified, seen at the visit
		}
	}
	if len(passed)+len(failed) == 0 {
		return
	}
	for _, h := range passed {
		h.Status, h.RecheckDate, h.RecheckNote = taotai.HazardPassed, visit, "经复查，已整改合格。"
	}
	for _, h := range failed {
		h.Status, h.RecheckDate, h.RecheckNote = taotai.HazardFailed, visit, "经复查，整改不到位，责令继续整改。"
	}
	c.recheckDoc(x, visit, 0, len(passed), len(failed))
	// A second visit for what failed, after its deadline.
	var again []*taotai.Hazard
	for _, h := range failed {
		if c.intn(100) < 60 {
			again = append(again, h)
		}
	}
	if len(again) == 0 {
		return
	}
	last := again[0].Deadline
	for _, h := range again {
		if h.Deadline.After(last) {
			last = h.Deadline
		}
	}
	visit2 := last.AddDate(0, 0, 5+c.intn(16))
	if visit2.After(y.until) {
		return
	}
	for _, h := range again {
		h.Status, h.RecheckDate, h.RecheckNote = taotai.HazardPassed, visit2, "经再次复查，已整改合格。"
	}
	c.recheckDoc(x, visit2, 0, len(again), 0)
}

// unrectified leaves a hazard open, or in rectification with the
// enterprise's responsible person and measures.
func (c *campaign) unrectified(y *enterpriseYear, h *taotai.Hazard) {
	h.RecheckDate, h.RecheckNote = time.Time{}, ""
	if h.Level == taotai.HazardMajor || c.intn(2) == 0 {
		h.Status = taotai.HazardRectifying
		if h.Guarantees.Responsible == "" {
			h.Guarantees.Responsible = y.e.LegalRep
			h.Guarantees.Measures = "制定整改方案，落实专人负责整改。"
			h.Guarantees.Deadline = h.Deadline
		}
		return
	}
	h.Status = taotai.HazardOpen
}

// rectOrder adds the 责令限期整改指令书 of an inspection that found hazards,
// issued on the spot.
func (c *campaign) rectOrder(x *store.InspectionLoad) {
	var parts []string
	for i, h := range x.Hazards {
		parts = append(parts, strconv.Itoa(i+1)+"．"+h.Description+"（"+h.Deadline.Format("1月2日")+"前）")
	}
	x.Documents = append(x.Documents, &store.DocumentLoad{Document: &taotai.Document{Kind: taotai.DocRectOrder,
		IssuedOn: x.Inspection.Date, CreatedAt: x.Inspection.CreatedAt.Add(20 * time.Minute),
		Content: "责令你单位对以下问题和隐患限期整改：" + strings.Join(parts, "；") + "。"}})
}

// recheckDoc adds a 整改复查意见书 issued on the day of a re-check visit,
// for the whole inspection (hazard 0) or one hazard.
func (c *campaign) recheckDoc(x *store.InspectionLoad, day time.Time, hazard, passed, failed int) {
	text := fmt.Sprintf("经复查，%d项问题和隐患已整改合格", passed)
	if failed > 0 {
		text += fmt.Sprintf("，%d项整改不到位，责令继续整改", failed)
	}
	x.Documents = append(x.Documents, &store.DocumentLoad{Hazard: hazard, Document: &taotai.Document{Kind: taotai.DocRecheck,
		IssuedOn: day, CreatedAt: c.at(day, 14, 18), Content: text + "。"}})
}

// maybePenalty adds, in percent of the cases, a 行政处罚决定书 with a fine
// of 0.1 to 5 万元 a week or more after the inspection.
func (c *campaign) maybePenalty(y *enterpriseYear, x *store.InspectionLoad, percent int) {
	if c.intn(100) >= percent || len(x.Hazards) == 0 {
		return
	}
	day := c.workday(x.Inspection.Date.AddDate(0, 0, 7+c.intn(24)))
	day = c.quiet.move(y.city.Code, y.ind.Sector, day)
	if day.Before(x.Inspection.Date) || day.After(y.until) {
		return
	}
	var fine taotai.Yuan
	switch r := c.intn(100); {
	case r < 70:
		fine = taotai.Yuan(1000 * (1 + c.intn(50)))
	case r < 90:
		fine = taotai.Yuan(500 * (2 + c.intn(99)))
	default:
		fine = taotai.Yuan(1000 + c.intn(49001))
	}
	// The 行政处罚告知书 comes first, on the first or second working day
	// after the inspection; the decision once the days for a statement
	// (and a hearing) have run out — working days, holidays excluded — and
	// never heavier. Nothing here draws from the generator, so the rest of
	// the demo year stays as it was.
	noticed := x.Inspection.Date
	for range 1 + x.Inspection.Date.YearDay()%2 {
		noticed = noticed.AddDate(0, 0, 1)
		for !taotai.IsWorkingDay(noticed) {
			noticed = noticed.AddDate(0, 0, 1)
		}
	}
	noticed = c.quiet.move(y.city.Code, y.ind.Sector, noticed)
	n := &taotai.PenaltyNotice{IssuedOn: noticed, Fine: fine, CreatedAt: noticed.Add(9*time.Hour + time.Duration(int64(fine)%420)*time.Minute),
		Content: fmt.Sprintf("你单位存在%s等违法行为，依据《中华人民共和国安全生产法》第九十六条，拟给予罚款人民币%d元（%s万元）的行政处罚。"+
			"你单位有权在收到本告知书之日起三个工作日内进行陈述和申辩。", x.Hazards[0].Description, int64(fine), fine.Wan())}
	n.SetPeriods()
	for !n.DecidableOn(day) || !taotai.IsWorkingDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	if day.After(y.until) || noticed.After(y.until) {
		return
	}
	decided := fine
	if int64(fine)%7 == 0 { // the statement was heard: a lighter fine
		decided = max(taotai.Yuan(1000), fine*4/5/100*100)
	}
	x.Documents = append(x.Documents, &store.DocumentLoad{Notice: n, Document: &taotai.Document{Kind: taotai.DocPenalty, IssuedOn: day,
		Fine: decided, CreatedAt: c.at(day, 9, 17),
		Content: fmt.Sprintf("你单位存在%s等违法行为，依据《中华人民共和国安全生产法》第九十六条，决定给予罚款人民币%d元（%s万元）的行政处罚。",
			x.Hazards[0].Description, int64(decided), decided.Wan())}})
}

// carded generates the inspection that puts the enterprise on the yellow
// list, and the card's story: cleared, pending, or red and then perhaps
// proposed for closure, closed and accepted. It sets y.until to the
// closure day when the enterprise is closed.
func (c *campaign) carded(y *enterpriseYear, fate int, d time.Time) (*store.InspectionLoad, *store.CardLoad) {
	x := c.newInspection(y, d, false, cityShareCarded)
	in := x.Inspection
	by := y.staff[c.intn(len(y.staff))]
	card := &store.CardLoad{EnterpriseID: y.e.ID, Year: c.year}
	event := func(day time.Time, t taotai.CardTransition) {
		card.Events = append(card.Events, store.CardEventLoad{Transition: t, At: c.at(day, 10, 17), By: by})
	}
	outcome := c.g.pick([]int{56, 12, 20, 12})
	var deadline time.Time
	var tracked []*taotai.Hazard // the hazards the card is about
	if fate == fateMajor {
		deadline = d.AddDate(0, 0, choose(c.g, []weighted[int]{{30, 5}, {45, 3}, {60, 2}}))
		for range c.intn(4) {
			x.Hazards = append(x.Hazards, c.generalHazard(y, d, c.deadlineDays(), x.Hazards))
		}
		h := c.majorHazard(y, d, deadline)
		x.Hazards = append(x.Hazards, h)
		tracked = []*taotai.Hazard{h}
		event(d, taotai.CardTransition{To: taotai.CardYellow, Reason: taotai.ReasonMajorHazard,
			Why: "检查发现重大事故隐患，列入黄牌企业名单并挂牌督办。", Rectify: h.Description, Deadline: deadline})
	} else {
		days := choose(c.g, []weighted[int]{{30, 5}, {45, 3}, {60, 2}})
		deadline = d.AddDate(0, 0, days)
		var texts []string
		for range 3 + c.intn(3) {
			h := c.generalHazard(y, d, days, x.Hazards)
			x.Hazards = append(x.Hazards, h)
			texts = append(texts, h.Description)
		}
		tracked = x.Hazards
		event(d, taotai.CardTransition{To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard,
			Why: "检查发现多项问题和隐患，安全生产条件不达标。", Rectify: truncate("安全生产条件不达标："+strings.Join(texts, "；"), taotai.MaxHazardDescLen),
			Deadline: deadline})
	}
	in.Findings = findings(x.Hazards)
	isTracked := func(h *taotai.Hazard) bool { return slices.Contains(tracked, h) }

	// What the card's story does to the tracked hazards.
	var red, recheck time.Time
	var redReason string
	switch outcome {
	case outCleared:
		recheck = c.between(maxTime(d.AddDate(0, 0, 10), deadline.AddDate(0, 0, -10)), deadline)
	case outPending, outOverdue:
		if outcome == outOverdue {
			red, redReason = deadline.AddDate(0, 0, 1+c.intn(7)), taotai.ReasonOverdue
		}
	case outStillBelow:
		recheck = c.between(deadline.AddDate(0, 0, -5), deadline)
		red, redReason = recheck.AddDate(0, 0, 1+c.intn(5)), taotai.ReasonStillBelow
	}
	// Red cards go on, in part, to the local government for closure.
	var reported, closed, accepted time.Time
	if !red.IsZero() {
		switch r := c.intn(100); {
		case r < 45:
		case r < 75:
			reported = red.AddDate(0, 0, 10+c.intn(21))
		default:
			reported = red.AddDate(0, 0, 10+c.intn(21))
			closed = reported.AddDate(0, 0, 15+c.intn(31))
		}
	}
	if !closed.IsZero() && !closed.After(c.cutoff) && c.accepted < c.acceptTarget {
		day := maxTime(closed.AddDate(0, 0, 7+c.intn(14)), c.day(time.October, 1).AddDate(0, 0, c.intn(30)))
		if !day.After(c.day(time.November, 30)) && !day.After(c.cutoff) {
			accepted = day
			c.accepted++
		}
	}
	if !closed.IsZero() && closed.Before(y.until) {
		y.until = closed
	}

	// The tracked hazards' ends.
	for _, h := range tracked {
		switch {
		case outcome == outCleared && !recheck.After(y.until):
			h.Status, h.RecheckDate, h.RecheckNote = taotai.HazardPassed, recheck, "经复查，已按期整改合格。"
		case outcome == outStillBelow && !recheck.After(y.until):
			h.Status, h.RecheckDate, h.RecheckNote = taotai.HazardFailed, recheck, "经复查，整改后仍不具备安全生产条件。"
		default:
			c.unrectified(y, h)
			// Some overdue ones are rectified late (the card stays red).
			if outcome != outCleared && closed.IsZero() && c.intn(2) == 0 {
				late := deadline.AddDate(0, 0, 15+c.intn(26))
				if !late.After(y.until) {
					h.Status, h.RecheckDate, h.RecheckNote = taotai.HazardPassed, late, "逾期后经复查整改合格。"
				}
			}
		}
		h.CreatedAt = in.CreatedAt
	}
	// The rest of the inspection's hazards end as usual; the documents.
	var others []*taotai.Hazard
	for _, h := range x.Hazards {
		if !isTracked(h) {
			others = append(others, h)
		}
	}
	c.rectification(y, x, others)
	if fate == fateMajor {
		x.Documents = append(x.Documents, &store.DocumentLoad{Hazard: len(x.Hazards), Document: &taotai.Document{Kind: taotai.DocStopOrder,
			IssuedOn: d, CreatedAt: in.CreatedAt.Add(10 * time.Minute),
			Content: "发现重大事故隐患：" + tracked[0].Description + "。责令立即停止相关区域作业，停产整改，整改完毕经复查合格后方可恢复生产。"}})
	}
	recheckDays := map[time.Time][2]int{}
	for _, h := range tracked {
		if !h.RecheckDate.IsZero() {
			n := recheckDays[h.RecheckDate]
			if h.Status == taotai.HazardPassed {
				n[0]++
			} else {
				n[1]++
			}
			recheckDays[h.RecheckDate] = n
		}
	}
	for _, day := range sortedDays(recheckDays) {
		hazard := 0
		if fate == fateMajor {
			hazard = len(x.Hazards)
		}
		c.recheckDoc(x, day, hazard, recheckDays[day][0], recheckDays[day][1])
	}
	percent := 8
	if fate == fateMajor {
		percent = 60
	}
	c.maybePenalty(y, x, percent)

	// The card's story after the yellow card, as far as it has happened.
	add := func(day time.Time, t taotai.CardTransition) bool {
		if day.IsZero() || day.After(c.cutoff) {
			return false
		}
		event(day, t)
		return true
	}
	switch {
	case outcome == outCleared:
		add(recheck, taotai.CardTransition{To: taotai.CardCleared, Why: "经复查，已按期整改合格，予以摘牌。", Rechecked: true})
	case !red.IsZero():
		why := "整改期限届满，逾期未完成整改。"
		if redReason == taotai.ReasonStillBelow {
			why = "经复查，整改后仍不具备安全生产条件。"
		}
		if add(red, taotai.CardTransition{To: taotai.CardRed, Reason: redReason, Why: why}) &&
			add(reported, taotai.CardTransition{To: taotai.CardProposed, Why: "报请属地人民政府依法予以关闭。", ReportedOn: reported,
				Basis: "《中华人民共和国安全生产法》第一百零八条：经停产停业整顿仍不具备安全生产条件的，予以关闭。"}) &&
			add(closed, taotai.CardTransition{To: taotai.CardClosed, Why: "属地人民政府已依法关闭。", ClosedOn: closed,
				Basis:      "《中华人民共和国安全生产法》第一百零八条；" + y.city.Name + "人民政府关闭决定。",
				Evidence:   y.city.Name + "人民政府关于关闭" + y.e.Name + "的决定；主要生产设备已拆除，供电已切断，安全生产许可证已注销，现场照片已存档。",
				VerifiedBy: y.staff[c.intn(len(y.staff))] + "（" + y.agency + "）"}) {
			card.Acceptance = c.acceptance(y, accepted)
			if !add(accepted, taotai.CardTransition{To: taotai.CardAccepted, Why: card.Acceptance.Reason, AcceptedOn: accepted,
				Members: card.Acceptance.MembersText(), Findings: card.Acceptance.Findings}) {
				card.Acceptance = nil
			}
		}
	}
	return x, card
}

// acceptance is the acceptance (验收) of a closed enterprise on the day:
// the city bureau with 工信 and 发改, each department passing it.
func (c *campaign) acceptance(y *enterpriseYear, day time.Time) *taotai.Acceptance {
	officer := y.staff[c.intn(len(y.staff))]
	miit, ndrc := c.g.person(), c.g.person()
	return &taotai.Acceptance{
		Members: []taotai.AcceptanceMember{{Name: officer, Unit: y.agency}, {Name: miit, Unit: y.city.Name + "工业和信息化局"},
			{Name: ndrc, Unit: y.city.Name + "发展和改革委员会"}},
		SignOffs: []taotai.SignOff{{Department: "应急管理", Verdict: taotai.SignPass, Signer: officer, On: day},
			{Department: "发展改革", Verdict: taotai.SignPass, Signer: ndrc, On: day},
			{Department: "工业和信息化", Verdict: taotai.SignPass, Signer: miit, On: day}},
		Findings:   "经现场核查，企业已关闭退出，主要生产设备已拆除，不具备恢复生产条件，验收合格。",
		AcceptedOn: day, Reason: "会同工业和信息化、发展改革部门验收。"}
}

// majorHazard draws a major hazard under an article of the enterprise's
// industry, with its 五落实 (now and then incomplete) and listed
// supervision.
func (c *campaign) majorHazard(y *enterpriseYear, d, deadline time.Time) *taotai.Hazard {
	crit := c.criteria[y.ind.ID]
	own := 0
	for own < len(crit) && crit[own].IndustryKey == y.ind.Key {
		own++
	}
	var k *taotai.Criterion
	if own > 0 && (own == len(crit) || c.intn(100) < 80) {
		k = crit[c.intn(own)]
	} else {
		k = crit[own+c.intn(len(crit)-own)]
	}
	places := hazardPlaces[y.ind.Key]
	h := &taotai.Hazard{Description: strings.TrimSuffix(k.Text, "。"), Place: places[c.intn(len(places))], Level: taotai.HazardMajor,
		CriterionID: k.ID, Deadline: deadline, Status: taotai.HazardRectifying, Supervised: true}
	h.Guarantees = taotai.FiveGuarantees{Responsible: y.e.LegalRep, Measures: "按照" + k.Article + "要求制定整改方案，停产整改，逐项落实整改措施。",
		Funds: taotai.Yuan(10000 * (5 + c.intn(196))), Deadline: deadline, Plan: "制定专项应急预案，整改期间落实监护措施。"}
	switch c.intn(100) {
	case 0, 1, 2, 3, 4, 5:
		h.Guarantees.Funds = 0
	case 6, 7, 8, 9:
		h.Guarantees.Plan = ""
	case 10, 11, 12, 13, 14:
		h.Guarantees = taotai.FiveGuarantees{}
	}
	return h
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func sortedDays[V any](m map[time.Time]V) []time.Time {
	out := make([]time.Time, 0, len(m))
	for d := range m {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// quietSpan is a reporting period in which one unit's channel inspects
// nothing, so that the demo's reporting history holds a zero report (零报告)
// where the unit had nothing to report. Its inspections and penalties that
// would fall in it move to the first weekday after it; no random draw is
// taken, so every other unit's data stays as the seed makes it.
type quietSpan struct {
	city, sector string
	from, to     time.Time // the period's first and last day
}

// quietSpanOf returns the year's quiet period (quietPeriod of quietUnit's
// non-coal channel), or none when the year has no such period.
func quietSpanOf(periods []store.Period, year int) quietSpan {
	for _, p := range periods {
		if p.Key == strconv.Itoa(year)+quietPeriod {
			return quietSpan{city: quietUnit, sector: taotai.SectorNonCoal, from: p.From, to: p.To}
		}
	}
	return quietSpan{}
}

// move returns day, or the first weekday after the span when day falls in
// it for the city and sector.
func (q quietSpan) move(city, sector string, day time.Time) time.Time {
	if city != q.city || sector != q.sector || day.Before(q.from) || day.After(q.to) {
		return day
	}
	d := q.to.AddDate(0, 0, 1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}
