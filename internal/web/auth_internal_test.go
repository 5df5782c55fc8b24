package web

import "testing"

// A remembered page is followed only when no browser could read it as
// another site.
func TestLocalPath(t *testing.T) {
	for v, want := range map[string]bool{
		"/":                      true,
		"/enterprises/12?page=2": true,
		"/hazards?q=%E9%87%8D":   true,
		"":                       false,
		"enterprises":            false,
		"//evil.example":         false,
		"/\\evil.example":        false,
		"/a/../\\evil.example":   false,
		"/\t/evil.example":       false,
		"/\n/evil.example":       false,
		"/\x7f":                  false,
		"https://evil.example/":  false,
		"/%09/evil.example":      true, // stays one path: browsers do not decode it
	} {
		if got := localPath(v); got != want {
			t.Errorf("localPath(%q) = %v, want %v", v, got, want)
		}
	}
}
