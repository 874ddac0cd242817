package text

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFitPlattRecoversParameters(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	const a, b = 2.0, -1.0
	var s []float64
	var y []bool
	for i := 0; i < 20000; i++ {
		x := rng.Float64()*6 - 3
		s = append(s, x)
		y = append(y, rng.Float64() < sigmoid(a*x+b))
	}
	ga, gb := FitPlatt(s, y)
	if math.Abs(ga-a) > 0.1 || math.Abs(gb-b) > 0.1 {
		t.Errorf("FitPlatt = (%.3f, %.3f), want about (%.1f, %.1f)", ga, gb, a, b)
	}
}

func TestFitTemperatureRecoversTemperature(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 8))
	const temp = 2.0
	var scores [][]float64
	var labels []int
	for i := 0; i < 20000; i++ {
		z := []float64{rng.NormFloat64() * 3, rng.NormFloat64() * 3, rng.NormFloat64() * 3}
		p := []float64{z[0] / temp, z[1] / temp, z[2] / temp}
		softmaxInPlace(p)
		u, c := rng.Float64(), 0
		for c < 2 && u > p[c] {
			u -= p[c]
			c++
		}
		scores = append(scores, z)
		labels = append(labels, c)
	}
	if got := fitTemperature(scores, labels); math.Abs(got-temp) > 0.1 {
		t.Errorf("fitTemperature = %.3f, want about %.1f", got, temp)
	}
}

func TestCalibrationApply(t *testing.T) {
	t.Parallel()
	c := Calibration{PlattA: 1, PlattB: 0, Temperature: 1}
	p := c.apply([]float64{0, 0})
	if math.Abs(p[0]-0.5) > 1e-12 || math.Abs(p[1]-0.5) > 1e-12 {
		t.Errorf("apply(0,0) = %v", p)
	}
	p = c.apply([]float64{1, 1, 1})
	for _, v := range p {
		if math.Abs(v-1.0/3) > 1e-12 {
			t.Errorf("apply(1,1,1) = %v", p)
		}
	}
}
