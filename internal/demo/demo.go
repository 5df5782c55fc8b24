// Package demo fills a freshly migrated database with realistic, fictional
// data for 辽宁省: key-industry enterprises in every city, on the 2020 key
// list, and one account per role to sign in with. The same seed always
// gives the same data.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/store"
)

// Options for the demo data.
type Options struct {
	// Scale multiplies the size: 1 (the default) is about 500 enterprises,
	// 100 about 50,000.
	Scale int
	// Seed chooses the data; the same seed gives the same data.
	Seed int64
	// Reporting adds the 2020 reporting history (every unit's reports
	// prepared, submitted and reviewed through the store). It costs a few
	// seconds at scale 1 and grows with the scale (each report's forms are
	// counted from the records), so `taotai demo` asks for it and the
	// tests and benchmarks that do not need it leave it out.
	Reporting bool
}

// MaxScale bounds Options.Scale (about 500,000 enterprises).
const MaxScale = 1000

// Account is a demo account, ready to print for the people trying the
// system.
type Account struct {
	Username, Password string
	Role, RoleName     string // the key and its Chinese name
	Region, RegionName string // the code and the full name (鞍山市铁东区)
	Sector             string // the key; "" = both sectors
}

// Password is the password of every demo account.
const Password = "Taotai@2020demo" //nolint:gosec // G101: the demo accounts' password, published in the README on purpose

// KeyYear is the campaign year whose key list (附件1) the demo fills.
const KeyYear = 2020

// keyListShare is the share of enterprises, in percent, on the key list.
const keyListShare = 90

// Load fills db (already migrated, with no enterprises yet) and returns the
// demo accounts, one per role: 执法人员, 市级填报, 市级审核, 省级审核 (非煤
// and 煤矿), 协作部门, 系统管理员, then a coal city's 市级填报.
func Load(ctx context.Context, db *store.DB, opt Options) ([]Account, error) {
	if opt.Scale == 0 {
		opt.Scale = 1
	}
	if opt.Scale < 1 || opt.Scale > MaxScale {
		return nil, taotai.Errorf(taotai.EINVALID, "演示数据规模应为1至%d（1约为500家企业）。", MaxScale)
	}
	sys := taotai.NewContextWithActor(ctx, taotai.System)
	if _, n, err := db.FindEnterprises(sys, taotai.EnterpriseFilter{Limit: 1}); err != nil {
		return nil, fmt.Errorf("demo: count enterprises: %w", err)
	} else if n > 0 {
		return nil, taotai.Errorf(taotai.ECONFLICT, "数据库中已有%d家企业。演示数据只能载入新建的空数据库。", n)
	}
	regions, err := db.Regions(ctx)
	if err != nil {
		return nil, err
	}
	industries, err := db.Industries(ctx)
	if err != nil {
		return nil, err
	}
	list, err := generate(regions, industries, opt)
	if err != nil {
		return nil, err
	}
	accounts, err := createAccounts(ctx, db, regions)
	if err != nil {
		return nil, err
	}
	// All enterprises in one transaction, so that an interrupted load
	// leaves the database empty rather than half filled. About 90% are on
	// the 2020 key list with their production state as 备注; the rest are
	// registered but not (yet) listed.
	enterprises := make([]*taotai.Enterprise, len(list))
	listed := make(map[*taotai.Enterprise]bool, len(list))
	for i, g := range list {
		enterprises[i] = g.e
		listed[g.e] = g.listed
	}
	note := func(e *taotai.Enterprise) (string, bool) {
		return taotai.ProductionStateName(e.ProductionState), listed[e]
	}
	if err := db.BulkCreateEnterprises(sys, enterprises, KeyYear, note); err != nil {
		return nil, fmt.Errorf("demo: enterprises: %w", err)
	}
	// The 2020 campaign year: inspections with hazards, documents and
	// re-checks (附件2), yellow and red cards with their history (附件3).
	// Later issues generate publications and 12350 tips here.
	if err := loadEnforcement(ctx, sys, db, opt, list); err != nil {
		return nil, err
	}

	// Fresh statistics, so that the planner knows the tables are big
	// (the reporting history's forms are counted from them).
	if err := db.Analyze(ctx); err != nil {
		return nil, fmt.Errorf("demo: analyze: %w", err)
	}
	// The 2020 reporting year: what each unit sent, when, and what the
	// province made of it.
	if opt.Reporting {
		if err := loadReporting(ctx, db, opt); err != nil {
			return nil, err
		}
	}
	return accounts, nil
}

// demoAccounts are the accounts Load creates, in the order it returns them.
var demoAccounts = []struct {
	user    taotai.User
	display string
}{
	{taotai.User{Username: "ansh_inspector", Role: taotai.RoleInspector, RegionCode: "210302", Sector: taotai.SectorNonCoal, AgencyName: "鞍山市铁东区应急管理局"}, "鞍山市铁东区执法人员（演示）"},
	{taotai.User{Username: "ansh_clerk", Role: taotai.RoleCityClerk, RegionCode: "210300", Sector: taotai.SectorNonCoal}, "鞍山市应急管理局填报员（演示）"},
	{taotai.User{Username: "ansh_approver", Role: taotai.RoleCityApprover, RegionCode: "210300", Sector: taotai.SectorNonCoal}, "鞍山市应急管理局审核员（演示）"},
	{taotai.User{Username: "prov_reviewer", Role: taotai.RoleProvinceReviewer, RegionCode: taotai.ProvinceCode, Sector: taotai.SectorNonCoal, AgencyName: "辽宁省应急管理厅"}, "省应急管理厅审核员（演示）"},
	{taotai.User{Username: "prov_coal_reviewer", Role: taotai.RoleProvinceReviewer, RegionCode: taotai.ProvinceCode, Sector: taotai.SectorCoal, AgencyName: "辽宁煤矿安全监察局"}, "省煤矿安监局审核员（演示）"},
	{taotai.User{Username: "partner_gxt", Role: taotai.RolePartner, RegionCode: taotai.ProvinceCode, AgencyName: "辽宁省工业和信息化厅"}, "省工业和信息化厅（演示）"},
	{taotai.User{Username: "admin", Role: taotai.RoleAdmin, RegionCode: taotai.ProvinceCode}, "系统管理员（演示）"},
	{taotai.User{Username: "fx_coal_clerk", Role: taotai.RoleCityClerk, RegionCode: "210900", Sector: taotai.SectorCoal}, "阜新市煤矿安全监管局填报员（演示）"},
}

func createAccounts(ctx context.Context, db *store.DB, regions []*taotai.Region) ([]Account, error) {
	byCode := map[string]*taotai.Region{}
	for _, r := range regions {
		byCode[r.Code] = r
	}
	var out []Account
	for _, d := range demoAccounts {
		u := d.user
		u.DisplayName = d.display
		if err := db.CreateUser(ctx, &u, Password); err != nil {
			return nil, fmt.Errorf("demo: account %s: %w", u.Username, err)
		}
		out = append(out, Account{Username: u.Username, Password: Password, Role: u.Role, RoleName: taotai.RoleName(u.Role),
			Region: u.RegionCode, RegionName: fullName(byCode, u.RegionCode), Sector: u.Sector})
	}
	return out, nil
}

// fullName names a region with its city: 鞍山市铁东区.
func fullName(byCode map[string]*taotai.Region, code string) string {
	r := byCode[code]
	if r == nil {
		return code
	}
	if r.Level == taotai.LevelCounty {
		if p := byCode[r.Parent]; p != nil {
			return p.Name + r.Name
		}
	}
	return r.Name
}

// industryPlan says how many enterprises of an industry there are per unit
// of scale and where: the weight of each city (cities not named weigh
// defaultWeight) and, inside a city, the counties where the industry sits.
type industryPlan struct {
	key           string
	perScale      int
	defaultWeight int
	cityWeights   map[string]int
	// preferred counties weigh 6 against 1 for the others; for coal, a city
	// with preferred counties has its mines only there.
	preferred []string
	states    [3]int // weights of 正常生产, 局部生产, 停产
}

// plans: about 500 enterprises per unit of scale in a mix near
// Liaoning's own. The figures are approximations from public sources, not
// the 2020 key lists (which were not published whole):
//
//   - coal: after the province closed 185 mines in 2017 alone, every mine
//     under 90,000 t/a (辽宁省发改委, 2017年煤炭行业化解过剩产能目标任务
//     分解表, June 2017), and had capped local mines at 300 by 2015, a few
//     dozen remain in the seven coal-producing cities — the state groups'
//     (阜新、铁法、沈阳焦煤、抚顺) and local ones: 40;
//   - electrolytic aluminium: 营口 alone smelts (720,000 t in 2019, 营口市
//     铝产业“十四五”发展规划（征求意见稿）, 2021): 2 smelters;
//   - flat glass: a dozen float-glass works (沈阳, 大连, 本溪, 营口 and a
//     few others): 14;
//   - steel (炼铁、炼钢、轧钢、铁合金, GB/T 4754 311–314) and cement
//     (clinker and grinding plants, 3011) make the rest, about 6 to 5, as
//     the above-size enterprises of those classes in 辽宁统计年鉴 do: 240
//     and 204.
var plans = []industryPlan{
	{key: "steel", perScale: 240, defaultWeight: 1,
		cityWeights: map[string]int{"210300": 10, "210500": 6, "210800": 5, "210100": 4, "210200": 3, "210400": 3,
			"211000": 2, "211300": 3, "211400": 2, store.ShenfuCode: 0},
		preferred: []string{"210302", "210303", "210304", "210381", "210882", "210804", "210503", "210502", "211382", "210106",
			"210404", "211005", "211011", "210211", "211402"},
		states: [3]int{82, 11, 7}},
	{key: "cement", perScale: 204, defaultWeight: 2,
		cityWeights: map[string]int{"210200": 4, "210100": 3, "210300": 3, "211000": 3, "210500": 3, "211300": 3,
			"211100": 1, store.ShenfuCode: 1},
		preferred: []string{"211321", "210521", "211021", "210381", "210727", "210213", "210281", "211282", "210682",
			"210124", "210881", "210921", "211122", "211481"},
		states: [3]int{80, 12, 8}},
	{key: "aluminium", perScale: 2, defaultWeight: 0,
		cityWeights: map[string]int{"210800": 1},
		preferred:   []string{"210804", "210882"},
		states:      [3]int{85, 10, 5}},
	{key: "glass", perScale: 14, defaultWeight: 0,
		cityWeights: map[string]int{"210100": 3, "210200": 2, "210500": 2, "210800": 2, "210300": 1, "210700": 1,
			"211400": 1, "211000": 1, "210600": 1},
		preferred: []string{"210106", "210113", "210213", "210804", "210503", "210381", "211402", "210711", "211081", "210681"},
		states:    [3]int{80, 12, 8}},
	// Coal mines only in the cities the province marks coal-producing
	// (沈阳, 抚顺, 本溪, 阜新, 铁岭, 朝阳, 葫芦岛).
	{key: "coal", perScale: 40, defaultWeight: 0,
		cityWeights: map[string]int{"210900": 10, "211200": 6, "211300": 6, "210100": 5, "210400": 5, "210500": 4, "211400": 4},
		preferred: []string{"210902", "210903", "210905", "210921", "210922", "210403", "210402", "210404", "210421",
			"211281", "211221", "210111", "210115", "210124", "210123", "211381", "211321", "211322", "211404",
			"211422", "210521", "210503", "210505"},
		states: [3]int{70, 15, 15}},
}

// city is a city-level unit (or 沈抚新区) with the leaf regions where its
// enterprises are registered.
type city struct {
	region *taotai.Region
	short  string // 鞍山; 沈抚新区
	leaves []*taotai.Region
}

type genEnterprise struct {
	e      *taotai.Enterprise
	listed bool
}

type generator struct {
	rng      *rand.Rand
	usedOrg  map[string]bool
	usedName map[string]bool
}

// generate makes the enterprises, in the order they are to be registered.
func generate(regions []*taotai.Region, industries []*taotai.Industry, opt Options) ([]genEnterprise, error) {
	seed := uint64(opt.Seed) //nolint:gosec // G115: the seed's bits, reinterpreted on purpose: each int64 gives its own stream
	g := &generator{
		rng:      rand.New(rand.NewPCG(seed, seed^0x7a0_7a1_2020)),
		usedOrg:  map[string]bool{},
		usedName: map[string]bool{},
	}
	cities := citiesOf(regions)
	indByKey := map[string]*taotai.Industry{}
	for _, ind := range industries {
		indByKey[ind.Key] = ind
	}
	var out []genEnterprise
	for _, p := range plans {
		ind := indByKey[p.key]
		if ind == nil {
			return nil, fmt.Errorf("demo: industry %q is missing", p.key)
		}
		weights := make([]int, len(cities))
		for i, c := range cities {
			w, ok := p.cityWeights[c.region.Code]
			if !ok {
				w = p.defaultWeight
			}
			if ind.Sector == taotai.SectorCoal && !c.region.CoalProducing {
				w = 0
			}
			weights[i] = w
		}
		// Counts per city and county are shares, not draws, so that every
		// city and every preferred county has its enterprises at any seed.
		counts := apportion(p.perScale*opt.Scale, weights)
		for i, c := range cities {
			leafCounts := apportion(counts[i], leafWeights(c, p, ind.Sector == taotai.SectorCoal))
			for j, leaf := range c.leaves {
				for range leafCounts[j] {
					e, err := g.enterprise(c, leaf, ind, p)
					if err != nil {
						return nil, err
					}
					out = append(out, genEnterprise{e: e, listed: g.rng.IntN(100) < keyListShare})
				}
			}
		}
	}
	// Registration order mixes cities and industries, as real registries do.
	g.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

// citiesOf returns the city-level units in tree order with their leaves.
func citiesOf(regions []*taotai.Region) []*city {
	hasChildren := map[string]bool{}
	for _, r := range regions {
		if r.Parent != "" {
			hasChildren[r.Parent] = true
		}
	}
	var cities []*city
	byCode := map[string]*city{}
	for _, r := range regions {
		if r.Level == taotai.LevelCity {
			c := &city{region: r, short: strings.TrimSuffix(r.Name, "市")}
			if r.Code == store.ShenfuCode {
				c.short = "沈抚新区"
			}
			cities = append(cities, c)
			byCode[r.Code] = c
		}
	}
	for _, r := range regions {
		if !r.IsLeaf(hasChildren[r.Code]) {
			continue
		}
		// The city of a leaf is the second code of its path.
		parts := strings.Split(strings.Trim(r.Path, "/"), "/")
		if len(parts) >= 2 {
			if c := byCode[parts[1]]; c != nil {
				c.leaves = append(c.leaves, r)
			}
		}
	}
	var out []*city
	for _, c := range cities {
		if len(c.leaves) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// apportion splits total in proportion to weights by largest remainder:
// deterministic, and every weight large enough gets its share.
func apportion(total int, weights []int) []int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	out := make([]int, len(weights))
	if sum == 0 {
		return out
	}
	given := 0
	rem := make([]int, len(weights))
	for i, w := range weights {
		out[i] = total * w / sum
		rem[i] = total * w % sum
		given += out[i]
	}
	for ; given < total; given++ {
		best := -1
		for i := range rem {
			if weights[i] > 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// downtown are city centres without heavy industry; they get none unless
// the city has no other county.
var downtown = map[string]bool{"210102": true, "210103": true, "210202": true, "210203": true, "210204": true}

// leafWeights weighs the counties of a city for an industry.
func leafWeights(c *city, p industryPlan, coal bool) []int {
	pref := map[string]bool{}
	for _, code := range p.preferred {
		pref[code] = true
	}
	w := make([]int, len(c.leaves))
	found := false
	for i, l := range c.leaves {
		w[i] = 1
		if pref[l.Code] {
			w[i], found = 6, true
		} else if downtown[l.Code] && len(c.leaves) > 1 {
			w[i] = 0
		}
	}
	if coal && found {
		for i, l := range c.leaves {
			if !pref[l.Code] {
				w[i] = 0
			}
		}
	}
	return w
}

// pick returns an index drawn with the given weights.
func (g *generator) pick(weights []int) int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	n := g.rng.IntN(sum)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

type weighted[T any] struct {
	v T
	w int
}

func choose[T any](g *generator, list []weighted[T]) T {
	sum := 0
	for _, x := range list {
		sum += x.w
	}
	n := g.rng.IntN(sum)
	for _, x := range list {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return list[len(list)-1].v
}

func oneOf[T any](g *generator, list []T) T { return list[g.rng.IntN(len(list))] }

func (g *generator) enterprise(c *city, leaf *taotai.Region, ind *taotai.Industry, p industryPlan) (*taotai.Enterprise, error) {
	e := &taotai.Enterprise{RegionCode: leaf.Code, IndustryID: ind.ID}
	e.ProductionState = taotai.ProductionStates[g.pick(p.states[:])]
	var village string
	for try := 0; ; try++ {
		if try == 1000 {
			return nil, fmt.Errorf("demo: no free name for %s %s", c.region.Name, ind.Name)
		}
		if ind.Sector == taotai.SectorCoal {
			e.Name, village = g.mineName(c, leaf)
		} else {
			e.Name = g.firmName(c, leaf, p.key)
		}
		if !g.usedName[e.Name] {
			g.usedName[e.Name] = true
			break
		}
	}
	e.Address = g.address(c, leaf, village, ind.Sector == taotai.SectorCoal)
	e.CreditCode = g.creditCode(leaf, c)
	e.LegalRep = g.person()
	if g.rng.IntN(10) < 8 {
		e.ContactPerson = g.person()
	}
	e.ContactPhone = g.phone(c.region.Code)
	return e, nil
}

// trade returns a two-character trade name (字号).
func (g *generator) trade() string {
	for {
		first, last := oneOf(g, tradeFirst), oneOf(g, tradeLast)
		if first != last {
			return string(first) + string(last)
		}
	}
}

// namePrefix is the place an enterprise's name starts with: its city (with
// or without 市), the province, or a county-level city.
func (g *generator) namePrefix(c *city, leaf *taotai.Region) string {
	if c.region.Code == store.ShenfuCode {
		if g.rng.IntN(3) == 0 {
			return "辽宁"
		}
		return c.short
	}
	switch n := g.rng.IntN(100); {
	case n < 10:
		return "辽宁"
	case n < 20 && strings.HasSuffix(leaf.Name, "市"):
		return leaf.Name
	case n < 50:
		return c.short
	}
	return c.region.Name
}

// firmName: 鞍山市宏达钢铁有限公司, 营口鑫盛水泥有限责任公司.
func (g *generator) firmName(c *city, leaf *taotai.Region, key string) string {
	return g.namePrefix(c, leaf) + g.trade() + oneOf(g, industryWords[key]) + choose(g, legalForms)
}

// place is a village or mine name: 李家沟, 东山, 兴隆.
func (g *generator) place() string {
	switch n := g.rng.IntN(100); {
	case n < 60:
		return choose(g, surnames) + oneOf(g, placeSuffixes)
	case n < 85:
		return string(oneOf(g, placeCompass)) + oneOf(g, placeLand)
	}
	return g.trade()
}

// mineName: 阜新矿业集团李家沟煤矿, 北票市东山煤矿, 铁岭宏达煤业有限公司;
// it also returns the village the mine is named after ("" if none).
func (g *generator) mineName(c *city, leaf *taotai.Region) (name, village string) {
	n := g.rng.IntN(100)
	if group, ok := coalGroups[c.region.Code]; ok && n < 35 {
		village = g.place()
		return group + village + oneOf(g, mineSuffixes), village
	}
	if n < 70 {
		village = g.place()
		prefix := c.region.Name
		if leaf.Level == taotai.LevelCounty && !strings.HasSuffix(leaf.Name, "区") {
			prefix = leaf.Name
		}
		return prefix + village + "煤矿", village
	}
	return g.namePrefix(c, leaf) + g.trade() + oneOf(g, industryWords["coal"]) + choose(g, legalForms), ""
}

// address names a real town of the enterprise's county (Towns): 鞍山市铁东区
// 旧堡街道建设路123号, 海城市腾鳌镇工业园区…; a mine's, in the village it is
// named after: 阜新市阜新蒙古族自治县大巴镇李家沟村.
func (g *generator) address(c *city, leaf *taotai.Region, village string, mine bool) string {
	base := c.region.Name
	if leaf.Code != c.region.Code {
		base += leaf.Name
	}
	all := Towns()[leaf.Code]
	var ruralTowns []string
	for _, t := range all {
		if rural(t) {
			ruralTowns = append(ruralTowns, t)
		}
	}
	if mine {
		town := oneOf(g, all)
		if len(ruralTowns) > 0 {
			town = oneOf(g, ruralTowns)
		}
		if village == "" {
			village = g.place()
		}
		return base + town + village + "村"
	}
	town := oneOf(g, all)
	if rural(town) && g.rng.IntN(3) == 0 {
		return base + town + g.place() + "村"
	}
	if g.rng.IntN(100) < 25 {
		return base + town + oneOf(g, parks) + oneOf(g, roads) + strconv.Itoa(g.houseNumber()) + "号"
	}
	return base + town + oneOf(g, roads) + strconv.Itoa(g.houseNumber()) + "号"
}

// houseNumber favours small numbers, as streets do.
func (g *generator) houseNumber() int {
	if g.rng.IntN(4) == 0 {
		return 100 + g.rng.IntN(900)
	}
	return 1 + g.rng.IntN(99)
}

func (g *generator) person() string {
	return choose(g, surnames) + oneOf(g, givenNames)
}

// phone is a landline with the city's area code (0412-2345678; eight
// digits behind 024 and 0411) or, now and then, a mobile number.
func (g *generator) phone(cityCode string) string {
	if g.rng.IntN(4) == 0 {
		return oneOf(g, []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
			"155", "158", "159", "186", "187", "188", "189"}) + g.digits(8)
	}
	area := areaCodes[cityCode]
	if area == "" {
		area = "024"
	}
	n := 7
	if area == "024" || area == "0411" {
		n = 8
	}
	return area + "-" + strconv.Itoa(2+g.rng.IntN(7)) + g.digits(n-1)
}

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = decimalDigits[g.rng.IntN(10)]
	}
	return string(b)
}

// decimalDigits are the digits, by value.
const decimalDigits = "0123456789"

// orgAlphabet is what the body of an organisation code may use here: the
// credit code's alphabet (no I, O, Z, S, V).
const orgAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCode returns a fresh valid 统一社会信用代码: 9 (市场监管) 1 (企业),
// the registering region, a 组织机构代码 with its GB 11714 check digit, and
// the GB 32100 check digit. Organisation codes are never reused.
func (g *generator) creditCode(leaf *taotai.Region, c *city) string {
	region := leaf.Code
	if leaf.Internal || c.region.Internal {
		// 沈抚新区 is no GB/T 2260 division; its firms register under 沈阳.
		region = "210100"
	}
	for {
		var body string
		if g.rng.IntN(100) < 40 {
			// An old code, from before 2015: eight digits.
			body = strconv.Itoa(1+g.rng.IntN(7)) + g.digits(7)
		} else {
			// A code issued with the credit code since 2015: MA…
			b := []byte("MA")
			b = append(b, decimalDigits[g.rng.IntN(10)])
			for range 5 {
				b = append(b, orgAlphabet[g.rng.IntN(len(orgAlphabet))])
			}
			body = string(b)
		}
		org := body + string(orgCheckDigit(body))
		if g.usedOrg[org] {
			continue
		}
		g.usedOrg[org] = true
		first17 := "91" + region + org
		return first17 + string(taotai.USCCCheckDigit(first17))
	}
}

// orgCheckDigit computes the 9th character of an organisation code (GB
// 11714): weights 3,7,9,10,5,8,4,2 on values 0–9, A=10 … Z=35; 11 − Σ mod
// 11, with 10 written X and 11 written 0.
func orgCheckDigit(body string) byte {
	w := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 8 {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * w[i]
	}
	switch d := 11 - sum%11; d {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + d)
	}
}
