package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"taotai"
)

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{"user: missing subcommand"}
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	dsn := fs.String("db", defaultDSN(), "database")
	role := fs.String("role", "", "role key")
	region := fs.String("region", "", "region code")
	sector := fs.String("sector", "", "coal or noncoal (empty: both)")
	agency := fs.String("agency", "", "agency name (default from region and sector)")
	display := fs.String("name", "", "display name")
	// NAME may come before or after the flags.
	names, err := parseInterspersed(fs, rest)
	if err != nil {
		return usageError{err.Error()}
	}
	var name string
	if len(names) > 0 {
		name = names[0]
	}
	if name == "" {
		return usageError{"user: missing NAME"}
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = operatorContext(ctx)
	switch sub {
	case "add":
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		u := &taotai.User{Username: name, DisplayName: *display, Role: *role, RegionCode: *region, Sector: *sector,
			AgencyName: *agency, MustChangePassword: true}
		if err := db.CreateUser(ctx, u, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已创建用户 %s（%s，%s）\n", u.Username, taotai.RoleName(u.Role), u.RegionCode)
	case "passwd":
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if err := db.SetPassword(ctx, name, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已修改用户 %s 的密码\n", name)
	case "unlock":
		if err := db.UnlockUser(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已解除用户 %s 的登录锁定\n", name)
	case "disable":
		if err := db.DisableUser(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已停用用户 %s\n", name)
	default:
		return usageError{"user: unknown subcommand " + sub}
	}
	return nil
}

// readPassword reads the first line of stdin.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", taotai.Errorf(taotai.EINVALID, "请从标准输入提供密码，例如：echo '密码' | taotai user add …")
	}
	return pw, nil
}
