package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"strings"
	"time"

	"taotai"
)

// cmdAudit: `taotai audit verify` walks the hash chain and reports the
// first broken link (exit status 1 when broken), and with --checkpoint also
// checks the chain against checkpoints kept outside the database;
// `audit checkpoint` and `audit keygen` make them (audit_checkpoint.go).
func cmdAudit(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) {
		return helpRequest{func(w io.Writer) { printGroupHelp(w, "audit") }}
	}
	if len(args) > 0 {
		switch args[0] {
		case "checkpoint":
			return cmdAuditCheckpoint(ctx, args[1:], stdout)
		case "keygen":
			return cmdAuditKeygen(args[1:], stdout)
		}
	}
	if len(args) == 0 || args[0] != "verify" {
		return usageError{"没有这个子命令：audit " + args[0], func(w io.Writer) { printGroupHelp(w, "audit") }}
	}
	fs := newFlags("audit verify")
	dsn := fs.String("db", defaultDSN(), dbUsage)
	var cps checkpointFlags
	cps.register(fs)
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return flagError(fs, err)
	}
	if cps.files = append(cps.files, rest...); len(rest) > 0 && len(cps.files) == len(rest) {
		return wrong(fs, "多余的参数："+rest[0]+"（检查点文件写在 --checkpoint 之后）")
	}
	var pub ed25519.PublicKey
	if len(cps.files) > 0 {
		if pub, err = cps.publicKey(); err != nil {
			return err
		}
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
	ok, problems, err := verifyCheckpoints(ctx, db, cps.files, pub)
	if err != nil {
		return err
	}
	if br != nil {
		problems = append([]string{fmt.Sprintf("操作日志哈希链在第%d条处断开：%s（已检查%d条）", br.Seq, br.Reason, n)}, problems...)
	}
	if len(problems) > 0 {
		return taotai.Errorf(taotai.EINVALID, "%s", strings.Join(problems, "\n"))
	}
	fmt.Fprintf(stdout, "操作日志哈希链完整：共%d条，用时%s。\n", n, time.Since(start).Round(time.Millisecond))
	for _, line := range ok {
		fmt.Fprintln(stdout, line)
	}
	return nil
}

// operatorContext is the context of operator commands: acting as the
// system, from the command line, for the audit trail.
func operatorContext(ctx context.Context) context.Context {
	return taotai.NewContextWithActor(taotai.WithClientAddr(ctx, "命令行"), taotai.System)
}
