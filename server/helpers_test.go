package server_test

// The API's objects as the tests read them: only the fields some test
// looks at, each of which decode requires to be present.

// accountJSON is an account.
type accountJSON struct {
	ID           int64    `json:"id"`
	Email        string   `json:"email"`
	Name         string   `json:"name"`
	Roles        []string `json:"roles"`
	Municipality *string  `json:"municipality"`
}

// processJSON is a process with its steps and stats.
type processJSON struct {
	Slug  string     `json:"slug"`
	Title string     `json:"title"`
	Steps []stepJSON `json:"steps"`
	Stats statsJSON  `json:"stats"`
}

// stepJSON is one of a process's steps.
type stepJSON struct {
	Kind     string  `json:"kind"`
	OpensAt  *string `json:"opens_at"`
	ClosesAt *string `json:"closes_at"`
	Status   string  `json:"status"`
}

// statsJSON is a process's participation figures.
type statsJSON struct {
	Participants    int `json:"participants"`
	Ideas           int `json:"ideas"`
	Comments        int `json:"comments"`
	Ballots         int `json:"ballots"`
	SurveyResponses int `json:"survey_responses"`
	Statements      int `json:"statements"`
	Municipalities  int `json:"municipalities"`
}
