package survey

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
)

// Template is a built-in survey: the classic NPS, CSAT and CES questions
// worded as the seeds ask them, in every language of Languages.
type Template struct {
	Name  string
	Kind  cx.SurveyKind
	Texts map[string]cx.SurveyTexts
}

// reasonNPS etc. are the follow-ups: the open "why?" after every score.
var templates = map[string]Template{
	"nps": {Name: "Net Promoter Score", Kind: cx.NPS, Texts: map[string]cx.SurveyTexts{
		"en": {Question: "How likely are you to recommend us to a friend or colleague?", LowLabel: "Not at all likely", HighLabel: "Extremely likely",
			FollowUp: cx.CategoryTexts{Detractor: "What is the main reason for your score? What could we do better?", Passive: "What is the main reason for your score? What would make it a 10?", Promoter: "What is the main reason for your score? What do you like most?"},
			ThankYou: cx.CategoryTexts{Detractor: "Thank you for your honest feedback. We will use it to improve.", Passive: "Thank you for your feedback!", Promoter: "Thank you! We are glad you would recommend us."}},
		"zh-Hans": {Question: "您有多大可能向朋友或同事推荐我们？", LowLabel: "完全不可能", HighLabel: "极有可能",
			FollowUp: cx.CategoryTexts{Detractor: "您给出这个分数的主要原因是什么？我们可以在哪些方面做得更好？", Passive: "您给出这个分数的主要原因是什么？怎样才能让您打10分？", Promoter: "您给出这个分数的主要原因是什么？您最喜欢我们哪一点？"},
			ThankYou: cx.CategoryTexts{Detractor: "感谢您的坦诚反馈，我们会据此改进。", Passive: "感谢您的反馈！", Promoter: "谢谢！很高兴您愿意推荐我们。"}},
		"zh-Hant": {Question: "您有多大可能向朋友或同事推薦我們？", LowLabel: "完全不可能", HighLabel: "極有可能",
			FollowUp: cx.CategoryTexts{Detractor: "您給出這個分數的主要原因是什麼？我們可以在哪些方面做得更好？", Passive: "您給出這個分數的主要原因是什麼？怎樣才能讓您打10分？", Promoter: "您給出這個分數的主要原因是什麼？您最喜歡我們哪一點？"},
			ThankYou: cx.CategoryTexts{Detractor: "感謝您的坦誠回饋，我們會據此改進。", Passive: "感謝您的回饋！", Promoter: "謝謝！很高興您願意推薦我們。"}},
		"ro": {Question: "Cât de probabil este să ne recomandați unui prieten sau coleg?", LowLabel: "Deloc probabil", HighLabel: "Extrem de probabil",
			FollowUp: cx.CategoryTexts{Detractor: "Care este principalul motiv al notei acordate? Ce am putea face mai bine?", Passive: "Care este principalul motiv al notei acordate? Ce ne-ar aduce un 10?", Promoter: "Care este principalul motiv al notei acordate? Ce vă place cel mai mult?"},
			ThankYou: cx.CategoryTexts{Detractor: "Vă mulțumim pentru sinceritate. Vom folosi răspunsul pentru a ne îmbunătăți.", Passive: "Vă mulțumim pentru răspuns!", Promoter: "Vă mulțumim! Ne bucurăm că ne-ați recomanda."}},
	}},
	"csat": {Name: "Customer Satisfaction", Kind: cx.CSAT, Texts: map[string]cx.SurveyTexts{
		"en": {Question: "How satisfied were you with your experience?", LowLabel: "Very dissatisfied", HighLabel: "Very satisfied",
			FollowUp: cx.CategoryTexts{Detractor: "What is the main reason for your score? What went wrong?", Passive: "What is the main reason for your score? What could we have done better?", Promoter: "What is the main reason for your score? What did we do well?"},
			ThankYou: cx.CategoryTexts{Detractor: "Thank you. We are sorry and will look into it.", Passive: "Thank you for your feedback!", Promoter: "Thank you! We are glad it went well."}},
		"zh-Hans": {Question: "您对本次体验的满意度如何？", LowLabel: "非常不满意", HighLabel: "非常满意",
			FollowUp: cx.CategoryTexts{Detractor: "您给出这个分数的主要原因是什么？哪里出了问题？", Passive: "您给出这个分数的主要原因是什么？我们哪里可以做得更好？", Promoter: "您给出这个分数的主要原因是什么？我们哪里做得好？"},
			ThankYou: cx.CategoryTexts{Detractor: "谢谢您。很抱歉，我们会认真处理。", Passive: "感谢您的反馈！", Promoter: "谢谢！很高兴一切顺利。"}},
		"zh-Hant": {Question: "您對本次體驗的滿意度如何？", LowLabel: "非常不滿意", HighLabel: "非常滿意",
			FollowUp: cx.CategoryTexts{Detractor: "您給出這個分數的主要原因是什麼？哪裡出了問題？", Passive: "您給出這個分數的主要原因是什麼？我們哪裡可以做得更好？", Promoter: "您給出這個分數的主要原因是什麼？我們哪裡做得好？"},
			ThankYou: cx.CategoryTexts{Detractor: "謝謝您。很抱歉，我們會認真處理。", Passive: "感謝您的回饋！", Promoter: "謝謝！很高興一切順利。"}},
		"ro": {Question: "Cât de mulțumit ați fost de experiența dumneavoastră?", LowLabel: "Foarte nemulțumit", HighLabel: "Foarte mulțumit",
			FollowUp: cx.CategoryTexts{Detractor: "Care este principalul motiv al notei acordate? Ce nu a mers bine?", Passive: "Care este principalul motiv al notei acordate? Ce am fi putut face mai bine?", Promoter: "Care este principalul motiv al notei acordate? Ce am făcut bine?"},
			ThankYou: cx.CategoryTexts{Detractor: "Vă mulțumim. Ne pare rău și vom analiza situația.", Passive: "Vă mulțumim pentru răspuns!", Promoter: "Vă mulțumim! Ne bucurăm că totul a mers bine."}},
	}},
	"ces": {Name: "Customer Effort Score", Kind: cx.CES, Texts: map[string]cx.SurveyTexts{
		"en": {Question: "How easy was it to resolve your issue today?", LowLabel: "Very difficult", HighLabel: "Very easy",
			FollowUp: cx.CategoryTexts{Detractor: "What is the main reason for your score? What made it hard?", Passive: "What is the main reason for your score? What would have made it easier?", Promoter: "What is the main reason for your score? What made it easy?"},
			ThankYou: cx.CategoryTexts{Detractor: "Thank you. We will work on making this easier.", Passive: "Thank you for your feedback!", Promoter: "Thank you! We are glad it was easy."}},
		"zh-Hans": {Question: "今天解决您的问题有多容易？", LowLabel: "非常困难", HighLabel: "非常容易",
			FollowUp: cx.CategoryTexts{Detractor: "您给出这个分数的主要原因是什么？哪里让您觉得困难？", Passive: "您给出这个分数的主要原因是什么？怎样会更容易？", Promoter: "您给出这个分数的主要原因是什么？哪里让您觉得容易？"},
			ThankYou: cx.CategoryTexts{Detractor: "谢谢您。我们会努力让流程更简单。", Passive: "感谢您的反馈！", Promoter: "谢谢！很高兴一切都很容易。"}},
		"zh-Hant": {Question: "今天解決您的問題有多容易？", LowLabel: "非常困難", HighLabel: "非常容易",
			FollowUp: cx.CategoryTexts{Detractor: "您給出這個分數的主要原因是什麼？哪裡讓您覺得困難？", Passive: "您給出這個分數的主要原因是什麼？怎樣會更容易？", Promoter: "您給出這個分數的主要原因是什麼？哪裡讓您覺得容易？"},
			ThankYou: cx.CategoryTexts{Detractor: "謝謝您。我們會努力讓流程更簡單。", Passive: "感謝您的回饋！", Promoter: "謝謝！很高興一切都很容易。"}},
		"ro": {Question: "Cât de ușor v-a fost să vă rezolvați problema astăzi?", LowLabel: "Foarte dificil", HighLabel: "Foarte ușor",
			FollowUp: cx.CategoryTexts{Detractor: "Care este principalul motiv al notei acordate? Ce a fost dificil?", Passive: "Care este principalul motiv al notei acordate? Ce ar fi făcut-o mai ușoară?", Promoter: "Care este principalul motiv al notei acordate? Ce a fost ușor?"},
			ThankYou: cx.CategoryTexts{Detractor: "Vă mulțumim. Vom lucra ca totul să fie mai simplu.", Passive: "Vă mulțumim pentru răspuns!", Promoter: "Vă mulțumim! Ne bucurăm că a fost ușor."}},
	}},
}

// TemplateNames lists the built-in templates.
func TemplateNames() []string {
	out := make([]string, 0, len(templates))
	for k := range templates {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// FromTemplate returns a new survey with key built from template name
// (nps, csat or ces), translated into every shipped language. It is not
// validated; the caller stores it (which validates).
func FromTemplate(name, key string) (cx.Survey, error) {
	t, ok := templates[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return cx.Survey{}, cx.Invalid("template", fmt.Sprintf("must be one of %s", strings.Join(TemplateNames(), ", ")))
	}
	lo, hi := t.Kind.DefaultScale()
	s := cx.Survey{Key: key, Name: t.Name, Kind: t.Kind, ScaleMin: lo, ScaleMax: hi, Question: t.Texts["en"].Question}
	s.Design.DefaultLanguage = "en"
	s.Design.Texts = make(map[string]cx.SurveyTexts, len(t.Texts))
	for l, tx := range t.Texts {
		s.Design.Texts[l] = tx
	}
	return s, nil
}

// builtin returns the template wording in lang for a survey asking the
// template's English question (or no question), so surveys created before
// designs existed, or by key alone, are still translated.
func builtin(s cx.Survey, lang string) (cx.SurveyTexts, bool) {
	t, ok := templates[string(s.Kind)]
	if !ok {
		return cx.SurveyTexts{}, false
	}
	if s.Question != "" && s.Question != t.Texts["en"].Question && s.Question != s.Kind.DefaultQuestion() {
		return cx.SurveyTexts{}, false
	}
	tx, ok := t.Texts[lang]
	return tx, ok
}
