// Package survey is the pure logic of asking customers: score categories,
// built-in templates and their translations, localizing a survey's words,
// language negotiation, reading answers, and the signed tokens of survey
// links. It holds no SQL and no HTTP.
package survey
