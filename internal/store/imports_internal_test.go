package store

import (
	"testing"

	"taotai"
)

func TestRegionOfAddress(t *testing.T) {
	province := &taotai.Region{Code: "210000", Name: "辽宁省", Level: taotai.LevelProvince, Path: "/210000/"}
	anshan := &taotai.Region{Code: "210300", Name: "鞍山市", Level: taotai.LevelCity, Path: "/210000/210300/"}
	place := func(code, name, level, parent string, leaf bool) placeRegion {
		return placeRegion{Region: &taotai.Region{Code: code, Name: name, Level: level}, parent: parent, leaf: leaf}
	}
	regions := []placeRegion{
		place("210000", "辽宁省", taotai.LevelProvince, "", false),
		place("210100", "沈阳市", taotai.LevelCity, "辽宁省", false),
		place("210106", "铁西区", taotai.LevelCounty, "沈阳市", true),
		place("210300", "鞍山市", taotai.LevelCity, "辽宁省", false),
		place("210302", "铁东区", taotai.LevelCounty, "鞍山市", true),
		place("210303", "铁西区", taotai.LevelCounty, "鞍山市", true),
		place("210381", "海城市", taotai.LevelCounty, "鞍山市", true),
	}
	tests := []struct {
		region  *taotai.Region
		address string
		want    string
	}{
		{province, "鞍山市铁西区兴盛路8号", "210303"},   // the county with its city, though 沈阳 has a 铁西区
		{province, "沈阳市 铁西区北二路1号", "210106"},  // spaces do not matter
		{province, "铁西区某路1号", "210000"},       // two 铁西区 and no city: to be completed
		{province, "辽宁省海城市牛庄镇", "210381"},     // a county-level city, named alone
		{province, "鞍山市千山路1号", "210300"},      // only the city: the city
		{anshan, "铁东区园林路1号", "210302"},        // within 鞍山, one 铁东区
		{anshan, "鞍山市千山路1号", "210300"},        // the import's own region
		{anshan, "阜新市海州区中华路2号", "210300"},     // nothing of 鞍山 named
		{province, "鞍山市铁东区与铁西区交界处", "210300"}, // two counties of 鞍山: the city at least
	}
	for _, tt := range tests {
		var in []placeRegion
		for _, r := range regions {
			if len(r.Code) > 0 && (tt.region.Code == "210000" || r.Code[:4] == "2103") {
				in = append(in, r)
			}
		}
		if got := regionOfAddress(in, tt.region, tt.address); got != tt.want {
			t.Errorf("regionOfAddress(%s, %q) = %s, want %s", tt.region.Name, tt.address, got, tt.want)
		}
	}
}
