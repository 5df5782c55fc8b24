package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"taotai"
)

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	groupHelp := func(w io.Writer) { printGroupHelp(w, "user") }
	if len(args) == 0 || isHelp(args[0]) {
		return helpRequest{groupHelp}
	}
	sub, rest := args[0], args[1:]
	if !slices.Contains(groups["user"], sub) {
		return usageError{"没有这个子命令：user " + sub, groupHelp}
	}
	fs := newFlags("user " + sub)
	dsn := fs.String("db", defaultDSN(), dbUsage)
	var role, region, sector, agency, display *string
	if sub == "add" {
		role = fs.String("role", "", "角色（见 taotai --help 的角色表，如 city_clerk）")
		region = fs.String("region", "", "所属地区的行政区划代码（如 210300 鞍山市，210000 为全省）")
		sector = fs.String("sector", "", "行业类别：coal（煤矿）或 noncoal（非煤）；不给则两类都管")
		agency = fs.String("agency", "", "所在单位名称（默认按地区和行业类别生成）")
		display = fs.String("name", "", "姓名")
	}
	// NAME may come before or after the flags.
	names, err := parseInterspersed(fs, rest)
	if err != nil {
		return flagError(fs, err)
	}
	switch {
	case len(names) == 0:
		return wrong(fs, "请指明用户名。")
	case len(names) > 1:
		return wrong(fs, "一次只能处理一个用户名；多余的参数："+names[1])
	}
	name := names[0]
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
	case "enable":
		if err := db.EnableUser(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已恢复用户 %s\n", name)
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
