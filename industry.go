package taotai

import "context"

// Sectors: the two provincial channels. Coal goes to 省煤矿安监局, every
// other industry to 省应急管理厅.
const (
	SectorCoal    = "coal"
	SectorNonCoal = "noncoal"
)

// SectorName returns the Chinese name of a sector; "" means both.
func SectorName(s string) string {
	switch s {
	case SectorCoal:
		return "煤矿"
	case SectorNonCoal:
		return "非煤"
	case "":
		return "全部行业"
	}
	return s
}

// The messages for a sector or a reporting channel that is neither: in
// the words a person reads, never the codes (coal, noncoal).
const (
	MsgBadSector  = "行业类别应为“煤矿”或“非煤”。"
	MsgBadChannel = "报送渠道应为“煤矿”（报省煤矿安监局）或“非煤”（报省应急管理厅）。"
)

// ValidSector reports whether s names a sector.
func ValidSector(s string) bool { return s == SectorCoal || s == SectorNonCoal }

// Industry is a key industry of the campaign. The five defaults are seeded;
// an administrator may add more (cities may widen the list).
type Industry struct {
	ID      int64
	Key     string // short stable key: steel, cement, aluminium, glass, coal
	Name    string // 钢铁
	Sector  string
	GBCodes string // GB/T 4754-2017 codes, comma-separated: "3110,3120,3130"
	Sort    int
}

// IndustryService reads and extends the list of key industries.
type IndustryService interface {
	// Industries returns every industry in display order.
	Industries(ctx context.Context) ([]*Industry, error)
	// CreateIndustry adds an industry. Administrators only (EFORBIDDEN);
	// a used key or name is ECONFLICT.
	CreateIndustry(ctx context.Context, ind *Industry) error
}
