// Package cx holds the core customer-experience domain types of cxlens:
// workspaces, customers, events, tickets, surveys, responses and API keys,
// with their validation rules and the error kinds shared by every adapter.
//
// The entities live in one package because they validate against each other
// (a response's score is checked against its survey's kind and scale); the
// package does no I/O.
package cx
