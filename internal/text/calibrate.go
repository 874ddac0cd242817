package text

import "math"

// Calibration maps a model's raw class scores to probabilities that match
// observed frequencies. Two-class models use Platt scaling of the score
// margin; three-class models use temperature scaling, its multi-class
// generalisation (Guo et al. 2017, "On Calibration of Modern Neural
// Networks", §4.2).
type Calibration struct {
	PlattA, PlattB float64 // P(second class) = σ(A·(z₁−z₀) + B)
	Temperature    float64 // softmax(z / T)
}

// apply returns calibrated probabilities for raw scores z.
func (c Calibration) apply(z []float64) []float64 {
	p := make([]float64, len(z))
	if len(z) == 2 {
		p[1] = sigmoid(c.PlattA*(z[1]-z[0]) + c.PlattB)
		p[0] = 1 - p[1]
		return p
	}
	t := c.Temperature
	if t <= 0 {
		t = 1
	}
	for i, v := range z {
		p[i] = v / t
	}
	softmaxInPlace(p)
	return p
}

// fitCalibration fits the calibration for k classes to out-of-fold scores
// and their true class indexes.
func fitCalibration(scores [][]float64, labels []int, k int) Calibration {
	if k == 2 {
		margins := make([]float64, len(scores))
		ys := make([]bool, len(scores))
		for i, z := range scores {
			margins[i] = z[1] - z[0]
			ys[i] = labels[i] == 1
		}
		a, b := FitPlatt(margins, ys)
		return Calibration{PlattA: a, PlattB: b, Temperature: 1}
	}
	return Calibration{PlattA: 1, Temperature: fitTemperature(scores, labels)}
}

// FitPlatt fits P(y) = σ(a·s + b) to scores s and outcomes y by Newton's
// method with backtracking on the log-loss against Platt's smoothed targets
// (N₊+1)/(N₊+2) and 1/(N₋+2). This is the algorithm of Lin, Lin & Weng
// (2007), "A note on Platt's probabilistic outputs for support vector
// machines", Machine Learning 68(3), Algorithm 1. Note the sign: a > 0 here
// means higher scores are more likely positive.
func FitPlatt(s []float64, y []bool) (a, b float64) {
	var nPos, nNeg float64
	for _, v := range y {
		if v {
			nPos++
		} else {
			nNeg++
		}
	}
	hi, lo := (nPos+1)/(nPos+2), 1/(nNeg+2)
	t := make([]float64, len(s))
	for i, v := range y {
		if v {
			t[i] = hi
		} else {
			t[i] = lo
		}
	}
	// Work with f = −(a·s + b), as in the paper: P = 1/(1+exp(f)).
	A, B := 0.0, math.Log((nNeg+1)/(nPos+1))
	const sigma = 1e-12
	loss := func(A, B float64) float64 {
		l := 0.0
		for i := range s {
			f := s[i]*A + B
			if f >= 0 {
				l += t[i]*f + math.Log1p(math.Exp(-f))
			} else {
				l += (t[i]-1)*f + math.Log1p(math.Exp(f))
			}
		}
		return l
	}
	fval := loss(A, B)
	for iter := 0; iter < 100; iter++ {
		h11, h22, h21, g1, g2 := sigma, sigma, 0.0, 0.0, 0.0
		for i := range s {
			f := s[i]*A + B
			var p, q float64
			if f >= 0 {
				p = math.Exp(-f) / (1 + math.Exp(-f))
				q = 1 / (1 + math.Exp(-f))
			} else {
				p = 1 / (1 + math.Exp(f))
				q = math.Exp(f) / (1 + math.Exp(f))
			}
			d2 := p * q
			h11 += s[i] * s[i] * d2
			h22 += d2
			h21 += s[i] * d2
			d1 := t[i] - p
			g1 += s[i] * d1
			g2 += d1
		}
		if math.Abs(g1) < 1e-5 && math.Abs(g2) < 1e-5 {
			break
		}
		det := h11*h22 - h21*h21
		dA := -(h22*g1 - h21*g2) / det
		dB := -(-h21*g1 + h11*g2) / det
		gd := g1*dA + g2*dB
		step := 1.0
		for step >= 1e-10 {
			nA, nB := A+step*dA, B+step*dB
			nf := loss(nA, nB)
			if nf < fval+1e-4*step*gd {
				A, B, fval = nA, nB, nf
				break
			}
			step /= 2
		}
		if step < 1e-10 {
			break
		}
	}
	return -A, -B
}

// fitTemperature finds the temperature that minimises the log-loss of
// softmax(z/T), by golden-section search over log T in [log 0.05, log 20].
func fitTemperature(scores [][]float64, labels []int) float64 {
	nll := func(logT float64) float64 {
		t := math.Exp(logT)
		l := 0.0
		p := make([]float64, 0, 3)
		for i, z := range scores {
			p = p[:0]
			for _, v := range z {
				p = append(p, v/t)
			}
			softmaxInPlace(p)
			l -= math.Log(math.Max(p[labels[i]], 1e-15))
		}
		return l
	}
	lo, hi := math.Log(0.05), math.Log(20)
	g := (math.Sqrt(5) - 1) / 2
	x1, x2 := hi-g*(hi-lo), lo+g*(hi-lo)
	f1, f2 := nll(x1), nll(x2)
	for hi-lo > 1e-4 {
		if f1 < f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - g*(hi-lo)
			f1 = nll(x1)
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + g*(hi-lo)
			f2 = nll(x2)
		}
	}
	return math.Exp((lo + hi) / 2)
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
