package store_test

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"taotai/internal/store"
)

func TestSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 12, 6, 22, 0, 0, 123456789, time.UTC)
	for _, values := range []map[string]any{
		{},
		{store.SessionUserID: int64(7), store.SessionSeen: int64(1796000000), store.SessionAddr: "10.0.0.1",
			"csrf": "tok", "flash": "已登记。<b>\"引号\"</b>"},
		{"pending_totp": int64(-1), "empty": ""},
	} {
		b, err := store.SessionCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		d, got, err := store.SessionCodec{}.Decode(b)
		if err != nil || !d.Equal(deadline) || !maps.Equal(got, values) {
			t.Errorf("round trip of %v: %v %v (%v)", values, d, got, err)
		}
	}

	// Sessions written by scs's gob codec before this one are still read.
	old := map[string]any{store.SessionUserID: int64(3), "csrf": "x"}
	b, err := scs.GobCodec{}.Encode(deadline, old)
	if err != nil {
		t.Fatal(err)
	}
	if d, got, err := (store.SessionCodec{}).Decode(b); err != nil || !d.Equal(deadline) || !maps.Equal(got, old) {
		t.Errorf("gob session: %v %v (%v)", d, got, err)
	}

	for name, v := range map[string]any{"bool": true, "int": 3, "time": deadline} {
		if _, err := (store.SessionCodec{}).Encode(deadline, map[string]any{"k": v}); err == nil || !strings.Contains(err.Error(), `"k"`) {
			t.Errorf("%s value: err %v, want one naming the key", name, err)
		}
	}
	for _, bad := range []string{`{`, `{"d":"soon"}`, `{"s":{"k":"a"},"i":{"k":1}}`, `{"i":{"k":"a"}}`, ``, "\x00"} {
		if _, _, err := (store.SessionCodec{}).Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q): no error", bad)
		}
	}
}

// FuzzSessionCodec: whatever a sessions row holds, Decode returns an error
// or values that encode and decode to themselves (JSON data; gob data
// is only read).
func FuzzSessionCodec(f *testing.F) {
	f.Add([]byte(`{"d":"2026-12-06T22:00:00Z","s":{"csrf":"t"},"i":{"user_id":7}}`))
	f.Add([]byte(`{"s":{"k":"a"},"i":{"k":1}}`))
	if b, err := (scs.GobCodec{}).Encode(time.Now(), map[string]any{"user_id": int64(1)}); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, values, err := store.SessionCodec{}.Decode(b)
		if err != nil || b[0] != '{' {
			return // a gob session may hold kinds and keys this codec does not keep
		}
		again, err := store.SessionCodec{}.Encode(d, values)
		if err != nil {
			t.Fatalf("decoded %v but cannot encode it: %v", values, err)
		}
		d2, values2, err := store.SessionCodec{}.Decode(again)
		if err != nil || !d2.Equal(d) || !maps.Equal(values, values2) {
			t.Fatalf("%q → %v %v → %q → %v %v (%v)", b, d, values, again, d2, values2, err)
		}
	})
}
