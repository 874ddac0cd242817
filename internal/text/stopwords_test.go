package text

import "testing"

func TestIsStopword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang Lang
		w    string
		want bool
	}{
		{LangEnglish, "the", true},
		{LangEnglish, "luggage", false},
		{LangRomanian, "și", true}, // listed with a cedilla, matched in comma form
		{LangRomanian, "si", true}, // typed without diacritics
		{LangRomanian, "telefon", false},
		{LangChineseSimplified, "的", true},
		{LangChineseTraditional, "的", true},
		{LangChineseSimplified, "外卖", false},
		{LangOther, "the", false},
		{LangEnglish, URLToken, true},
		{LangEnglish, "!!", true},
		{LangEnglish, "😍", true},
	}
	for _, tt := range tests {
		if got := IsStopword(tt.lang, tt.w); got != tt.want {
			t.Errorf("IsStopword(%s, %q) = %v, want %v", tt.lang, tt.w, got, tt.want)
		}
	}
}
