package taotai

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// An AuditCheckpoint anchors the audit chain outside the database: the
// head's sequence number and hash at one moment, signed with an Ed25519 key
// the database does not hold. Whoever can write the database can rewrite
// the chain so that it verifies again, but cannot make it reach back to a
// kept checkpoint without the entry the checkpoint names.
type AuditCheckpoint struct {
	Seq       int64     // the head's sequence number; 0 for an empty trail
	Hash      string    // the head's hash; GenesisHash for an empty trail
	EntryAt   time.Time // when the head entry was written; zero for an empty trail
	TakenAt   time.Time // when the checkpoint was taken
	Database  string    // which database, for the reader (a path or a redacted URL); not checked
	Key       string    // the signing key's fingerprint (AuditKeyFingerprint)
	Signature []byte    // Ed25519 over Message()
}

// auditCheckpointHeader is the first line of a checkpoint file; it names
// the format, which the signature covers.
const auditCheckpointHeader = "taotai audit checkpoint v1"

// auditCheckpointFields are the signed fields in the order they are written.
var auditCheckpointFields = []string{"seq", "hash", "entry_at", "taken_at", "database", "key"}

// Message returns the signed bytes: the checkpoint's text without its
// signature line, rebuilt from the fields so that a file whose line endings
// changed on the way (mail, Windows) still verifies.
func (c *AuditCheckpoint) Message() []byte {
	var b bytes.Buffer
	b.WriteString(auditCheckpointHeader + "\n")
	for _, f := range auditCheckpointFields {
		fmt.Fprintf(&b, "%s: %s\n", f, c.field(f))
	}
	return b.Bytes()
}

func (c *AuditCheckpoint) field(name string) string {
	switch name {
	case "seq":
		return strconv.FormatInt(c.Seq, 10)
	case "hash":
		return c.Hash
	case "entry_at":
		if c.EntryAt.IsZero() {
			return "-"
		}
		return c.EntryAt.UTC().Format(AuditTimeFormat)
	case "taken_at":
		return c.TakenAt.UTC().Format(AuditTimeFormat)
	case "database":
		return c.Database
	case "key":
		return c.Key
	}
	return ""
}

// Sign sets the key fingerprint and signs the checkpoint with priv.
func (c *AuditCheckpoint) Sign(priv ed25519.PrivateKey) {
	c.Key = AuditKeyFingerprint(priv.Public().(ed25519.PublicKey))
	c.Signature = ed25519.Sign(priv, c.Message())
}

// Verify checks the signature with pub. The error says, in Chinese, whether
// the checkpoint was signed with another key or altered after signing.
func (c *AuditCheckpoint) Verify(pub ed25519.PublicKey) error {
	if ed25519.Verify(pub, c.Message(), c.Signature) {
		return nil
	}
	if c.Key != AuditKeyFingerprint(pub) {
		return Errorf(EINVALID, "签名无效：检查点由另一把密钥（%s）签名，不是给定公钥（%s）对应的私钥。", c.Key, AuditKeyFingerprint(pub))
	}
	return Errorf(EINVALID, "签名无效：检查点的内容在签名后被改动，或签名是伪造的。")
}

// MarshalText returns the checkpoint as a few "name: value" lines a person
// can read, ending with the base64 signature.
func (c *AuditCheckpoint) MarshalText() ([]byte, error) {
	if strings.ContainsAny(c.Database, "\r\n") {
		return nil, errors.New("audit checkpoint: database name contains a line break")
	}
	b := c.Message()
	return append(b, "signature: "+base64.StdEncoding.EncodeToString(c.Signature)+"\n"...), nil
}

// ParseAuditCheckpoint reads a checkpoint written by MarshalText. It checks
// the form, not the signature (Verify).
func ParseAuditCheckpoint(text []byte) (*AuditCheckpoint, error) {
	lines := strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
	if strings.TrimSpace(lines[0]) != auditCheckpointHeader {
		return nil, Errorf(EINVALID, "不是操作日志检查点文件（第一行应为“%s”）。", auditCheckpointHeader)
	}
	vals := map[string]string{}
	for i, line := range lines[1:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, val, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if _, dup := vals[name]; !ok || dup {
			return nil, Errorf(EINVALID, "检查点文件第%d行无法识别：%q", i+2, line)
		}
		vals[name] = strings.TrimSpace(val)
	}
	c := &AuditCheckpoint{Hash: vals["hash"], Database: vals["database"], Key: vals["key"]}
	var errs []string
	var err error
	if c.Seq, err = strconv.ParseInt(vals["seq"], 10, 64); err != nil || c.Seq < 0 {
		errs = append(errs, "seq")
	}
	if h, err := hex.DecodeString(c.Hash); err != nil || len(h) != sha256.Size {
		errs = append(errs, "hash")
	}
	if v := vals["entry_at"]; v != "-" {
		if c.EntryAt, err = time.Parse(AuditTimeFormat, v); err != nil {
			errs = append(errs, "entry_at")
		}
	}
	if c.TakenAt, err = time.Parse(AuditTimeFormat, vals["taken_at"]); err != nil {
		errs = append(errs, "taken_at")
	}
	if c.Signature, err = base64.StdEncoding.DecodeString(vals["signature"]); err != nil || len(c.Signature) != ed25519.SignatureSize {
		errs = append(errs, "signature")
	}
	if len(vals) != len(auditCheckpointFields)+1 {
		errs = append(errs, fmt.Sprintf("应有%d项，实有%d项", len(auditCheckpointFields)+1, len(vals)))
	}
	if len(errs) > 0 {
		return nil, Errorf(EINVALID, "检查点文件格式不对：%s。", strings.Join(errs, "、"))
	}
	return c, nil
}

// AuditKeyFingerprint names a public key: "ed25519:" and the first 16 hex
// digits of the SHA-256 of its PKIX encoding.
func AuditKeyFingerprint(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "ed25519:?"
	}
	sum := sha256.Sum256(der)
	return "ed25519:" + hex.EncodeToString(sum[:8])
}

// MarshalAuditKey returns the private key as PEM PKCS#8 and its public key
// as PEM PKIX.
func MarshalAuditKey(priv ed25519.PrivateKey) (privPEM, pubPEM []byte, err error) {
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(priv.Public())
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), nil
}

// ParseAuditPrivateKey reads an Ed25519 private key in PEM PKCS#8.
func ParseAuditPrivateKey(data []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, Errorf(EINVALID, "不是 PEM 格式的私钥（应以“-----BEGIN PRIVATE KEY-----”开头）。")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, Errorf(EINVALID, "私钥无法读取：%v", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, Errorf(EINVALID, "私钥不是 Ed25519 密钥（请用 taotai audit keygen 生成）。")
	}
	return priv, nil
}

// ParseAuditPublicKey reads an Ed25519 public key in PEM PKIX; given a
// private key it returns that key's public half.
func ParseAuditPublicKey(data []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block != nil && block.Type == "PRIVATE KEY" {
		priv, err := ParseAuditPrivateKey(data)
		if err != nil {
			return nil, err
		}
		return priv.Public().(ed25519.PublicKey), nil
	}
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, Errorf(EINVALID, "不是 PEM 格式的公钥（应以“-----BEGIN PUBLIC KEY-----”开头）。")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, Errorf(EINVALID, "公钥无法读取：%v", err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, Errorf(EINVALID, "公钥不是 Ed25519 密钥（请用 taotai audit keygen 生成）。")
	}
	return pub, nil
}
