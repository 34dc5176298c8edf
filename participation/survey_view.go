package participation

import "context"

// MunicipalityCount is a municipality and the number of a survey's
// submitted responses that name it.
type MunicipalityCount struct {
	Municipality string `json:"municipality" db:"municipality"`
	Responses    int    `json:"responses" db:"responses"`
}

// FilterMunicipalityMin is the fewest responses a municipality needs for
// its results to be shown apart to everyone: fewer could tell whose answers
// they are. Officials, who run the survey, see every municipality.
const FilterMunicipalityMin = 5

// VisibleMunicipalities returns the municipalities whose results viewer may
// see apart: every one to officials, else those with enough responses.
func VisibleMunicipalities(list []MunicipalityCount, viewer *Account) []MunicipalityCount {
	if viewer.HasRole(RoleOfficial) {
		return list
	}
	out := make([]MunicipalityCount, 0, len(list))
	for _, m := range list {
		if m.Responses >= FilterMunicipalityMin {
			out = append(out, m)
		}
	}
	return out
}

// SurveyViewService is what the survey pages read beyond SurveyService.
type SurveyViewService interface {
	// FindSurveyMunicipalities lists the municipalities that the survey's
	// submitted responses name, with their counts, for the results' filter;
	// EFORBIDDEN where the results are (before the close, to everyone but
	// officials).
	FindSurveyMunicipalities(ctx context.Context, surveyID int64) ([]MunicipalityCount, error)
}
