package web

import "strings"

// navSections maps each item of the main navigation to the addresses it
// covers: a page below an item marks it current too.
var navSections = map[string][]string{
	"/":            {"/"},
	"/dashboard":   {"/dashboard"},
	"/enterprises": {"/enterprises", "/attachments"},
	"/keylist":     {"/keylist"},
	"/coverage":    {"/coverage"},
	"/plans":       {"/plans"},
	"/coal-mines":  {"/coal-mines"},
	"/inspections": {"/inspections", "/hazards", "/documents", "/cards"},
	"/forms":       {"/forms"},
	"/reports":     {"/reports"},
	"/admin":       {"/admin"},
	"/admin/audit": {"/admin/audit"},
}

// Current is the aria-current value of a navigation item for the page:
// "page" on its own address, "true" below it, "" elsewhere. 操作日志
// (/admin/audit) is its own item, not 系统设置's.
func (p Page) Current(item string) string {
	if p.Path == item {
		return "page"
	}
	if item == "/admin" && strings.HasPrefix(p.Path, "/admin/audit") {
		return ""
	}
	for _, prefix := range navSections[item] {
		if prefix != "/" && (p.Path == prefix || strings.HasPrefix(p.Path, prefix+"/")) {
			return "true"
		}
	}
	return ""
}
