package main

// Checkpoints anchor the audit chain outside the database: `audit keygen`
// makes the Ed25519 key pair, `audit checkpoint` signs the head with the
// private key, and `audit verify --checkpoint` checks kept checkpoints
// against the chain with the public key only.

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"taotai"
	"taotai/internal/store"
)

// Environment variables naming the key files, for cron jobs.
const (
	envAuditKey    = "TAOTAI_AUDIT_KEY"    // the private key, to sign checkpoints
	envAuditPubkey = "TAOTAI_AUDIT_PUBKEY" // the public key, to verify them
)

// cmdAuditKeygen writes a new key pair: FILE (private, mode 0600) and
// FILE.pub (public). It never overwrites either.
func cmdAuditKeygen(args []string, stdout io.Writer) error {
	fs := newFlags("audit keygen")
	out := fs.String("o", "", "要生成的私钥文件（公钥写入 文件.pub）；已存在时不覆盖")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(fs, err)
	}
	if *out == "" || len(rest) > 0 {
		return wrong(fs, "请用 -o 文件 指明要生成的私钥文件。")
	}
	pubFile := *out + ".pub"
	for _, f := range []string{*out, pubFile} {
		if _, err := os.Lstat(f); err == nil {
			return taotai.Errorf(taotai.ECONFLICT, "%s 已存在，不会覆盖。", f)
		}
	}
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return err
	}
	privPEM, pubPEM, err := taotai.MarshalAuditKey(priv)
	if err != nil {
		return err
	}
	if err := writeNewFile(*out, privPEM, 0o600); err != nil {
		return err
	}
	if err := writeNewFile(pubFile, pubPEM, 0o644); err != nil {
		// A private key left without its public half would make the next
		// keygen refuse to overwrite it: say so.
		if rerr := os.Remove(*out); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	fmt.Fprintf(stdout, "已生成操作日志检查点密钥 %s：\n  私钥 %s（仅本人可读；用于 taotai audit checkpoint，勿放在数据库服务器管理员可读之处）\n  公钥 %s（交给审计人员，用于 taotai audit verify --checkpoint）\n",
		taotai.AuditKeyFingerprint(priv.Public().(ed25519.PublicKey)), *out, pubFile)
	return nil
}

// cmdAuditCheckpoint prints a signed checkpoint of the chain's head and,
// with -o, writes it to a new file.
func cmdAuditCheckpoint(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("audit checkpoint")
	dsn := fs.String("db", defaultDSN(), dbUsage)
	keyFile := fs.String("key", os.Getenv(envAuditKey), "私钥文件（taotai audit keygen 生成）；也可用环境变量 "+envAuditKey)
	out := fs.String("o", "", "要写入的检查点文件（已存在时不覆盖）；不给时只输出到屏幕")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(fs, err)
	}
	if len(rest) > 0 {
		return wrong(fs, "多余的参数："+rest[0])
	}
	if *keyFile == "" {
		return wrong(fs, "请用 --key 文件 或环境变量 "+envAuditKey+" 指明签署检查点的私钥。")
	}
	priv, err := readKeyFile(*keyFile, taotai.ParseAuditPrivateKey)
	if err != nil {
		return err
	}
	if *out != "" {
		if _, err := os.Lstat(*out); err == nil {
			return taotai.Errorf(taotai.ECONFLICT, "%s 已存在，不会覆盖。", *out)
		}
	}
	if _, err := os.Stat(*dsn); !store.IsPostgresDSN(*dsn) && errors.Is(err, os.ErrNotExist) {
		return taotai.Errorf(taotai.EINVALID, "数据库文件 %s 不存在，请用 --db 指定数据库。", *dsn)
	}
	// Not openStore: a checkpoint only reads, and a cron job should not
	// migrate the database.
	db, err := store.Open(ctx, *dsn, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := db.AuditCheckpoint(ctx)
	if err != nil {
		return err
	}
	c.Database = databaseName(*dsn)
	c.Sign(priv)
	text, err := c.MarshalText()
	if err != nil {
		return err
	}
	if *out != "" {
		if err := writeNewFile(*out, text, 0o644); err != nil {
			return err
		}
	}
	_, err = stdout.Write(text)
	return err
}

// verifyCheckpoints checks each checkpoint file's signature with the public
// key and its entry against the chain. It returns one line per checkpoint:
// those that hold, and the problems.
func verifyCheckpoints(ctx context.Context, db *store.DB, files []string, pub ed25519.PublicKey) (ok, problems []string, err error) {
	for _, f := range files {
		c, err := readCheckpoint(f)
		if err == nil {
			err = c.Verify(pub)
		}
		if err != nil {
			if taotai.ErrorCode(err) != taotai.EINVALID {
				return nil, nil, err
			}
			problems = append(problems, fmt.Sprintf("检查点 %s：%s", f, message(err)))
			continue
		}
		br, err := db.CheckAuditCheckpoint(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		if br != nil {
			problems = append(problems, fmt.Sprintf("检查点 %s（%s 取得，第%d条）：%s", f, c.TakenAt.In(taotai.Shanghai).Format("2006-01-02 15:04"), c.Seq, br.Reason))
			continue
		}
		ok = append(ok, fmt.Sprintf("检查点 %s（%s 取得，第%d条）：相符。", f, c.TakenAt.In(taotai.Shanghai).Format("2006-01-02 15:04"), c.Seq))
	}
	return ok, problems, nil
}

// checkpointFlags are audit verify's flags for checkpoints. Checkpoint
// files may also follow the flags, so that a shell pattern
// (--checkpoint /kept/*.checkpoint) names them all.
type checkpointFlags struct {
	files  []string
	pubkey string
}

func (c *checkpointFlags) register(fs *flag.FlagSet) {
	fs.Func("checkpoint", "用来核对哈希链的检查点文件（可写多次，也可在其后列出多个文件）", func(v string) error {
		c.files = append(c.files, v)
		return nil
	})
	fs.StringVar(&c.pubkey, "pubkey", os.Getenv(envAuditPubkey), "核对检查点用的公钥文件；也可用环境变量 "+envAuditPubkey)
}

// publicKey reads the key to verify checkpoints with: --pubkey, else
// TAOTAI_AUDIT_PUBKEY, else the public half of TAOTAI_AUDIT_KEY.
func (c *checkpointFlags) publicKey() (ed25519.PublicKey, error) {
	file := c.pubkey
	if file == "" {
		file = os.Getenv(envAuditKey)
	}
	if file == "" {
		return nil, usageError{msg: "核对检查点须用 --pubkey 文件 或环境变量 " + envAuditPubkey + " 指明公钥。"}
	}
	return readKeyFile(file, taotai.ParseAuditPublicKey)
}

func readKeyFile[K any](file string, parse func([]byte) (K, error)) (K, error) {
	var zero K
	data, err := os.ReadFile(file) //nolint:gosec // G703: the key file named by the operator's own flag or environment
	if err != nil {
		return zero, fmt.Errorf("read key: %w", err)
	}
	k, err := parse(data)
	if err != nil {
		return zero, taotai.Errorf(taotai.EINVALID, "密钥文件 %s：%s", file, message(err))
	}
	return k, nil
}

func readCheckpoint(file string) (*taotai.AuditCheckpoint, error) {
	data, err := os.ReadFile(file) //nolint:gosec // G703: the checkpoint file named on the operator's own command line
	if errors.Is(err, fs.ErrNotExist) {
		return nil, taotai.Errorf(taotai.EINVALID, "文件不存在。")
	}
	if err != nil {
		return nil, fmt.Errorf("read checkpoint: %w", err)
	}
	return taotai.ParseAuditCheckpoint(data)
}

// databaseName names the database in a checkpoint, for its reader: an
// SQLite file's absolute path, a PostgreSQL URL without its password.
func databaseName(dsn string) string {
	if store.IsPostgresDSN(dsn) {
		return store.Redact(dsn)
	}
	if abs, err := filepath.Abs(dsn); err == nil {
		dsn = abs
	}
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(dsn)
}

// writeNewFile creates path with data and mode perm, failing when it exists.
func writeNewFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, fs.ErrExist) {
		return taotai.Errorf(taotai.ECONFLICT, "%s 已存在，不会覆盖。", path)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		err = fmt.Errorf("write %s: %w", path, err)
		// A partial file left behind would make the next try refuse to
		// overwrite it: say so.
		if rerr := os.Remove(path); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return err
	}
	return nil
}
