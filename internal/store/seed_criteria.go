package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Standards of the major-hazard criteria (STANDARDS.md).
const (
	stdTrade = "工贸企业重大事故隐患判定标准（应急管理部令第10号）"
	stdCoal  = "煤矿重大事故隐患判定标准（应急管理部令第4号）"
)

type seedCriterion struct {
	industry, standard, article, text string
	verified                          bool
}

// criteria are the seeded major-hazard criteria, per industry key; "trade"
// applies to every non-coal (工贸) industry. Items STANDARDS.md marks
// unverified are seeded unverified, for an administrator to check.
var criteria = []seedCriterion{
	{"trade", stdTrade, "第三条第（一）项", "承包、承租单位未统一协调管理或未定期进行安全检查", true},
	{"trade", stdTrade, "第三条第（二）项", "特种作业人员未依法取得资格证书上岗作业", true},
	{"trade", stdTrade, "第三条第（三）项", "金属冶炼企业主要负责人、安全生产管理人员未按规定考核合格", true},
	{"steel", stdTrade, "第四条第（一）项", "会议室、活动室、休息室、操作室等人员聚集场所或钢铁水罐冷热修工位设置在熔融金属吊运跨地坪区域内", true},
	{"steel", stdTrade, "第四条第（二）项", "冶炼、精炼、铸造生产区域的事故坑、炉下渣坑，以及熔融金属泄漏和喷溅影响范围内的炉前平台、炉基区域等积水", true},
	{"steel", stdTrade, "第四条第（三）项", "连铸机、模铸未设置事故钢水罐、漏钢坑、溢流坑（槽）等应急设施", true},
	{"steel", stdTrade, "第四条第（四）项", "转炉、电弧炉、AOD炉、LF炉、RH炉、VOD炉等水冷元件未设置出水温度、进出水流量差等监测报警装置或未与炉体倾动、氧（副）枪自动提升、电极自动断电和升起联锁", true},
	{"steel", stdTrade, "第四条第（五）项", "高炉炉顶压力超过设计文件规定的最高压力运行，或炉顶压力监测报警装置未与炉顶放散阀联锁", true},
	{"steel", stdTrade, "第四条第（六）项", "煤气区域未设置固定式一氧化碳监测报警装置", false},
	{"steel", stdTrade, "第四条第（七）项", "煤气设施未设置可靠隔断装置", false},
	{"steel", stdTrade, "第四条第（八）项", "煤气排水器封堵压力不足或多个排水器共用", false},
	{"aluminium", stdTrade, "第五条第（一）项", "人员聚集场所设置在熔融金属吊运跨地坪区域内", false},
	{"aluminium", stdTrade, "第五条第（二）项", "熔融金属泄漏和喷溅影响范围内的区域积水", false},
	{"aluminium", stdTrade, "第五条第（三）项", "铸造机未设置紧急排放和应急储存设施", false},
	{"aluminium", stdTrade, "第五条第（四）项", "水冷炉窑未设置应急水源", false},
	{"aluminium", stdTrade, "第五条第（五）项", "水冷元件未设置温度、流量、压力监测报警装置", false},
	{"aluminium", stdTrade, "第五条第（六）项", "深井铸造冷却水压力、流量监测报警未与紧急切断联锁", false},
	{"aluminium", stdTrade, "第五条第（七）项", "浇铸炉未设置液位监测报警及与流口锁紧装置联锁", false},
	{"aluminium", stdTrade, "第五条第（八）项", "固定式浇铸炉未设置紧急排放阀或快速切断阀", false},
	{"aluminium", stdTrade, "第五条第（九）项", "倾动式浇铸炉未设置快速切断阀或未与倾动联锁", false},
	{"aluminium", stdTrade, "第五条第（十）项", "深井铸造机钢丝绳未定期检查更换", false},
	{"cement", stdTrade, "第六条第（一）项", "煤磨袋式收尘器、煤粉仓未设置温度和一氧化碳监测报警装置，或未设置气体灭火装置", true},
	{"cement", stdTrade, "第六条第（二）项", "筒型储库人工清库作业未落实防止高处坠落、坍塌等安全措施", true},
	{"cement", stdTrade, "第六条第（三）项", "水泥企业电石渣原料筒型储库未设置可燃气体监测报警装置，或未与事故通风装置联锁", true},
	{"cement", stdTrade, "第六条第（四）项", "进入筒型储库、窑、预热器、分解炉、篦冷机、磨机、破碎机前，未对可能意外启动的设备和涌入的物料、高温气体、有毒有害气体等采取隔离措施，或未落实防止高处坠落、坍塌等安全措施", true},
	{"glass", stdTrade, "第六条第（五）项", "采用预混燃烧方式的燃气窑炉（热发生炉煤气窑炉除外）的燃气总管未设置管道压力监测报警装置，或未与紧急切断装置联锁", true},
	{"glass", stdTrade, "第六条第（六）项", "制氢站、氮氢保护气体配气间、燃气站等场所未设置可燃气体监测报警装置", true},
	{"glass", stdTrade, "第六条第（八）项", "玻璃窑炉、玻璃锡槽等设备的水冷、风冷保护系统未设置监测报警装置", true},
	{"coal", stdCoal, "第（一）项", "超能力、超强度或者超定员组织生产", true},
	{"coal", stdCoal, "第（二）项", "瓦斯超限作业", true},
	{"coal", stdCoal, "第（三）项", "煤与瓦斯突出矿井，未依照规定实施防突出措施", true},
	{"coal", stdCoal, "第（四）项", "高瓦斯矿井未建立瓦斯抽采系统和监控系统，或者系统不能正常运行", true},
	{"coal", stdCoal, "第（五）项", "通风系统不完善、不可靠", true},
	{"coal", stdCoal, "第（六）项", "有严重水患，未采取有效措施", true},
	{"coal", stdCoal, "第（七）项", "超层越界开采", true},
	{"coal", stdCoal, "第（八）项", "有冲击地压危险，未采取有效措施", true},
	{"coal", stdCoal, "第（九）项", "自然发火严重，未采取有效措施", true},
	{"coal", stdCoal, "第（十）项", "使用明令禁止使用或者淘汰的设备、工艺", true},
	{"coal", stdCoal, "第（十一）项", "煤矿没有双回路供电系统", true},
	{"coal", stdCoal, "第（十二）项", "新建煤矿边建设边生产，煤矿改扩建期间，在改扩建的区域生产，或者在其他区域的生产超出安全设施设计规定的范围和规模", true},
	{"coal", stdCoal, "第（十三）项", "煤矿实行整体承包生产经营后，未重新取得或者及时变更安全生产许可证而从事生产，或者承包方再次转包，以及将井下采掘工作面和井巷维修作业进行劳务承包", true},
	{"coal", stdCoal, "第（十四）项", "煤矿改制期间，未明确安全生产责任人和安全管理机构，或者在完成改制后，未重新取得或者变更采矿许可证、安全生产许可证和营业执照", true},
	{"coal", stdCoal, "第（十五）项", "其他重大事故隐患", true},
}

// seedCriteria inserts the criteria not yet present; an administrator's
// edits are kept.
func seedCriteria(ctx context.Context, tx *sql.Tx) error {
	for i, c := range criteria {
		if _, err := tx.ExecContext(ctx, `INSERT INTO major_hazard_criteria (industry_key, standard, article, text, verified, sort)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, c.industry, c.standard, c.article, c.text, c.verified, (i+1)*10); err != nil {
			return fmt.Errorf("seed criteria: %w", err)
		}
	}
	return nil
}
