package main

import (
	"context"
	"fmt"
	"math"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/clv"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

const clvFitHelp = `Fit a customer-lifetime-value model to a workspace's purchase events and print
its parameters by their usual names and the log-likelihood:

  bgnbd        BG/NBD (Fader, Hardie & Lee 2005): r, alpha, a, b
  pareto-nbd   Pareto/NBD (Schmittlein, Morrison & Colombo 1987): r, alpha, s, beta
  gamma-gamma  Gamma-Gamma spend model (Fader & Hardie 2013): p, q, gamma

Purchases of one customer on the same UTC day count as one transaction (as in
the papers). The first purchase starts the customer's clock; frequency counts
repeat purchases up to --calibration-end.`

// clvFitResult is what clv fit prints.
type clvFitResult struct {
	Model          string                 `json:"model"`
	Unit           string                 `json:"unit"`
	CalibrationEnd time.Time              `json:"calibration_end"`
	Customers      int                    `json:"customers"`
	RepeatBuyers   int                    `json:"repeat_buyers"`
	Holdout        *clv.HoldoutComparison `json:"holdout,omitempty"`
	Transactions   int                    `json:"transactions"`
	Params         map[string]float64     `json:"params"`
	LogLik         float64                `json:"loglik"`
	Evaluations    int                    `json:"evaluations"`
}

// clvFit fits a CLV model; see clvFitHelp.
func (a *app) clvFit(ctx context.Context, args []string) error {
	fs := a.newFlagSet("clv fit", "--workspace ID --model MODEL [flags]", clvFitHelp)
	var ws, model, end, unit, format string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&model, "model", "", "`model`: bgnbd, pareto-nbd or gamma-gamma")
	fs.StringVar(&end, "calibration-end", "", "end of the calibration period, a `time` (RFC 3339 or 2006-01-02; default: the day after the last purchase)")
	fs.StringVar(&unit, "unit", "week", "time `unit` of recency and age: day or week")
	fs.StringVar(&format, "format", "table", "output `format`: table or json")
	var holdout string
	fs.StringVar(&holdout, "holdout-end", "", "with --calibration-end: compare the purchases the model predicts between the two dates with the actual ones, by\nnumber of repeat purchases in calibration (bgnbd and pareto-nbd)")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if _, err := workspaceID(ws); err != nil {
		return err
	}
	if model != "bgnbd" && model != "pareto-nbd" && model != "gamma-gamma" {
		return usageErrorf("--model: %q is not bgnbd, pareto-nbd or gamma-gamma", model)
	}
	units := map[string]time.Duration{"day": clv.Day, "week": clv.Week}
	if _, ok := units[unit]; !ok {
		return usageErrorf("--unit: %q is not day or week", unit)
	}
	if format != "table" && format != "json" {
		return usageErrorf("--format: %q is not table or json", format)
	}
	endAt, err := timeFlag("calibration-end", end)
	if err != nil {
		return err
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	txs, err := purchases(ctx, db, id)
	if err != nil {
		return err
	}
	if len(txs) == 0 {
		return fmt.Errorf("clv fit: workspace %d has no purchase events: %w", id, cx.ErrInvalid)
	}
	if endAt.IsZero() {
		for _, t := range txs {
			if t.Time.After(endAt) {
				endAt = t.Time
			}
		}
		endAt = endAt.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
	sums, err := clv.Summarize(txs, clv.SummaryOptions{End: endAt, Unit: units[unit], Merge: clv.Day})
	if err != nil {
		return fmt.Errorf("clv fit: %w", err)
	}
	res := clvFitResult{Model: model, Unit: unit, CalibrationEnd: endAt, Customers: len(sums), Transactions: len(txs)}
	for _, s := range sums {
		if s.X > 0 {
			res.RepeatBuyers++
		}
	}
	var fit clv.FitResult
	switch model {
	case "bgnbd":
		var m clv.BGNBD
		m, fit, err = clv.FitBGNBD(clv.Compress(sums), clv.FitOptions{})
		res.Params = map[string]float64{"r": m.R, "alpha": m.Alpha, "a": m.A, "b": m.B}
	case "pareto-nbd":
		var m clv.ParetoNBD
		m, fit, err = clv.FitParetoNBD(clv.Compress(sums), clv.FitOptions{})
		res.Params = map[string]float64{"r": m.R, "alpha": m.Alpha, "s": m.S, "beta": m.Beta}
	case "gamma-gamma":
		var m clv.GammaGamma
		m, fit, err = clv.FitGammaGamma(clv.Spends(sums), clv.FitOptions{})
		res.Params = map[string]float64{"p": m.P, "q": m.Q, "gamma": m.Gamma}
	}
	if err != nil {
		return fmt.Errorf("clv fit %s: %w", model, err)
	}
	res.LogLik, res.Evaluations = fit.LogLikelihood, fit.Evaluations
	holdoutEnd, err := timeFlag("holdout-end", holdout)
	if err != nil {
		return err
	}
	if !holdoutEnd.IsZero() {
		var m clv.TransactionModel
		switch model {
		case "bgnbd":
			m = clv.BGNBD{R: res.Params["r"], Alpha: res.Params["alpha"], A: res.Params["a"], B: res.Params["b"]}
		case "pareto-nbd":
			m = clv.ParetoNBD{R: res.Params["r"], Alpha: res.Params["alpha"], S: res.Params["s"], Beta: res.Params["beta"]}
		default:
			return usageErrorf("--holdout-end compares purchase counts: use --model bgnbd or pareto-nbd")
		}
		if end == "" || !holdoutEnd.After(endAt) {
			return usageErrorf("--holdout-end needs --calibration-end before it")
		}
		hc, err := clv.SplitHoldout(txs, clv.SummaryOptions{End: endAt, Unit: units[unit], Merge: clv.Day}, holdoutEnd)
		if err != nil {
			return fmt.Errorf("clv fit: holdout: %w", err)
		}
		cmp, err := clv.CompareHoldout(m, hc, 7)
		if err != nil {
			return fmt.Errorf("clv fit: holdout: %w", err)
		}
		cmp.Customers = nil // the table by x is the summary; per-customer predictions: cxlens export --type predictions
		res.Holdout = &cmp
	}
	if format == "json" {
		return printJSON(a.stdout, res)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "model\t%s\ncalibration end\t%s\ncustomers\t%d (%d repeat buyers)\n", model, endAt.Format(time.RFC3339), res.Customers, res.RepeatBuyers)
	for _, name := range []string{"r", "alpha", "a", "b", "s", "beta", "p", "q", "gamma"} {
		if v, ok := res.Params[name]; ok {
			fmt.Fprintf(tw, "%s\t%.6g\n", name, v)
		}
	}
	fmt.Fprintf(tw, "loglik\t%.4f\n", res.LogLik)
	if h := res.Holdout; h != nil {
		fmt.Fprintf(tw, "\nholdout to %s\tactual %d purchases, predicted %.1f (%+.1f%%)\n", holdoutEnd.Format("2006-01-02"), h.Actual, h.Predicted, 100*(h.Predicted-float64(h.Actual))/math.Max(1, float64(h.Actual)))
		fmt.Fprintln(tw, "x in calibration\tcustomers\tactual per customer\tpredicted per customer")
		for _, r := range h.ByX {
			fmt.Fprintf(tw, "%d\t%d\t%.3f\t%.3f\n", r.X, r.Customers, r.Actual, r.Predicted)
		}
	}
	return tw.Flush()
}

// purchases reads every purchase event of a workspace as a transaction log.
func purchases(ctx context.Context, db *store.DB, ws int64) ([]clv.Transaction, error) {
	events, err := store.All(func(cur string) (store.Page[cx.Event], error) {
		return db.Events(ctx, ws, store.EventFilter{Type: cx.Purchase, ListFilter: store.ListFilter{Cursor: cur, Limit: store.MaxLimit}})
	})
	if err != nil {
		return nil, err
	}
	out := make([]clv.Transaction, len(events))
	for i, e := range events {
		out[i] = clv.Transaction{CustomerID: e.Customer, Time: e.OccurredAt, Value: e.Value}
	}
	return out, nil
}
