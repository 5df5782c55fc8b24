package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Each command's flags are described in Chinese where they are defined; a
// command's help (taotai CMD --help, taotai help CMD) is its purpose from
// commandHelp followed by those flags, so the two cannot drift apart.
// Flag errors are reported in Chinese too, followed by the command's help.

// commandHelp holds, per command as typed, its usage line and what it does.
var commandHelp = map[string]struct{ line, text string }{
	"serve": {"taotai serve [--addr 127.0.0.1:8080] [--db DSN] [--tls-cert FILE --tls-key FILE]",
		"启动系统：升级数据库结构后在 --addr 上提供网页服务，直到收到中断信号（Ctrl+C 或 SIGTERM）后从容退出。"},
	"demo": {"taotai demo [--addr 127.0.0.1:8080] [--db DSN] [--scale N]",
		"以演示数据启动系统：不给 --db 时使用临时 SQLite 数据库，退出后删除；演示账号的密码见 README。"},
	"migrate":      {"taotai migrate [--db DSN]", "把数据库结构升级到本程序的版本，然后退出。"},
	"user add":     {"taotai user add 用户名 --role 角色 --region 地区代码 [--sector coal|noncoal] [--agency 名称] [--name 姓名] [--db DSN]", "创建账号：初始密码从标准输入读取，用户首次登录时须修改密码。"},
	"user passwd":  {"taotai user passwd 用户名 [--db DSN]", "修改账号的密码：新密码从标准输入读取；该账号的所有会话随即失效。"},
	"user disable": {"taotai user disable 用户名 [--db DSN]", "停用账号：不能再登录，已登录的会话随即失效；可用 taotai user enable 恢复。"},
	"user enable":  {"taotai user enable 用户名 [--db DSN]", "恢复已停用的账号。"},
	"user unlock":  {"taotai user unlock 用户名 [--db DSN]", "解除连续登录失败造成的锁定。"},
	"backup": {"taotai backup -o 文件 [--db DSN]",
		"SQLite 在线一致性备份：系统运行中也可备份，备份文件已存在时不覆盖。PostgreSQL 请用 pg_dump（见 README“备份”一节）。"},
	"restore": {"taotai restore 备份文件 [--db DSN]",
		"从备份恢复 SQLite 数据库：须先停止服务；恢复前检查备份文件完好，原数据库另存备查。"},
	"audit verify": {"taotai audit verify [--db DSN] [--checkpoint 文件 …] [--pubkey 文件]",
		"校验操作日志的哈希链，报告第一处断链；给出检查点时，再与库外保存的检查点逐一核对。"},
	"audit checkpoint": {"taotai audit checkpoint [--db DSN] [--key 文件] [-o 文件]",
		"以私钥签署操作日志哈希链的当前末条（序号、哈希值），输出检查点，供日后校验时核对。"},
	"audit keygen": {"taotai audit keygen -o 文件", "生成检查点密钥：文件为私钥（权限 0600），文件.pub 为公钥。"},
	"export": {"taotai export --form 1|2|3 --region 地区代码 --sector coal|noncoal --period 期间 -o 文件.xlsx|.csv [--db DSN]",
		"导出附件：--form 1 为附件1（重点企业名单），2 为附件2（执法检查情况），3 为附件3（黄牌红牌企业名单）；一份报表只含一个行业类别（煤矿或非煤）。"},
	"import": {"taotai import --form 1|2|3 --region 地区代码 --sector coal|noncoal --year 2020 [--period 2020-06] [--dry-run] 文件.xlsx [--db DSN]",
		"导入填好的附件（一个地区、一个行业类别、一个报送期间）：逐行报错，全部写入或全部不写；--dry-run 只检查不写入。"},
}

// groups are the commands that take a subcommand.
var groups = map[string][]string{
	"user":  {"add", "passwd", "disable", "enable", "unlock"},
	"audit": {"verify", "checkpoint", "keygen"},
}

// newFlags returns the flag set of a command as typed ("user add"), quiet:
// run prints its help and errors in Chinese.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// helpRequest is returned by a command asked for its help; run writes it.
type helpRequest struct{ help func(io.Writer) }

func (h helpRequest) Error() string { return "help requested" }

// usageError is a command typed wrong: msg says how, in Chinese; help,
// when known, writes the help of the command meant (else the usage).
type usageError struct {
	msg  string
	help func(io.Writer)
}

// wrong is a usage error of the command whose flags are fs.
func wrong(fs *flag.FlagSet, msg string) usageError {
	return usageError{msg, func(w io.Writer) { printHelp(w, fs) }}
}

func (u usageError) Error() string { return u.msg }

// flagError turns a flag set's parse error into a help request (-h,
// --help) or a usage error in Chinese.
func flagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return helpRequest{func(w io.Writer) { printHelp(w, fs) }}
	}
	return wrong(fs, chineseFlagError(err.Error()))
}

// chineseFlagError translates the flag package's messages.
func chineseFlagError(msg string) string {
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return "没有这个参数：" + strings.TrimPrefix(msg, "flag provided but not defined: ")
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return "参数 " + strings.TrimPrefix(msg, "flag needs an argument: ") + " 后面要写一个值"
	case strings.HasPrefix(msg, "invalid value "), strings.HasPrefix(msg, "invalid boolean value "):
		// invalid value "x" for flag -scale: parse error
		v, f, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(msg, "invalid boolean value "), "invalid value "), " for flag ")
		f, reason, _ := strings.Cut(f, ": ")
		if reason != "" && !strings.Contains(reason, "parse error") && !strings.Contains(reason, "value out of range") {
			return "参数 " + f + " 的值 " + v + " 无效：" + reason
		}
		return "参数 " + f + " 的值 " + v + " 无效"
	}
	return "参数有误：" + msg
}

// printHelp writes a command's help: usage line, purpose, flags.
func printHelp(w io.Writer, fs *flag.FlagSet) {
	h := commandHelp[fs.Name()]
	fmt.Fprintf(w, "用法：%s\n\n%s\n", h.line, h.text)
	var flags []string
	fs.VisitAll(func(f *flag.Flag) {
		name := "--" + f.Name
		if len(f.Name) == 1 {
			name = "-" + f.Name
		}
		line := "  " + name
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool {
			line += " 值"
		}
		line += "\n        " + f.Usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			line += "（默认：" + f.DefValue + "）"
		}
		flags = append(flags, line)
	})
	if len(flags) > 0 {
		fmt.Fprintf(w, "\n参数（可写在文件名、用户名之前或之后）：\n%s\n", strings.Join(flags, "\n"))
	}
	if db := fs.Lookup("db"); db != nil && db.DefValue != "" {
		fmt.Fprint(w, "\nDSN：SQLite 文件路径（默认 ./taotai.db）或 postgres:// 地址；也可用环境变量 TAOTAI_DB。\n")
	}
}

// printGroupHelp writes the usage lines of a command group's subcommands.
func printGroupHelp(w io.Writer, group string) {
	fmt.Fprintf(w, "用法：\n")
	for _, sub := range groups[group] {
		h := commandHelp[group+" "+sub]
		fmt.Fprintf(w, "  %s\n      %s\n", h.line, h.text)
	}
	fmt.Fprintf(w, "\n每个子命令的说明：taotai %s 子命令 --help\n", group)
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}
