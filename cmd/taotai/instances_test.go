package main

// Two `taotai serve` processes on one PostgreSQL database serve the same
// users: a session started on one works on the other, an edit saved through
// one makes a stale edit through the other a conflict, failed sign-ins add
// up across both, and concurrent writes through both keep the audit chain
// whole.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

const instPassword = "correct horse battery"

func TestTwoInstances(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres) // skips without TAOTAI_TEST_POSTGRES
	bin := buildTaotai(t)
	ctx := context.Background()

	db, err := store.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ents := seedInstances(t, db)

	baseA, _ := startServe(t, bin, "--db", dsn)
	baseB, _ := startServe(t, bin, "--db", dsn)
	sys := taotai.NewContextWithActor(ctx, taotai.System)

	t.Run("sessions", func(t *testing.T) {
		c := newInstClient(t)
		c.login(baseA, "ansh_clerk", instPassword)
		if a, b := c.sessionCookie(baseA), c.sessionCookie(baseB); a == "" || a != b {
			t.Fatalf("session cookie for A %q, for B %q: want the same", a, b)
		}
		r := c.get(baseB, "/enterprises")
		if r.status != http.StatusOK {
			t.Fatalf("GET /enterprises on B with A's session: %d → %q", r.status, r.location)
		}
		for _, e := range ents[:2] {
			if !strings.Contains(r.body, e.Name) {
				t.Errorf("enterprise list on B lacks %q", e.Name)
			}
		}
		if r := c.post(baseB, "/logout", url.Values{"csrf_token": {c.csrf(baseB, "/account")}}); r.status != http.StatusSeeOther || r.location != "/login" {
			t.Fatalf("logout on B: %d → %q", r.status, r.location)
		}
		if r := c.get(baseA, "/"); r.status != http.StatusSeeOther || r.location != "/login" {
			t.Fatalf("GET / on A after logout on B: %d → %q, want 303 → /login", r.status, r.location)
		}
	})

	t.Run("optimistic locking", func(t *testing.T) {
		e := ents[0]
		ca, cb := newInstClient(t), newInstClient(t)
		ca.login(baseA, "ansh_clerk", instPassword)
		cb.login(baseB, "ansh_clerk", instPassword)
		edit := fmt.Sprintf("/enterprises/%d/edit", e.ID)
		formA := ca.form(baseA, edit, fmt.Sprintf("/enterprises/%d", e.ID))
		formB := cb.form(baseB, edit, fmt.Sprintf("/enterprises/%d", e.ID))
		if formA.Get("version") == "" || formA.Get("version") != formB.Get("version") {
			t.Fatalf("versions in the forms: A %q, B %q", formA.Get("version"), formB.Get("version"))
		}
		const theirs, yours = "张甲乙", "李丙丁"
		formA.Set("contact_person", theirs)
		if r := ca.post(baseA, fmt.Sprintf("/enterprises/%d", e.ID), formA); r.status != http.StatusSeeOther {
			t.Fatalf("save through A: %d %s", r.status, instText(r, "#error-summary"))
		}
		formB.Set("contact_person", yours)
		r := cb.post(baseB, fmt.Sprintf("/enterprises/%d", e.ID), formB)
		if r.status != http.StatusConflict {
			t.Fatalf("stale save through B: %d, want 409", r.status)
		}
		if got := instText(r, "#conflict"); !strings.Contains(got, theirs) || !strings.Contains(got, yours) {
			t.Errorf("#conflict = %q, want both %q (saved through A) and %q", got, theirs, yours)
		}
		saved, err := db.FindEnterprise(sys, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if saved.ContactPerson != theirs {
			t.Errorf("contact person in the database = %q, want A's %q", saved.ContactPerson, theirs)
		}
	})

	t.Run("lockout", func(t *testing.T) {
		c := newInstClient(t)
		var last *instPage
		for i, base := range []string{baseA, baseA, baseA, baseB, baseB} {
			last = c.loginAttempt(base, "ansh_clerk2", "wrong password "+fmt.Sprint(i))
			if last.status != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: status %d", i+1, last.status)
			}
			if msg := instText(last, "#login-error"); i < 4 && strings.Contains(msg, "已被锁定") {
				t.Fatalf("locked after only %d failures: %q", i+1, msg)
			}
		}
		if msg := instText(last, "#login-error"); !strings.Contains(msg, "已被锁定") {
			t.Fatalf("5th failure (on B, after 3 on A): %q, want the account locked", msg)
		}
		for name, base := range map[string]string{"A": baseA, "B": baseB} {
			r := c.loginAttempt(base, "ansh_clerk2", instPassword)
			if r.status != http.StatusTooManyRequests || !strings.Contains(instText(r, "#login-error"), "已被锁定") {
				t.Errorf("right password on %s while locked: %d %q", name, r.status, instText(r, "#login-error"))
			}
		}
	})

	t.Run("audit chain", func(t *testing.T) {
		// One session, signed in on B, writes through both instances.
		c := newInstClient(t)
		c.login(baseB, "ansh_clerk", instPassword)
		tok := c.csrf(baseA, "/account")

		n0, brk, err := db.VerifyAudit(ctx)
		if err != nil || brk != nil {
			t.Fatalf("audit before: %d entries, break %+v, err %v", n0, brk, err)
		}
		var seq0 int64
		if err := db.SQL().QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_log`).Scan(&seq0); err != nil {
			t.Fatal(err)
		}
		bases := map[string]string{"A": baseA, "B": baseB}

		// Each of the 40 writes leaves one audit entry marked with the
		// instance it went through: key-list entries (a note) and edits of
		// distinct enterprises (a contact person), all at once.
		type result struct {
			inst string
			err  error
		}
		const writes = 40
		results := make(chan result, writes)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range writes {
			inst := "A"
			if i%2 == 1 {
				inst = "B"
			}
			mark := fmt.Sprintf("inst%s-%02d", inst, i)
			e := ents[i%len(ents)]
			wg.Go(func() {
				var err error
				if i < len(ents) {
					err = c.editAsync(bases[inst], e.ID, mark, start)
				} else {
					<-start
					err = c.postAsync(bases[inst], fmt.Sprintf("/enterprises/%d/keylist", e.ID),
						url.Values{"csrf_token": {tok}, "year": {"2020"}, "listed": {"1"}, "note": {mark}})
				}
				results <- result{inst, err}
			})
		}
		close(start)
		wg.Wait()
		close(results)
		ok := map[string]int{}
		for r := range results {
			if r.err != nil {
				t.Errorf("write through %s: %v", r.inst, r.err)
				continue
			}
			ok[r.inst]++
		}
		if ok["A"] == 0 || ok["B"] == 0 {
			t.Fatalf("successful writes: %v, want some through each instance", ok)
		}

		n1, brk, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if brk != nil {
			t.Fatalf("audit chain broken at seq %d: %s", brk.Seq, brk.Reason)
		}
		if want := n0 + int64(ok["A"]+ok["B"]); n1 != want {
			t.Errorf("audit entries: %d before, %d after %d successful writes; want %d", n0, n1, ok["A"]+ok["B"], want)
		}
		rows, err := db.SQL().QueryContext(ctx, `SELECT username, after FROM audit_log WHERE seq > $1`, seq0)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		seen := map[string]int{}
		for rows.Next() {
			var user, after string
			if err := rows.Scan(&user, &after); err != nil {
				t.Fatal(err)
			}
			switch {
			case user != "ansh_clerk":
				t.Errorf("unexpected audit entry by %q: %s", user, after)
			case strings.Contains(after, `"instA-`):
				seen["A"]++
			case strings.Contains(after, `"instB-`):
				seen["B"]++
			default:
				t.Errorf("audit entry of no instance: %s", after)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if seen["A"] != ok["A"] || seen["B"] != ok["B"] {
			t.Errorf("audit entries by instance %v, successful writes %v", seen, ok)
		}
	})
}

// seedInstances creates the two clerks of 鞍山 (non-coal) and six
// enterprises in 铁东区 (210302), returned in order.
func seedInstances(t *testing.T, db *store.DB) []*taotai.Enterprise {
	t.Helper()
	ctx := context.Background()
	sys := taotai.NewContextWithActor(ctx, taotai.System)
	for _, name := range []string{"ansh_clerk", "ansh_clerk2"} {
		u := &taotai.User{Username: name, Role: taotai.RoleCityClerk, RegionCode: "210300", Sector: taotai.SectorNonCoal}
		if err := db.CreateUser(sys, u, instPassword); err != nil {
			t.Fatal(err)
		}
	}
	inds, err := db.Industries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var steel int64
	for _, ind := range inds {
		if ind.Key == "steel" {
			steel = ind.ID
		}
	}
	if steel == 0 {
		t.Fatal("no steel industry")
	}
	var ents []*taotai.Enterprise
	for i := range 6 {
		code := fmt.Sprintf("91210302MA00000%02d", i+1)
		e := &taotai.Enterprise{Name: fmt.Sprintf("鞍山铁东第%d钢铁有限公司", i+1), CreditCode: code + string(taotai.USCCCheckDigit(code)),
			Address: fmt.Sprintf("鞍山市铁东区园林路%d号", i+1), RegionCode: "210302", IndustryID: steel,
			ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(sys, e, false); err != nil {
			t.Fatal(err)
		}
		ents = append(ents, e)
	}
	return ents
}

// instClient is a browser-like client of both instances: one cookie jar
// (cookies ignore the port, so A's session cookie goes to B too) and no
// automatic redirects.
type instClient struct {
	t   *testing.T
	jar http.CookieJar
	hc  *http.Client
}

func newInstClient(t *testing.T) *instClient {
	jar, _ := cookiejar.New(nil)
	return &instClient{t: t, jar: jar, hc: &http.Client{
		Jar:           jar,
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type instPage struct {
	status   int
	location string
	body     string
	doc      *goquery.Document
}

func instText(p *instPage, sel string) string { return strings.TrimSpace(p.doc.Find(sel).Text()) }

// send does a request and reads the page; safe from any goroutine.
func (c *instClient) send(method, base, path string, form url.Values) (*instPage, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, base+path, body)
	if err != nil {
		return nil, err
	}
	if method == http.MethodPost {
		// As a browser posts a form of the same origin.
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		return nil, err
	}
	return &instPage{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b), doc: doc}, nil
}

func (c *instClient) get(base, path string) *instPage {
	c.t.Helper()
	p, err := c.send(http.MethodGet, base, path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

func (c *instClient) post(base, path string, form url.Values) *instPage {
	c.t.Helper()
	p, err := c.send(http.MethodPost, base, path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

// csrf reads the form token from a page.
func (c *instClient) csrf(base, path string) string {
	c.t.Helper()
	p := c.get(base, path)
	tok, ok := p.doc.Find(`input[name=csrf_token]`).Attr("value")
	if !ok || tok == "" {
		c.t.Fatalf("no csrf_token on %s%s (status %d → %q)", base, path, p.status, p.location)
	}
	return tok
}

func (c *instClient) loginAttempt(base, username, password string) *instPage {
	c.t.Helper()
	return c.post(base, "/login", url.Values{"csrf_token": {c.csrf(base, "/login")}, "username": {username}, "password": {password}})
}

func (c *instClient) login(base, username, password string) {
	c.t.Helper()
	if p := c.loginAttempt(base, username, password); p.status != http.StatusSeeOther {
		c.t.Fatalf("login %s on %s: %d %q", username, base, p.status, instText(p, "#login-error"))
	}
}

// sessionCookie is the session cookie the client sends to base.
func (c *instClient) sessionCookie(base string) string {
	u, _ := url.Parse(base)
	for _, k := range c.jar.Cookies(u) {
		if k.Name == "taotai_session" {
			return k.Value
		}
	}
	return ""
}

// form loads the page and returns the values the form posting to action
// would send as it stands.
func (c *instClient) form(base, path, action string) url.Values {
	c.t.Helper()
	p := c.get(base, path)
	v, err := instFormValues(p, action)
	if err != nil {
		c.t.Fatalf("%s%s: %v", base, path, err)
	}
	return v
}

func instFormValues(p *instPage, action string) (url.Values, error) {
	f := p.doc.Find(fmt.Sprintf(`form[action=%q]`, action))
	if f.Length() != 1 {
		return nil, fmt.Errorf("status %d: %d forms posting to %s", p.status, f.Length(), action)
	}
	v := url.Values{}
	f.Find("input[name]").Each(func(_ int, in *goquery.Selection) {
		typ, _ := in.Attr("type")
		if (typ == "radio" || typ == "checkbox") && in.AttrOr("checked", "-") == "-" {
			return
		}
		v.Add(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	f.Find("select[name]").Each(func(_ int, sel *goquery.Selection) {
		if o := sel.Find("option[selected]"); o.Length() > 0 {
			v.Add(sel.AttrOr("name", ""), o.First().AttrOr("value", ""))
		}
	})
	f.Find("textarea[name]").Each(func(_ int, ta *goquery.Selection) {
		v.Add(ta.AttrOr("name", ""), ta.Text())
	})
	return v, nil
}

// postAsync posts a form and wants 303; it does not touch c.t.
func (c *instClient) postAsync(base, path string, form url.Values) error {
	p, err := c.send(http.MethodPost, base, path, form)
	if err != nil {
		return err
	}
	if p.status != http.StatusSeeOther {
		return fmt.Errorf("POST %s%s: %d %s", base, path, p.status, instText(p, "h1, .error-summary"))
	}
	return nil
}

// editAsync loads the edit form of an enterprise, waits for start and
// saves it with the contact person set to mark; it does not touch c.t.
func (c *instClient) editAsync(base string, id int64, mark string, start <-chan struct{}) error {
	action := fmt.Sprintf("/enterprises/%d", id)
	p, err := c.send(http.MethodGet, base, action+"/edit", nil)
	if err != nil {
		<-start
		return err
	}
	v, err := instFormValues(p, action)
	<-start
	if err != nil {
		return err
	}
	v.Set("contact_person", mark)
	return c.postAsync(base, action, v)
}
