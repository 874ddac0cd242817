package text

import "testing"

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"lower case", "GREAT Service", "great service"},
		{"html entities", "fish &amp; chips &lt;3 &quot;ok&quot;", `fish & chips <3 "ok"`},
		{"url", "see https://t.co/abc123, please", "see <url>, please"},
		{"www url", "go to www.example.com.", "go to <url>."},
		{"mention", "@united thanks @Delta_Assist!", "<user> thanks <user>!"},
		{"email is not a mention", "write to help@example.com", "write to help@example.com"},
		{"romanian cedilla", "Aşa ŢARĂ, şi ţie", "așa țară, și ție"},
		{"nfkc full width", "ＡＢＣ１２３，好！", "abc123,好!"},
		{"emoji kept", "love it 😍👍", "love it 😍👍"},
		{"traditional kept", "這家餐廳", "這家餐廳"},
		{"url inside chinese", "看http://a.cn/x好", "看<url>好"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestToSimplified(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"這家餐廳的服務態度很差", "这家餐厅的服务态度很差"},
		{"送餐太慢了", "送餐太慢了"},
		{"外賣送錯了，還要退款", "外卖送错了，还要退款"},
		{"mixed 國 text", "mixed 国 text"},
	}
	for _, tt := range tests {
		if got := ToSimplified(tt.in); got != tt.want {
			t.Errorf("ToSimplified(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestT2STableWellFormed(t *testing.T) {
	t.Parallel()
	rs := []rune(t2sPairs)
	if len(rs)%2 != 0 {
		t.Fatalf("t2sPairs has an odd number of characters (%d)", len(rs))
	}
	if n := len(tables().t2s); n < 550 {
		t.Errorf("table maps %d characters, want ≥ 550", n)
	}
	for trad, simp := range tables().t2s {
		if _, ok := tables().t2s[simp]; ok {
			t.Errorf("%c maps to %c, which is itself mapped", trad, simp)
		}
	}
}
