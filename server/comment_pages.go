package server

import (
	"context"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// commentPages registers the comment form's own page and sending a comment
// or a reply; the comments themselves are on the idea page.
func (s *Server) commentPages(r fiber.Router) {
	r.Get("/ideas/:id/comments/new", s.newCommentPage)
	r.Post("/ideas/:id/comments", s.createComment)
	r.Get("/comments/:id/edit", s.editCommentPage)
	r.Post("/comments/:id/edit", s.updateComment)
	r.Post("/comments/:id/delete", s.deleteComment)
	r.Post("/comments/:id/removal-request", s.requestRemoval(participation.KindComment))
}

type commentPageData struct {
	Idea   *participation.Idea
	Round  *participation.IdeaRound
	State  string
	Parent *participation.Comment // the comment replied to, if any
}

// commentPage loads what the comment form shows: the idea, its round and
// the comment replied to (parentID 0 for none).
func (s *Server) commentPage(c *fiber.Ctx, ideaID, parentID int64) (commentPageData, error) {
	ctx := c.UserContext()
	idea, r, err := s.findIdeaWithRound(ctx, ideaID)
	if err != nil {
		return commentPageData{}, err
	}
	d := commentPageData{Idea: idea, Round: r, State: roundState(r, account(c))}
	if parentID > 0 {
		if parent, err := s.svc.Ideas.FindComment(ctx, parentID); err == nil && parent.IdeaID == ideaID && parent.ParentID == nil {
			d.Parent = parent
		}
	}
	return d, nil
}

// newCommentPage is the comment form on a page of its own: where the idea
// page's form sends its errors, and a reply form for browsers that do not
// open the idea page's disclosure widgets.
func (s *Server) newCommentPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	parentID, _ := strconv.ParseInt(c.Query("parent_id"), 10, 64)
	d, err := s.commentPage(c, id, parentID)
	if err != nil {
		return err
	}
	form := authorForm(c)
	if d.Parent != nil {
		if form == nil {
			form = map[string]string{}
		}
		form["parent_id"] = itoa(d.Parent.ID)
	}
	return s.render(c, fiber.StatusOK, "idea_comment", d, form, nil)
}

func (s *Server) createComment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "body", "author_name", "anonymous", "website", "parent_id")
	n := participation.NewComment{Body: form["body"], Website: form["website"]}
	var parentID int64
	if p := form["parent_id"]; p != "" {
		if parentID, err = strconv.ParseInt(p, 10, 64); err != nil || parentID < 1 {
			errs := participation.FieldErrors{}
			errs.Add("parent_id", participation.RuleChoice, 0)
			return errs.Err()
		}
		n.ParentID = &parentID
	}
	d, err := s.commentPage(c, id, parentID)
	if err != nil {
		return err
	}
	n.AuthorName, n.Anonymous = authorChoice(form, d.Round)
	if d.State == stateOpen {
		if err := s.issueRespondent(c); err != nil {
			return err
		}
	}
	cm, err := s.svc.Ideas.CreateComment(c.UserContext(), id, n, requestLang(c))
	if err != nil {
		return s.contributionFormError(c, "idea_comment", d, form, err)
	}
	if cm.Status == participation.ItemPending {
		s.flash(c, "comment_pending") // the round is pre-moderated
	} else {
		s.flash(c, "comment_sent")
	}
	return redirect(c, "/ideas/"+itoa(id))
}

// commentThreads reads every comment of an idea and puts each reply under
// its comment. The store pages comments in the order they were written, in
// which a late reply can come pages after its comment, so the page reads
// them all and pages the threads instead.
func (s *Server) commentThreads(ctx context.Context, ideaID int64) ([]*participation.Comment, error) {
	var all []*participation.Comment
	for offset := 0; ; offset += maxLimit {
		list, total, err := s.svc.Ideas.FindComments(ctx, ideaID, maxLimit, offset)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if offset+maxLimit >= total || len(list) == 0 {
			break
		}
	}
	threads := []*participation.Comment{}
	byID := map[int64]*participation.Comment{}
	for _, cm := range all {
		if cm.ParentID == nil {
			threads = append(threads, cm)
			byID[cm.ID] = cm
		}
	}
	for _, cm := range all {
		if cm.ParentID != nil {
			if parent, ok := byID[*cm.ParentID]; ok {
				parent.Replies = append(parent.Replies, *cm)
			}
		}
	}
	return threads, nil
}

// commentEditData is the author's page of their comment, as ideaEditData.
type commentEditData struct {
	Comment *participation.Comment
	Idea    *participation.Idea
	Round   *participation.IdeaRound
}

// loadCommentEdit finds the caller's own comment: someone else's is 403.
func (s *Server) loadCommentEdit(c *fiber.Ctx) (commentEditData, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return commentEditData{}, err
	}
	ctx := c.UserContext()
	cm, err := s.svc.Ideas.FindComment(ctx, id)
	if err != nil {
		return commentEditData{}, err
	}
	if cm.Hidden || cm.Deleted {
		return commentEditData{}, participation.Errorf(participation.ENOTFOUND, "comment not found")
	}
	if !cm.Mine {
		return commentEditData{}, participation.Errorf(participation.EFORBIDDEN, "Only the author of this comment may edit or delete it.")
	}
	idea, round, err := s.findIdeaWithRound(ctx, cm.IdeaID)
	if err != nil {
		return commentEditData{}, err
	}
	return commentEditData{Comment: cm, Idea: idea, Round: round}, nil
}

func (s *Server) editCommentPage(c *fiber.Ctx) error {
	d, err := s.loadCommentEdit(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "comment_edit", d, map[string]string{"body": *d.Comment.Body}, nil)
}

func (s *Server) updateComment(c *fiber.Ctx) error {
	d, err := s.loadCommentEdit(c)
	if err != nil {
		return err
	}
	form := formValues(c, "body")
	if _, err := s.svc.Ideas.UpdateComment(c.UserContext(), d.Comment.ID, participation.CommentEdit{Body: form["body"]}); err != nil {
		return s.authorFormError(c, "comment_edit", d, form, err)
	}
	s.flash(c, "comment_edited")
	return redirect(c, fmt.Sprintf("/ideas/%d#comment-%d", d.Idea.ID, d.Comment.ID))
}

func (s *Server) deleteComment(c *fiber.Ctx) error {
	d, err := s.loadCommentEdit(c)
	if err != nil {
		return err
	}
	if err := s.svc.Ideas.DeleteComment(c.UserContext(), d.Comment.ID); err != nil {
		return s.authorFormError(c, "comment_edit", d, nil, err)
	}
	s.flash(c, "comment_deleted")
	return redirect(c, "/ideas/"+itoa(d.Idea.ID))
}
