package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"taotai"
)

// selfSigned writes a certificate for 127.0.0.1 and its key as PEM files.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "taotai test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestServeTLS: with a certificate the server speaks HTTPS only, sends
// HSTS and marks its cookies Secure (the login form's token cookie, with
// the __Host- prefix).
func TestServeTLS(t *testing.T) {
	bin := buildTaotai(t)
	cert, key := selfSigned(t)
	base, _ := startServe(t, bin, "--tls-cert", cert, "--tls-key", key)
	res, err := insecureClient().Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.TLS == nil {
		t.Fatalf("GET /login over TLS: %d, TLS %v", res.StatusCode, res.TLS != nil)
	}
	if h := res.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Errorf("Strict-Transport-Security = %q", h)
	}
	cookies := res.Cookies()
	if len(cookies) == 0 || !cookies[0].Secure || !strings.HasPrefix(cookies[0].Name, "__Host-") {
		t.Errorf("cookie not Secure: %v", res.Header["Set-Cookie"])
	}
	plain, err := insecureClient().Get(strings.Replace(base, "https://", "http://", 1) + "/healthz")
	if err == nil {
		plain.Body.Close()
		if plain.StatusCode == http.StatusOK {
			t.Error("plain HTTP answered 200 on the TLS address")
		}
	}
}

// TestTLSFlags: a certificate without its key, or files that cannot be
// read, stop serve and demo before they start, with a message in Chinese.
func TestTLSFlags(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"serve, cert only", []string{"serve", "--tls-cert", missing}, "--tls-cert 和 --tls-key 必须同时给出"},
		{"serve, key only", []string{"serve", "--tls-key", missing}, "--tls-cert 和 --tls-key 必须同时给出"},
		{"demo, cert only", []string{"demo", "--tls-cert", missing}, "--tls-cert 和 --tls-key 必须同时给出"},
		{"unreadable files", []string{"serve", "--tls-cert", missing, "--tls-key", missing}, "无法读取 TLS 证书或私钥"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, strings.NewReader(""), io.Discard, io.Discard)
			if taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(message(err), tt.want) {
				t.Errorf("error %v, want EINVALID with %q", err, tt.want)
			}
		})
	}
}
