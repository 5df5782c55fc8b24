package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"taotai"
)

func TestFailedLoginShowsMessage(t *testing.T) {
	ctx := browser(t)
	db, base := app(t)
	addUser(t, db, "ansh_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
	if err := login(ctx, base, "ansh_clerk", "not the password"); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#login-error")))
	if err != nil {
		t.Fatal(err)
	}
	if msg != "用户名或密码不正确。" {
		t.Fatalf("message %q", msg)
	}
	if u, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#username"))); u != "ansh_clerk" {
		t.Errorf("the username was not kept: %q", u)
	}
}

// TestClerkEditsEnterprise: a city clerk logs in, finds an enterprise,
// edits it and sees the change.
func TestClerkEditsEnterprise(t *testing.T) {
	ctx := browser(t)
	db, base := app(t)
	addUser(t, db, "ansh_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
	inds, _ := db.Industries(context.Background())
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal, ContactPhone: "0412-2000001"}
	if err := db.CreateEnterprise(taotai.NewContextWithActor(context.Background(), taotai.System), e, false); err != nil {
		t.Fatal(err)
	}
	if err := login(ctx, base, "ansh_clerk", password); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#lane-region")),
		chromedp.Click(chromedp.CSS(`nav a[href="/enterprises"]`)),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "宏达"),
		chromedp.Submit(chromedp.CSS("#q")),
		chromedp.WaitVisible(chromedp.CSS("#enterprise-table")),
		chromedp.Click(chromedp.CSS("#enterprise-table a")),
		chromedp.WaitVisible(chromedp.CSS("#enterprise-name")),
		chromedp.Click(chromedp.CSS(`a.button[href$="/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#contact_phone")),
		chromedp.Clear(chromedp.CSS("#contact_phone")),
		chromedp.SendKeys(chromedp.CSS("#contact_phone"), "0412-8886666"),
		chromedp.Click(chromedp.CSS("button.primary")),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	)
	if err != nil {
		t.Fatal(err)
	}
	phone, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#f-phone")))
	if err != nil {
		t.Fatal(err)
	}
	if phone != "0412-8886666" {
		t.Fatalf("phone on the page %q", phone)
	}
	notice, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".notice")))
	if !strings.Contains(notice, "已保存") {
		t.Errorf("notice %q", notice)
	}
	got, _ := db.FindEnterprise(taotai.NewContextWithActor(context.Background(), taotai.System), e.ID)
	if got.ContactPhone != "0412-8886666" || got.Version != 2 {
		t.Fatalf("stored %q version %d", got.ContactPhone, got.Version)
	}
}
