package report

import (
	"math"
	"testing"
)

func TestResponseRate(t *testing.T) {
	t.Parallel()
	// Wilson 95% for 30 of 100: [0.2189, 0.3958] (R: prop.test(30, 100,
	// correct = FALSE)$conf.int gives 0.2189489 0.3958485).
	r, err := ResponseRate([]InvitationCount{
		{Channel: "email", Language: "en", Sent: 60, Answered: 20},
		{Channel: "email", Language: "ro", Sent: 40, Answered: 10},
	}, "language")
	if err != nil {
		t.Fatal(err)
	}
	if r.Value == nil || *r.Value != 0.3 || r.N != 100 || math.Abs(*r.CILow-0.2189489) > 1e-6 || math.Abs(*r.CIHigh-0.3958485) > 1e-6 {
		t.Errorf("overall %+v (ci %v %v)", r.Figure, *r.CILow, *r.CIHigh)
	}
	if !r.Readable { // half-width 8.8 points ≤ 10
		t.Errorf("n=100 not readable: %+v", r.Figure)
	}
	if small, _ := ResponseRate([]InvitationCount{{Sent: 20, Answered: 5}}, ""); small.Readable || small.Reason == "" {
		t.Errorf("n=20 readable: %+v", small.Figure)
	}
	if len(r.Groups) != 2 || r.Groups[0].Group != "en" || r.Groups[0].Sent != 60 {
		t.Errorf("groups %+v", r.Groups)
	}
	zero, err := ResponseRate(nil, "")
	if err != nil || zero.Value != nil || zero.N != 0 || zero.Reason == "" {
		t.Errorf("no data: %+v %v", zero, err)
	}
	if _, err := ResponseRate(nil, "agent"); err == nil {
		t.Error("group_by agent accepted")
	}
	all, _ := ResponseRate([]InvitationCount{{Sent: 5, Answered: 5}}, "")
	if *all.Value != 1 || *all.CIHigh != 1 {
		t.Errorf("all answered: %+v", all.Figure)
	}
}
