package participation

import "context"

// Statistics are the public figures of the whole platform, as
// lausuntopalvelu.fi and otakantaa.fi report theirs: what is registered,
// published and contributed, and how much the pages are read, in all, year
// by year and process by process. Only public things count: hidden
// (moderated) ideas and comments and everything of a draft process are
// left out.
type Statistics struct {
	// Organisations and Persons count the organisations and accounts
	// registered (erased accounts left out); Requests the published
	// statement requests; Statements the submitted statements.
	Organisations int `json:"organisations"`
	Persons       int `json:"persons"`
	Requests      int `json:"requests"`
	Statements    int `json:"statements"`
	// Ideas and Comments count the visible ones; WorkshopParticipants
	// those who joined a workshop; SurveyResponses the submitted responses.
	Ideas                int              `json:"ideas"`
	Comments             int              `json:"comments"`
	WorkshopParticipants int              `json:"workshop_participants"`
	SurveyResponses      int              `json:"survey_responses"`
	PageViews            int              `json:"page_views"`
	Visits               int              `json:"visits"`
	Years                []YearStatistics `json:"years"`
	// Processes are the public processes' figures, newest first, one page
	// of them (StatisticsFilter).
	Processes ProcessStatisticsList `json:"processes"`
}

// YearStatistics are one calendar year's figures (Finnish time): what was
// registered, published and contributed in it, and the pages' views and visits.
type YearStatistics struct {
	Year                 int `json:"year" db:"year"`
	Organisations        int `json:"organisations" db:"organisations"`
	Persons              int `json:"persons" db:"persons"`
	Requests             int `json:"requests" db:"requests"`
	Statements           int `json:"statements" db:"statements"`
	Ideas                int `json:"ideas" db:"ideas"`
	Comments             int `json:"comments" db:"comments"`
	WorkshopParticipants int `json:"workshop_participants" db:"workshop_participants"`
	SurveyResponses      int `json:"survey_responses" db:"survey_responses"`
	// PageViews counts the pages served; Visits those of them that began
	// a visit: opened from outside the site (no Referer from it). Counted
	// without cookies and without keeping who viewed.
	PageViews int `json:"page_views" db:"page_views"`
	Visits    int `json:"visits" db:"visits"`
}

// ProcessStatistics are one public process's figures: its participation
// Stats (as the process carries them) under its slug and title.
type ProcessStatistics struct {
	Slug  string `json:"slug" db:"slug"`
	Title string `json:"title" db:"title"`
	Translatable
	Stats
}

// ProcessStatisticsList is one page of the processes' figures and how many
// public processes there are in all.
type ProcessStatisticsList struct {
	Items []ProcessStatistics `json:"items"`
	Total int                 `json:"total"`
}

// StatisticsFilter chooses the page of processes the figures list.
type StatisticsFilter struct {
	Limit  int
	Offset int
}

// PageViewCount is views counted in memory, to be added to a year's figures.
type PageViewCount struct {
	Year      int
	PageViews int
	Visits    int
}

// StatisticsService keeps and reports the public figures.
type StatisticsService interface {
	// FindStatistics returns the figures, years newest first, and the
	// page of public processes f names.
	FindStatistics(ctx context.Context, f StatisticsFilter) (*Statistics, error)
	// AddPageViews adds views counted in memory to their years.
	AddPageViews(ctx context.Context, counts []PageViewCount) error
}
