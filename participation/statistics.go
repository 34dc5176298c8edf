package participation

import "context"

// Statistics are the public figures of the statement service, as
// lausuntopalvelu.fi reports them: what is registered and written, and
// how much the pages are read, in all and year by year.
type Statistics struct {
	// Organisations and Persons count the organisations and accounts
	// registered (erased accounts left out); Requests the published
	// statement requests; Statements the submitted statements.
	Organisations int              `json:"organisations"`
	Persons       int              `json:"persons"`
	Requests      int              `json:"requests"`
	Statements    int              `json:"statements"`
	Years         []YearStatistics `json:"years"`
}

// YearStatistics are one calendar year's figures (Finnish time): what was
// registered, published and submitted in it, and the pages' views and visits.
type YearStatistics struct {
	Year          int `json:"year" db:"year"`
	Organisations int `json:"organisations" db:"organisations"`
	Persons       int `json:"persons" db:"persons"`
	Requests      int `json:"requests" db:"requests"`
	Statements    int `json:"statements" db:"statements"`
	// PageViews counts the pages served; Visits those of them that began
	// a visit: opened from outside the site (no Referer from it). Counted
	// without cookies and without keeping who viewed.
	PageViews int `json:"page_views" db:"page_views"`
	Visits    int `json:"visits" db:"visits"`
}

// PageViewCount is views counted in memory, to be added to a year's figures.
type PageViewCount struct {
	Year      int
	PageViews int
	Visits    int
}

// StatisticsService keeps and reports the public figures.
type StatisticsService interface {
	// FindStatistics returns the figures, years newest first.
	FindStatistics(ctx context.Context) (*Statistics, error)
	// AddPageViews adds views counted in memory to their years.
	AddPageViews(ctx context.Context, counts []PageViewCount) error
}
