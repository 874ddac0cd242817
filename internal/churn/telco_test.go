package churn

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

// telcoCustomer is one row of testdata/telco-churn.csv (see
// testdata/SOURCE.md), with the raw fields by column name.
type telcoCustomer struct {
	fields  map[string]string
	churned bool
}

// loadTelco reads the IBM Telco customer churn sample.
func loadTelco(t testing.TB) []telcoCustomer {
	t.Helper()
	f, err := os.Open("testdata/telco-churn.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	out := make([]telcoCustomer, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		c := telcoCustomer{fields: make(map[string]string, len(header))}
		for i, h := range header {
			c.fields[h] = rec[i]
		}
		c.churned = c.fields["Churn"] == "Yes"
		out = append(out, c)
	}
	return out
}

// telcoCategorical are the raw categorical columns, one-hot encoded.
var telcoCategorical = []string{
	"gender", "Partner", "Dependents", "PhoneService", "MultipleLines",
	"InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection",
	"TechSupport", "StreamingTV", "StreamingMovies", "Contract",
	"PaperlessBilling", "PaymentMethod",
}

// num parses a numeric field. TotalCharges is " " for the 11 customers with
// tenure 0 (nothing billed yet), which is read as 0.
func (c telcoCustomer) num(t testing.TB, name string) float64 {
	s := c.fields[name]
	if s == " " || s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s %s: %v", c.fields["customerID"], name, err)
	}
	return v
}

// baselineRow is the reference encoding: the raw columns, numerics
// (SeniorCitizen, tenure, MonthlyCharges, TotalCharges) standardised by the
// Encoder, categoricals one-hot.
func (c telcoCustomer) baselineRow(t testing.TB) Row {
	r := Row{Numeric: map[string]float64{}, Categorical: map[string]string{}}
	for _, n := range []string{"SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"} {
		r.Numeric[n] = c.num(t, n)
	}
	for _, n := range telcoCategorical {
		r.Categorical[n] = c.fields[n]
	}
	return r
}

// engineeredRow adds the derived features kept after 5-fold CV on the
// training part: log(1+tenure), since churn risk falls steeply in the first
// months and flattens after, and the average charge per month of tenure
// (TotalCharges/tenure; MonthlyCharges when tenure is 0). Tenure buckets
// and MonthlyCharges − average were tried and did not improve the CV AUC.
func (c telcoCustomer) engineeredRow(t testing.TB) Row {
	r := c.baselineRow(t)
	tenure := r.Numeric["tenure"]
	avg := r.Numeric["MonthlyCharges"]
	if tenure > 0 {
		avg = r.Numeric["TotalCharges"] / tenure
	}
	r.Numeric["logTenure"] = math.Log1p(tenure)
	r.Numeric["chargePerMonth"] = avg
	return r
}

// telcoInteractions lets the log-tenure slope differ by contract type.
var telcoInteractions = []Interaction{{Categorical: "Contract", Numeric: "logTenure"}}

func telcoRows(t testing.TB, cs []telcoCustomer, engineered bool) ([]Row, []bool) {
	rows := make([]Row, len(cs))
	y := make([]bool, len(cs))
	for i, c := range cs {
		if engineered {
			rows[i] = c.engineeredRow(t)
		} else {
			rows[i] = c.baselineRow(t)
		}
		y[i] = c.churned
	}
	return rows, y
}

// telcoSplit applies the deterministic split: 0-based data row
// index % 10 == 7 is the test slice, the rest is training.
func telcoSplit(rows []Row, y []bool) (trR []Row, trY []bool, teR []Row, teY []bool) {
	for i := range rows {
		if i%10 == 7 {
			teR, teY = append(teR, rows[i]), append(teY, y[i])
		} else {
			trR, trY = append(trR, rows[i]), append(trY, y[i])
		}
	}
	return
}
