package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taotai"
)

// viewports are the widths the journeys are walked at: a desktop and a
// phone held in one hand.
var viewports = []struct {
	name          string
	width, height int64
	mobile        bool
}{
	{"desktop", 1366, 900, false},
	{"phone", 390, 844, true},
}

// noSidewaysScroll fails when the page is wider than the window.
func noSidewaysScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if over > 0 {
		t.Errorf("%s scrolls sideways by %d px", what, over)
	}
}

// waitText waits until the element's text contains want, and returns it.
func waitText(ctx context.Context, sel, want string) (string, error) {
	var s string
	for range 100 {
		s, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.AtLeast(0)))
		if strings.Contains(s, want) {
			return s, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s, fmt.Errorf("%s: %q does not contain %q", sel, s, want)
}

// TestAdminCreatesAccount: 鞍山's administrator creates an account; its
// user signs in with the password shown once and must change it before
// anything else — at a desktop's width and a phone's.
func TestAdminCreatesAccount(t *testing.T) {
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			ctx := browser(t)
			db, base := app(t)
			addUser(t, db, "ansh_admin", taotai.RoleAdmin, "210300", taotai.SectorNonCoal)
			must := func(step string, err error) {
				t.Helper()
				if err != nil {
					page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"), chromedp.AtLeast(0)))
					t.Fatalf("%s: %v\n%.800s", step, err, page)
				}
			}
			opts := []chromedp.EmulateViewportOption{}
			if vp.mobile {
				opts = append(opts, chromedp.EmulateMobile)
			}
			must("viewport", chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, opts...)))
			must("sign in", login(ctx, base, "ansh_admin", password))
			must("users", chromedp.Do(ctx,
				chromedp.WaitVisible(chromedp.CSS("#lane-region")),
				chromedp.Navigate(base+"/admin"),
				chromedp.Click(chromedp.CSS(`a[href="/admin/users"]`)),
				chromedp.WaitVisible(chromedp.CSS("#new-user")),
			))
			noSidewaysScroll(t, ctx, "the users list")
			must("new", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#new-user")), chromedp.WaitVisible(chromedp.CSS("#username"))))
			noSidewaysScroll(t, ctx, "the new account form")
			// First without a name: the summary says so, in Chinese.
			must("fill", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#username"), "wangli")))
			must("pick", setForm(ctx, map[string]string{"role": taotai.RoleCityClerk, "region": "210302", "sector": taotai.SectorNonCoal}))
			must("submit without a name", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("form.user-form button.primary"))))
			_, err := waitText(ctx, "#error-summary", "请填写姓名")
			must("the error summary", err)
			must("name", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#display_name"), "王丽")))
			must("role again", setForm(ctx, map[string]string{"role": taotai.RoleCityClerk}))
			must("submit", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("form.user-form button.primary")), chromedp.WaitVisible(chromedp.CSS("#new-password"))))
			noSidewaysScroll(t, ctx, "the password shown once")
			pw, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#new-password")))
			must("read the password", err)
			pw = strings.TrimSpace(pw)
			if len(pw) != 19 {
				t.Fatalf("password %q", pw)
			}
			if s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#f-must-change"))); s != "下次登录须修改" {
				t.Errorf("the account page says %q", s)
			}

			// The new user signs in and must change the password first.
			must("sign out", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("header form button")), chromedp.WaitVisible(chromedp.CSS("#username"))))
			must("the new user signs in", login(ctx, base, "wangli", pw))
			_, err = waitText(ctx, "h1", "请修改密码")
			must("forced to the password change", err)
			noSidewaysScroll(t, ctx, "the forced password change")
			must("try elsewhere", chromedp.Do(ctx, chromedp.Navigate(base+"/enterprises")))
			_, err = waitText(ctx, "h1", "请修改密码")
			must("still forced", err)
			must("change", chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS("#current"), pw),
				chromedp.SendKeys(chromedp.CSS("#password"), "王丽的新密码2020"),
				chromedp.SendKeys(chromedp.CSS("#confirm"), "王丽的新密码2020"),
				chromedp.Click(chromedp.CSS("form[action='/account/password'] button.primary")),
			))
			_, err = waitText(ctx, ".notice", "密码已修改")
			must("changed", err)
			must("now the registry", chromedp.Do(ctx, chromedp.Navigate(base+"/enterprises"), chromedp.WaitVisible(chromedp.CSS("#q"))))
			u, err := db.Authenticate(context.Background(), "wangli", "王丽的新密码2020")
			if err != nil || u.MustChangePassword || u.DisplayName != "王丽" || u.RegionCode != "210302" {
				t.Fatalf("stored: %+v %v", u, err)
			}
		})
	}
}
