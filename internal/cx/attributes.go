package cx

import (
	"strings"
	"unicode/utf8"
)

// Attributes are free-form key/value pairs on customers, events, tickets
// and responses (plan, region, product, agent team...). Values are JSON
// scalars; segments group and filter on them.
type Attributes map[string]any

// Limits on free-form input, so one bad client cannot bloat the database.
const (
	MaxAttributes     = 64
	MaxAttributeKey   = 64
	MaxAttributeValue = 1024
	MaxText           = 10000 // comments
	MaxShortText      = 256   // ids, names, keys, channels
)

// piiAttributeKeys are attribute names treated as personal data and removed
// when a customer is erased. Keys starting with "pii_" are removed too.
var piiAttributeKeys = map[string]bool{
	"email": true, "name": true, "first_name": true, "last_name": true,
	"full_name": true, "phone": true, "mobile": true, "address": true,
	"street": true, "postcode": true, "zip": true, "ip": true, "ip_address": true,
	"birthdate": true, "date_of_birth": true,
}

// IsPII reports whether an attribute key names personal data.
func IsPII(key string) bool {
	k := strings.ToLower(key)
	return piiAttributeKeys[k] || strings.HasPrefix(k, "pii_")
}

// WithoutPII returns a copy of a without personal-data keys.
func (a Attributes) WithoutPII() Attributes {
	if len(a) == 0 {
		return a
	}
	out := make(Attributes, len(a))
	for k, v := range a {
		if !IsPII(k) {
			out[k] = v
		}
	}
	return out
}

// String returns the attribute as a string for grouping: strings as they
// are, numbers and booleans formatted, missing as "".
func (a Attributes) String(key string) string {
	v, ok := a[key]
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		return formatFloat(x)
	case int:
		return formatFloat(float64(x))
	case int64:
		return formatFloat(float64(x))
	}
	return ""
}

func (a Attributes) validate(fe *fieldErrors, field string) {
	if len(a) > MaxAttributes {
		fe.add(field, "too many attributes (at most 64)")
		return
	}
	for k, v := range a {
		if k == "" || len(k) > MaxAttributeKey {
			fe.add(field+"."+k, "key must be 1–64 bytes")
			continue
		}
		switch x := v.(type) {
		case nil, bool, float64, int, int64:
		case string:
			if len(x) > MaxAttributeValue {
				fe.add(field+"."+k, "value longer than 1024 bytes")
			} else if !utf8.ValidString(x) {
				fe.add(field+"."+k, "value is not valid UTF-8")
			}
		default:
			fe.add(field+"."+k, "value must be a string, number, boolean or null")
		}
	}
}

func checkText(fe *fieldErrors, field, s string, max int) {
	if len(s) > max {
		fe.add(field, "longer than "+itoa(max)+" bytes")
	} else if !utf8.ValidString(s) {
		fe.add(field, "not valid UTF-8")
	}
}
