package taotai_test

import (
	"bytes"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"taotai"
)

func newCheckpoint(t *testing.T, priv ed25519.PrivateKey) *taotai.AuditCheckpoint {
	t.Helper()
	c := &taotai.AuditCheckpoint{Seq: 42, Hash: strings.Repeat("ab", 32),
		EntryAt:  time.Date(2020, 5, 10, 2, 0, 0, 123000, time.UTC),
		TakenAt:  time.Date(2020, 5, 11, 0, 0, 0, 0, time.UTC),
		Database: "postgres://taotai:xxxxx@db.example:5432/taotai"}
	c.Sign(priv)
	return c
}

func TestAuditCheckpointRoundTrip(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	c := newCheckpoint(t, priv)
	text, err := c.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"taotai audit checkpoint v1\n", "seq: 42\n", "hash: abab", "entry_at: 2020-05-10T02:00:00.000123Z\n",
		"database: postgres://taotai:xxxxx@db.example:5432/taotai\n", "key: " + taotai.AuditKeyFingerprint(pub) + "\n", "signature: "} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("checkpoint text lacks %q:\n%s", want, text)
		}
	}
	// Mailed through Windows: CRLF line endings still verify.
	for _, in := range [][]byte{text, bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))} {
		got, err := taotai.ParseAuditCheckpoint(in)
		if err != nil {
			t.Fatal(err)
		}
		if err := got.Verify(pub); err != nil {
			t.Fatalf("verify the parsed checkpoint: %v", err)
		}
		if got.Seq != c.Seq || got.Hash != c.Hash || !got.EntryAt.Equal(c.EntryAt) || !got.TakenAt.Equal(c.TakenAt) || got.Database != c.Database {
			t.Fatalf("round trip: %+v, want %+v", got, c)
		}
	}
}

// TestAuditCheckpointForgery: a checkpoint edited after signing, or signed
// with another key, does not verify with the operator's public key.
func TestAuditCheckpointForgery(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	_, other, _ := ed25519.GenerateKey(nil)
	text, _ := newCheckpoint(t, priv).MarshalText()
	edited, _ := taotai.ParseAuditCheckpoint(bytes.Replace(text, []byte("seq: 42"), []byte("seq: 41"), 1))
	if err := edited.Verify(pub); err == nil || !strings.Contains(taotai.ErrorMessage(err), "签名后被改动") {
		t.Fatalf("edited checkpoint: %v", err)
	}
	forged := newCheckpoint(t, other)
	if err := forged.Verify(pub); err == nil || !strings.Contains(taotai.ErrorMessage(err), "另一把密钥") {
		t.Fatalf("checkpoint signed with another key: %v", err)
	}
	// Claiming the right key's fingerprint does not help the forger.
	forged.Key = taotai.AuditKeyFingerprint(pub)
	if err := forged.Verify(pub); err == nil {
		t.Fatal("a forged checkpoint verified")
	}
}

func TestParseAuditCheckpointRefuses(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	text, _ := newCheckpoint(t, priv).MarshalText()
	s := string(text)
	for name, in := range map[string]string{
		"not a checkpoint": "hello\n",
		"bad seq":          strings.Replace(s, "seq: 42", "seq: x", 1),
		"short hash":       strings.Replace(s, "hash: abab", "hash: ab", 1),
		"no signature":     s[:strings.Index(s, "signature:")],
		"unknown field":    s + "extra: 1\n",
		"duplicate field":  s + "seq: 43\n",
		"no colon":         s + "garbage\n",
	} {
		if _, err := taotai.ParseAuditCheckpoint([]byte(in)); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestAuditKeyPEM(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	privPEM, pubPEM, err := taotai.MarshalAuditKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	gotPriv, err := taotai.ParseAuditPrivateKey(privPEM)
	if err != nil || !gotPriv.Equal(priv) {
		t.Fatalf("private key round trip: %v", err)
	}
	for _, in := range [][]byte{pubPEM, privPEM} {
		gotPub, err := taotai.ParseAuditPublicKey(in)
		if err != nil || !gotPub.Equal(pub) {
			t.Fatalf("public key from %.30q: %v", in, err)
		}
	}
	if _, err := taotai.ParseAuditPrivateKey(pubPEM); err == nil {
		t.Fatal("a public key read as a private key")
	}
	if _, err := taotai.ParseAuditPublicKey([]byte("not pem")); err == nil {
		t.Fatal("garbage read as a public key")
	}
}
