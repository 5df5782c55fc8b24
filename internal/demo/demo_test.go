package demo

import (
	"context"
	"slices"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// allEnterprises reads the whole registry as the system.
func allEnterprises(t *testing.T, db *store.DB) []*taotai.Enterprise {
	t.Helper()
	ctx := taotai.NewContextWithActor(context.Background(), taotai.System)
	var out []*taotai.Enterprise
	for {
		page, total, err := db.FindEnterprises(ctx, taotai.EnterpriseFilter{Offset: len(out), Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out
		}
	}
}

// firstNames returns the names of the first n enterprises by id.
func firstNames(t *testing.T, db *store.DB, n int) []string {
	t.Helper()
	list := allEnterprises(t, db)
	slices.SortFunc(list, func(a, b *taotai.Enterprise) int { return int(a.ID - b.ID) })
	var names []string
	for _, e := range list[:n] {
		names = append(names, e.Name)
	}
	return names
}

func TestLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		accounts, err := Load(ctx, db, Options{Scale: 1, Seed: 2020})
		if err != nil {
			t.Fatal(err)
		}
		regions, err := db.Regions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]*taotai.Region{}
		for _, r := range regions {
			byCode[r.Code] = r
		}
		// cityOf returns the city-level unit of a leaf region.
		cityOf := func(code string) *taotai.Region {
			r := byCode[code]
			if r.Level == taotai.LevelCounty {
				r = byCode[r.Parent]
			}
			return r
		}

		list := allEnterprises(t, db)
		if n := len(list); n < 400 || n > 600 {
			t.Fatalf("%d enterprises at scale 1, want about 500", n)
		}
		codes := map[string]string{}
		perCity := map[string]int{}
		industries := map[string]int{}
		for _, e := range list {
			r := taotai.CheckUSCC(e.CreditCode)
			if r.Err != "" || r.Warning != "" || r.Code != e.CreditCode || !taotai.OrgCodeValid(e.CreditCode) {
				t.Errorf("%s: credit code %s: %+v, organisation code valid: %v", e.Name, e.CreditCode, r, taotai.OrgCodeValid(e.CreditCode))
			}
			if other, ok := codes[e.CreditCode]; ok {
				t.Errorf("credit code %s used by %s and %s", e.CreditCode, other, e.Name)
			}
			codes[e.CreditCode] = e.Name
			c := cityOf(e.RegionCode)
			if e.Sector == taotai.SectorCoal && !c.CoalProducing {
				t.Errorf("coal enterprise %s in %s, not a coal-producing city", e.Name, c.Name)
			}
			if e.Name == "" || e.Address == "" || e.LegalRep == "" || e.ContactPhone == "" {
				t.Errorf("incomplete enterprise %+v", e)
			}
			perCity[c.Code]++
			industries[e.IndustryName]++
		}
		for _, r := range regions {
			if r.Level == taotai.LevelCity && perCity[r.Code] == 0 {
				t.Errorf("no enterprise in %s (%s)", r.Name, r.Code)
			}
		}
		if perCity[store.ShenfuCode] == 0 {
			t.Error("no enterprise in 沈抚新区")
		}
		for _, name := range []string{"钢铁", "水泥", "电解铝", "平板玻璃", "煤炭"} {
			if industries[name] == 0 {
				t.Errorf("no enterprise in industry %s", name)
			}
		}

		// About 90% on the 2020 key list, with the production state as 备注.
		sys := taotai.NewContextWithActor(ctx, taotai.System)
		kl, err := db.KeyList(sys, KeyYear, "")
		if err != nil {
			t.Fatal(err)
		}
		if share := len(kl) * 100 / len(list); share < 85 || share > 95 {
			t.Errorf("%d of %d (%d%%) on the key list, want about 90%%", len(kl), len(list), share)
		}
		for _, k := range kl {
			if k.Note != taotai.ProductionStateName(k.Enterprise.ProductionState) {
				t.Fatalf("%s: note %q, state %q", k.Enterprise.Name, k.Note, k.Enterprise.ProductionState)
			}
		}

		// The accounts, in the announced order, and each signs in.
		want := []string{"ansh_inspector", "ansh_clerk", "ansh_approver", "prov_reviewer", "prov_coal_reviewer", "partner_gxt", "admin", "fx_coal_clerk"}
		var got []string
		for _, a := range accounts {
			got = append(got, a.Username)
			u, err := db.Authenticate(ctx, a.Username, a.Password)
			if err != nil {
				t.Errorf("%s cannot sign in: %v", a.Username, err)
				continue
			}
			if u.Role != a.Role || u.RegionCode != a.Region || u.Sector != a.Sector || a.RoleName != taotai.RoleName(a.Role) || a.RegionName == "" {
				t.Errorf("account %+v, user %+v", a, u)
			}
			// Everyone finds enterprises in their own lane to try things on.
			lane, err := db.ActorFor(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if _, n, err := db.FindEnterprises(taotai.NewContextWithActor(ctx, lane), taotai.EnterpriseFilter{Limit: 1}); err != nil || n == 0 {
				t.Errorf("%s sees %d enterprises (%v)", a.Username, n, err)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("accounts %v, want %v", got, want)
		}
		if accounts[0].RegionName != "鞍山市铁东区" {
			t.Errorf("inspector's region %q", accounts[0].RegionName)
		}

		// A database with enterprises is refused.
		if _, err := Load(ctx, db, Options{Seed: 2020}); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("second load: %v", err)
		}

		// The same seed into a fresh database gives the same data.
		db2 := storetest.Open(t, db.Dialect())
		if _, err := Load(ctx, db2, Options{Scale: 1, Seed: 2020}); err != nil {
			t.Fatal(err)
		}
		if a, b := firstNames(t, db, 10), firstNames(t, db2, 10); !slices.Equal(a, b) {
			t.Fatalf("same seed, different data:\n%v\n%v", a, b)
		}
	})
}

// TestGenerate checks the generator alone, without writing: other seeds
// give other data, and at scale 100 names and credit codes stay unique.
func TestGenerate(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	regions, err := db.Regions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	industries, err := db.Industries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := func(seed int64) string {
		list, err := generate(regions, industries, Options{Scale: 1, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, g := range list[:10] {
			b.WriteString(g.e.Name + " ")
		}
		return b.String()
	}
	if names(1) == names(2) {
		t.Error("seeds 1 and 2 give the same enterprises")
	}
	if testing.Short() {
		return
	}
	list, err := generate(regions, industries, Options{Scale: 100, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(list); n < 45000 || n > 55000 {
		t.Fatalf("%d enterprises at scale 100, want about 50,000", n)
	}
	seenName, seenCode := map[string]bool{}, map[string]bool{}
	for _, g := range list {
		e := g.e
		if seenName[e.Name] || seenCode[e.CreditCode] {
			t.Fatalf("%s / %s used twice", e.Name, e.CreditCode)
		}
		seenName[e.Name], seenCode[e.CreditCode] = true, true
		if f := e.Validate(false); len(f) != 0 {
			t.Fatalf("%+v: %v", e, f)
		}
	}
}
