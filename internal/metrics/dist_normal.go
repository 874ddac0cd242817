package metrics

import "math"

// NormalCDF returns P(Z ≤ x) for a standard normal Z.
//
// Φ(x) = erfc(−x/√2)/2, which keeps full relative precision in the lower tail
// (Abramowitz & Stegun 26.2.29); math.Erfc is accurate to about 1 ulp.
func NormalCDF(x float64) float64 {
	return 0.5 * math.Erfc(-x/math.Sqrt2)
}

// NormalSurvival returns P(Z > x) = 1 − Φ(x) for a standard normal Z, without
// the cancellation of computing 1 − NormalCDF(x) in the upper tail.
func NormalSurvival(x float64) float64 {
	return 0.5 * math.Erfc(x/math.Sqrt2)
}

// NormalQuantile returns z such that Φ(z) = p for a standard normal: the
// inverse of NormalCDF. It returns −Inf for p = 0, +Inf for p = 1 and NaN for
// p outside [0, 1] or NaN.
//
// Algorithm: Wichura (1988), "Algorithm AS 241: The Percentage Points of the
// Normal Distribution", Applied Statistics 37(3):477–484, routine PPND16,
// accurate to about 1 part in 10^16 (the same algorithm as R's qnorm).
// Coefficients transcribed from AS 241; TestAS241Transcription checks them
// against the paper's hash sums.
func NormalQuantile(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	}
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		return q * (((((((as241A[7]*r+as241A[6])*r+as241A[5])*r+as241A[4])*r+as241A[3])*r+as241A[2])*r+as241A[1])*r + as241A[0]) /
			(((((((as241B[7]*r+as241B[6])*r+as241B[5])*r+as241B[4])*r+as241B[3])*r+as241B[2])*r+as241B[1])*r + 1)
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	r = math.Sqrt(-math.Log(r))
	var z float64
	if r <= 5 {
		r -= 1.6
		z = (((((((as241C[7]*r+as241C[6])*r+as241C[5])*r+as241C[4])*r+as241C[3])*r+as241C[2])*r+as241C[1])*r + as241C[0]) /
			(((((((as241D[7]*r+as241D[6])*r+as241D[5])*r+as241D[4])*r+as241D[3])*r+as241D[2])*r+as241D[1])*r + 1)
	} else {
		r -= 5
		z = (((((((as241E[7]*r+as241E[6])*r+as241E[5])*r+as241E[4])*r+as241E[3])*r+as241E[2])*r+as241E[1])*r + as241E[0]) /
			(((((((as241F[7]*r+as241F[6])*r+as241F[5])*r+as241F[4])*r+as241F[3])*r+as241F[2])*r+as241F[1])*r + 1)
	}
	if q < 0 {
		return -z
	}
	return z
}

// zCritical returns the two-sided critical value z_{1−α/2} for a confidence
// level 1−α, e.g. 1.959963984540054 for 0.95.
func zCritical(level float64) float64 {
	return NormalQuantile(0.5 + level/2)
}

// AS 241 (PPND16) coefficients. Index 0 of the B, D and F denominators is
// unused (the constant term is 1).
var (
	// p close to 1/2: |p − 0.5| ≤ 0.425.
	as241A = [8]float64{
		3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3, 1.3731693765509461125e+4,
		4.5921953931549871457e+4, 6.7265770927008700853e+4, 3.3430575583588128105e+4, 2.5090809287301226727e+3,
	}
	as241B = [8]float64{
		1, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
		2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4, 5.2264952788528545610e+3,
	}
	// p not close to 0, 1/2 or 1: r = sqrt(−log(min(p, 1−p))) ≤ 5.
	as241C = [8]float64{
		1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
		1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4,
	}
	as241D = [8]float64{
		1, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
		1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9,
	}
	// p near 0 or 1: r > 5.
	as241E = [8]float64{
		6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
		2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
	}
	as241F = [8]float64{
		1, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
		7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15,
	}
)
