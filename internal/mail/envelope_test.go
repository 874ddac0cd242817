package mail

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/cxlens/cxlens/internal/alert"
)

// TestAlertEmailIsAnEnvelope: the alert notifications enqueue alert.Email
// as "mail.send" payloads (the store cannot import this package); its JSON
// must decode as an Envelope field for field.
func TestAlertEmailIsAnEnvelope(t *testing.T) {
	t.Parallel()
	in := alert.Email{To: "lead@acme.example", Subject: "Detractor: c1", Text: "score 2", HTML: "<p>score 2</p>", Kind: "alert", Ref: "alert:7"}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var e Envelope
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("alert.Email %s is not an Envelope: %v", b, err)
	}
	want := Envelope{To: in.To, Subject: in.Subject, Text: in.Text, HTML: in.HTML, Kind: in.Kind, Ref: in.Ref}
	if e != want {
		t.Errorf("decoded %+v, want %+v", e, want)
	}
	if err := e.Validate(); err != nil {
		t.Error(err)
	}
}
