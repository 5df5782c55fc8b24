// Command taotai is the whole system in one binary: the web server, the
// demo, migrations and operator commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"taotai"
	"taotai/internal/store"
)

const usage = `taotai — 淘汰落后产能执法检查信息系统

用法:
  taotai serve   [--addr 127.0.0.1:8080] [--db DSN]      启动系统
  taotai demo    [--addr 127.0.0.1:8080] [--db DSN] [--scale N]  以演示数据启动
  taotai migrate [--db DSN]                              升级数据库结构
  taotai user add NAME --role ROLE --region CODE [--sector coal|noncoal] [--agency 名称] [--db DSN]
  taotai user passwd NAME [--db DSN]                     （新密码从标准输入读取）
  taotai user disable NAME [--db DSN]                    停用账号（taotai user enable NAME 恢复）
  taotai user enable NAME [--db DSN]                     恢复已停用的账号
  taotai user unlock NAME [--db DSN]                     解除连续登录失败造成的锁定
  taotai backup -o FILE [--db DSN]                       SQLite 在线一致性备份（PostgreSQL 用 pg_dump，见 README）
  taotai restore FILE [--db DSN]                         从备份恢复 SQLite 数据库（须先停止服务）
  taotai audit verify [--db DSN] [--checkpoint FILE…] [--pubkey FILE]
                                                         校验操作日志哈希链，报告第一处断链；并与库外保存的检查点核对
  taotai audit checkpoint [--db DSN] [--key FILE] [-o FILE]
                                                         以私钥签署哈希链当前末条（序号、哈希值），输出检查点
  taotai audit keygen -o FILE                            生成检查点密钥：FILE 私钥（0600），FILE.pub 公钥
  taotai export --form 1|2|3 --region CODE --sector coal|noncoal --period 2020-05|2020-06…2020-09|2020 -o FILE.xlsx|.csv
                                                         导出附件（首次报送、月报或年度）
  taotai import --form 1|2|3 --region CODE --sector coal|noncoal --year 2020 [--period 2020-06] [--dry-run] FILE.xlsx
                                                         导入填好的附件（一个地区、一个行业类别、一个报送期间）：逐行报错，全部写入或全部不写

DSN: SQLite 文件路径（默认 ./taotai.db）或 postgres:// 地址；也可用环境变量 TAOTAI_DB。
检查点密钥也可用环境变量 TAOTAI_AUDIT_KEY（私钥）、TAOTAI_AUDIT_PUBKEY（公钥）指定。
角色: inspector（执法人员） city_clerk（市级填报） city_approver（市级审核） province_reviewer（省级审核）
      partner（协作部门） admin（系统管理员） auditor（审计管理员）
参数可写在文件名、用户名之前或之后。每个命令的说明：taotai 命令 --help（如 taotai import --help）。
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(os.Stderr, "错误：%s\n\n", u.msg)
			if u.help != nil {
				u.help(os.Stderr)
			} else {
				fmt.Fprint(os.Stderr, usage)
			}
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "错误：", message(err))
		os.Exit(1)
	}
}

// message is the user-facing text of err: the Chinese message of an
// application error, else the error itself (for operators).
func message(err error) string {
	var e *taotai.Error
	if errors.As(err, &e) {
		msg := e.Message
		for k, v := range e.Fields {
			msg += "\n  " + k + "：" + v
		}
		return msg
	}
	return err.Error()
}

// run runs the command args; asked for help, it writes the help to stdout.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, stdin, stdout, stderr)
	var h helpRequest
	if errors.As(err, &h) {
		h.help(stdout)
		return nil
	}
	return err
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{msg: "请指明要执行的命令。"}
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stderr)
	case "demo":
		return cmdDemo(ctx, args[1:], stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args[1:])
	case "user":
		return cmdUser(ctx, args[1:], stdin, stdout)
	case "backup":
		return cmdBackup(ctx, args[1:], stdout)
	case "restore":
		return cmdRestore(ctx, args[1:], stdout)
	case "audit":
		return cmdAudit(ctx, args[1:], stdout)
	case "export":
		return cmdExport(ctx, args[1:], stdout)
	case "import":
		return cmdImport(ctx, args[1:], stdout)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && !isHelp(args[1]) {
			// taotai help export, taotai help user add
			return dispatch(ctx, append(slices.Clone(args[1:]), "--help"), stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{msg: "没有这个命令：" + args[0]}
}

// dbUsage describes --db.
const dbUsage = "数据库：SQLite 文件路径或 postgres:// 地址"

func defaultDSN() string {
	if v := os.Getenv("TAOTAI_DB"); v != "" {
		return v
	}
	return "./taotai.db"
}

// openStore opens and migrates the database.
func openStore(ctx context.Context, dsn string) (*store.DB, error) {
	return openStoreTuned(ctx, dsn, store.Tuning{})
}

// openStoreTuned opens and migrates the database with the pool and cache
// sized by t.
func openStoreTuned(ctx context.Context, dsn string, t store.Tuning) (*store.DB, error) {
	db, err := store.OpenTuned(ctx, dsn, nil, t)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func cmdMigrate(ctx context.Context, args []string) error {
	fs := newFlags("migrate")
	dsn := fs.String("db", defaultDSN(), dbUsage)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(fs, err)
	}
	if len(rest) > 0 {
		return wrong(fs, "多余的参数："+rest[0])
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	return db.Close()
}

func newLogger(w io.Writer, json bool) *slog.Logger {
	if json {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// parseInterspersed parses flags anywhere among args, as people type them
// (`taotai import FILE --db X`); the other arguments are returned in order.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
