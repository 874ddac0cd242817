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
