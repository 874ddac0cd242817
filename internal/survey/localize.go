package survey

import (
	"sort"

	"github.com/cxlens/cxlens/internal/cx"
)

// Localized is a survey's wording in one language, every field filled in
// (falling back to the default language, then the built-in wording).
type Localized struct {
	Lang      string            `json:"lang"`
	Dir       string            `json:"-"` // text direction, "ltr"
	Question  string            `json:"question"`
	LowLabel  string            `json:"low_label"`
	HighLabel string            `json:"high_label"`
	FollowUp  cx.CategoryTexts  `json:"follow_up"`
	ThankYou  cx.CategoryTexts  `json:"thank_you"`
	Questions []LocalQuestion   `json:"questions,omitempty"`
	UI        map[string]string `json:"ui"`
}

// LocalQuestion is an extra question with its labels.
type LocalQuestion struct {
	cx.SurveyQuestion
	Label   string        `json:"label"`
	Choices []LocalOption `json:"choices,omitempty"`
}

// LocalOption is one choice of a question.
type LocalOption struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Available lists the languages survey s can be shown in: its own texts,
// its default language, and the shipped languages when it asks a built-in
// question.
func Available(s cx.Survey) []string {
	set := map[string]bool{}
	def := s.Design.DefaultLanguage
	if def == "" {
		def = "en"
	}
	set[def] = true
	for l := range s.Design.Texts {
		set[l] = true
	}
	for _, l := range Languages {
		if _, ok := builtin(s, l); ok {
			set[l] = true
		}
	}
	out := make([]string, 0, len(set))
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	// The default first, so it wins when nothing else matches.
	for i, l := range out {
		if l == def {
			out[0], out[i] = out[i], out[0]
		}
	}
	return out
}

// Localize returns survey s worded in lang (one of Available(s)).
func Localize(s cx.Survey, lang string) Localized {
	def := s.Design.DefaultLanguage
	if def == "" {
		def = "en"
	}
	// Sources, best first.
	var srcs []cx.SurveyTexts
	if t, ok := s.Design.Texts[lang]; ok {
		srcs = append(srcs, t)
	}
	if t, ok := builtin(s, lang); ok {
		srcs = append(srcs, t)
	}
	if t, ok := s.Design.Texts[def]; ok {
		srcs = append(srcs, t)
	}
	srcs = append(srcs, cx.SurveyTexts{Question: s.Question})
	if t, ok := builtin(s, def); ok {
		srcs = append(srcs, t)
	}
	uiLang := Match(lang, Languages)
	if uiLang == "" {
		uiLang = "en"
	}
	ui := uiTexts[uiLang]
	generic := cx.CategoryTexts{Detractor: ui["reason"], Passive: ui["reason"], Promoter: ui["reason"]}
	thanks := cx.CategoryTexts{Detractor: ui["thanks"], Passive: ui["thanks"], Promoter: ui["thanks"]}
	srcs = append(srcs, cx.SurveyTexts{LowLabel: ui["low"], HighLabel: ui["high"], FollowUp: generic, ThankYou: thanks})

	first := func(get func(cx.SurveyTexts) string) string {
		for _, t := range srcs {
			if v := get(t); v != "" {
				return v
			}
		}
		return ""
	}
	l := Localized{Lang: lang, Dir: "ltr", UI: ui}
	l.Question = first(func(t cx.SurveyTexts) string { return t.Question })
	l.LowLabel = first(func(t cx.SurveyTexts) string { return t.LowLabel })
	l.HighLabel = first(func(t cx.SurveyTexts) string { return t.HighLabel })
	l.FollowUp.Detractor = first(func(t cx.SurveyTexts) string { return t.FollowUp.Detractor })
	l.FollowUp.Passive = first(func(t cx.SurveyTexts) string { return t.FollowUp.Passive })
	l.FollowUp.Promoter = first(func(t cx.SurveyTexts) string { return t.FollowUp.Promoter })
	l.ThankYou.Detractor = first(func(t cx.SurveyTexts) string { return t.ThankYou.Detractor })
	l.ThankYou.Passive = first(func(t cx.SurveyTexts) string { return t.ThankYou.Passive })
	l.ThankYou.Promoter = first(func(t cx.SurveyTexts) string { return t.ThankYou.Promoter })
	for _, q := range s.Design.Questions {
		lq := LocalQuestion{SurveyQuestion: q}
		lq.Label = first(func(t cx.SurveyTexts) string { return t.Questions[q.ID].Label })
		if lq.Label == "" {
			lq.Label = driverLabel(uiLang, q.ID)
		}
		for _, o := range q.Options {
			label := first(func(t cx.SurveyTexts) string { return t.Questions[q.ID].Options[o] })
			if label == "" {
				label = o
			}
			lq.Choices = append(lq.Choices, LocalOption{ID: o, Label: label})
		}
		l.Questions = append(l.Questions, lq)
	}
	return l
}

// driverLabel names the common driver questions when a survey gives no label.
func driverLabel(lang, id string) string {
	if m, ok := driverTexts[id]; ok {
		if v := m[lang]; v != "" {
			return v
		}
		return m["en"]
	}
	return id
}

var driverTexts = map[string]map[string]string{
	"price":       {"en": "Price", "zh-Hans": "价格", "zh-Hant": "價格", "ro": "Preț"},
	"support":     {"en": "Customer support", "zh-Hans": "客户支持", "zh-Hant": "客戶支援", "ro": "Asistență clienți"},
	"ease_of_use": {"en": "Ease of use", "zh-Hans": "易用性", "zh-Hant": "易用性", "ro": "Ușurință în utilizare"},
	"reliability": {"en": "Reliability", "zh-Hans": "可靠性", "zh-Hant": "可靠性", "ro": "Fiabilitate"},
	"delivery":    {"en": "Delivery", "zh-Hans": "配送", "zh-Hant": "配送", "ro": "Livrare"},
}

// uiTexts are the words around a survey: buttons, errors, labels.
var uiTexts = map[string]map[string]string{
	"en": {
		"title": "Survey", "low": "Lowest", "high": "Highest", "reason": "What is the main reason for your score?",
		"thanks": "Thank you for your feedback!", "thanks_title": "Thank you!", "send": "Send", "skip": "Skip",
		"optional": "(optional)", "score_legend": "Your score", "choose_score": "Please choose a score.",
		"comment": "Your comment", "referral": "Tell others about us", "close": "Close",
		"invalid_title": "This link is not valid", "invalid_body": "Please check that you opened the whole link from your message.",
		"expired_title": "This survey has closed", "expired_body": "Thank you for your interest. This survey link is no longer open.",
		"busy_title": "Too many requests", "busy_body": "Please wait a minute and try again.",
		"error_title": "Something went wrong", "error_body": "Your answer could not be saved. Please try again.",
		"saved": "Your score has been saved.", "change": "Change your score",
	},
	"zh-Hans": {
		"title": "问卷调查", "low": "最低", "high": "最高", "reason": "您给出这个分数的主要原因是什么？",
		"thanks": "感谢您的反馈！", "thanks_title": "谢谢！", "send": "提交", "skip": "跳过",
		"optional": "（选填）", "score_legend": "您的评分", "choose_score": "请选择一个分数。",
		"comment": "您的意见", "referral": "向他人推荐我们", "close": "关闭",
		"invalid_title": "此链接无效", "invalid_body": "请检查您打开的是否为邮件中的完整链接。",
		"expired_title": "此调查已结束", "expired_body": "感谢您的关注，此调查链接已失效。",
		"busy_title": "请求过多", "busy_body": "请稍等一分钟后再试。",
		"error_title": "出错了", "error_body": "您的回答未能保存，请重试。",
		"saved": "您的评分已保存。", "change": "修改评分",
	},
	"zh-Hant": {
		"title": "問卷調查", "low": "最低", "high": "最高", "reason": "您給出這個分數的主要原因是什麼？",
		"thanks": "感謝您的回饋！", "thanks_title": "謝謝！", "send": "提交", "skip": "跳過",
		"optional": "（選填）", "score_legend": "您的評分", "choose_score": "請選擇一個分數。",
		"comment": "您的意見", "referral": "向他人推薦我們", "close": "關閉",
		"invalid_title": "此連結無效", "invalid_body": "請檢查您開啟的是否為郵件中的完整連結。",
		"expired_title": "此調查已結束", "expired_body": "感謝您的關注，此調查連結已失效。",
		"busy_title": "請求過多", "busy_body": "請稍等一分鐘後再試。",
		"error_title": "出錯了", "error_body": "您的回答未能儲存，請重試。",
		"saved": "您的評分已儲存。", "change": "修改評分",
	},
	"ro": {
		"title": "Sondaj", "low": "Cel mai mic", "high": "Cel mai mare", "reason": "Care este principalul motiv al notei acordate?",
		"thanks": "Vă mulțumim pentru răspuns!", "thanks_title": "Vă mulțumim!", "send": "Trimite", "skip": "Omite",
		"optional": "(opțional)", "score_legend": "Nota dumneavoastră", "choose_score": "Vă rugăm să alegeți o notă.",
		"comment": "Comentariul dumneavoastră", "referral": "Recomandați-ne și altora", "close": "Închide",
		"invalid_title": "Acest link nu este valid", "invalid_body": "Verificați că ați deschis linkul complet din mesaj.",
		"expired_title": "Acest sondaj s-a încheiat", "expired_body": "Vă mulțumim pentru interes. Linkul acestui sondaj nu mai este activ.",
		"busy_title": "Prea multe cereri", "busy_body": "Vă rugăm să așteptați un minut și să încercați din nou.",
		"error_title": "A apărut o eroare", "error_body": "Răspunsul nu a putut fi salvat. Vă rugăm să încercați din nou.",
		"saved": "Nota a fost salvată.", "change": "Schimbați nota",
	},
}

// UI returns the page wording in lang (English when not shipped).
func UI(lang string) map[string]string {
	if l := Match(lang, Languages); l != "" {
		return uiTexts[l]
	}
	return uiTexts["en"]
}
