package report

import "slices"

// PublishedBenchmark is an industry figure for a metric as a named source
// published it. Workspaces compare themselves with one by setting it as
// their benchmark (PUT /api/v1/targets/{metric}, with the source).
type PublishedBenchmark struct {
	Metric    string  `json:"metric"`
	Industry  string  `json:"industry"`
	Value     float64 `json:"value"`
	Source    string  `json:"source"`
	URL       string  `json:"url"`
	Retrieved string  `json:"retrieved"` // when we read it: the page gives no survey year
}

// questionPro is the one source of industry NPS figures we could read and
// cite: QuestionPro's "NPS benchmarks: Top 30 leading industry NPS scores
// to benchmark against". Only the industries a CX team in our target
// domains compares with are copied, with the values as the page prints
// them.
const (
	questionProSource = `QuestionPro, "NPS benchmarks: Top 30 leading industry NPS scores to benchmark against"`
	questionProURL    = "https://www.questionpro.com/blog/nps-benchmarks/"
	questionProRead   = "2026-11-24"
)

var publishedBenchmarks = []PublishedBenchmark{
	{Metric: "nps", Industry: "Airlines", Value: 39},
	{Metric: "nps", Industry: "Automobile insurance", Value: 39},
	{Metric: "nps", Industry: "Banking", Value: 35},
	{Metric: "nps", Industry: "Credit cards", Value: 37},
	{Metric: "nps", Industry: "Ecommerce", Value: 48},
	{Metric: "nps", Industry: "Home insurance", Value: 42},
	{Metric: "nps", Industry: "Hotels", Value: 36},
	{Metric: "nps", Industry: "Online shopping", Value: 43},
	{Metric: "nps", Industry: "Shipping services", Value: 35},
	{Metric: "nps", Industry: "Software", Value: 34},
	{Metric: "nps", Industry: "Supermarkets", Value: 39},
}

// PublishedBenchmarks lists the shipped industry figures of a metric, or
// of every metric when metric is "". Each carries its source.
func PublishedBenchmarks(metric string) []PublishedBenchmark {
	var out []PublishedBenchmark
	for _, b := range publishedBenchmarks {
		if metric != "" && b.Metric != metric {
			continue
		}
		b.Source, b.URL, b.Retrieved = questionProSource, questionProURL, questionProRead
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b PublishedBenchmark) int {
		if a.Metric != b.Metric {
			if a.Metric < b.Metric {
				return -1
			}
			return 1
		}
		if a.Industry < b.Industry {
			return -1
		}
		if a.Industry > b.Industry {
			return 1
		}
		return 0
	})
	return out
}
