package server

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The official's progress page of a survey: responses so far and per day
// (a column chart with its table), the invitations answered, and the forms
// that invite a list of addresses and remind those not yet answered.

// surveyProgressData is the progress page: responses so far, per day, the
// invitations and their answers, and the forms that invite and remind.
type surveyProgressData struct {
	Survey          surveyView
	Progress        *participation.SurveyProgress
	Chart           any // template.HTML of the chart of responses per day
	Days            []dayRow
	LanguageOptions []selectOption
	// BadEmails are the addresses of the invitation form that are not ones.
	BadEmails []string
	Labels    map[string]surveyFieldLabel
}

// Unanswered counts the invitations not yet answered.
func (d *surveyProgressData) Unanswered() int { return d.Progress.Invited - d.Progress.InvitedAnswered }

// dayRow is one day of responses, for the table beside the chart.
type dayRow struct {
	Date  participation.Date
	Count int
}

// CanRemind reports whether a reminder has someone to go to.
func (d *surveyProgressData) CanRemind() bool {
	return d.Survey.Status == participation.SurveyOpen && d.Unanswered() > 0
}

func (s *Server) loadProgress(c *fiber.Ctx, sv *participation.Survey) (*surveyProgressData, error) {
	p, err := s.svc.Surveys.FindSurveyProgress(c.UserContext(), sv.ID)
	if err != nil {
		return nil, err
	}
	lang := requestLang(c)
	d := &surveyProgressData{Survey: newSurveyView(sv, lang), Progress: p, LanguageOptions: languageOptions(),
		Labels: map[string]surveyFieldLabel{"emails": {Key: "survey.field.emails"}, "email_lang": {Key: "survey.field.email_lang"}}}
	cols := make([]column, len(p.PerDay))
	for i, day := range p.PerDay {
		d.Days = append(d.Days, dayRow{Date: day.Date, Count: day.Count})
		cols[i] = column{Label: shortDate(day.Date), Count: day.Count}
	}
	if len(cols) > 0 {
		d.Chart = columnChart("chart-per-day", s.T(c, "survey.progress_chart_title"),
			s.T(c, "survey.progress_chart_desc", "Count", p.Responses, "Days", len(cols)), cols, nil).inline()
	}
	return d, nil
}

// shortDate writes a date as its day and month, "14.3.", as Finnish and
// Swedish calendars do.
func shortDate(d participation.Date) string {
	parts := strings.Split(string(d), "-")
	if len(parts) != 3 {
		return string(d)
	}
	day, _ := strconv.Atoi(parts[2])
	month, _ := strconv.Atoi(parts[1])
	return strconv.Itoa(day) + "." + strconv.Itoa(month) + "."
}

func (s *Server) surveyProgressPage(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	d, err := s.loadProgress(c, sv)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "survey_progress", d, map[string]string{"email_lang": sv.OwnLanguage()}, nil)
}

var emailIndex = regexp.MustCompile(`^emails\[(\d+)\]$`)

// inviteForm sends a personal link to each address of the textarea: one a
// line, or separated by commas, semicolons or spaces.
func (s *Server) inviteForm(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	form := formValues(c, "emails", "email_lang")
	emails := strings.FieldsFunc(form["emails"], func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
	_, err = s.svc.Surveys.InviteToSurvey(c.UserContext(), sv.ID, participation.NewInvitations{Emails: emails, Lang: optional(form["email_lang"])})
	if err == nil {
		s.flash(c, "survey_invited")
		return redirect(c, "/surveys/"+itoa(sv.ID)+"/progress")
	}
	d, lerr := s.loadProgress(c, sv)
	if lerr != nil {
		return lerr
	}
	var de *participation.Error
	if errors.As(err, &de) && len(de.Fields) > 0 {
		fields := participation.FieldErrors{}
		for name, fe := range de.Fields {
			if m := emailIndex.FindStringSubmatch(name); m != nil {
				if i, _ := strconv.Atoi(m[1]); i < len(emails) {
					d.BadEmails = append(d.BadEmails, emails[i])
				}
				fields.Add("emails", ruleBadEmails, 0)
				continue
			}
			if name == "lang" {
				name = "email_lang"
			}
			fields.Add(name, fe.Rule, fe.Limit)
		}
		slices.Sort(d.BadEmails)
		err = &participation.Error{Code: de.Code, Message: de.Message, Fields: fields}
	}
	return s.formError(c, "survey_progress", d, form, err)
}

// ruleBadEmails is an invitation list with addresses that are not ones;
// the page lists them.
const ruleBadEmails = "survey_bad_emails"

// remindForm reminds the invitations not yet answered.
func (s *Server) remindForm(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	if _, err := s.svc.Surveys.RemindInvitations(c.UserContext(), sv.ID); err != nil {
		return err
	}
	s.flash(c, "survey_reminded")
	return redirect(c, "/surveys/"+itoa(sv.ID)+"/progress")
}
