// Package webhook delivers cxlens events to HTTP endpoints that workspaces
// subscribe: it reads messages from the transactional outbox (see
// store.ClaimOutbox), wraps each in an Envelope, signs it, POSTs it to every
// active subscription of its event type, retries failures with exponential
// backoff and full jitter for 24 hours, and then leaves it in the dead
// letters, from which it can be replayed. Every attempt is logged per
// endpoint (store.Delivery).
//
// # Payload
//
// Each request is a POST with a JSON body of a stable shape:
//
//	{
//	  "id": "msg_5ZQ6TUX7RJ3WHNJ3V6ZQK2M4AB",  // unique; the same on every retry
//	  "type": "response.created",
//	  "created_at": "2026-11-20T10:00:00.123Z", // RFC 3339, UTC
//	  "workspace_id": 42,
//	  "data": { ... }                           // the event, by type
//	}
//
// Delivery is at least once: a receiver that answered 2xx but whose answer
// was lost (a network cut, a cxlens crash) gets the message again. Keep the
// ids seen in the last few days and drop repeats. Answer 2xx quickly and do
// the work afterwards; anything else, a timeout (10 s) or a redirect to
// another host counts as a failure and is retried.
//
// # Verifying a request
//
// Each request carries three headers:
//
//	Cxlens-Id: msg_5ZQ6TUX7RJ3WHNJ3V6ZQK2M4AB
//	Cxlens-Timestamp: 1763632800                  (Unix seconds when sent)
//	Cxlens-Signature: v1=5257a869e7ec…            (hex HMAC-SHA256)
//
// To verify, with the secret shown when the webhook was created:
//  1. Read the raw body bytes, before any JSON decoding.
//  2. Compute HMAC-SHA256 with the secret as key over the timestamp header,
//     a ".", and the body: HMAC(secret, timestamp + "." + body).
//  3. Compare its hex form with each "v1=" value of Cxlens-Signature (comma
//     separated), in constant time; one must match.
//  4. Reject a timestamp more than 5 minutes from your clock, so a captured
//     request cannot be replayed later.
//
// In Go, copy this (or call Verify):
//
//	func verify(secret string, r *http.Request) ([]byte, error) {
//		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
//		if err != nil {
//			return nil, err
//		}
//		ts := r.Header.Get("Cxlens-Timestamp")
//		sec, err := strconv.ParseInt(ts, 10, 64)
//		if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
//			return nil, errors.New("stale or missing timestamp")
//		}
//		mac := hmac.New(sha256.New, []byte(secret))
//		mac.Write([]byte(ts + "."))
//		mac.Write(body)
//		want := mac.Sum(nil)
//		for _, sig := range strings.Split(r.Header.Get("Cxlens-Signature"), ",") {
//			got, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(sig), "v1="))
//			if err == nil && hmac.Equal(got, want) {
//				return body, nil
//			}
//		}
//		return nil, errors.New("bad signature")
//	}
//
// # Workers
//
// A Worker claims due messages in batches with a lease. Several workers, in
// one process or in several cxlens instances on one PostgreSQL, never hold
// the same message at once (FOR UPDATE SKIP LOCKED); a worker that dies
// mid-delivery leaves its messages due again when the lease runs out, so
// nothing is lost, and the receiver's id check absorbs the rare repeat.
package webhook
