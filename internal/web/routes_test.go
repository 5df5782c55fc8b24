package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
	"taotai/internal/web"
)

// The access test walks every route the server registers, for every role,
// against a record in the user's own lane, one in another region and one
// in the other sector, and checks the status. A route without a rule here
// fails the test.

// target is the enterprise a route acts on ({id}), with an inspection
// that found a major hazard, and the evidence file of a card change.
type target struct {
	name       string
	e          *taotai.Enterprise
	path       string // region path
	inspection int64
	hazard     *taotai.Hazard
	attachment int64
	acceptance int64 // an acceptance of its exit (department basis)
	stop       int64 // a stop-production order, not lifted
}

// who is a signed-in user of the walk ("" role = anonymous).
type who struct {
	role, region, sector string
	path                 string
}

func (u who) sees(t target) bool {
	return strings.HasPrefix(t.path, u.path) && (u.sector == "" || u.sector == t.e.Sector)
}

func (u who) writes() bool {
	return u.role == taotai.RoleCityClerk || u.role == taotai.RoleCityApprover || u.role == taotai.RoleAdmin
}

// recorders may record inspections, handle hazards and issue documents.
var recorders = []string{taotai.RoleInspector, taotai.RoleCityClerk, taotai.RoleCityApprover, taotai.RoleAdmin}

// acting: the target must be in the lane (else 404), then the role must be
// one of roles (else 403).
func acting(code int, roles ...string) func(u who, t target) int {
	return func(u who, t target) int {
		switch {
		case u.role == "":
			return redirect
		case !u.sees(t):
			return http.StatusNotFound
		case !slices.Contains(roles, u.role):
			return http.StatusForbidden
		}
		return code
	}
}

func inspectionForm(t target, _ int) url.Values {
	return url.Values{"date": {"2020-06-09"}, "kind": {"routine"}, "inspectors": {"张明、李强"}, "inspector_count": {"2"},
		"expert_count": {"0"}, "findings": {"例行检查"}}
}

func guaranteesForm(t target, _ int) url.Values {
	return url.Values{"version": {strconv.Itoa(t.hazard.Version)}, "responsible": {"王厂长"}, "measures": {"整改"}, "funds": {"1"},
		"g_deadline": {"2020-06-25"}, "plan": {"应急预案"}}
}

func recheckForm(t target, _ int) url.Values {
	return url.Values{"version": {strconv.Itoa(t.hazard.Version)}, "passed": {"1"}, "date": {"2099-01-01"}}
}

// cardForm asks to accept a red card: a forbidden transition.
func cardForm(t target, _ int) url.Values {
	return url.Values{"to": {"accepted"}, "version": {"2"}, "accepted_on": {"2020-10-20"}, "members": {"工信"}, "findings": {"已关闭"}}
}

func extendForm(t target, _ int) url.Values {
	return url.Values{"version": {strconv.Itoa(t.hazard.Version)}, "deadline": {t.hazard.Deadline.AddDate(0, 0, 1).Format("2006-01-02")},
		"reason": {"设备到货延迟"}}
}

// rule builds the request of a route for a user and target, and says the
// status it must get.
type rule struct {
	form func(t target, n int) url.Values // nil: GET without a body
	want func(u who, t target) int
}

const (
	ok       = http.StatusOK
	redirect = http.StatusSeeOther
)

func signedIn(code int) func(u who, t target) int {
	return func(u who, t target) int {
		if u.role == "" {
			return redirect // to /login
		}
		return code
	}
}

func byRole(code int, roles ...string) func(u who, t target) int {
	return func(u who, t target) int {
		switch {
		case u.role == "":
			return redirect
		case slices.Contains(roles, u.role):
			return code
		}
		return http.StatusForbidden
	}
}

// record: the target must be in the lane (else 404), then the role must
// be allowed to write (else 403).
func record(code int, write bool) func(u who, t target) int {
	return func(u who, t target) int {
		switch {
		case u.role == "":
			return redirect
		case !u.sees(t):
			return http.StatusNotFound
		case write && !u.writes():
			return http.StatusForbidden
		}
		return code
	}
}

// provincial: the second factor is for province-level accounts only.
func provincial(code int) func(u who, t target) int {
	return func(u who, t target) int {
		switch {
		case u.role == "":
			return redirect
		case u.region != taotai.ProvinceCode:
			return http.StatusForbidden
		}
		return code
	}
}

func always(code int) func(u who, t target) int { return func(who, target) int { return code } }

func empty(target, int) url.Values { return url.Values{} }

func values(kv ...string) func(target, int) url.Values {
	return func(target, int) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
}

func enterpriseForm(t target, _ int) url.Values {
	e := t.e
	return url.Values{"name": {e.Name}, "credit_code": {e.CreditCode}, "address": {e.Address}, "region": {e.RegionCode},
		"industry": {strconv.FormatInt(e.IndustryID, 10)}, "production_state": {e.ProductionState}, "version": {strconv.Itoa(e.Version)}}
}

func newEnterpriseForm(t target, n int) url.Values {
	f := enterpriseForm(t, n)
	first := fmt.Sprintf("91210300MA%07d", n)
	f.Set("name", fmt.Sprintf("路由测试企业%d", n))
	f.Set("credit_code", first+string(taotai.USCCCheckDigit(first)))
	f.Set("region", "210302")
	return f
}

var writers = []string{taotai.RoleCityClerk, taotai.RoleCityApprover, taotai.RoleAdmin}

var rules = map[string]rule{
	"GET /healthz":     {nil, always(ok)},
	"GET /login":       {nil, func(u who, _ target) int { return map[bool]int{true: ok, false: redirect}[u.role == ""] }},
	"POST /login":      {values("username", "nobody", "password", "wrong password"), always(http.StatusUnauthorized)},
	"GET /login/totp":  {nil, always(redirect)}, // nothing pending: back to /login
	"POST /login/totp": {values("code", "123456"), always(redirect)},
	"POST /logout":     {empty, signedIn(redirect)},
	"GET /{$}":         {nil, signedIn(ok)},
	"GET /account":     {nil, signedIn(ok)},
	"POST /account/password": {values("current", "not my password", "password", "a new long secret", "confirm", "a new long secret"),
		signedIn(http.StatusBadRequest)},
	"POST /account/totp/setup":              {empty, provincial(ok)},
	"POST /account/totp":                    {values("code", "123456"), signedIn(http.StatusBadRequest)},
	"POST /account/totp/disable":            {empty, provincial(redirect)},
	"GET /enterprises":                      {nil, signedIn(ok)},
	"GET /enterprises/new":                  {nil, byRole(ok, writers...)},
	"POST /enterprises":                     {newEnterpriseForm, byRole(redirect, writers...)},
	"GET /enterprises/{id}":                 {nil, record(ok, false)},
	"GET /enterprises/{id}/edit":            {nil, record(ok, true)},
	"POST /enterprises/{id}":                {enterpriseForm, record(redirect, true)},
	"POST /enterprises/{id}/keylist":        {values("year", "2020", "listed", "1", "note", "正常生产"), record(redirect, true)},
	"GET /enterprises/{id}/inspections/new": {nil, acting(ok, recorders...)},
	"POST /enterprises/{id}/inspections":    {inspectionForm, acting(redirect, recorders...)},
	"GET /inspections/{id}":                 {nil, record(ok, false)},
	"POST /inspections/{id}/documents":      {values("kind", "stop_order", "issued_on", "2020-06-10"), acting(redirect, recorders...)},
	"GET /hazards/{id}":                     {nil, record(ok, false)},
	"POST /hazards/{id}/guarantees":         {guaranteesForm, acting(redirect, recorders...)},
	"POST /hazards/{id}/extend":             {extendForm, acting(redirect, recorders...)},
	// A re-check dated in the future is refused, after the lane and role.
	"POST /hazards/{id}/recheck":        {recheckForm, acting(http.StatusBadRequest, recorders...)},
	"GET /enterprises/{id}/card/{year}": {nil, record(ok, false)},
	// Accepting a red card is a forbidden transition: refused after the lane and role.
	"POST /enterprises/{id}/card/{year}": {cardForm, acting(http.StatusBadRequest, taotai.RoleCityApprover, taotai.RoleAdmin)},
	"GET /attachments/{id}":              {nil, record(ok, false)},
	"GET /inspections":                   {nil, signedIn(ok)},
	"GET /hazards":                       {nil, signedIn(ok)},
	"GET /documents":                     {nil, signedIn(ok)},
	"GET /cards":                         {nil, signedIn(ok)},
	"GET /coverage":                      {nil, signedIn(ok)},
	"GET /coverage/gaps":                 {nil, signedIn(ok)},
	"GET /forms":                         {nil, signedIn(ok)},
	"GET /forms/download":                {nil, signedIn(ok)},
	"GET /forms/print":                   {nil, signedIn(ok)},
	"GET /forms/import":                  {nil, byRole(ok, writers...)},
	// No file: the form is shown again with its message.
	"POST /forms/import": {values("form", "1", "year", "2020"), byRole(http.StatusBadRequest, writers...)},
	// Nobody's upload has the target's id.
	"POST /forms/import/{id}":                     {empty, byRole(http.StatusNotFound, writers...)},
	"GET /reports/consolidated":                   {nil, signedIn(ok)},
	"GET /reports/consolidated/view":              {nil, signedIn(ok)},
	"GET /dashboard":                              {nil, signedIn(ok)},
	"GET /keylist":                                {nil, signedIn(ok)},
	"GET /keylist/{year}":                         {nil, signedIn(ok)},
	"GET /admin":                                  {nil, byRole(ok, taotai.RoleAdmin)},
	"GET /admin/industries":                       {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/industries":                      {industryForm, byRole(redirect, taotai.RoleAdmin)},
	"GET /admin/regions":                          {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/regions/{code}/coal":             {values("coal", "0"), byRole(redirect, taotai.RoleAdmin)},
	"GET /admin/campaign/{year}":                  {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/campaign/{year}/deadlines/{key}": {values("due", "2020-05-11"), byRole(redirect, taotai.RoleAdmin)},
	"POST /admin/campaign":                        {campaignForm, byRole(redirect, taotai.RoleAdmin)},
	"GET /admin/agencies":                         {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/agencies/{id}/mark":              {empty, byRole(http.StatusBadRequest, taotai.RoleAdmin)},
	// No date: the target's stop in the lane (else 404), the agency's
	// deciders (else 403), then refused, the form shown again.
	"POST /stops/{id}/lift":            {empty, acting(http.StatusBadRequest, taotai.RoleCityApprover, taotai.RoleAdmin)},
	"GET /admin/criteria":              {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/criteria":             {criterionForm, byRole(redirect, taotai.RoleAdmin)},
	"GET /admin/sessions":              {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/sessions/{id}/revoke": {empty, byRole(http.StatusNotFound, taotai.RoleAdmin)},
	// User administration, on 鞍山's inspector (walkAccount): empty forms
	// are refused after the role, nothing changed; enabling an active
	// account conflicts; unlocking and ending sessions always succeed.
	"GET /admin/users":                        {nil, byRole(ok, taotai.RoleAdmin)},
	"GET /admin/users/new":                    {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/users":                       {empty, byRole(http.StatusBadRequest, taotai.RoleAdmin)},
	"GET /admin/users/{id}":                   {nil, byRole(ok, taotai.RoleAdmin)},
	"GET /admin/users/{id}/edit":              {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/users/{id}":                  {empty, byRole(http.StatusBadRequest, taotai.RoleAdmin)},
	"POST /admin/users/{id}/password":         {empty, byRole(http.StatusBadRequest, taotai.RoleAdmin)},
	"POST /admin/users/{id}/disable":          {empty, byRole(http.StatusBadRequest, taotai.RoleAdmin)},
	"POST /admin/users/{id}/enable":           {empty, byRole(http.StatusConflict, taotai.RoleAdmin)},
	"POST /admin/users/{id}/unlock":           {empty, byRole(redirect, taotai.RoleAdmin)},
	"POST /admin/users/{id}/end-sessions":     {empty, byRole(redirect, taotai.RoleAdmin)},
	"GET /admin/audit":                        {nil, byRole(ok, taotai.RoleAdmin, taotai.RoleAuditor)},
	"GET /admin/audit.csv":                    {nil, byRole(ok, taotai.RoleAdmin, taotai.RoleAuditor)},
	"GET /reports":                            {nil, signedIn(ok)},
	"GET /reports/{period}/{region}/{sector}": {nil, reporting(ok)},
	// An empty preparation is refused after the lane and role.
	"POST /reports/{period}/{region}/{sector}/prepare": {empty, reporting(http.StatusBadRequest, taotai.RoleCityClerk, taotai.RoleCityApprover)},
	// The walk's version is submitted already: sending it again conflicts.
	"POST /reports/{period}/{region}/{sector}/versions/{id}/submit": {empty, reporting(http.StatusConflict, taotai.RoleCityApprover)},
	// A note too long, a return without a reason, an unlock without one:
	// refused after the lane and role, nothing changed.
	"POST /reports/{period}/{region}/{sector}/versions/{id}/accept": {values("note", strings.Repeat("长", taotai.MaxNoteLen+1)),
		reporting(http.StatusBadRequest, taotai.RoleProvinceReviewer)},
	"POST /reports/{period}/{region}/{sector}/versions/{id}/return": {empty, reporting(http.StatusBadRequest, taotai.RoleProvinceReviewer)},
	"POST /reports/{period}/{region}/{sector}/extend":               {empty, reporting(http.StatusBadRequest, taotai.RoleAdmin)},
	"POST /reports/{period}/{region}/{sector}/unlock":               {empty, reporting(http.StatusBadRequest, taotai.RoleProvinceReviewer, taotai.RoleAdmin)},
	"GET /reports/{period}/{region}/{sector}/versions/{id}/{file}":  {nil, reporting(ok)},
	// The province's letters: province reviewers and administrators only,
	// anyone else 404; an empty 文号 is refused, and the coal reviewer may
	// not write 省应急管理厅's letter.
	"GET /reports/letters/{year}/{kind}": {nil, provinceLetters(ok, ok)},
	"POST /reports/letters/{year}/{kind}": {values("doc_number", " "),
		provinceLetters(http.StatusBadRequest, http.StatusForbidden)},
	"GET /reports/letters/{year}/{kind}/download": {nil, provinceLetters(ok, ok)},
	// The annual summary: everyone sees their lane's part; the province's
	// own summary of non-coal, empty: refused after the lane and role.
	"GET /reports/summary/{year}": {nil, signedIn(ok)},
	"POST /reports/summary/{year}/province": {values("sector", "noncoal", "text", " "), func(u who, _ target) int {
		switch {
		case u.role == "":
			return redirect
		case u.region != taotai.ProvinceCode || u.sector == taotai.SectorCoal:
			return http.StatusNotFound
		case u.role != taotai.RoleProvinceReviewer && u.role != taotai.RoleAdmin:
			return http.StatusForbidden
		}
		return http.StatusBadRequest
	}},
	"GET /reports/summary/{year}/download": {nil, signedIn(ok)},
	// The walk's report (May's) has no work summary, so no file 1.
	"GET /reports/{period}/{region}/{sector}/versions/{id}/files/{n}": {nil, reporting(http.StatusNotFound)},
	// Inspection plans, on 鞍山's non-coal plan of 2020 (walkPlan), awaiting
	// review: it is in the lane as 鞍山's report is. Opening one's own plan
	// redirects to it (the province has none: refused); an empty edit, an
	// approval or return without the version: refused after the lane and
	// the role; submitting again conflicts; the plan has no file 1.
	"GET /plans": {nil, signedIn(ok)},
	// The coal-mine list: the coal channel's users only; the walk's entry
	// (walkCoal) is of 鞍山's coal target. Empty forms are refused after the
	// lane and the role.
	"GET /coal-mines":          {nil, coalLane(ok, "")},
	"POST /coal-mines":         {empty, coalLane(http.StatusBadRequest, "", writers...)},
	"GET /coal-mines/export":   {nil, coalLane(ok, "")},
	"GET /coal-mines/{entry}":  {nil, coalLane(ok, coalTarget)},
	"POST /coal-mines/{entry}": {empty, coalLane(http.StatusBadRequest, coalTarget, writers...)},
	// An enterprise's standardisation and dual prevention: as its edit;
	// an empty form (no version) is refused after the lane and role.
	"GET /enterprises/{id}/safety/edit": {nil, record(ok, true)},
	"POST /enterprises/{id}/safety":     {empty, record(http.StatusBadRequest, true)},
	"POST /plans": {values("year", "2020"), func(u who, _ target) int {
		switch {
		case u.role == "":
			return redirect
		case u.role != taotai.RoleCityClerk && u.role != taotai.RoleCityApprover:
			return http.StatusForbidden
		}
		return redirect
	}},
	"GET /plans/{plan}":           {nil, reporting(ok)},
	"GET /plans/{plan}/edit":      {nil, planOwn(ok)},
	"POST /plans/{plan}":          {empty, planOwn(http.StatusBadRequest)},
	"POST /plans/{plan}/submit":   {values("version", "2"), planOwn(http.StatusConflict)},
	"POST /plans/{plan}/approve":  {empty, reporting(http.StatusBadRequest, taotai.RoleCityApprover)},
	"POST /plans/{plan}/return":   {empty, reporting(http.StatusBadRequest, taotai.RoleCityApprover)},
	"GET /plans/{plan}/files/{n}": {nil, reporting(http.StatusNotFound)},
	"/":                           {nil, always(http.StatusNotFound)},
	// Acceptance of exited enterprises: the roles that may close a card, in
	// the lane; each target's exit is accepted already, so another
	// acceptance conflicts after both, nothing written.
	"GET /enterprises/{id}/acceptance/new": {nil, acting(ok, taotai.RoleCityApprover, taotai.RoleAdmin)},
	"POST /enterprises/{id}/acceptance":    {empty, acting(http.StatusConflict, taotai.RoleCityApprover, taotai.RoleAdmin)},
	"GET /acceptances":                     {nil, signedIn(ok)},
	"GET /acceptances/{id}":                {nil, record(ok, false)},
}

// provinceLetters: province reviewers and administrators reach the
// letters (code), the coal reviewer writing them gets coal; anyone else
// 404.
func provinceLetters(code, coal int) func(u who, t target) int {
	return func(u who, _ target) int {
		switch {
		case u.role == "":
			return redirect
		case u.region != taotai.ProvinceCode || u.role != taotai.RoleProvinceReviewer && u.role != taotai.RoleAdmin:
			return http.StatusNotFound
		case u.sector == taotai.SectorCoal:
			return coal
		}
		return code
	}
}

// planOwn: the walk's plan must be in the lane (else 404), then the user
// must be a clerk or approver of its agency, 鞍山 (else 403).
func planOwn(code int) func(u who, t target) int {
	return func(u who, tg target) int {
		if c := reporting(code)(u, tg); c != code {
			return c
		}
		if (u.role != taotai.RoleCityClerk && u.role != taotai.RoleCityApprover) || u.region != "210300" {
			return http.StatusForbidden
		}
		return code
	}
}

// coalTarget is the path of the walk's coal-mine list entry's enterprise.
const coalTarget = "/210000/210300/210302/"

// coalLane: the user's lane must hold the coal channel (and the path, when
// given) (else 404), then the role must be one of roles, if any (else 403).
func coalLane(code int, path string, roles ...string) func(u who, t target) int {
	return func(u who, _ target) int {
		switch {
		case u.role == "":
			return redirect
		case u.sector == taotai.SectorNonCoal || (path != "" && !strings.HasPrefix(path, u.path)):
			return http.StatusNotFound
		case len(roles) > 0 && !slices.Contains(roles, u.role):
			return http.StatusForbidden
		}
		return code
	}
}

// reportUnit is the path of the unit whose report the walk acts on:
// 鞍山's non-coal report of May 2020.
const reportUnit = "/210000/210300/"

// reporting: the walk's report must be in the lane (else 404), then the
// role must be one of roles, if any are given (else 403).
func reporting(code int, roles ...string) func(u who, t target) int {
	return func(u who, _ target) int {
		switch {
		case u.role == "":
			return redirect
		case !strings.HasPrefix(reportUnit, u.path) || (u.sector != "" && u.sector != taotai.SectorNonCoal):
			return http.StatusNotFound
		case len(roles) > 0 && !slices.Contains(roles, u.role):
			return http.StatusForbidden
		}
		return code
	}
}

func industryForm(_ target, n int) url.Values {
	return url.Values{"name": {fmt.Sprintf("行业%d", n)}, "key": {fmt.Sprintf("k%d", n)}, "sector": {"noncoal"}}
}

func criterionForm(_ target, n int) url.Values {
	return url.Values{"industry": {"steel"}, "standard": {"测试标准"}, "article": {fmt.Sprintf("第%d项", n)}, "text": {"测试条款"}, "active": {"1"}}
}

func campaignForm(_ target, n int) url.Values {
	return url.Values{"year": {strconv.Itoa(2030 + n%60)}, "from": {"2020"}}
}

// missingRules returns the patterns of routes that have no rule.
func missingRules(routes []web.Route, rules map[string]rule) []string {
	var out []string
	for _, rt := range routes {
		if _, ok := rules[rt.Pattern]; !ok {
			out = append(out, rt.Pattern)
		}
	}
	return out
}

func TestEveryRouteHasARule(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	srv, err := web.New(web.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	if m := missingRules(srv.Routes(), rules); len(m) > 0 {
		t.Fatalf("routes without an access rule: %v", m)
	}
	// The check itself fails for a route added without a rule.
	extra := append(srv.Routes(), web.Route{Pattern: "GET /new/route/without/rule", Access: web.SignedIn})
	if m := missingRules(extra, rules); !slices.Equal(m, []string{"GET /new/route/without/rule"}) {
		t.Fatalf("a route without a rule went unnoticed: %v", m)
	}
	for p := range rules {
		if !slices.ContainsFunc(srv.Routes(), func(r web.Route) bool { return r.Pattern == p }) {
			t.Errorf("rule for %q, which is not a route", p)
		}
	}
}

// TestRouteAccess: every route × every role (and anonymous) × own record,
// another region's, the other sector's, on both databases.
func TestRouteAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := taotai.NewContextWithActor(context.Background(), taotai.System)
		inds, _ := db.Industries(ctx)
		ind := map[string]int64{}
		for _, i := range inds {
			ind[i.Key] = i.ID
		}
		// walkAccount is the account the user administration routes act on.
		var walkAccount int64
		agency := func() int64 {
			u := &taotai.User{Username: "agency_maker", Role: taotai.RoleInspector, RegionCode: "210300", Sector: taotai.SectorNonCoal}
			if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
				t.Fatal(err)
			}
			walkAccount = u.ID
			return u.AgencyID
		}()
		mk := func(name, region, industry, code string) target {
			first := "9121" + code
			e := &taotai.Enterprise{Name: name, CreditCode: first + string(taotai.USCCCheckDigit(first)), Address: "某路1号",
				RegionCode: region, IndustryID: ind[industry], ProductionState: taotai.StateNormal}
			if industry == "coal" {
				e.CoalOverride = "测试：非产煤市的煤矿" // 鞍山 is no 产煤市
			}
			if err := db.CreateEnterprise(ctx, e, false); err != nil {
				t.Fatal(err)
			}
			r, _ := db.FindRegion(ctx, region)
			crits, _ := db.CriteriaOn(ctx, e.IndustryID, time.Date(2020, 5, 9, 0, 0, 0, 0, taotai.Shanghai))
			in := &taotai.Inspection{EnterpriseID: e.ID, Date: time.Date(2020, 5, 9, 0, 0, 0, 0, taotai.Shanghai), AgencyID: agency,
				Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: 2}
			h := &taotai.Hazard{Description: "重大隐患", Level: taotai.HazardMajor, CriterionID: crits[len(crits)-1].ID,
				Deadline: time.Date(2020, 5, 30, 0, 0, 0, 0, taotai.Shanghai)}
			if err := db.RecordInspection(ctx, in, []*taotai.Hazard{h}); err != nil {
				var appErr *taotai.Error
				errors.As(err, &appErr)
				t.Fatalf("record inspection: %v %v", err, appErr.Fields)
			}
			return target{name: name, e: e, path: r.Path, inspection: in.ID, hazard: h}
		}
		// Once the deadline has passed, each card goes red with an evidence
		// file (accepting it then is a forbidden transition).
		redden := func(tg *target) {
			card, _, err := db.FindCard(ctx, tg.e.ID, 2020)
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.TransitionCard(ctx, tg.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonOverdue, Why: "逾期"},
				[]store.Attachment{{Filename: "现场.jpg", ContentType: "image/jpeg", Data: []byte("jpeg")}})
			if err != nil {
				t.Fatal(err)
			}
			_, events, _ := db.FindCard(ctx, tg.e.ID, 2020)
			tg.attachment = events[len(events)-1].Files[0].ID
		}
		targets := []target{
			mk("本市本行业", "210302", "steel", "0300MA0000001"),
			mk("外市本行业", "210902", "steel", "0900MA0000002"),
			mk("本市外行业", "210302", "coal", "0300MA0000003"),
			// Moved after their records were made: their records follow
			// them, so the old lane answers 404 and the new one sees all.
			mk("迁往外市", "210302", "steel", "0300MA0000004"),
			mk("迁入本市", "210902", "steel", "0900MA0000005"),
			mk("改为煤炭", "210302", "steel", "0300MA0000006"),
		}
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 6, 10, 10, 0, 0, 0, taotai.Shanghai)
		for i := range targets {
			redden(&targets[i])
		}
		// Each target stopped by an order of its inspection.
		for i := range targets {
			order := &taotai.Document{InspectionID: targets[i].inspection, Kind: taotai.DocStopOrder, IssuedOn: time.Date(2020, 6, 10, 0, 0, 0, 0, taotai.Shanghai)}
			if err := db.IssueDocument(ctx, order); err != nil {
				t.Fatal(err)
			}
			stops, err := db.ProductionStops(ctx, targets[i].e.ID)
			if err != nil || len(stops) != 1 {
				t.Fatalf("stops: %v %v", stops, err)
			}
			targets[i].stop = stops[0].ID
		}
		// Each target's exit accepted on the industry departments' basis.
		for i := range targets {
			acc := &taotai.Acceptance{EnterpriseID: targets[i].e.ID, Basis: taotai.AcceptBasisDepartment, ExitDepartment: "市工业和信息化局",
				ExitDocument: "关于压减产能的通知", ExitedOn: time.Date(2020, 6, 1, 0, 0, 0, 0, taotai.Shanghai),
				Members:  []taotai.AcceptanceMember{{Name: "王强", Unit: "市应急管理局"}, {Name: "李明", Unit: "市工业和信息化局"}},
				Findings: "设备已拆除", AcceptedOn: time.Date(2020, 6, 9, 0, 0, 0, 0, taotai.Shanghai), Reason: "验收"}
			for _, d := range taotai.RequiredSignOffs {
				acc.SignOffs = append(acc.SignOffs, taotai.SignOff{Department: d, Verdict: taotai.SignPass, Signer: "张三", On: acc.AcceptedOn})
			}
			if err := db.CreateAcceptance(ctx, acc, nil); err != nil {
				t.Fatal(err)
			}
			targets[i].acceptance = acc.ID
		}
		move := func(tg *target, region, industry string) {
			e, err := db.FindEnterprise(ctx, tg.e.ID)
			if err != nil {
				t.Fatal(err)
			}
			e.RegionCode, e.IndustryID = region, ind[industry]
			if industry == "coal" {
				e.CoalOverride = "测试：非产煤市的煤矿"
			}
			if tg.e, err = db.UpdateEnterprise(ctx, e, false); err != nil {
				t.Fatalf("move %s: %v", tg.name, err)
			}
			r, _ := db.FindRegion(ctx, region)
			tg.path = r.Path
		}
		move(&targets[3], "210902", "steel")
		move(&targets[4], "210302", "steel")
		move(&targets[5], "210302", "coal")
		// 鞍山's May report, prepared and submitted late, for the report routes.
		// Prepared and submitted by named accounts: pages name people, and a
		// login name never shows (rawCodes would find its role in it).
		person := func(login, name, role string) context.Context {
			u := &taotai.User{Username: login, DisplayName: name, Role: role, RegionCode: "210300", Sector: taotai.SectorNonCoal}
			if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
				t.Fatal(err)
			}
			a, err := db.ActorFor(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			return taotai.NewContextWithActor(context.Background(), a)
		}
		report := func() int64 {
			sub, err := db.PrepareReport(person("walk_clerk", "王丽", taotai.RoleCityClerk),
				&taotai.ReportPreparation{PeriodKey: "2020-05", RegionCode: "210300", Sector: taotai.SectorNonCoal, Person: "王丽", Phone: "0412-5551234"})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SubmitReport(person("walk_approver", "赵建国", taotai.RoleCityApprover), sub.ID); err != nil {
				t.Fatal(err)
			}
			return sub.ID
		}()
		// 鞍山's non-coal plan of 2020, awaiting review, for the plan routes.
		walkPlan := func() int64 {
			clerk := person("walk_plan_clerk", "李娜", taotai.RoleCityClerk)
			if err := db.SetKeyListed(ctx, 2020, targets[0].e.ID, true, "正常生产"); err != nil {
				t.Fatal(err)
			}
			p, err := db.OpenPlan(clerk, 2020, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err = db.SavePlan(clerk, p.ID, store.PlanEdit{Version: p.Version, Scheme: "方案", Months: map[int64]int{targets[0].e.ID: 6}}); err != nil {
				t.Fatal(err)
			}
			if err := db.SubmitPlan(clerk, p.ID, 2); err != nil {
				t.Fatal(err)
			}
			return p.ID
		}()
		// An entry of the coal-mine list for 鞍山's coal target (鞍山 made a
		// coal-producing city for the while).
		walkCoal := func() int64 {
			if err := db.SetCoalProducing(ctx, "210300", true); err != nil {
				t.Fatal(err)
			}
			c := &taotai.CoalMineEntry{Year: 2020, EnterpriseID: targets[2].e.ID, Conditions: "超能力生产", Measure: "停产整顿", State: taotai.CoalSuspended}
			if err := db.AddCoalMineEntry(ctx, c); err != nil {
				t.Fatal(err)
			}
			if err := db.SetCoalProducing(ctx, "210300", false); err != nil {
				t.Fatal(err)
			}
			return c.ID
		}()
		users := []who{
			{role: ""},
			{role: taotai.RoleInspector, region: "210302", sector: taotai.SectorNonCoal},
			{role: taotai.RoleCityClerk, region: "210300", sector: taotai.SectorNonCoal},
			{role: taotai.RoleCityApprover, region: "210300", sector: taotai.SectorNonCoal},
			{role: taotai.RoleProvinceReviewer, region: taotai.ProvinceCode, sector: taotai.SectorNonCoal},
			{role: taotai.RoleProvinceReviewer, region: taotai.ProvinceCode, sector: taotai.SectorCoal},
			{role: taotai.RolePartner, region: "210300", sector: ""},
			{role: taotai.RoleAdmin, region: taotai.ProvinceCode, sector: ""},
			{role: taotai.RoleAuditor, region: taotai.ProvinceCode, sector: ""},
		}
		srv, err := web.New(web.Config{Store: db})
		if err != nil {
			t.Fatal(err)
		}
		ts := newServer(t, db)
		n := 0
		for i, u := range users {
			r, _ := db.FindRegion(ctx, orDefault(u.region, taotai.ProvinceCode))
			u.path = r.Path
			c := newClient(t, ts)
			tokenPage := "/login"
			if u.role != "" {
				name := fmt.Sprintf("u%d_%s", i, u.role)
				addUser(t, db, name, u.role, u.region, u.sector)
				c.login(name)
				tokenPage = "/account"
			}
			token := c.csrf(tokenPage)
			for _, rt := range srv.Routes() {
				if rt.Pattern == "POST /logout" {
					continue // walked last
				}
				rl := rules[rt.Pattern]
				method, path, found := strings.Cut(rt.Pattern, " ")
				if !found {
					method, path = http.MethodGet, "/no-such-page"
				}
				for _, tg := range targets {
					if !strings.Contains(path, "{id}") && tg.name != targets[0].name {
						continue // routes without a record are walked once
					}
					n++
					if cur, err := db.FindEnterprise(ctx, tg.e.ID); err == nil {
						tg.e = cur // the current version, for edits
					}
					if cur, _, err := db.FindHazard(ctx, tg.hazard.ID); err == nil {
						tg.hazard = cur
					}
					id := tg.e.ID
					switch {
					case strings.HasPrefix(path, "/inspections/"):
						id = tg.inspection
					case strings.HasPrefix(path, "/hazards/"):
						id = tg.hazard.ID
					case strings.HasPrefix(path, "/attachments/"):
						id = tg.attachment
					case strings.HasPrefix(path, "/acceptances/"):
						id = tg.acceptance
					case strings.HasPrefix(path, "/stops/"):
						id = tg.stop
					case strings.HasPrefix(path, "/reports/"):
						id = report
					case strings.HasPrefix(path, "/admin/users/"):
						id = walkAccount
					}
					p := strings.NewReplacer("{id}", strconv.FormatInt(id, 10), "{year}", "2020", "{code}", "210300",
						"{key}", "first_report", "{$}", "",
						"{period}", "2020-05", "{region}", "210300", "{sector}", taotai.SectorNonCoal, "{file}", "附件1.xlsx",
						"{kind}", "yellow-list", "{n}", "1", "{plan}", strconv.FormatInt(walkPlan, 10),
						"{entry}", strconv.FormatInt(walkCoal, 10)).Replace(path)
					if strings.HasPrefix(rt.Pattern, "POST /admin/sessions/") {
						p = "/admin/sessions/0000000000000000/revoke"
					}
					var res *response
					if method == http.MethodPost {
						form := rl.form(tg, n)
						form.Set("csrf_token", token)
						res = c.post(p, form)
					} else {
						res = c.get(p)
					}
					want := rl.want(u, tg)
					// Every page, and every form sent back with its errors, ties
					// hints and errors to their fields and has no empty table
					// header (a11y_test.go).
					if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && res.Doc != nil {
						for _, f := range a11yFaults(res.Doc) {
							t.Errorf("%s %s as %s on %s: %s", method, p, orDefault(u.role, "anonymous"), tg.name, f)
						}
					}
					// No page shows a person a raw enum code (enum_leak_test.go).
					if method == http.MethodGet && strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && res.Doc != nil {
						if codes := rawCodes(res.Doc); len(codes) > 0 {
							t.Errorf("%s as %s on %s shows raw codes %v", p, orDefault(u.role, "anonymous"), tg.name, codes)
						}
					}
					if res.Status != want {
						t.Errorf("%s as %s@%s/%s on %s: status %d, want %d (%s)", rt.Pattern, orDefault(u.role, "anonymous"),
							u.region, u.sector, tg.name, res.Status, want, text(res, "#error-message"))
					}
					if want == redirect && u.role == "" && rt.Access != web.Public && res.Location != "/login" {
						t.Errorf("%s anonymous: redirected to %q, want /login", rt.Pattern, res.Location)
					}
				}
			}
			res := c.post("/logout", url.Values{"csrf_token": {token}})
			if want := rules["POST /logout"].want(u, targets[0]); res.Status != want {
				t.Errorf("POST /logout as %s: %d, want %d", orDefault(u.role, "anonymous"), res.Status, want)
			}
		}
		t.Logf("%d requests checked", n)
	})
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
