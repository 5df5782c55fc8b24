package taotai_test

import (
	"strings"
	"testing"

	"taotai"
)

func validEnterprise() *taotai.Enterprise {
	return &taotai.Enterprise{Name: "鞍山钢铁测试有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区某路1号",
		RegionCode: "210302", IndustryID: 1, ProductionState: taotai.StateNormal}
}

func TestEnterpriseValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(e *taotai.Enterprise)
		confirm bool
		field   string // the field that must carry a message; "" for valid
		msg     string
	}{
		{"valid", func(e *taotai.Enterprise) {}, false, "", ""},
		{"empty name", func(e *taotai.Enterprise) { e.Name = "  " }, false, "name", "企业名称不能为空"},
		{"over-long name", func(e *taotai.Enterprise) { e.Name = strings.Repeat("钢", 101) }, false, "name", "不能超过100个字"},
		{"empty address", func(e *taotai.Enterprise) { e.Address = "" }, false, "address", "所在地址不能为空"},
		{"over-long phone", func(e *taotai.Enterprise) { e.ContactPhone = strings.Repeat("1", 101) }, false, "contact_phone", "不能超过"},
		{"bad credit code alphabet", func(e *taotai.Enterprise) { e.CreditCode = "9121030024147103IL" }, false, "credit_code", "不是允许的字符"},
		{"bad check digit unconfirmed", func(e *taotai.Enterprise) { e.CreditCode = "91210300241471030M" }, false, "credit_code", "校验位不符"},
		{"bad check digit confirmed", func(e *taotai.Enterprise) { e.CreditCode = "91210300241471030M" }, true, "", ""},
		{"no region", func(e *taotai.Enterprise) { e.RegionCode = "" }, false, "region", "请选择"},
		{"no industry", func(e *taotai.Enterprise) { e.IndustryID = 0 }, false, "industry", "请选择所属行业"},
		{"unknown production state", func(e *taotai.Enterprise) { e.ProductionState = "半停产" }, false, "production_state", "正常生产、局部生产或停产"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEnterprise()
			tt.edit(e)
			f := e.Validate(tt.confirm)
			if tt.field == "" {
				if len(f) != 0 {
					t.Fatalf("want valid, got %v", f)
				}
				return
			}
			if !strings.Contains(f[tt.field], tt.msg) {
				t.Fatalf("field %s: got %q, want it to contain %q (all: %v)", tt.field, f[tt.field], tt.msg, f)
			}
		})
	}
}

func TestParseProductionState(t *testing.T) {
	for in, want := range map[string]string{"正常生产": taotai.StateNormal, " 局部生产 ": taotai.StatePartial, "停产": taotai.StateStopped, "stopped": taotai.StateStopped} {
		if got, ok := taotai.ParseProductionState(in); !ok || got != want {
			t.Errorf("ParseProductionState(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := taotai.ParseProductionState("关闭"); ok {
		t.Error("关闭 is not a production state")
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct{ user, pw, want string }{
		{"wang", "correct horse battery", ""},
		{"wang", "short", "至少10位"},
		{"wang", strings.Repeat("长", 129), "不能超过128位"},
		{"wangwei", "xxWangWei2020xx", "不能包含用户名"},
		{"wang", "password123", "过于常见"},
		{"wang", "Password2020!", "过于常见"},
		{"wang", "woaini1314", "过于常见"},
		{"wang", "1234567890", "过于常见"},
		{"wang", "            ", "只由空格"},
		{"wang", " \u3000 \u3000 \u3000 \u3000 \u3000", "只由空格"},
		{"wang", "xxxxxxxxxxxx", "同一个字符"},
		{"wang", "淘淘淘淘淘淘淘淘淘淘", "同一个字符"},
		{"wang", "correct horse\x00battery", "不允许的字符"},
		{"wang", "correct horse\tbattery", "不允许的字符"},
		{"wang", "correct \u202ehorse battery", "不允许的字符"},
		{"wang", "correct horse \xff battery", "不允许的字符"},
		{"wang", "xxxxxxxxxxxy", ""},
	}
	for _, tt := range tests {
		got := taotai.ValidatePassword(tt.user, tt.pw)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("ValidatePassword(%q, %q) = %q, want %q", tt.user, tt.pw, got, tt.want)
		}
	}
}
