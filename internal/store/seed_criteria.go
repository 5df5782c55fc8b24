package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Standards of the major-hazard criteria (STANDARDS.md), each with the
// days it is in force ("" = open).
const (
	stdTrade     = "工贸企业重大事故隐患判定标准（应急管理部令第10号）"
	stdCoal      = "煤矿重大事故隐患判定标准（应急管理部令第4号）"
	stdTrade2017 = "工贸行业重大生产安全事故隐患判定标准（2017版）（安监总管四〔2017〕129号）"
	stdCoal2015  = "煤矿重大生产安全事故隐患判定标准（国家安全监管总局令第85号）"
)

// inForce is the days each standard is in force. The 2017 工贸 list was
// issued on 2017-11-30 (the day is unverified: data the administrator
// corrects) and gave way to 第10号 on 2023-05-15; 总局令第85号 was in force
// from 2015-12-03 until 第4号 took over on 2021-01-01.
var inForce = map[string][2]string{
	stdTrade:     {"2023-05-15", ""},
	stdCoal:      {"2021-01-01", ""},
	stdTrade2017: {"2017-11-30", "2023-05-14"},
	stdCoal2015:  {"2015-12-03", "2020-12-31"},
}

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

// criteria2017 are the items of the 2017 工贸 list that concern the
// campaign's industries: the 14 专项类 items (every 工贸 industry) and the
// 冶金 (steel), 有色 (aluminium) and 建材 (cement, flat glass) items; the
// 机械, 轻工, 纺织, 烟草 and 商贸 items concern no industry of the campaign
// and are left for an administrator who adds such an industry. The texts
// were not checked against the published document: all are unverified.
var criteria2017 = []seedCriterion{
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第1项", "粉尘爆炸危险场所设置在非框架结构的多层建构筑物内，或与居民区、员工宿舍、会议室等人员密集场所安全距离不足", false},
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第2项", "可燃性粉尘与可燃气体等易加剧爆炸危险的介质共用一套除尘系统，不同防火分区的除尘系统互联互通", false},
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第3项", "干式除尘系统未规范采用泄爆、隔爆、惰化、抑爆等任一种控爆措施", false},
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第4项", "除尘系统采用正压吹送粉尘，且未采取可靠的防范点燃源的措施", false},
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第5项", "除尘系统采用粉尘沉降室除尘，或者采用干式巷道式构筑物作为除尘风道", false},
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第6项", "铝镁等金属粉尘及木质粉尘的干式除尘系统未规范设置锁气卸灰装置", false},
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第7项", "粉尘爆炸危险场所的20区未使用防爆电气设备设施", false},
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第8项", "在粉碎、研磨、造粒等易于产生机械点火源的工艺设备前，未按规范设置去除铁、石等异物的装置", false},
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第9项", "木制品加工企业，与砂光机连接的风管未规范设置火花探测报警装置", false},
	{"trade", stdTrade2017, "专项类（粉尘爆炸）第10项", "未制定粉尘清扫制度，作业现场积尘未及时规范清理", false},
	{"trade", stdTrade2017, "专项类（液氨制冷）第1项", "包装间、分割间、产品整理间等人员较多生产场所的空调系统采用氨直接蒸发制冷系统", false},
	{"trade", stdTrade2017, "专项类（液氨制冷）第2项", "快速冻结装置未设置在单独的作业间内，且作业间内作业人员数量超过9人", false},
	{"trade", stdTrade2017, "专项类（有限空间）第1项", "未对有限空间作业场所进行辨识，并设置明显安全警示标志", false},
	{"trade", stdTrade2017, "专项类（有限空间）第2项", "未落实作业审批制度，擅自进入有限空间作业", false},
	{"steel", stdTrade2017, "行业类（冶金）第1项", "会议室、活动室、休息室、更衣室等场所设置在铁水、钢水与液渣吊运影响的范围内", false},
	{"steel", stdTrade2017, "行业类（冶金）第2项", "吊运铁水、钢水与液渣起重机不符合冶金起重机的相关要求；炼钢厂在吊运重罐铁水、钢水或液渣时，未使用固定式龙门钩的铸造起重机，龙门钩横梁、耳轴销和吊钩、钢丝绳及其端头固定零件，未进行定期检查，发现问题未及时整改", false},
	{"steel", stdTrade2017, "行业类（冶金）第3项", "盛装铁水、钢水与液渣的罐（包、盆）等容器耳轴未按国家标准规定要求定期进行探伤检测", false},
	{"steel", stdTrade2017, "行业类（冶金）第4项", "冶炼、熔炼、精炼生产区域的安全坑内及熔体泄漏、喷溅影响范围内存在积水，放置有易燃易爆物品；金属铸造、连铸、浇铸流程未设置铁水罐、钢水罐、溢流槽、中间溢流罐等高温熔融金属紧急排放和应急储存设施", false},
	{"steel", stdTrade2017, "行业类（冶金）第5项", "炉、窑、槽、罐类设备本体及附属设施未定期检查，出现严重焊缝开裂、腐蚀、破损、衬砖损坏、壳体发红及明显弯曲变形等未报修或报废，仍继续使用", false},
	{"steel", stdTrade2017, "行业类（冶金）第6项", "氧枪等水冷元件未配置出水温度与进出水流量差检测、报警装置及温度监测，未与炉体倾动、氧气开闭等联锁", false},
	{"steel", stdTrade2017, "行业类（冶金）第7项", "煤气柜建设在居民稠密区，未远离大型建筑、仓库、通信和交通枢纽等重要设施；附属设备设施未按防火防爆要求配置防爆型设备；柜顶未设置防雷装置", false},
	{"steel", stdTrade2017, "行业类（冶金）第8项", "煤气区域的值班室、操作室等人员较集中的地方，未设置固定式一氧化碳监测报警装置", false},
	{"steel", stdTrade2017, "行业类（冶金）第9项", "高炉、转炉、加热炉、煤气柜、除尘器等设施的煤气管道未设置可靠隔离装置和吹扫设施", false},
	{"steel", stdTrade2017, "行业类（冶金）第10项", "煤气分配主管上支管引接处，未设置可靠的切断装置；车间内各类燃气管线，在车间入口未设置总管切断阀", false},
	{"steel", stdTrade2017, "行业类（冶金）第11项", "金属冶炼企业主要负责人和安全生产管理人员未依法经考核合格", false},
	{"aluminium", stdTrade2017, "行业类（有色）第1项", "吊运铜水等熔融有色金属及渣的起重机不符合冶金起重机的相关要求；横梁焊缝、吊钩、钢丝绳及其端头固定零件，未进行定期检查，发现问题未及时处理", false},
	{"aluminium", stdTrade2017, "行业类（有色）第2项", "会议室、活动室、休息室、更衣室等场所设置在铜水等熔融有色金属及渣的吊运影响范围内", false},
	{"aluminium", stdTrade2017, "行业类（有色）第3项", "盛装铜水等熔融有色金属及渣的罐（包、盆）等容器耳轴未定期进行检测", false},
	{"aluminium", stdTrade2017, "行业类（有色）第4项", "铜水等高温熔融有色金属冶炼、精炼、铸造生产区域的安全坑内及熔体泄漏、喷溅影响范围内存在非生产性积水；熔体容易喷溅到的区域，放置有易燃易爆物品", false},
	{"aluminium", stdTrade2017, "行业类（有色）第5项", "铜水等熔融有色金属铸造、浇铸流程未设置紧急排放和应急储存设施", false},
	{"aluminium", stdTrade2017, "行业类（有色）第6项", "高温工作的熔融有色金属冶炼炉窑、铸造机、加热炉及水冷元件未设置应急冷却水源等冷却应急处置措施", false},
	{"aluminium", stdTrade2017, "行业类（有色）第7项", "冶炼炉窑的水冷元件未配置温度、进出水流量差检测及报警装置；未设置防止冷却水大量进入炉内的安全设施", false},
	{"aluminium", stdTrade2017, "行业类（有色）第8项", "炉、窑、槽、罐类设备本体及附属设施未定期检查，出现严重焊缝开裂、腐蚀、破损、衬砖损坏、壳体发红及明显弯曲变形等未报修或报废，仍继续使用", false},
	{"aluminium", stdTrade2017, "行业类（有色）第9项", "使用煤气（天然气）的烧嘴等燃烧装置，未设置防突然熄火或点火失败的快速切断阀，以切断煤气（天然气）", false},
	{"aluminium", stdTrade2017, "行业类（有色）第10项", "金属冶炼企业主要负责人和安全生产管理人员未依法经考核合格", false},
	{"cement", stdTrade2017, "行业类（建材）第1项", "水泥工厂煤磨袋式收尘器（或煤粉仓）未设置温度和一氧化碳监测，或未设置气体灭火装置", false},
	{"cement", stdTrade2017, "行业类（建材）第2项", "水泥工厂筒型储存库人工清库作业外包给不具备高空作业工程专业承包资质的承包方且作业前未进行风险分析", false},
	{"glass", stdTrade2017, "行业类（建材）第3项", "燃气窑炉未设置燃气低压警报器和快速切断阀，或易燃易爆气体聚集区域未设置监测报警装置", false},
	{"glass", stdTrade2017, "行业类（建材）第4项", "纤维制品三相电弧炉、电熔制品电炉，水冷构件泄漏", false},
	{"cement", stdTrade2017, "行业类（建材）第5项", "进入筒型储库、磨机、破碎机、篦冷机、各种焙烧窑等有限空间作业时，未采取有效的防止电气设备意外启动、热气涌入等隔离防护措施", false},
	{"glass", stdTrade2017, "行业类（建材）第6项", "玻璃窑炉、玻璃锡槽，水冷、风冷保护系统存在漏水、漏气，未设置监测报警装置", false},
}

// criteria2015 are the fifteen items of 总局令第85号, under the same
// headings as 第4号 (STANDARDS.md); the wording of the fifteenth differs.
var criteria2015 = []seedCriterion{
	{"coal", stdCoal2015, "第三条第（一）项", "超能力、超强度或者超定员组织生产", true},
	{"coal", stdCoal2015, "第三条第（二）项", "瓦斯超限作业", true},
	{"coal", stdCoal2015, "第三条第（三）项", "煤与瓦斯突出矿井，未依照规定实施防突出措施", true},
	{"coal", stdCoal2015, "第三条第（四）项", "高瓦斯矿井未建立瓦斯抽采系统和监控系统，或者不能正常运行", true},
	{"coal", stdCoal2015, "第三条第（五）项", "通风系统不完善、不可靠", true},
	{"coal", stdCoal2015, "第三条第（六）项", "有严重水患，未采取有效措施", true},
	{"coal", stdCoal2015, "第三条第（七）项", "超层越界开采", true},
	{"coal", stdCoal2015, "第三条第（八）项", "有冲击地压危险，未采取有效措施", true},
	{"coal", stdCoal2015, "第三条第（九）项", "自然发火严重，未采取有效措施", true},
	{"coal", stdCoal2015, "第三条第（十）项", "使用明令禁止使用或者淘汰的设备、工艺", true},
	{"coal", stdCoal2015, "第三条第（十一）项", "煤矿没有双回路供电系统", true},
	{"coal", stdCoal2015, "第三条第（十二）项", "新建煤矿边建设边生产，煤矿改扩建期间，在改扩建的区域生产，或者在其他区域的生产超出安全设施设计规定的范围和规模", false},
	{"coal", stdCoal2015, "第三条第（十三）项", "煤矿实行整体承包生产经营后，未重新取得或者及时变更安全生产许可证而从事生产，或者承包方再次转包，以及将井下采掘工作面和井巷维修作业进行劳务承包", false},
	{"coal", stdCoal2015, "第三条第（十四）项", "煤矿改制期间，未明确安全生产责任人和安全管理机构，或者在完成改制后，未重新取得或者变更采矿许可证、安全生产许可证和营业执照", false},
	{"coal", stdCoal2015, "第三条第（十五）项", "其他重大生产安全事故隐患", false},
}

// seedCriteria inserts the criteria not yet present; an administrator's
// edits are kept.
func seedCriteria(ctx context.Context, tx *sql.Tx) error {
	all := append(append(append([]seedCriterion(nil), criteria...), criteria2017...), criteria2015...)
	for i, c := range all {
		days := inForce[c.standard]
		if _, err := tx.ExecContext(ctx, `INSERT INTO major_hazard_criteria (industry_key, standard, article, text, verified, sort,
			in_force_from, in_force_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			c.industry, c.standard, c.article, c.text, c.verified, (i+1)*10, days[0], days[1]); err != nil {
			return fmt.Errorf("seed criteria: %w", err)
		}
	}
	return nil
}
