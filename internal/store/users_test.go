package store_test

import (
	"context"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := &taotai.User{Username: "anshan_clerk", Role: taotai.RoleCityClerk, RegionCode: anshan, Sector: taotai.SectorNonCoal}
		if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		if u.AgencyName != "" {
			t.Fatalf("agency name should come from the store")
		}
		got, err := db.Authenticate(ctx, "anshan_clerk", "correct horse battery")
		if err != nil || got.ID != u.ID || got.AgencyName != "鞍山市应急管理局" || got.RegionName != "鞍山市" {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		for _, bad := range [][2]string{{"anshan_clerk", "wrong password!"}, {"nobody", "correct horse battery"}} {
			if _, err := db.Authenticate(ctx, bad[0], bad[1]); taotai.ErrorCode(err) != taotai.EUNAUTH {
				t.Fatalf("authenticate %v: %v", bad, err)
			}
		}
		if err := db.CreateUser(ctx, &taotai.User{Username: "anshan_clerk", Role: taotai.RoleInspector, RegionCode: anshan}, "another long password"); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("duplicate username: %v", err)
		}
		if err := db.CreateUser(ctx, &taotai.User{Username: "x", Role: "boss", RegionCode: anshan}, "short"); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("bad role and password: %v", err)
		}
		if err := db.SetPassword(ctx, "anshan_clerk", "a new long password"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "anshan_clerk", "a new long password"); err != nil {
			t.Fatal(err)
		}
		if err := db.DisableUser(ctx, "anshan_clerk"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "anshan_clerk", "a new long password"); taotai.ErrorCode(err) != taotai.EUNAUTH {
			t.Fatalf("disabled user signed in: %v", err)
		}
		if err := db.DisableUser(ctx, "nobody"); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("disable unknown: %v", err)
		}
		if err := db.EnableUser(ctx, "anshan_clerk"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "anshan_clerk", "a new long password"); err != nil {
			t.Fatalf("enabled user cannot sign in: %v", err)
		}
		if err := db.EnableUser(ctx, "nobody"); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("enable unknown: %v", err)
		}
	})
}

func TestSessionStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ss := db.Sessions()
		ctx := context.Background()
		if err := ss.CommitCtx(ctx, "tok", []byte("a"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := ss.CommitCtx(ctx, "tok", []byte("b"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		b, ok, err := ss.FindCtx(ctx, "tok")
		if err != nil || !ok || string(b) != "b" {
			t.Fatalf("find: %q %v %v", b, ok, err)
		}
		ss.CommitCtx(ctx, "old", []byte("x"), time.Now().Add(-time.Minute))
		if _, ok, _ := ss.FindCtx(ctx, "old"); ok {
			t.Fatal("expired session found")
		}
		ss.DeleteCtx(ctx, "tok")
		if _, ok, _ := ss.FindCtx(ctx, "tok"); ok {
			t.Fatal("deleted session found")
		}
	})
}

func TestSeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		regions, err := db.Regions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cities := 0
		for _, r := range regions {
			if r.Level == taotai.LevelCity {
				cities++
			}
		}
		if cities != 15 { // 14 cities and 沈抚新区
			t.Fatalf("%d city-level units, want 15", cities)
		}
		sf, err := db.FindRegion(ctx, store.ShenfuCode)
		if err != nil || !sf.Internal || sf.Parent != taotai.ProvinceCode {
			t.Fatalf("沈抚新区: %+v %v", sf, err)
		}
		fx, _ := db.FindRegion(ctx, fuxin)
		if !fx.CoalProducing {
			t.Fatal("阜新 should be coal-producing")
		}
		y, err := db.FindCampaignYear(ctx, 2020)
		if err != nil {
			t.Fatal(err)
		}
		due := map[string]string{}
		for _, d := range y.Deadlines {
			due[d.Key] = d.Due.Format(time.DateOnly)
		}
		for k, v := range map[string]string{"first_report": "2020-05-11", "first_publication": "2020-05-15", "coverage": "2020-09-30", "monthly_06": "2020-06-25", "annual_report": "2020-11-20"} {
			if due[k] != v {
				t.Errorf("deadline %s = %q, want %s", k, due[k], v)
			}
		}
		// Migrating again changes nothing and fails nothing.
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		again, _ := db.Regions(ctx)
		if len(again) != len(regions) {
			t.Fatalf("re-seed: %d regions, had %d", len(again), len(regions))
		}
	})
}

func TestAgencyShortName(t *testing.T) {
	for _, tt := range []struct{ code, name, level, sector, want string }{
		{"210300", "鞍山市", taotai.LevelCity, taotai.SectorNonCoal, "鞍"},
		{"210900", "阜新市", taotai.LevelCity, taotai.SectorCoal, "阜煤"},
		{store.ShenfuCode, "沈抚改革创新示范区", taotai.LevelCity, taotai.SectorNonCoal, "沈抚"},
		{"210302", "铁东区", taotai.LevelCounty, taotai.SectorNonCoal, "铁东"},
		{"210381", "海城市", taotai.LevelCounty, "", "海城"},
		{"210000", "辽宁省", taotai.LevelProvince, taotai.SectorNonCoal, "辽"},
		{"211000", "辽阳市", taotai.LevelCity, taotai.SectorNonCoal, "辽阳"},
		{"211000", "辽阳市", taotai.LevelCity, taotai.SectorCoal, "辽阳煤"},
	} {
		r := &taotai.Region{Code: tt.code, Name: tt.name, Level: tt.level}
		if got := store.AgencyShortName(r, tt.sector); got != tt.want {
			t.Errorf("%s/%s: %q, want %q", tt.name, tt.sector, got, tt.want)
		}
	}
}
