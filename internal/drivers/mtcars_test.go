package drivers

// mtcars is R's datasets::mtcars (Henderson & Velleman 1981, "Building
// multiple regression models interactively", Biometrics 37:391–411; data
// from the 1974 Motor Trend US magazine), 32 cars. Rows as printed by
// write.csv(mtcars); only the columns the tests use are kept:
// mpg, cyl, disp, hp, wt, gear.
var mtcars = [][6]float64{
	// mpg, cyl, disp, hp, wt, gear
	{21, 6, 160, 110, 2.62, 4},     // Mazda RX4
	{21, 6, 160, 110, 2.875, 4},    // Mazda RX4 Wag
	{22.8, 4, 108, 93, 2.32, 4},    // Datsun 710
	{21.4, 6, 258, 110, 3.215, 3},  // Hornet 4 Drive
	{18.7, 8, 360, 175, 3.44, 3},   // Hornet Sportabout
	{18.1, 6, 225, 105, 3.46, 3},   // Valiant
	{14.3, 8, 360, 245, 3.57, 3},   // Duster 360
	{24.4, 4, 146.7, 62, 3.19, 4},  // Merc 240D
	{22.8, 4, 140.8, 95, 3.15, 4},  // Merc 230
	{19.2, 6, 167.6, 123, 3.44, 4}, // Merc 280
	{17.8, 6, 167.6, 123, 3.44, 4}, // Merc 280C
	{16.4, 8, 275.8, 180, 4.07, 3}, // Merc 450SE
	{17.3, 8, 275.8, 180, 3.73, 3}, // Merc 450SL
	{15.2, 8, 275.8, 180, 3.78, 3}, // Merc 450SLC
	{10.4, 8, 472, 205, 5.25, 3},   // Cadillac Fleetwood
	{10.4, 8, 460, 215, 5.424, 3},  // Lincoln Continental
	{14.7, 8, 440, 230, 5.345, 3},  // Chrysler Imperial
	{32.4, 4, 78.7, 66, 2.2, 4},    // Fiat 128
	{30.4, 4, 75.7, 52, 1.615, 4},  // Honda Civic
	{33.9, 4, 71.1, 65, 1.835, 4},  // Toyota Corolla
	{21.5, 4, 120.1, 97, 2.465, 3}, // Toyota Corona
	{15.5, 8, 318, 150, 3.52, 3},   // Dodge Challenger
	{15.2, 8, 304, 150, 3.435, 3},  // AMC Javelin
	{13.3, 8, 350, 245, 3.84, 3},   // Camaro Z28
	{19.2, 8, 400, 175, 3.845, 3},  // Pontiac Firebird
	{27.3, 4, 79, 66, 1.935, 4},    // Fiat X1-9
	{26, 4, 120.3, 91, 2.14, 5},    // Porsche 914-2
	{30.4, 4, 95.1, 113, 1.513, 5}, // Lotus Europa
	{15.8, 8, 351, 264, 3.17, 5},   // Ford Pantera L
	{19.7, 6, 145, 175, 2.77, 5},   // Ferrari Dino
	{15, 8, 301, 335, 3.57, 5},     // Maserati Bora
	{21.4, 4, 121, 109, 2.78, 4},   // Volvo 142E
}

// mtcarsColumn returns column c of mtcars (0 mpg, 1 cyl, 2 disp, 3 hp,
// 4 wt, 5 gear).
func mtcarsColumn(c int) []float64 {
	out := make([]float64, len(mtcars))
	for i, row := range mtcars {
		out[i] = row[c]
	}
	return out
}
