package demo

// Word lists for plausible, fictional names and addresses in 辽宁省.

// Trade names (字号) are two characters, one from each list; most pairs
// read like the trade names of real northeastern firms (宏达, 鑫盛, 恒通).
var (
	tradeFirst = []rune("宏鑫恒华金永盛天兴瑞聚鸿富通嘉龙隆万新昌顺祥泰鼎宝腾宇利胜振东大广丰德信弘银诚福凯海正源亿中安辽")
	tradeLast  = []rune("达盛通晨石泰源隆成丰运强兴力禾腾远昌瑞和鼎宝飞民利城业冶信山发德安泽润峰翔鑫华荣海宇光辉程")
)

// Industry words between the trade name and the legal form, by industry key.
var industryWords = map[string][]string{
	"steel":     {"钢铁", "钢铁", "钢铁", "特钢", "轧钢", "冶金", "钢管", "铁合金", "钢材"},
	"cement":    {"水泥", "水泥", "水泥", "建材", "水泥建材"},
	"aluminium": {"铝业", "铝业", "电解铝", "有色金属"},
	"glass":     {"玻璃", "玻璃", "浮法玻璃", "平板玻璃", "玻璃实业"},
	"coal":      {"煤业", "矿业", "煤炭"},
}

// Legal forms and how often each is drawn.
var legalForms = []weighted[string]{{"有限公司", 60}, {"有限责任公司", 30}, {"股份有限公司", 10}}

// coalGroups are state mining groups whose mines are named 「集团＋矿名」.
var coalGroups = map[string]string{
	"210100": "沈阳焦煤股份有限公司",
	"210400": "抚顺矿业集团",
	"210900": "阜新矿业集团",
	"211200": "铁法煤业集团",
}

// Northeastern place names for mines and villages: 李家沟, 王家屯, 东山.
var (
	placeSuffixes = []string{"家沟", "家屯", "家堡", "家窝堡", "家台", "家店", "家岭", "家湾", "家洼"}
	placeCompass  = []rune("东西南北前后")
	placeLand     = []string{"山", "岭", "沟", "台", "梁", "坡"}
	mineSuffixes  = []string{"煤矿", "煤矿", "煤矿", "一井", "二井", "露天矿"}
)

// Roads of an industrial address, and the parks some firms sit in.
var (
	roads = []string{"建设路", "胜利路", "人民路", "解放路", "和平路", "中华路", "工业街", "民主路", "新华路", "光明街",
		"长江路", "黄河路", "兴业路", "创业路", "东风路", "北京路", "南京街", "青年大街", "滨河路", "钢城路",
		"矿工街", "友谊路", "团结路", "幸福街", "振兴路", "富民路", "开发大道", "经济路", "冶金路", "新兴街"}
	parks = []string{"经济开发区", "工业园区", "高新技术产业开发区", "循环经济产业园", "装备制造产业园"}
)

// Surnames, the most common in 辽宁 first.
var surnames = []weighted[string]{
	{"王", 90}, {"李", 85}, {"张", 80}, {"刘", 70}, {"赵", 40}, {"杨", 38}, {"孙", 35}, {"于", 30}, {"陈", 30},
	{"高", 22}, {"徐", 20}, {"马", 20}, {"郭", 18}, {"吴", 16}, {"周", 16}, {"韩", 15}, {"宋", 14}, {"曲", 10},
	{"关", 10}, {"金", 10}, {"付", 10}, {"董", 10}, {"姜", 10}, {"曹", 9}, {"侯", 8}, {"冯", 8}, {"田", 8},
	{"崔", 8}, {"吕", 7}, {"谢", 7}, {"丁", 7}, {"邵", 6}, {"郑", 6}, {"白", 6}, {"尹", 5}, {"佟", 5},
	{"那", 3}, {"常", 5}, {"鲁", 4}, {"满", 3},
}

// Given names: one or two characters.
var givenNames = []string{
	"伟", "军", "勇", "敏", "静", "丽", "强", "磊", "洋", "艳", "杰", "涛", "明", "超", "鹏", "辉", "华", "刚", "健", "波",
	"建国", "建军", "志强", "志刚", "秀英", "秀兰", "桂芝", "玉兰", "海涛", "立新", "宏伟", "春生", "国庆", "长海",
	"振宇", "晓东", "晓梅", "红梅", "凤霞", "淑华", "德胜", "文斌", "永平", "宝山", "福林", "金龙", "树林", "俊峰",
	"雪松", "丽娟", "海燕", "冬梅", "成林", "庆丰", "玉峰", "立军", "铁军", "广臣", "士杰", "连成",
}

// areaCodes are the long-distance codes of the city-level units. 抚顺,
// 本溪, 铁岭 and 沈抚新区 share 沈阳's 024; their local numbers have eight
// digits like 沈阳's and 大连's, the others seven.
var areaCodes = map[string]string{
	"210100": "024", "210200": "0411", "210300": "0412", "210400": "024", "210500": "024",
	"210600": "0415", "210700": "0416", "210800": "0417", "210900": "0418", "211000": "0419",
	"211100": "0427", "211200": "024", "211300": "0421", "211400": "0429", "219900": "024",
}
