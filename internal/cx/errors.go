package cx

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Adapters map them to HTTP statuses and exit codes; wrap
// them with %w and a prefix that says where they came from.
var (
	// ErrNotFound means the requested thing does not exist in the workspace.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the input failed validation; see ValidationError.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict means the request clashes with stored state (a duplicate
	// key, or an idempotency key reused for a different request).
	ErrConflict = errors.New("conflict")
	// ErrUnauthorized means the credentials are missing, unknown or revoked.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden means the credentials are valid but lack the needed scope.
	ErrForbidden = errors.New("forbidden")
)

// FieldError names one bad field of one input item. Index is the item's
// position in a batch (0 for a single item), or its line number for file
// imports when Line is set.
type FieldError struct {
	Index  int    `json:"index"`
	Line   int    `json:"line,omitempty"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (e FieldError) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
	}
	return fmt.Sprintf("item %d: %s: %s", e.Index, e.Field, e.Reason)
}

// ValidationError lists every field that failed validation. It matches
// ErrInvalid with errors.Is.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	if len(e.Fields) == 0 {
		return "invalid input"
	}
	var b strings.Builder
	b.WriteString("invalid input: ")
	for i, f := range e.Fields {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Fields)-3)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true for a *ValidationError.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Invalid returns a *ValidationError for a single field of item 0.
func Invalid(field, reason string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Reason: reason}}}
}

// fieldErrors collects field errors for one item.
type fieldErrors []FieldError

func (fe *fieldErrors) add(field, reason string) {
	*fe = append(*fe, FieldError{Field: field, Reason: reason})
}
