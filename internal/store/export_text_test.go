package store

import (
	"context"
	"database/sql"
)

// EraseCustomerTextForTest runs eraseCustomerTextTx for customer ext, as
// EraseCustomer will once it calls it.
func EraseCustomerTextForTest(ctx context.Context, db *DB, ws int64, ext string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		c, err := db.customerTx(ctx, tx, ws, ext)
		if err != nil {
			return err
		}
		return db.eraseCustomerTextTx(ctx, tx, ws, c.ID)
	})
}
