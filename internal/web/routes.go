package web

import (
	"errors"
	"net/http"
	"strings"

	"taotai"
)

// Access says who may reach a route at all; what they see inside it is
// decided by their role and lane, in the store.
type Access int

// Access levels.
const (
	Public    Access = iota // anyone, signed in or not
	SignedIn                // any signed-in user
	AdminOnly               // administrators
	AuditOnly               // administrators and auditors
	// ProvinceAdmin: the province's administrators. Province-wide
	// settings — industries, coal-producing cities, the campaign year's
	// deadlines, the criteria, the agencies' marks — are the province's;
	// a city's administrator manages its own lane's accounts and sessions.
	ProvinceAdmin
)

// Route is one registered address: the pattern, who may reach it and the
// handler. The route-by-route access test walks this list.
type Route struct {
	Pattern string // "GET /enterprises/{id}"
	Access  Access
	Handler func(w http.ResponseWriter, r *http.Request) error
}

// Routes lists every route the server registers.
func (s *Server) Routes() []Route {
	return []Route{
		{"GET /healthz", Public, s.healthz},
		{"GET /login", Public, s.loginForm},
		{"POST /login", Public, s.login},
		{"GET /login/totp", Public, s.totpForm},
		{"POST /login/totp", Public, s.totpLogin},
		{"POST /logout", SignedIn, s.logout},
		{"GET /account", SignedIn, s.account},
		{"POST /account/password", SignedIn, s.changePassword},
		{"POST /account/totp/setup", SignedIn, s.totpSetup},
		{"POST /account/totp", SignedIn, s.totpEnable},
		{"POST /account/totp/disable", SignedIn, s.totpDisable},
		{"GET /{$}", SignedIn, s.home},
		{"GET /enterprises", SignedIn, s.enterpriseList},
		{"GET /enterprises/new", SignedIn, s.enterpriseNew},
		{"POST /enterprises", SignedIn, s.enterpriseCreate},
		{"GET /enterprises/{id}", SignedIn, s.enterpriseDetail},
		{"GET /enterprises/{id}/edit", SignedIn, s.enterpriseEdit},
		{"POST /enterprises/{id}", SignedIn, s.enterpriseUpdate},
		{"POST /enterprises/{id}/keylist", SignedIn, s.enterpriseKeyList},
		{"GET /enterprises/{id}/inspections/new", SignedIn, s.inspectionNew},
		{"POST /enterprises/{id}/inspections", SignedIn, s.inspectionCreate},
		{"GET /inspections/{id}", SignedIn, s.inspectionDetail},
		{"POST /inspections/{id}/documents", SignedIn, s.documentIssue},
		{"GET /hazards/{id}", SignedIn, s.hazardDetail},
		{"POST /hazards/{id}/guarantees", SignedIn, s.hazardGuarantees},
		{"POST /hazards/{id}/extend", SignedIn, s.hazardExtend},
		{"POST /hazards/{id}/recheck", SignedIn, s.hazardRecheck},
		{"GET /enterprises/{id}/card/{year}", SignedIn, s.cardDetail},
		{"POST /enterprises/{id}/card/{year}", SignedIn, s.cardTransition},
		{"GET /attachments/{id}", SignedIn, s.attachment},
		// Lists of records (lists.go): what the dashboard's and the forms'
		// figures open to.
		{"GET /inspections", SignedIn, s.inspectionList},
		{"GET /hazards", SignedIn, s.hazardList},
		{"GET /documents", SignedIn, s.documentList},
		{"GET /cards", SignedIn, s.cardList},
		{"GET /coverage", SignedIn, s.coverage},
		{"GET /coverage/gaps", SignedIn, s.coverageGaps},
		{"GET /forms", SignedIn, s.formsHome},
		{"GET /forms/download", SignedIn, s.formDownload},
		{"GET /forms/print", SignedIn, s.formPrint},
		{"GET /forms/import", SignedIn, s.formsImportForm},
		{"POST /forms/import", SignedIn, s.formsImportUpload},
		{"POST /forms/import/{id}", SignedIn, s.formsImportConfirm},
		{"GET /reports", SignedIn, s.reportGrid},
		{"GET /reports/consolidated", SignedIn, s.reportConsolidated},
		// Report UI: the consolidated form as a page (with the live records'
		// differences); the annual work summary's files, downloaded as sent.
		{"GET /reports/consolidated/view", SignedIn, s.reportConsolidatedView},
		{"GET /reports/{period}/{region}/{sector}/versions/{id}/files/{n}", SignedIn, s.reportSummaryFile},
		{"GET /reports/{period}/{region}/{sector}", SignedIn, s.reportDetail},
		{"POST /reports/{period}/{region}/{sector}/prepare", SignedIn, s.reportPrepare},
		{"POST /reports/{period}/{region}/{sector}/versions/{id}/submit", SignedIn, s.reportSubmit},
		{"POST /reports/{period}/{region}/{sector}/versions/{id}/accept", SignedIn, s.reportAccept},
		{"POST /reports/{period}/{region}/{sector}/versions/{id}/return", SignedIn, s.reportReturn},
		{"POST /reports/{period}/{region}/{sector}/unlock", SignedIn, s.reportUnlock},
		{"POST /reports/{period}/{region}/{sector}/extend", SignedIn, s.reportExtend},
		{"GET /reports/{period}/{region}/{sector}/versions/{id}/{file}", SignedIn, s.reportVersionFile},
		// The province's letters to the coordination office, and the annual summary (工作总结).
		{"GET /reports/letters/{year}/{kind}", SignedIn, s.letterDetail},
		{"POST /reports/letters/{year}/{kind}", SignedIn, s.letterSave},
		{"GET /reports/letters/{year}/{kind}/download", SignedIn, s.letterDownload},
		{"GET /reports/summary/{year}", SignedIn, s.summaryDetail},
		{"POST /reports/summary/{year}/province", SignedIn, s.summaryProvinceSave},
		{"GET /reports/summary/{year}/download", SignedIn, s.summaryDownload},
		// The dashboard (issue 12 item 7): the year's figures of the
		// viewer's lane, by child unit, each linked to its records.
		{"GET /dashboard", SignedIn, s.dashboard},
		// Inspection plans (plans.go, issue 11 item 7): each agency's plan of
		// the year, drafted by the agency and approved by its city.
		{"GET /plans", SignedIn, s.planList},
		{"POST /plans", SignedIn, s.planOpen},
		{"GET /plans/{plan}", SignedIn, s.planDetail},
		{"GET /plans/{plan}/edit", SignedIn, s.planEdit},
		{"POST /plans/{plan}", SignedIn, s.planSave},
		{"POST /plans/{plan}/submit", SignedIn, s.planSubmit},
		{"POST /plans/{plan}/approve", SignedIn, s.planApprove},
		{"POST /plans/{plan}/return", SignedIn, s.planReturn},
		{"GET /plans/{plan}/files/{n}", SignedIn, s.planFile},
		// An enterprise's 安全生产标准化 and 双重预防机制 (safety.go, issue 11 item 10).
		{"GET /enterprises/{id}/safety/edit", SignedIn, s.safetyEdit},
		{"POST /enterprises/{id}/safety", SignedIn, s.safetySave},
		// The coal-producing cities' lists of coal mines that do not meet the
		// conditions for safe production (coal_mines.go, issue 11 item 8).
		{"GET /coal-mines", SignedIn, s.coalMines},
		{"POST /coal-mines", SignedIn, s.coalMineAdd},
		{"GET /coal-mines/export", SignedIn, s.coalMinesExport},
		{"GET /coal-mines/{entry}", SignedIn, s.coalMine},
		{"POST /coal-mines/{entry}", SignedIn, s.coalMineUpdate},
		{"GET /keylist", SignedIn, s.keyList},
		{"GET /keylist/{year}", SignedIn, s.keyList},
		{"GET /admin", AdminOnly, s.adminHome},
		{"GET /admin/industries", ProvinceAdmin, s.adminIndustries},
		{"POST /admin/industries", ProvinceAdmin, s.adminIndustryCreate},
		{"GET /admin/regions", ProvinceAdmin, s.adminRegions},
		{"POST /admin/regions/{code}/coal", ProvinceAdmin, s.adminRegionCoal},
		{"GET /admin/campaign/{year}", ProvinceAdmin, s.adminCampaign},
		{"POST /admin/campaign/{year}/deadlines/{key}", ProvinceAdmin, s.adminDeadline},
		{"POST /admin/campaign", ProvinceAdmin, s.adminCampaignCreate},
		{"GET /admin/criteria", ProvinceAdmin, s.adminCriteria},
		{"POST /admin/criteria", ProvinceAdmin, s.adminCriterionSave},
		{"GET /admin/sessions", AdminOnly, s.adminSessions},
		{"POST /admin/sessions/{id}/revoke", AdminOnly, s.adminSessionRevoke},
		// User administration (admin_users.go): an administrator's accounts, in their lane.
		{"GET /admin/users", AdminOnly, s.adminUsers},
		{"GET /admin/users/new", AdminOnly, s.adminUserNew},
		{"POST /admin/users", AdminOnly, s.adminUserCreate},
		{"GET /admin/users/{id}", AdminOnly, s.adminUser},
		{"GET /admin/users/{id}/edit", AdminOnly, s.adminUserEdit},
		{"POST /admin/users/{id}", AdminOnly, s.adminUserUpdate},
		{"POST /admin/users/{id}/password", AdminOnly, s.adminUserPassword},
		{"POST /admin/users/{id}/disable", AdminOnly, s.adminUserDisable},
		{"POST /admin/users/{id}/enable", AdminOnly, s.adminUserEnable},
		{"POST /admin/users/{id}/unlock", AdminOnly, s.adminUserUnlock},
		{"POST /admin/users/{id}/end-sessions", AdminOnly, s.adminUserEndSessions},
		{"GET /admin/audit", AuditOnly, s.adminAudit},
		{"GET /admin/audit.csv", AuditOnly, s.adminAuditCSV},
		// The law (issue 11): agencies' marks in document numbers, unique
		// province-wide; lifting a stop-production order after a re-check.
		{"GET /admin/agencies", ProvinceAdmin, s.adminAgencies},
		{"POST /admin/agencies/{id}/mark", ProvinceAdmin, s.adminAgencyMark},
		{"POST /stops/{id}/lift", SignedIn, s.stopLift},
		// Acceptance (验收) of exited enterprises (acceptances.go, issue 11
		// item 9): the form and its check step on an enterprise, the list.
		{"GET /enterprises/{id}/acceptance/new", SignedIn, s.acceptanceNew},
		{"POST /enterprises/{id}/acceptance", SignedIn, s.acceptanceCreate},
		{"GET /acceptances", SignedIn, s.acceptanceList},
		{"GET /acceptances/{id}", SignedIn, s.acceptanceDetail},
		{"/", Public, s.notFoundPage},
	}
}

// wrap applies the route's access rule, the input check (validAddress,
// validBody) and the CSRF check, and renders any error the handler
// returns. No handler reads a value the input check has not passed.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !validAddress(r) {
			s.badInput(w, r)
			return
		}
		if rt.Access != Public && currentUser(r) == nil {
			if r.Method == http.MethodGet {
				s.rememberReturn(w, r)
			}
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if u := currentUser(r); u != nil && u.MustChangePassword && !passwordChangeRoutes[rt.Pattern] {
			s.sessions.Put(r.Context(), sessionFlash, "首次登录或密码被重置后，须先修改密码。")
			http.Redirect(w, r, "/account", http.StatusSeeOther)
			return
		}
		switch {
		case rt.Access == AdminOnly && currentUser(r).Role != taotai.RoleAdmin:
			s.renderError(w, r, http.StatusForbidden, "此页面仅限系统管理员使用。")
			return
		case rt.Access == ProvinceAdmin && !provinceAdmin(r):
			if currentUser(r).Role == taotai.RoleAdmin {
				s.renderError(w, r, http.StatusForbidden, "此页面是全省的设置，由省级系统管理员维护。您可以管理本辖区的账号和在线会话。")
			} else {
				s.renderError(w, r, http.StatusForbidden, "此页面仅限省级系统管理员使用。")
			}
			return
		case rt.Access == AuditOnly && !taotai.ActorFromContext(r.Context()).Can(taotai.ActReadAudit):
			s.renderError(w, r, http.StatusForbidden, "此页面仅限系统管理员和审计管理员使用。")
			return
		}
		if r.Method == http.MethodPost {
			// Bound every body before the CSRF check parses it: a
			// multipart form beyond its largest upload is refused.
			r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
			if err := parseBody(r); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					s.renderError(w, r, http.StatusRequestEntityTooLarge, "上传的内容过大（每次合计不超过64MB，报表文件不超过20MB）。")
					return
				}
			}
			if !validBody(r) {
				s.badInput(w, r)
				return
			}
		}
		if r.Method == http.MethodPost && !s.validCSRF(r) {
			s.renderError(w, r, http.StatusForbidden, "页面已过期或请求来源无法验证（缺少安全令牌）。请返回上一页，刷新后重新提交。")
			return
		}
		if err := rt.Handler(w, r); err != nil {
			s.handleError(w, r, err)
		}
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.Ping(r.Context()); err != nil {
		http.Error(w, "数据库无响应", http.StatusServiceUnavailable)
		return nil
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
	return nil
}

// parseBody parses a POST's form (multipart with its files, or URL-encoded)
// so that a body beyond maxRequestBody is found before anything else.
func parseBody(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return r.ParseMultipartForm(8 << 20) //nolint:gosec // G120: the caller has bounded the body with http.MaxBytesReader(maxRequestBody) just before
	}
	return r.ParseForm()
}

// maxRequestBody bounds a request's body: the largest upload (a 20 MB
// form, or evidence files of 20 MB) with room for the other fields.
const maxRequestBody = 64 << 20

// passwordChangeRoutes are what a user who must change their password may
// reach before doing so.
var passwordChangeRoutes = map[string]bool{
	"GET /account": true, "POST /account/password": true, "POST /logout": true,
	"GET /login": true, "POST /login": true, "GET /healthz": true, "/": true,
}

// provinceAdmin reports whether the signed-in user is an administrator of
// the whole province (province-wide settings, ProvinceAdmin).
func provinceAdmin(r *http.Request) bool {
	a := taotai.ActorFromContext(r.Context())
	return a != nil && a.Role == taotai.RoleAdmin && a.RegionCode == taotai.ProvinceCode
}
