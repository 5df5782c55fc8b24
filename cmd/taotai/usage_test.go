package main

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unicode"

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

// Every command answers --help (and taotai help CMD) with its own usage
// line, what it does and every one of its flags described in Chinese, on
// stdout, and exits 0.
func TestCommandHelp(t *testing.T) {
	for name, h := range commandHelp {
		t.Run(name, func(t *testing.T) {
			for _, args := range [][]string{
				append(strings.Fields(name), "--help"),
				append(strings.Fields(name), "-h"),
				append([]string{"help"}, strings.Fields(name)...),
			} {
				var out strings.Builder
				if err := run(t.Context(), args, strings.NewReader(""), &out, io.Discard); err != nil {
					t.Fatalf("%v: %v", args, err)
				}
				got := out.String()
				if !strings.Contains(got, h.line) || !strings.Contains(got, h.text) {
					t.Fatalf("%v: the help lacks its usage line or purpose:\n%s", args, got)
				}
			}
		})
	}
	// The flags: each one a command defines is in its help, in Chinese.
	for name := range commandHelp {
		var out strings.Builder
		if err := run(t.Context(), append(strings.Fields(name), "--help"), strings.NewReader(""), &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(out.String(), "\n")
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "-") && strings.HasPrefix(l, "  -") && i+1 < len(lines) {
				if !hasHan(lines[i+1]) {
					t.Errorf("%s: flag %s is described without Chinese: %q", name, strings.TrimSpace(l), lines[i+1])
				}
			}
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// A command typed wrong is refused in Chinese, naming what is wrong, and
// does nothing (no database is opened: TAOTAI_DB points nowhere).
func TestCommandMistakes(t *testing.T) {
	t.Setenv("TAOTAI_DB", t.TempDir()+"/none/never.db")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"export", "--bogus"}, "没有这个参数：-bogus"},
		{[]string{"export", "--form"}, "参数 -form 后面要写一个值"},
		{[]string{"export", "--form", "x"}, "参数 -form 的值 \"x\" 无效"},
		{[]string{"export", "--form", "2", "--period", "2020"}, "--sector"},
		{[]string{"import", "--form", "2", "--region", "210300", "--year", "2020", "--sector", "noncoal"}, "请指明一个要导入的 .xlsx 文件"},
		{[]string{"user", "frob", "x"}, "没有这个子命令：user frob"},
		{[]string{"user", "disable"}, "请指明用户名"},
		{[]string{"user", "enable", "a", "b"}, "一次只能处理一个用户名"},
		{[]string{"backup"}, "请用 -o 文件"},
		{[]string{"audit", "frob"}, "没有这个子命令：audit frob"},
		{[]string{"frob"}, "没有这个命令：frob"},
		{[]string{"demo", "--scale", "many"}, "参数 -scale 的值 \"many\" 无效"},
	}
	for _, tt := range tests {
		err := run(t.Context(), tt.args, strings.NewReader(""), io.Discard, io.Discard)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(u.msg, tt.want) {
			t.Errorf("%v: %v, want a usage error saying %q", tt.args, err, tt.want)
			continue
		}
		if !hasHan(u.msg) {
			t.Errorf("%v: %q is not Chinese", tt.args, u.msg)
		}
	}
}
