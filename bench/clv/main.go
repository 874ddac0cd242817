// Command clv is the CLV benchmark of the README: it simulates customers
// from known BG/NBD and Gamma-Gamma parameters (the CDNOW estimates of
// Fader, Hardie & Lee 2005), fits both models to the simulated summaries,
// checks that every parameter is recovered within 5%, and times the fits
// beside the same fits on the full CDNOW purchase log.
//
//	go run ./bench/clv [-n 1000000] [-cdnow ../shared/data/cdnow/cdnow_master.csv]
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/cxlens/cxlens/internal/clv"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "clv:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("clv", flag.ContinueOnError)
	n := fs.Int("n", 1_000_000, "customers to simulate")
	seed := fs.Uint64("seed", 42, "random seed")
	cdnow := fs.String("cdnow", "../shared/data/cdnow/cdnow_master.csv", "the full CDNOW purchase log (skipped when missing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	truth := clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	spend := clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	rng := rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15))

	start := time.Now()
	sums := simulate(rng, *n, truth, spend)
	simulated := time.Since(start)

	start = time.Now()
	groups := clv.Compress(sums)
	bg, bgFit, err := clv.FitBGNBD(groups, clv.FitOptions{})
	if err != nil {
		return fmt.Errorf("fit BG/NBD: %w", err)
	}
	bgTime := time.Since(start)
	start = time.Now()
	gg, _, err := clv.FitGammaGamma(clv.Spends(sums), clv.FitOptions{})
	if err != nil {
		return fmt.Errorf("fit Gamma-Gamma: %w", err)
	}
	ggTime := time.Since(start)

	fmt.Fprintf(out, "%d simulated customers (%d distinct summaries), %d CPUs, seed %d; simulation took %.2f s\n\n",
		*n, len(groups), runtime.NumCPU(), *seed, simulated.Seconds())
	fmt.Fprintln(out, "| parameter | true | fitted | error |")
	fmt.Fprintln(out, "|---|---:|---:|---:|")
	worst := 0.0
	for _, p := range []struct {
		name        string
		true, found float64
	}{
		{"BG/NBD r", truth.R, bg.R}, {"BG/NBD α", truth.Alpha, bg.Alpha}, {"BG/NBD a", truth.A, bg.A}, {"BG/NBD b", truth.B, bg.B},
		{"Gamma-Gamma p", spend.P, gg.P}, {"Gamma-Gamma q", spend.Q, gg.Q}, {"Gamma-Gamma γ", spend.Gamma, gg.Gamma},
	} {
		e := (p.found - p.true) / p.true
		worst = math.Max(worst, math.Abs(e))
		fmt.Fprintf(out, "| %s | %g | %.4f | %+.2f%% |\n", p.name, p.true, p.found, 100*e)
	}
	fmt.Fprintf(out, "\n| fit | customers | time |\n|---|---:|---:|\n")
	fmt.Fprintf(out, "| BG/NBD, simulated | %d | %.2f s (%d log-likelihood evaluations) |\n", *n, bgTime.Seconds(), bgFit.Evaluations)
	fmt.Fprintf(out, "| Gamma-Gamma, simulated | %d | %.2f s |\n", *n, ggTime.Seconds())
	fmt.Fprintf(out, "| BG/NBD + Gamma-Gamma, simulated | %d | %.2f s (target ≤ 10 s) |\n", *n, (bgTime + ggTime).Seconds())

	if txs, err := readCDNOW(*cdnow); err == nil {
		start = time.Now()
		cs, err := clv.Summarize(txs, clv.SummaryOptions{End: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC), Unit: clv.Week, Merge: clv.Day})
		if err != nil {
			return err
		}
		m, fit, err := clv.FitBGNBD(clv.Compress(cs), clv.FitOptions{})
		if err != nil {
			return err
		}
		g, _, err := clv.FitGammaGamma(clv.Spends(cs), clv.FitOptions{})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "| BG/NBD + Gamma-Gamma, full CDNOW (%d purchases, 39-week calibration) | %d | %.2f s |\n", len(txs), len(cs), time.Since(start).Seconds())
		fmt.Fprintf(out, "\nfull CDNOW fit: r %.4f, α %.4f, a %.4f, b %.4f, LL %.1f; p %.3f, q %.3f, γ %.3f\n", m.R, m.Alpha, m.A, m.B, fit.LogLikelihood, g.P, g.Q, g.Gamma)
	} else {
		fmt.Fprintf(out, "\n(full CDNOW skipped: %v)\n", err)
	}
	if worst > 0.05 {
		return fmt.Errorf("a parameter is off by %.1f%%, more than 5%%", 100*worst)
	}
	fmt.Fprintf(out, "\nevery parameter recovered within %.2f%% (target 5%%)\n", 100*worst)
	return nil
}

// simulate draws customers from the models: ages T uniform over 26–78
// weeks, purchases from BG/NBD in continuous time, and each repeat
// purchase's value from Gamma(p, ν) with ν ~ Gamma(q, γ) per customer.
// Times are then rounded to the nearest day, as a purchase log records
// them, so many customers share a (x, t_x, T) summary and the fit runs on
// the compressed groups as it does on real data.
func simulate(rng *rand.Rand, n int, m clv.BGNBD, g clv.GammaGamma) []clv.Summary {
	nu := distuv.Gamma{Alpha: g.Q, Beta: g.Gamma, Src: rng}
	out := make([]clv.Summary, n)
	for i := range out {
		T := 26 + 52*rng.Float64()
		times := m.Simulate(rng, T)
		s := clv.Summary{CustomerID: strconv.Itoa(i), T: day(T), X: len(times)}
		if s.X > 0 {
			s.Tx = day(times[len(times)-1])
			z := distuv.Gamma{Alpha: g.P, Beta: nu.Rand(), Src: rng}
			sum := 0.0
			for range s.X {
				sum += z.Rand()
			}
			s.Monetary = sum / float64(s.X)
		}
		out[i] = s
	}
	return out
}

// day rounds a time in weeks to the nearest day.
func day(weeks float64) float64 { return math.Round(weeks*7) / 7 }

// readCDNOW reads the CDNOW master log (customer_id, date, cds, dollars).
func readCDNOW(path string) ([]clv.Transaction, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, errors.New("empty log")
	}
	var out []clv.Transaction
	for _, r := range rows[1:] {
		at, err := time.Parse("20060102", r[1])
		if err != nil {
			return nil, err
		}
		v, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			return nil, err
		}
		out = append(out, clv.Transaction{CustomerID: r[0], Time: at, Value: v})
	}
	return out, nil
}
