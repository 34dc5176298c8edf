package participation

import (
	"context"
	"time"
)

// Open data: a process's public items as tables, one CSV file each, and a
// manifest that documents every file and column. The tables and their
// columns are described here once; the store fills their rows and the
// manifest is made from the same descriptions, so no column can be written
// without its description.
//
// What is public: what anyone sees on the pages. Hidden, pending, rejected
// and deleted ideas and comments are left out, and so are draft surveys and
// statement requests, statement drafts, and a survey's responses until it
// is closed. Votes are given where the pages show them (Tally.VotesVisibleTo
// for someone signed out). No email address, no token and no account id is
// written; a person's name only where the pages show it: the name an
// author chose to show, a statement writer's display name, and none of an
// erased account. Survey respondents are numbered per survey, nothing more.
//
// Cells: UTF-8 text; times in RFC 3339 (UTC), dates YYYY-MM-DD; an empty
// cell is a missing value; lists are separated by semicolons. An
// organiser's text that may carry translations has a column per language
// (title_fi, title_sv, title_en): the text in that language, the own text
// in the column of its language, empty where there is no translation;
// the row's "language" column names the own text's language.

// OpenDataLanguages are the languages of translated columns, in their order.
var OpenDataLanguages = []string{"fi", "sv", "en"}

// OpenDataColumn is one documented column of an open data file. A
// Translated column stands for one column per language: Name_fi, Name_sv,
// Name_en.
type OpenDataColumn struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Translated  bool   `json:"-"`
}

// OpenDataFile describes one CSV file of the open data export.
type OpenDataFile struct {
	Name        string           `json:"name"`
	Description string           `json:"description"`
	Columns     []OpenDataColumn `json:"columns"`
}

// Header returns the file's column names as the CSV header row has them,
// each translated column spread over the languages.
func (f OpenDataFile) Header() []string {
	var names []string
	for _, c := range f.Manifest().Columns {
		names = append(names, c.Name)
	}
	return names
}

// Manifest returns the file as the manifest documents it: every translated
// column spread into its per-language columns, each with its description.
func (f OpenDataFile) Manifest() OpenDataFile {
	out := OpenDataFile{Name: f.Name, Description: f.Description, Columns: []OpenDataColumn{}}
	for _, c := range f.Columns {
		if !c.Translated {
			out.Columns = append(out.Columns, c)
			continue
		}
		for _, lang := range OpenDataLanguages {
			out.Columns = append(out.Columns, OpenDataColumn{
				Name:        c.Name + "_" + lang,
				Description: c.Description + " (" + lang + "; empty without a text in that language)",
			})
		}
	}
	return out
}

// OpenDataTable is one file of the export with its rows, cells in the
// order of the file's Header.
type OpenDataTable struct {
	File OpenDataFile
	Rows [][]string
}

// OpenData is the export of one process, read from one snapshot.
type OpenData struct {
	Slug string
	// ExportedAt is the time of the snapshot.
	ExportedAt time.Time
	Tables     []OpenDataTable
}

// OpenDataManifest is the manifest.json of the export.
type OpenDataManifest struct {
	Process    string         `json:"process"`
	ExportedAt time.Time      `json:"exported_at"`
	Files      []OpenDataFile `json:"files"`
}

// Manifest returns the export's manifest, listing the CSV files.
func (d *OpenData) Manifest() OpenDataManifest {
	m := OpenDataManifest{Process: d.Slug, ExportedAt: d.ExportedAt, Files: []OpenDataFile{}}
	for _, t := range d.Tables {
		m.Files = append(m.Files, t.File.Manifest())
	}
	return m
}

// OpenDataService reads a process's open data.
type OpenDataService interface {
	// ExportOpenData returns every public item of the process slug, read in
	// one snapshot; a process the asking account may not see is ENOTFOUND.
	ExportOpenData(ctx context.Context, slug string) (*OpenData, error)
}

// Shorthands for the columns that many files share.
func col(name, desc string) OpenDataColumn { return OpenDataColumn{Name: name, Description: desc} }
func tr(name, desc string) OpenDataColumn {
	return OpenDataColumn{Name: name, Description: desc, Translated: true}
}

var (
	colLanguage    = col("language", "Language of the item's own text: fi, sv or en")
	colCreatedAt   = col("created_at", "When it was written (RFC 3339, UTC)")
	colProcessSlug = col("process", "The process's slug, as in its address /processes/{slug}")
)

// OpenDataFiles are the files of the export, in the order they are written.
var OpenDataFiles = []OpenDataFile{
	{Name: "process.csv", Description: "The process itself", Columns: []OpenDataColumn{
		colProcessSlug, tr("title", "Title"), tr("description", "Description"), colLanguage,
		col("status", "published or archived (read only)"),
		col("organiser", "The organisation that runs the process"), colCreatedAt,
	}},
	{Name: "steps.csv", Description: "Every step of the process, in order of opening", Columns: []OpenDataColumn{
		col("kind", "idea_round, workshop, survey, statement_request or event"),
		col("id", "The step's id in its own file (idea_rounds.csv, workshops.csv, surveys.csv, statement_requests.csv; an event's is its id at /events/{id})"),
		tr("title", "Title"), colLanguage,
		col("opens_at", "When it opened or opens (empty: not yet known)"),
		col("closes_at", "When it closed or closes (empty: not yet known)"),
		col("status", "upcoming, open or closed when the export was made"),
	}},
	{Name: "idea_rounds.csv", Description: "Idea rounds: open calls for ideas", Columns: []OpenDataColumn{
		col("id", "Idea round id"), tr("title", "Title"), tr("description", "Description"), colLanguage,
		col("opens_at", "When the round opens for ideas"), col("closes_at", "When it closes"),
		col("allow_anonymous", "true when ideas could be sent without an account"),
	}},
	{Name: "themes.csv", Description: "Themes into which officials grouped the ideas", Columns: []OpenDataColumn{
		col("id", "Theme id"), col("idea_round_id", "Its idea round (idea_rounds.csv)"),
		tr("title", "Title"), tr("description", "Description"), colLanguage,
		col("merged_into", "The theme it was merged into, if merged (its ideas moved there)"),
	}},
	{Name: "ideas.csv", Description: "Published ideas (hidden, pending and deleted ones left out)", Columns: []OpenDataColumn{
		col("id", "Idea id"), col("idea_round_id", "Its idea round (idea_rounds.csv)"),
		col("theme_id", "Its theme (themes.csv), empty when not grouped"),
		col("title", "Title, in the author's language"), col("body", "Text"), colLanguage,
		col("author_name", "The name the author chose to show; empty when none (or the account was deleted)"),
		col("municipality", "Municipality the author chose to give"),
		col("supports", "Number of supporters"), col("signed_in_supports", "Number of signed-in supporters"),
		col("comments", "Number of published comments"),
		colCreatedAt, col("edited_at", "When its author last edited it"),
	}},
	{Name: "comments.csv", Description: "Published comments on published ideas", Columns: []OpenDataColumn{
		col("id", "Comment id"), col("idea_id", "The idea it comments (ideas.csv)"),
		col("parent_id", "The comment it answers, if any (absent from this file when that one is hidden or deleted)"), col("body", "Text"), colLanguage,
		col("author_name", "The name the author chose to show; empty when none (or the account was deleted)"),
		colCreatedAt, col("edited_at", "When its author last edited it"),
	}},
	{Name: "workshops.csv", Description: "Workshops, where participants voted live", Columns: []OpenDataColumn{
		col("id", "Workshop id"), tr("title", "Title"), colLanguage,
		col("starts_at", "When it starts"), col("ends_at", "When it is planned to end"),
		col("ended_at", "When the official ended it"), col("participants", "Number of participants who joined"),
	}},
	{Name: "polls.csv", Description: "The workshops' polls", Columns: []OpenDataColumn{
		col("id", "Poll id"), col("workshop_id", "Its workshop (workshops.csv)"), col("position", "Its order in the workshop (ascending)"),
		tr("question", "Question"), colLanguage, col("max_choices", "How many options a ballot may choose"),
		col("status", "draft, open or closed"), col("opened_at", "When it opened"), col("closed_at", "When it closed"),
		col("ballots", "Number of ballots (one per participant)"),
	}},
	{Name: "poll_options.csv", Description: "The polls' options and their votes", Columns: []OpenDataColumn{
		col("id", "Option id"), col("poll_id", "Its poll (polls.csv)"), col("position", "Its order in the poll (ascending)"),
		tr("label", "Label"), colLanguage, col("theme_id", "The theme it stands for (themes.csv), if any"),
		col("votes", "Ballots that chose it; empty while the poll is open and its votes are not shown live"),
	}},
	{Name: "surveys.csv", Description: "Surveys (drafts left out)", Columns: []OpenDataColumn{
		col("id", "Survey id"), tr("title", "Title"), tr("description", "Description"), colLanguage,
		col("anonymous", "true when answered without an account"), col("status", "open or closed"),
		col("opened_at", "When it opened"), col("closed_at", "When it closed"),
		col("responses", "Number of responses; empty until the survey is closed"),
	}},
	{Name: "survey_questions.csv", Description: "The surveys' questions", Columns: []OpenDataColumn{
		col("id", "Question id"), col("survey_id", "Its survey (surveys.csv)"), col("position", "Its order in the survey (ascending)"),
		col("kind", "single, multi, scale, text or grid2d (two-axis rating)"), tr("prompt", "Question"), colLanguage,
		col("required", "true when an answer was required"),
		col("scale_min", "scale: the smallest value"), col("scale_max", "scale: the largest value"),
		tr("min_label", "scale: what the smallest value means"), tr("max_label", "scale: what the largest value means"),
		tr("x_label", "grid2d: the horizontal axis"), col("x_min", "grid2d: its smallest value"), col("x_max", "grid2d: its largest value"),
		tr("y_label", "grid2d: the vertical axis"), col("y_min", "grid2d: its smallest value"), col("y_max", "grid2d: its largest value"),
	}},
	{Name: "survey_choices.csv", Description: "Options (single, multi) and rated items (grid2d) of the questions", Columns: []OpenDataColumn{
		col("id", "Option or item id"), col("question_id", "Its question (survey_questions.csv)"), col("position", "Its order (ascending)"),
		tr("label", "Label"), colLanguage, col("commitment_id", "grid2d: the draft commitment it stands for (commitments.csv), if any"),
	}},
	{Name: "survey_answers.csv", Description: "Answers of closed surveys, one row per chosen option, value, rated item or text; open surveys' answers are left out", Columns: []OpenDataColumn{
		col("survey_id", "The survey (surveys.csv)"),
		col("response", "The response's number within its survey, from 1: respondents are not identified"),
		col("question_id", "The question (survey_questions.csv)"),
		col("choice_id", "single, multi: the chosen option; grid2d: the rated item (survey_choices.csv)"),
		col("value", "scale: the value chosen"), col("x", "grid2d: the horizontal rating"), col("y", "grid2d: the vertical rating"),
		col("text", "text: the answer"),
	}},
	{Name: "statement_requests.csv", Description: "Published requests for statements", Columns: []OpenDataColumn{
		col("id", "Request id"), tr("title", "Title"), tr("background", "Background"), colLanguage,
		col("published_at", "When it was published"), col("deadline", "The deadline for statements"),
		col("statements", "Number of submitted statements"),
	}},
	{Name: "statement_questions.csv", Description: "The requests' questions, with the summary's account of how the answers were taken into account", Columns: []OpenDataColumn{
		col("id", "Question id"), col("request_id", "Its request (statement_requests.csv)"), col("position", "Its order (ascending)"),
		tr("prompt", "Question"), colLanguage, col("commitment_id", "The draft commitment it asks about (commitments.csv), if any"),
		col("response", "The officials' account of how the answers were taken into account (the summary)"),
		col("support", "Answers that support"), col("oppose", "Answers that oppose"),
		col("neutral", "Neutral answers"), col("no_comment", "Answers without comment"),
	}},
	{Name: "statements.csv", Description: "Submitted statements (drafts left out)", Columns: []OpenDataColumn{
		col("id", "Statement id"), col("request_id", "Its request (statement_requests.csv)"),
		col("organisation", "The organisation it was given for; empty for a person's own statement"),
		col("organisation_kind", "ministry, agency, municipality, region, association, company or other"),
		col("author_name", "The submitting person's display name, as the pages show it (empty for a deleted account)"),
		col("summary", "Summary"),
		col("language", "Language the summary and the answers (statement_answers.csv) are written in: fi, sv or en"),
		col("submitted_at", "When it was submitted"),
	}},
	{Name: "statement_answers.csv", Description: "The statements' answers, one per question", Columns: []OpenDataColumn{
		col("statement_id", "The statement (statements.csv)"), col("question_id", "The question (statement_questions.csv)"),
		col("position", "support, oppose, neutral or no_comment"), col("text", "Text"),
	}},
	{Name: "commitments.csv", Description: "Commitments: drafts, approved, and those merged into others", Columns: []OpenDataColumn{
		col("id", "Commitment id"), col("status", "draft, approved or merged"), col("version", "Its current version (commitment_versions.csv)"),
		col("merged_into", "The commitment it was merged into, if merged"),
		tr("title", "Title"), tr("problem", "The problem it addresses"), tr("description", "Description"),
		tr("how_it_addresses", "How it addresses the problem"), tr("relevance", "Relevance to open government values"),
		tr("lead_agency", "Lead agency"), tr("other_actors", "Other actors"), colLanguage,
		col("starts_on", "Start date"), col("ends_on", "End date"),
		colCreatedAt, col("approved_at", "When it was approved"), col("merged_at", "When it was merged"),
	}},
	{Name: "commitment_versions.csv", Description: "Every version of each commitment", Columns: []OpenDataColumn{
		col("commitment_id", "The commitment (commitments.csv)"), col("version", "Version number, from 1"),
		colCreatedAt, col("change_note", "The officials' note on the change"),
		col("changed_fields", "The fields changed, separated by semicolons"),
		col("merged_from", "The commitment merged into it by this version, if any"),
	}},
	{Name: "commitment_sources.csv", Description: "Trace links: the ideas and themes each commitment came from", Columns: []OpenDataColumn{
		col("commitment_id", "The commitment (commitments.csv)"),
		col("idea_id", "A source idea (ideas.csv); empty when the source is a theme"),
		col("theme_id", "A source theme (themes.csv); empty when the source is an idea"),
		col("merged_from", "The merged commitment this source came with, if any"),
	}},
	{Name: "milestones.csv", Description: "The commitments' milestones and their latest status", Columns: []OpenDataColumn{
		col("id", "Milestone id"), col("commitment_id", "The commitment it belongs to now (commitments.csv)"),
		col("origin_commitment_id", "The commitment it was written for (differs after a merge)"),
		col("position", "Its order (ascending)"), tr("title", "Title"), tr("responsible", "Who is responsible"), colLanguage,
		col("due", "Due date"), col("status", "not_started, late, on_track or done"),
		col("note", "The latest status note"), col("updated_at", "When the status was last reported"),
	}},
}
