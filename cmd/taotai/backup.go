package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"taotai"
	"taotai/internal/store"
)

// cmdBackup makes an online, consistent copy of an SQLite database: the
// server may keep running and writing.
func cmdBackup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("backup")
	out := fs.String("o", "", "要生成的备份文件（已存在时不覆盖）")
	dsn := fs.String("db", defaultDSN(), dbUsage)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(fs, err)
	}
	if len(rest) > 0 {
		return wrong(fs, "多余的参数："+rest[0]+"（备份文件写在 -o 之后）")
	}
	if *out == "" {
		return wrong(fs, "请用 -o 文件 指明要生成的备份文件。")
	}
	if store.IsPostgresDSN(*dsn) {
		return taotai.Errorf(taotai.EINVALID, "PostgreSQL 数据库请用 pg_dump 备份，例如：\n  pg_dump -Fc -f taotai.dump '%s'\n恢复：pg_restore --clean --if-exists -d '%s' taotai.dump（详见 README“备份”一节）。", store.Redact(*dsn), store.Redact(*dsn))
	}
	if err := requireFile(*dsn); err != nil {
		return err
	}
	start := time.Now()
	// Not openStore: a backup reads the database as it is, without migrating.
	db, err := store.Open(ctx, *dsn, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	size := ""
	if fi, err := os.Stat(*out); err == nil {
		size = fmt.Sprintf("，%.1f MB", float64(fi.Size())/(1<<20))
	}
	fmt.Fprintf(stdout, "已备份数据库 %s 到 %s（用时 %s%s）。\n恢复时先停止服务，再运行：taotai restore %s --db %s\n",
		*dsn, *out, time.Since(start).Round(time.Millisecond), size, *out, *dsn)
	return nil
}

// cmdRestore replaces an SQLite database with a backup; the server must be
// stopped. The database it replaces is moved aside, never deleted.
func cmdRestore(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("restore")
	dsn := fs.String("db", defaultDSN(), "要恢复的 SQLite 数据库文件（原文件另存备查）")
	// FILE may come before or after the flags.
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(fs, err)
	}
	if len(files) > 1 {
		return wrong(fs, "一次只能从一个备份文件恢复。")
	}
	var file string
	if len(files) == 1 {
		file = files[0]
	}
	if file == "" {
		return wrong(fs, "请指明备份文件。")
	}
	aside, err := store.Restore(ctx, file, *dsn)
	if err != nil {
		if aside != "" {
			fmt.Fprintf(stdout, "原数据库已移到 %s（未删除）。\n", aside)
		}
		return err
	}
	fmt.Fprintf(stdout, "已用备份 %s 恢复数据库 %s，数据库结构已升级到当前版本。\n", file, *dsn)
	if aside != "" {
		fmt.Fprintf(stdout, "原数据库已移到 %s（未删除；确认恢复无误后可自行删除）。\n", aside)
	} else {
		fmt.Fprintln(stdout, "原位置没有数据库，无需移走。")
	}
	fmt.Fprintln(stdout, "现在可以启动服务：taotai serve --db "+*dsn)
	return nil
}

// requireFile refuses an SQLite path with no database: opening it would
// create an empty one.
func requireFile(path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return taotai.Errorf(taotai.EINVALID, "数据库文件 %s 不存在，请用 --db 指定要备份的数据库。", path)
	} else if err != nil {
		return err
	}
	return nil
}
