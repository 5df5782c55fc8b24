package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"taotai"
)

// sqliteSidecars are the files SQLite may keep beside a database file; they
// belong to it and move with it.
var sqliteSidecars = []string{"-wal", "-shm", "-journal"}

// Backup writes a consistent copy of the SQLite database to path while the
// database stays in use: VACUUM INTO reads one snapshot (under WAL, writers
// carry on) and writes it as a compact database. The copy is written to a
// temporary file in path's directory, checked, synced and only then given
// its name, so path is either absent or a whole backup. An existing path is
// refused (ECONFLICT), never overwritten. On PostgreSQL Backup returns
// EINVALID: pg_dump is the tool there.
func (s *DB) Backup(ctx context.Context, path string) (err error) {
	if s.dialect != SQLite {
		return taotai.Errorf(taotai.EINVALID, "PostgreSQL 数据库请用 pg_dump 备份（pg_dump -Fc，见 README“备份”一节）；taotai backup 只用于 SQLite。")
	}
	if path, err = filepath.Abs(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Lstat(path); err == nil {
		return existsError(path)
	}
	tmp, err := tempFileBeside(path, ".backup-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			removeDatabaseFiles(tmp)
		}
	}()
	if err := s.vacuumInto(ctx, tmp); err != nil {
		return err
	}
	if err := checkDatabase(ctx, tmp); err != nil {
		return fmt.Errorf("backup: the copy fails its check: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	return publishNew(tmp, path)
}

// vacuumInto writes the database's current snapshot into the empty file
// tmp, on one connection of the pool.
func (s *DB) vacuumInto(ctx context.Context, tmp string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		return fmt.Errorf("backup: vacuum into %s: %w", tmp, err)
	}
	return nil
}

// Restore replaces the SQLite database at targetPath with the backup at
// backupPath, which must be a taotai database that passes PRAGMA
// integrity_check. The backup is copied next to the target, checked and
// migrated there (a backup may be older than the program); only then is
// the old database with its -wal and -shm files moved aside to
// targetPath.before-restore-<time> — never deleted — and the copy renamed
// into place. movedAside is that name, "" when there was no database.
//
// The server must be stopped: Restore refuses (EINVALID) a target that
// another connection holds open. A bad backup (EINVALID) leaves the target
// untouched. When only the final sync of the directory fails, the database
// is in place: Restore returns movedAside with the error.
func Restore(ctx context.Context, backupPath, targetPath string) (movedAside string, err error) {
	if IsPostgresDSN(targetPath) {
		return "", taotai.Errorf(taotai.EINVALID, "PostgreSQL 数据库请用 pg_restore 恢复（pg_restore --clean --if-exists -d …，见 README“备份”一节）；taotai restore 只用于 SQLite。")
	}
	if backupPath, err = filepath.Abs(backupPath); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if targetPath, err = filepath.Abs(targetPath); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := checkBackupSource(backupPath, targetPath); err != nil {
		return "", err
	}
	if err := refuseInUse(ctx, targetPath); err != nil {
		return "", err
	}
	tmp, err := prepareRestore(ctx, backupPath, targetPath)
	if err != nil {
		return "", err
	}
	if movedAside, err = moveAside(targetPath); err != nil {
		removeDatabaseFiles(tmp)
		return "", err
	}
	if err := os.Rename(tmp, targetPath); err != nil {
		removeDatabaseFiles(tmp)
		return "", errors.Join(fmt.Errorf("restore: %w", err), moveBack(movedAside, targetPath))
	}
	if err := syncDir(filepath.Dir(targetPath)); err != nil {
		return movedAside, fmt.Errorf("restore: %s is restored, but its directory could not be synced, so a crash could undo the renames: %w", targetPath, err)
	}
	return movedAside, nil
}

// prepareRestore copies the backup to a temporary file beside the target,
// checks and migrates it, and returns its name. On error nothing is left.
func prepareRestore(ctx context.Context, backupPath, targetPath string) (tmp string, err error) {
	if tmp, err = tempFileBeside(targetPath, ".restore-"); err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			removeDatabaseFiles(tmp)
			tmp = ""
		}
	}()
	if err := copyInto(tmp, backupPath); err != nil {
		return tmp, err
	}
	if fi, err := os.Stat(targetPath); err == nil {
		// The restored file keeps the permissions of the one it replaces.
		if err := os.Chmod(tmp, fi.Mode().Perm()); err != nil {
			return tmp, fmt.Errorf("restore: %w", err)
		}
	}
	if err := checkDatabase(ctx, tmp); err != nil {
		return tmp, err
	}
	if err := migrateFile(ctx, tmp); err != nil {
		return tmp, err
	}
	return tmp, syncFile(tmp)
}

// checkBackupSource refuses a backup that is no regular file, that is the
// target itself, or that has a write-ahead log beside it: the file alone
// would then lack the log's commits.
func checkBackupSource(backupPath, targetPath string) error {
	fi, err := os.Stat(backupPath)
	if errors.Is(err, fs.ErrNotExist) {
		return taotai.Errorf(taotai.EINVALID, "备份文件 %s 不存在。", backupPath)
	} else if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return taotai.Errorf(taotai.EINVALID, "%s 不是普通文件，不能作为备份恢复。", backupPath)
	}
	if ti, err := os.Stat(targetPath); err == nil && os.SameFile(fi, ti) {
		return taotai.Errorf(taotai.EINVALID, "备份文件 %s 就是要恢复的数据库本身。", backupPath)
	}
	if wi, err := os.Stat(backupPath + "-wal"); err == nil && wi.Size() > 0 {
		return taotai.Errorf(taotai.EINVALID, "备份文件旁有 %s-wal：它像是一个正在使用或未正常关闭的数据库，只复制这一个文件会丢失日志中的数据。请用 taotai backup 制作备份后再恢复。", backupPath)
	}
	return nil
}

// refuseInUse returns EINVALID when another connection, in this process or
// another, has the SQLite database at path open. It takes an exclusive
// lock without waiting: a taotai server holds a shared lock on its WAL
// database for as long as it runs. Any other failure (a damaged or foreign
// file) is no reason to stop: the file will be moved aside, not read.
func refuseInUse(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err != nil {
		return nil
	}
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, `BEGIN EXCLUSIVE`)
	if isBusy(err) {
		return taotai.Errorf(taotai.EINVALID, "数据库 %s 正被其他进程使用（taotai 服务可能仍在运行）。请先停止服务，再恢复。", path)
	}
	if err == nil {
		// The probe's own transaction, which wrote nothing; closing the
		// connection below ends it if this fails.
		_, _ = conn.ExecContext(ctx, `ROLLBACK`)
	}
	return nil
}

func isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY
}

// checkDatabase checks that the file at path is a sound taotai database:
// integrity_check says ok, and the migration table and the registry are
// there, at a schema version this program knows.
func checkDatabase(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer db.Close()
	var problems []string
	err = scanStrings(ctx, db, `PRAGMA integrity_check`, &problems)
	var e *sqlite.Error
	switch {
	case errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_NOTADB:
		return taotai.Errorf(taotai.EINVALID, "该文件不是 SQLite 数据库，不能作为备份恢复。")
	case errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_CORRUPT:
		return taotai.Errorf(taotai.EINVALID, "该数据库已损坏（%v），不能恢复。", err)
	case err != nil:
		return fmt.Errorf("check %s: %w", path, err)
	case len(problems) != 1 || problems[0] != "ok":
		return taotai.Errorf(taotai.EINVALID, "该数据库未通过完整性检查（%s），不能恢复。", strings.Join(problems[:min(3, len(problems))], "；"))
	}
	var tables []string
	if err := scanStrings(ctx, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ($1, 'enterprises')`, &tables, goose.DefaultTablename); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if len(tables) != 2 {
		return taotai.Errorf(taotai.EINVALID, "该文件是 SQLite 数据库，但不是 taotai 的数据库（缺少 %s 或 enterprises 表），不能恢复。", goose.DefaultTablename)
	}
	return checkSchemaVersion(ctx, db)
}

// checkSchemaVersion refuses a database migrated by a newer taotai: this
// program would run on a schema it does not know.
func checkSchemaVersion(ctx context.Context, db *sql.DB) error {
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version_id) FROM `+goose.DefaultTablename+` WHERE is_applied`).Scan(&v); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	known, err := latestMigration(SQLite)
	if err != nil {
		return err
	}
	if v.Int64 > known {
		return taotai.Errorf(taotai.EINVALID, "该备份来自更新版本的 taotai（数据库结构版本 %d，本程序只到 %d），请用相应版本的程序恢复。", v.Int64, known)
	}
	return nil
}

// latestMigration returns the highest version among the embedded
// migrations of the dialect (00003_x.sql is version 3).
func latestMigration(dialect string) (int64, error) {
	names, err := fs.Glob(migrations, "migrations/"+dialect+"/*.sql")
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, name := range names {
		prefix, _, _ := strings.Cut(path.Base(name), "_")
		v, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("migration %s: %w", name, err)
		}
		latest = max(latest, v)
	}
	return latest, nil
}

func scanStrings(ctx context.Context, db *sql.DB, query string, out *[]string, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		*out = append(*out, s)
	}
	return rows.Err()
}

// migrateFile brings the database at path to the current schema and folds
// its write-ahead log back in, so that the file stands alone.
func migrateFile(ctx context.Context, path string) error {
	db, err := Open(ctx, path, nil)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return fmt.Errorf("restore: migrate the backup: %w", err)
	}
	if _, err := db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		db.Close()
		return fmt.Errorf("restore: checkpoint: %w", err)
	}
	if err := db.Close(); err != nil {
		return err
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("restore: %s-wal still holds %d bytes after the checkpoint", path, fi.Size())
	}
	// The log is empty: the file stands alone, and a sidecar left behind
	// is litter beside a temporary name, never moved with the database.
	_ = os.Remove(path + "-wal")
	_ = os.Remove(path + "-shm")
	return nil
}

// moveAside renames the database at target and its sidecar files to
// target.before-restore-<time>, and returns that name ("" when there was
// nothing to move). A failure half-way moves back what was moved.
func moveAside(target string) (string, error) {
	stamp := time.Now().Format("20060102-150405")
	aside := target + ".before-restore-" + stamp
	for i := 2; anyDatabaseFile(aside); i++ {
		aside = fmt.Sprintf("%s.before-restore-%s-%d", target, stamp, i)
	}
	moved := false
	for _, suffix := range append([]string{""}, sqliteSidecars...) {
		if _, err := os.Lstat(target + suffix); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Rename(target+suffix, aside+suffix); err != nil {
			return "", errors.Join(fmt.Errorf("restore: move %s aside: %w", target+suffix, err), moveBack(aside, target))
		}
		moved = true
	}
	if !moved {
		return "", nil
	}
	return aside, nil
}

// moveBack undoes moveAside.
func moveBack(aside, target string) error {
	if aside == "" {
		return nil
	}
	var errs []error
	for _, suffix := range append([]string{""}, sqliteSidecars...) {
		if _, err := os.Lstat(aside + suffix); err == nil {
			if err := os.Rename(aside+suffix, target+suffix); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func anyDatabaseFile(name string) bool {
	for _, suffix := range append([]string{""}, sqliteSidecars...) {
		if _, err := os.Lstat(name + suffix); err == nil {
			return true
		}
	}
	return false
}

func removeDatabaseFiles(name string) {
	if name == "" {
		return
	}
	for _, suffix := range append([]string{""}, sqliteSidecars...) {
		// Cleaning up after a failure, whose error is the one reported;
		// most of these files do not exist.
		_ = os.Remove(name + suffix)
	}
}

// tempFileBeside creates an empty file in the directory of path, with a
// name that marks it as unfinished, and returns its name.
func tempFileBeside(path, mark string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+mark+"*.tmp")
	if err != nil {
		return "", fmt.Errorf("temporary file: %w", err)
	}
	return f.Name(), f.Close()
}

// copyInto copies the file src into the existing file dst.
func copyInto(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer func() { _ = in.Close() }() // read only: closing loses nothing
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close() // the copy failed: its error is the one to report
		return fmt.Errorf("restore: copy %s: %w", src, err)
	}
	return out.Close()
}

// publishNew gives the finished file tmp the name path, refusing to replace
// a file that appeared there meanwhile: a hard link fails on an existing
// name. Where hard links are not supported, it checks, then renames.
func publishNew(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case errors.Is(err, fs.ErrExist):
		return existsError(path)
	case err != nil:
		if _, err := os.Lstat(path); err == nil {
			return existsError(path)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	default:
		// The backup has its name; tmp is a second name for it, and
		// failing to remove it leaves litter, not a wrong backup.
		_ = os.Remove(tmp)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("backup: %s is written, but its directory could not be synced, so a crash could lose its name: %w", path, err)
	}
	return nil
}

func existsError(path string) error {
	return taotai.Errorf(taotai.ECONFLICT, "文件 %s 已存在；为免覆盖，备份不会写入已有文件。请换一个文件名。", path)
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close() // the sync's error is the one to report
		return fmt.Errorf("sync %s: %w", name, err)
	}
	return f.Close()
}

// syncDir makes a rename in dir durable. Not every file system can sync a
// directory (it answers EINVAL or ENOTSUP); there the rename stands on the
// file system's own ordering, and syncDir reports no error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }() // read only: closing loses nothing
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

// fileURI turns a path into an SQLite URI filename, escaping the characters
// that URIs give a meaning.
func fileURI(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(filepath.ToSlash(path))
}
