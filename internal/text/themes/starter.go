package themes

import (
	_ "embed"
	"fmt"
)

//go:embed data/starter.json
var starterJSON []byte

// Starter returns a fresh copy of the built-in codeframe for common CX
// domains: customer support, delivery and timing, price, product quality,
// app and website, staff — each with terms in English ("en"), Simplified
// Chinese ("zh") and Romanian ("ro", inflected forms with and without
// diacritics). It is a starting point for a workspace to edit.
func Starter() Codeframe {
	c, err := ParseCodeframe(starterJSON)
	if err != nil {
		// The embedded file is part of the binary; TestStarter catches this.
		panic(fmt.Sprintf("themes: embedded starter codeframe: %v", err))
	}
	return c
}

//go:embed data/domains.json
var domainsJSON []byte

// StarterWithDomains returns the starter codeframe with sub-themes for
// common CX domains: delivery speed, delays and cancellations and lost or
// damaged luggage under delivery; food taste and room or cabin cleanliness
// under product quality (en, zh, ro terms). The demo workspace uses it; a
// workspace can adopt it with PUT /api/v1/codeframe.
func StarterWithDomains() Codeframe {
	c, err := ParseCodeframe(domainsJSON)
	if err != nil {
		// The embedded file is part of the binary; TestStarterWithDomains catches this.
		panic(fmt.Sprintf("themes: embedded domains codeframe: %v", err))
	}
	return c
}
