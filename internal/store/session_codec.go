package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionCodec encodes a session's data as JSON: its deadline, its text
// values and its integers, the only kinds the web layer keeps (user ids,
// times in Unix seconds, tokens, messages). encoding/gob, scs's default,
// sends its type descriptions with every session and decoded them on every
// request: 7% of a page's processor time at scale 100 (docs/benchmarks.md).
// Data written by the gob codec (sessions from before it) is still read.
type SessionCodec struct{}

type sessionData struct {
	Deadline time.Time         `json:"d"`
	Strings  map[string]string `json:"s,omitempty"`
	Ints     map[string]int64  `json:"i,omitempty"`
}

// Encode implements scs.Codec; a value of another kind is an error.
func (SessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	d := sessionData{Deadline: deadline}
	for k, v := range values {
		switch v := v.(type) {
		case string:
			if d.Strings == nil {
				d.Strings = map[string]string{}
			}
			d.Strings[k] = v
		case int64:
			if d.Ints == nil {
				d.Ints = map[string]int64{}
			}
			d.Ints[k] = v
		default:
			return nil, fmt.Errorf("session value %q: a %T cannot be kept (text or int64 only)", k, v)
		}
	}
	return json.Marshal(d)
}

// Decode implements scs.Codec.
func (SessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != '{' {
		return scs.GobCodec{}.Decode(b) // written before SessionCodec
	}
	var d sessionData
	if err := json.Unmarshal(b, &d); err != nil {
		return time.Time{}, nil, fmt.Errorf("session data: %w", err)
	}
	values := make(map[string]any, len(d.Strings)+len(d.Ints))
	for k, v := range d.Strings {
		values[k] = v
	}
	for k, v := range d.Ints {
		if _, dup := values[k]; dup {
			return time.Time{}, nil, fmt.Errorf("session data: %q is both text and a number", k)
		}
		values[k] = v
	}
	return d.Deadline, values, nil
}
