package server

// apiGuideRenderCases are the API guide's data for the i18n render test:
// the default limits, the error table and the example address.
func apiGuideRenderCases() []any {
	d := DefaultConfig()
	return []any{apiGuideData{BaseURL: exampleBaseURL, WSURL: "wss://osallistu.example", Errors: apiGuideErrors(),
		Limits: apiGuideLimits{Write: d.WriteLimit, AddressWrite: d.AddressWriteLimit, Join: d.JoinLimit, Respondent: d.RespondentLimit, Login: d.LoginAddressLimit}}}
}
