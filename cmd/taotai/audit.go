package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"taotai"
)

// cmdAudit: `taotai audit verify` walks the hash chain and reports the
// first broken link (exit status 1 when broken).
func cmdAudit(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError{"audit: want verify"}
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	dsn := fs.String("db", defaultDSN(), "database")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	n, br, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if br != nil {
		return taotai.Errorf(taotai.EINVALID, "操作日志哈希链在第%d条处断开：%s（已检查%d条）", br.Seq, br.Reason, n)
	}
	fmt.Fprintf(stdout, "操作日志哈希链完整：共%d条，用时%s。\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

// operatorContext is the context of operator commands: acting as the
// system, from the command line, for the audit trail.
func operatorContext(ctx context.Context) context.Context {
	return taotai.NewContextWithActor(taotai.WithClientAddr(ctx, "命令行"), taotai.System)
}
