package main

import (
	"strings"
	"testing"

	"taotai"
)

// The usage names every role a user can be given, with its Chinese name.
func TestUsageListsEveryRole(t *testing.T) {
	for _, r := range taotai.Roles {
		if !strings.Contains(usage, r+"（"+taotai.RoleName(r)+"）") {
			t.Errorf("the usage lacks the role %s（%s）", r, taotai.RoleName(r))
		}
	}
}
