package themes

import (
	"encoding/csv"
	"math"
	"os"
	"testing"
)

// reasonTheme maps the airline dataset's negativereason labels to the
// starter codeframe's themes. "Can't Tell" and the empty reason (tweets that
// are not negative) have no theme and are left out of the evaluation.
var reasonTheme = map[string]string{
	"Customer Service Issue":      "support",
	"Late Flight":                 "delivery",
	"Cancelled Flight":            "delivery",
	"Lost Luggage":                "delivery",
	"Damaged Luggage":             "quality",
	"Bad Flight":                  "quality",
	"Flight Booking Problems":     "app",
	"longlines":                   "staff",
	"Flight Attendant Complaints": "staff",
}

type labelled struct{ reason, text string }

// readCSV reads a whole CSV file of the tests' data, header row included.
func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func readAirline(t testing.TB) []labelled {
	t.Helper()
	rows := readCSV(t, "testdata/airline-tweets-test.csv")
	var out []labelled
	for _, r := range rows[1:] {
		out = append(out, labelled{reason: r[0], text: r[1]})
	}
	return out
}

// TestStarterOnAirlineReasons measures how well the starter codeframe's
// themes recover the reasons of the negative airline tweets. Each tweet has
// one reason but may get several themes, so a tweet about a late flight that
// also mentions customer service counts against support's precision: these
// are lower bounds of the precision a reader would judge.
func TestStarterOnAirlineReasons(t *testing.T) {
	t.Parallel()
	tg, _ := starterTagger(t)
	type counts struct{ tp, tagged, gold int }
	per := map[string]*counts{}
	for _, th := range Starter().Themes {
		per[th.ID] = &counts{}
	}
	n := 0
	for _, row := range readAirline(t) {
		gold, ok := reasonTheme[row.reason]
		if !ok {
			continue
		}
		n++
		per[gold].gold++
		for _, id := range ThemeIDs(tg.Tag(row.text)) {
			per[id].tagged++
			if id == gold {
				per[id].tp++
			}
		}
	}
	// Measured once, not tuned: the starter terms were written before this
	// test ran and were not changed after it. Measured on the 811 negative tweets with a known reason of the test
	// slice; see testdata/SOURCE.md. Price has no reason in the dataset.
	want := map[string]struct{ precision, recall float64 }{
		"support":  {0.742, 0.513},
		"delivery": {0.682, 0.747},
		"price":    {0, 0}, // tags 51 tweets, none of them has a price reason
		"quality":  {0.554, 0.484},
		"app":      {0.279, 0.574},
		"staff":    {0.364, 0.525},
	}
	const tol = 0.005
	t.Logf("%d tweets", n)
	t.Logf("%-9s %6s %6s %5s %9s %6s", "theme", "tagged", "gold", "tp", "precision", "recall")
	for _, th := range Starter().Themes {
		c := per[th.ID]
		p, r := ratio(c.tp, c.tagged), ratio(c.tp, c.gold)
		t.Logf("%-9s %6d %6d %5d %9.3f %6.3f", th.ID, c.tagged, c.gold, c.tp, p, r)
		w := want[th.ID]
		if math.Abs(p-w.precision) > tol || math.Abs(r-w.recall) > tol {
			t.Errorf("%s: precision %.3f recall %.3f, want %.3f %.3f", th.ID, p, r, w.precision, w.recall)
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
