package web

import (
	"net/url"
	"strconv"
	"testing"

	"taotai"
)

func TestParsePlanMonths(t *testing.T) {
	for _, tc := range []struct {
		name string
		form url.Values
		want map[int64]int
		ok   bool
	}{
		{"months and blanks", url.Values{"month_7": {"5"}, "month_8": {""}, "month_9": {" 12 "}, "scheme": {"x"}}, map[int64]int{7: 5, 9: 12}, true},
		{"month 0", url.Values{"month_7": {"0"}}, nil, false},
		{"month 13", url.Values{"month_7": {"13"}}, nil, false},
		{"a word", url.Values{"month_7": {"六月"}}, nil, false},
		{"an id not a number", url.Values{"month_x": {"5"}}, nil, false},
		{"an id with a sign", url.Values{"month_+7": {"5"}}, nil, false},
		{"an id zero", url.Values{"month_0": {"5"}}, nil, false},
		{"twice", url.Values{"month_7": {"5", "6"}}, nil, false},
	} {
		got, err := parsePlanMonths(tc.form)
		if (err == nil) != tc.ok {
			t.Errorf("%s: error %v", tc.name, err)
			continue
		}
		if !tc.ok {
			if taotai.ErrorCode(err) != taotai.EINVALID {
				t.Errorf("%s: %v, want EINVALID", tc.name, err)
			}
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
	}
}

// FuzzParsePlanMonths: whatever a form holds, the months read are 1–12
// of positive ids written as they were sent, or the form is refused with
// EINVALID.
func FuzzParsePlanMonths(f *testing.F) {
	f.Add("month_12", "6")
	f.Add("month_-1", "")
	f.Add("month_99999999999999999999", "5")
	f.Add("month_3", "0x5")
	f.Fuzz(func(t *testing.T, key, value string) {
		got, err := parsePlanMonths(url.Values{key: {value}, "month_1": {"3"}})
		if err != nil {
			if taotai.ErrorCode(err) != taotai.EINVALID {
				t.Fatalf("%q=%q: %v", key, value, err)
			}
			return
		}
		for id, m := range got {
			if id <= 0 || m < 1 || m > 12 {
				t.Fatalf("%q=%q: read %d → %d", key, value, id, m)
			}
			if id != 1 && "month_"+strconv.FormatInt(id, 10) != key {
				t.Fatalf("%q=%q: read id %d", key, value, id)
			}
		}
	})
}
