package mail

import (
	"errors"
	"net/mail"
	"strings"
)

// parseFrom returns the bare address of a From value.
func parseFrom(s string) (string, error) {
	if strings.ContainsAny(s, "\r\n") {
		return "", errors.New("mail: line break in address")
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", err
	}
	return a.Address, nil
}

// Normalize returns addr trimmed and lower-cased, the form the
// suppression list keys on.
func Normalize(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }
