package postgres

import (
	"context"

	"osallistu/participation"
)

// AddAttachment stores a document of a statement request (officials), in
// any status: its type is decided by its content.
func (s *Store) AddAttachment(ctx context.Context, requestID int64, n participation.NewAttachment) (*participation.Attachment, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, participation.RefTo(participation.RefStatementRequest, requestID)); err != nil {
		return nil, err
	}
	var exists bool
	if err := tx.GetContext(ctx, &exists, `SELECT true FROM statement_requests WHERE id = $1 FOR SHARE`, requestID); err != nil {
		return nil, storeErr(err, "statement request")
	}
	a, err := n.Check()
	if err != nil {
		return nil, err
	}
	a.RequestID = requestID
	if err := tx.GetContext(ctx, a, `
		INSERT INTO attachments (request_id, filename, content_type, size, data, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING id, request_id, filename, content_type, size, created_at`,
		requestID, a.Filename, a.ContentType, a.Size, a.Data, me.ID, tx.now); err != nil {
		return nil, storeErr(err, "attachment")
	}
	a.Data = nil
	return a, tx.Commit()
}

// FindAttachment returns a document with its bytes; a draft request's only
// to officials.
func (s *Store) FindAttachment(ctx context.Context, id int64) (*participation.Attachment, error) {
	var row struct {
		participation.Attachment
		Published bool `db:"published"`
	}
	if err := s.db.GetContext(ctx, &row, `
		SELECT a.id, a.request_id, a.filename, a.content_type, a.size, a.created_at, a.data, r.published_at IS NOT NULL AS published
		FROM attachments a JOIN statement_requests r ON r.id = a.request_id WHERE a.id = $1`, id); err != nil {
		return nil, storeErr(err, "attachment")
	}
	if !row.Published && !participation.MaySeeDraftRequests(participation.AccountFromContext(ctx)) {
		return nil, participation.Errorf(participation.ENOTFOUND, "attachment not found")
	}
	return &row.Attachment, nil
}

// DeleteAttachment removes a document of a request (officials).
func (s *Store) DeleteAttachment(ctx context.Context, id int64) error {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return err
	}
	if _, err := requireProcessOfficial(ctx, s.db, participation.RefTo(participation.RefAttachment, id)); err != nil {
		return err
	}
	var got int64
	if err := s.db.GetContext(ctx, &got, `DELETE FROM attachments WHERE id = $1 RETURNING id`, id); err != nil {
		return storeErr(err, "attachment")
	}
	return nil
}
