package kpi

import "github.com/cxlens/cxlens/internal/cx"

// Redemption returns the loyalty redemption rate of d in period p:
//
//	points redeemed in p / points issued in p
//
// summing the values (points) of the loyalty_redeem and loyalty_earn events
// of d's customers that occurred in p. Points redeemed in a period may have
// been issued earlier, so the rate can exceed 1. N is the number of
// loyalty_earn events; with no points issued the rate is NoData. For a
// segment, pass one segment's Data (Data.Segments or Table).
func Redemption(d Data, p Period, opt Options) Rate {
	known := customerSet(d.Customers)
	var issued, redeemed float64
	n := 0
	for _, e := range d.Events {
		if !p.Contains(e.OccurredAt) || !known[e.Customer] {
			continue
		}
		switch e.Type {
		case cx.LoyaltyEarn:
			issued += e.Value
			n++
		case cx.LoyaltyRedeem:
			redeemed += e.Value
		}
	}
	return ratio(RedemptionRate, p, redeemed, issued, n, opt.Stats)
}
