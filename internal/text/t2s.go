package text

import (
	"strings"
	"sync"
)

// t2sPairs lists common Traditional Chinese characters each followed by its
// Simplified form. It is a hand-picked subset (about 600 high-frequency
// characters of everyday and review language) of OpenCC's TSCharacters.txt
// (github.com/BYVoid/OpenCC, data/dictionary/TSCharacters.txt, Apache-2.0),
// taking the first candidate where OpenCC lists several; see data/SOURCE.md.
const t2sPairs = "" +
	"們们個个來来這这說说説说話话時时會会為为爲为對对無无與与過过還还從从後后開开關关門门問问間间題题點点麼么" +
	"東东車车長长電电買买賣卖貨货價价錢钱貴贵費费應应當当實实樣样種种頭头萬万邊边動动發发現现經经進进運运達达" +
	"遠远選选讓让認认識识請请謝谢讀读語语調调談谈論论記记許许設设計计訂订試试該该誰谁課课變变親亲視视覺觉觀观" +
	"見见規规質质號号態态愛爱憶忆氣气滿满溫温濕湿熱热燒烧燈灯爾尔獎奖環环產产産产畫画盤盘眾众碼码確确禮礼穩稳" +
	"窮穷筆笔節节簡简糧粮紅红級级紙纸細细終终組组結结絕绝給给統统絲丝綠绿線线練练總总織织網网績绩續续義义習习" +
	"聽听聲声職职腦脑臉脸興兴舉举舊旧莊庄華华葉叶蘇苏藥药處处蟲虫衛卫補补裝装裡里裏里製制複复覽览議议護护貝贝" +
	"負负財财責责販贩貼贴資资賠赔賽赛趕赶趙赵跡迹軟软輕轻載载輛辆輸输轉转辦办農农連连週周遊游違违適适遲迟鄉乡" +
	"醫医釋释針针鐘钟鐵铁銀银錯错鍋锅閉闭閒闲陽阳隊队際际隨随險险隻只雖虽雙双雜杂雞鸡離离難难雲云靜静順顺須须" +
	"預预領领頻频顆颗額额顏颜願愿類类顧顾顯显風风飛飞飯饭飲饮餅饼養养餓饿館馆饅馒馬马驗验驚惊體体髮发鬆松魚鱼" +
	"鳥鸟鴨鸭鹽盐麵面黃黄齊齐龍龙務务勞劳勝胜區区協协單单員员國国圖图團团園园圓圆場场塊块壞坏夠够夢梦奪夺媽妈" +
	"學学寫写寬宽寶宝將将專专尋寻導导層层屬属島岛師师帶带幫帮廣广廳厅張张強强彈弹徑径憑凭懷怀戲戏戶户掃扫換换" +
	"損损搶抢擇择據据擔担擠挤擺摆數数敗败斷断於于書书條条棄弃業业極极樂乐樓楼標标機机檢检權权歡欢歲岁歷历歸归" +
	"殘残決决沒没況况淨净淺浅減减測测湯汤準准溝沟滅灭漢汉潔洁濃浓灣湾災灾烏乌煙烟煩烦爭争牆墙狀状獨独獲获畢毕" +
	"異异療疗癢痒盡尽監监稱称競竞範范築筑簽签紀纪約约紛纷絡络維维緊紧編编緩缓縣县繼继罰罚羅罗聯联聰聪肅肃腳脚" +
	"膚肤藝艺蘭兰虧亏術术衝冲襪袜觸触訊讯訪访評评詞词詢询詳详誇夸誠诚誤误誼谊諾诺證证譯译貧贫貪贪購购贈赠贏赢" +
	"趨趋躍跃軍军較较輪轮輩辈迴回遞递遺遗鄰邻醬酱鋪铺錄录鍵键鎖锁鏡镜陰阴陳陈陸陆隱隐響响頁页頂顶項项頓顿頸颈" +
	"顛颠飽饱餘余駕驾騎骑騙骗驅驱髒脏鬧闹麗丽黨党齒齿龜龟傳传傷伤優优備备億亿儲储兒儿內内兩两冊册凍冻劃划劇剧" +
	"劑剂勢势勵励勸劝匯汇參参叢丛吳吴嗎吗嘆叹嚴严噸吨圍围報报壓压壯壮壺壶壽寿奮奋娛娱嬰婴孫孙審审寧宁寵宠屆届" +
	"嶺岭帳帐幣币幹干乾干幾几庫库廚厨廠厂廢废彎弯彙汇復复徵征恆恒悶闷惡恶惱恼慣惯慘惨慶庆憂忧憤愤懶懒戀恋戰战" +
	"擁拥擊击擴扩攝摄敵敌歐欧殺杀毀毁滾滚漲涨漸渐潤润濟济濾滤瀏浏燉炖燙烫營营爛烂爺爷牽牵猶犹獵猎獸兽獻献瑪玛" +
	"瓊琼畝亩疊叠瘋疯癮瘾皺皱盜盗盞盏盧卢睜睁瞞瞒礎础礙碍禍祸稅税穀谷積积窩窝竊窃筍笋箏筝籃篮籤签粵粤糞粪紋纹" +
	"純纯紗纱紡纺綁绑綿绵緒绪緣缘縮缩繩绳繪绘纏缠罷罢聖圣聞闻脫脱腫肿腸肠膠胶臘腊臨临臺台艱艰莖茎葷荤蓋盖蔥葱" +
	"薑姜薦荐蘋苹蘿萝蝦虾蠟蜡襯衬訴诉診诊詐诈誌志誘诱謊谎講讲譜谱讚赞豐丰豬猪貓猫貢贡貿贸賀贺賓宾賞赏賢贤賬账" +
	"賴赖賺赚贊赞踐践蹤踪軌轨輔辅輯辑轟轰辭辞辯辩遙遥邏逻郵邮鄭郑醜丑釀酿鈕钮鈴铃鉛铅銳锐銷销鋼钢錶表鍊炼鏈链" +
	"鑰钥閃闪閱阅闆板闊阔闖闯陣阵隸隶霧雾靈灵韓韩頒颁頗颇頰颊顫颤颱台颳刮飄飘飢饥餃饺餵喂饑饥驕骄驟骤鬥斗鬍胡" +
	"魯鲁鮮鲜鴿鸽鵝鹅鹹咸麥麦黴霉齡龄噁恶蔔卜雞鸡滷卤湧涌綫线緻致鹵卤燦灿壇坛擾扰攤摊攜携嘗尝嚐尝廁厕"

// ambiguousSimplified holds Simplified forms that are also ordinary
// Traditional characters (台灣, 面對, 只有, 公里...), so they say nothing about
// which script a text is written in.
const ambiguousSimplified = "只里台面后余表板周回志胡松斗谷丑征范制系干咸冲卜姜喂刮霉划借涌致卤"

// scriptTables holds the lookup tables derived from t2sPairs.
type scriptTables struct {
	t2s        map[rune]rune
	simpleOnly map[rune]bool
}

// tables builds the lookup tables once; they are read-only afterwards.
var tables = sync.OnceValue(func() *scriptTables {
	rs := []rune(t2sPairs)
	t := &scriptTables{t2s: make(map[rune]rune, len(rs)/2), simpleOnly: make(map[rune]bool, len(rs)/2)}
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] != rs[i+1] {
			t.t2s[rs[i]] = rs[i+1]
		}
	}
	for _, s := range t.t2s {
		if _, isTrad := t.t2s[s]; !isTrad && !strings.ContainsRune(ambiguousSimplified, s) {
			t.simpleOnly[s] = true
		}
	}
	return t
})

// ToSimplified maps the Traditional Chinese characters of s that appear in
// the built-in table to their Simplified forms, leaving everything else as
// is. It is a character-level mapping for analysis (one vocabulary for both
// scripts), not a faithful conversion for display.
func ToSimplified(s string) string {
	t := tables()
	var b strings.Builder
	changed := false
	for i, r := range s {
		if r < 0x3400 {
			if changed {
				b.WriteRune(r)
			}
			continue
		}
		if sr, ok := t.t2s[r]; ok {
			if !changed {
				b.Grow(len(s))
				b.WriteString(s[:i])
				changed = true
			}
			b.WriteRune(sr)
			continue
		}
		if changed {
			b.WriteRune(r)
		}
	}
	if !changed {
		return s
	}
	return b.String()
}

// hanScriptCounts counts the characters of s found only in Traditional
// writing and only in Simplified writing, according to the built-in table.
func hanScriptCounts(s string) (trad, simp int) {
	t := tables()
	for _, r := range s {
		if !isHan(r) {
			continue
		}
		if _, ok := t.t2s[r]; ok {
			trad++
		} else if t.simpleOnly[r] {
			simp++
		}
	}
	return trad, simp
}
