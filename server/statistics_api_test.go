package server_test

import "testing"

// TestStatisticsAPI counts the platform's public contributions: the hidden
// idea and the draft process are left out; the processes are paged.
func TestStatisticsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	reachWorld(t, ts)
	type processFigures struct {
		Slug                 string `json:"slug"`
		Participants         int    `json:"participants"`
		Ideas                int    `json:"ideas"`
		WorkshopParticipants int    `json:"workshop_participants"`
	}
	st := decode[struct {
		Ideas                int `json:"ideas"`
		Comments             int `json:"comments"`
		WorkshopParticipants int `json:"workshop_participants"`
		SurveyResponses      int `json:"survey_responses"`
		Years                []struct {
			Ideas                int `json:"ideas"`
			WorkshopParticipants int `json:"workshop_participants"`
		} `json:"years"`
		Processes struct {
			Items []processFigures `json:"items"`
			Total int              `json:"total"`
		} `json:"processes"`
	}](t, ts.do("GET", "/api/v1/statistics?limit=1", nil, "").want(t, 200))
	if st.Ideas != 2 || st.Comments != 0 || st.WorkshopParticipants != 2 || st.SurveyResponses != 0 || len(st.Years) != 1 ||
		st.Years[0].Ideas != 2 || st.Years[0].WorkshopParticipants != 2 {
		t.Errorf("figures %+v", st)
	}
	if p := st.Processes; p.Total != 1 || len(p.Items) != 1 ||
		p.Items[0] != (processFigures{Slug: "avoin", Participants: 4, Ideas: 2, WorkshopParticipants: 2}) {
		t.Errorf("processes %+v", p)
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		ts.do("GET", "/api/v1/statistics?limit=0", nil, "").want(t, 400).wantCode(t, "invalid")
		ts.do("GET", "/api/v1/statistics?offset=-1", nil, "").want(t, 400).wantCode(t, "invalid")
	})
}
