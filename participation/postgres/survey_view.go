package postgres

import (
	"context"
	"fmt"

	"osallistu/participation"
)

// FindSurveyMunicipalities lists the municipalities of a survey's
// submitted responses with their counts, by name.
func (s *Store) FindSurveyMunicipalities(ctx context.Context, surveyID int64) ([]participation.MunicipalityCount, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, surveyID, lockNone)
	if err != nil {
		return nil, err
	}
	if !sv.ResultsVisibleTo(participation.AccountFromContext(ctx)) {
		return nil, participation.Errorf(participation.EFORBIDDEN, "The results are shown once the survey has closed.")
	}
	list := []participation.MunicipalityCount{}
	if err := tx.SelectContext(ctx, &list, `
		SELECT municipality, count(*) AS responses
		FROM survey_responses
		WHERE survey_id = $1 AND submitted_at IS NOT NULL AND municipality IS NOT NULL
		GROUP BY municipality ORDER BY municipality`, surveyID); err != nil {
		return nil, fmt.Errorf("find survey municipalities: %w", err)
	}
	return list, tx.Commit()
}
