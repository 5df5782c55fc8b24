package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"taotai"
	"taotai/internal/demo"
	"taotai/internal/store"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := newFlags("demo")
	f.register(fs)
	fs.Lookup("db").DefValue, f.dsn = "", ""
	scale := fs.Int("scale", 1, "演示数据的倍数（100 约为 5 万家企业）")
	seed := fs.Int64("seed", 2020, "随机数种子（同一种子生成同样的数据）")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(fs, err)
	}
	if len(rest) > 0 {
		return wrong(fs, "多余的参数："+rest[0])
	}
	if err := f.check(); err != nil {
		return err
	}
	if *scale < 1 {
		return taotai.Errorf(taotai.EINVALID, "--scale 应为正整数。")
	}
	log := newLogger(stderr, f.logJSON)
	slog.SetDefault(log)
	start := time.Now()
	if f.dsn == "" {
		// A fresh database each time, unless one is named.
		dir, err := os.MkdirTemp("", "taotai-demo-")
		if err != nil {
			return err
		}
		f.dsn = filepath.Join(dir, "demo.db")
	}
	db, err := openStoreTuned(ctx, f.dsn, f.tuning)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, n, err := db.FindEnterprises(taotai.NewContextWithActor(ctx, taotai.System), taotai.EnterpriseFilter{Limit: 1}); err != nil {
		return err
	} else if n > 0 {
		return taotai.Errorf(taotai.EINVALID, "数据库 %s 中已有数据（%d家企业）；演示模式需要一个空数据库。", f.dsn, n)
	}
	accounts, err := demo.Load(ctx, db, demo.Options{Scale: *scale, Seed: *seed, Reporting: *scale <= maxReportingScale})
	if err != nil {
		return err
	}
	log.Info("demo data loaded", "scale", *scale, "took", time.Since(start).Round(time.Millisecond).String())
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, db, log, &f, func(url string) { printAccounts(stdout, url, f.dsn, accounts) })
}

// maxReportingScale is the largest scale whose demo holds the 2020
// reporting history: each report's forms are counted from the records, so
// the history's cost grows with the data (about 2 s at scale 1, 20 s at
// scale 10); the benchmarks' scale-100 data goes without it.
const maxReportingScale = 10

func printAccounts(w io.Writer, url, dsn string, accounts []demo.Account) {
	fmt.Fprintf(w, "\n淘汰落后产能执法检查信息系统（演示）已启动：%s\n数据库：%s\n\n演示账号（每个角色一个）：\n", url, store.Redact(dsn))
	fmt.Fprintf(w, "  %-20s %-18s %-10s %-24s %s\n", "用户名", "密码", "角色", "地区", "行业")
	for _, a := range accounts {
		fmt.Fprintf(w, "  %-20s %-18s %-10s %-24s %s\n", a.Username, a.Password, a.RoleName, a.RegionName, taotai.SectorName(a.Sector))
	}
	fmt.Fprintln(w, "\n按 Ctrl+C 停止。")
}
