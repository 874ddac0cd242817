// Package outbox runs the loop that drains the transactional outbox: claim
// a batch of due messages under a lease, hand each to a Handler with
// bounded concurrency, then mark it delivered, due again after a backoff,
// or dead. Webhook delivery (internal/webhook) and mail (internal/mail)
// are Handlers on it.
//
// Messages are written in the same transaction as the change that caused
// them (internal/store), so a message exists exactly when its cause does.
// Delivery is at least once: a process killed mid-delivery leaves its
// claims to run out after the lease, and the next worker delivers them
// again. Every message carries a stable UID for receivers to drop the rare
// duplicate.
package outbox
