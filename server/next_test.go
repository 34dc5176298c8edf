package server

import "testing"

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ next, want string }{
		// Paths on this site pass as they are.
		{"/", "/"},
		{"/account", "/account"},
		{"/processes/avoin-hallinto-2017-2019", "/processes/avoin-hallinto-2017-2019"},
		{"/ideas/12?lang=sv", "/ideas/12?lang=sv"},
		{"/idea-rounds/3?q=kunnat%20OR%20kuntien&sort=new", "/idea-rounds/3?q=kunnat%20OR%20kuntien&sort=new"},
		{"/idea-rounds/3?q=%C3%A4%2F%2Fx", "/idea-rounds/3?q=%C3%A4%2F%2Fx"},
		{"/commitments/4#milestones", "/commitments/4#milestones"},
		{"/commitments/4/", "/commitments/4/"},
		{"/login?next=/account", "/login?next=/account"},

		// Nothing, or not a path.
		{"", "/"},
		{"account", "/"},
		{"evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript:alert(1)", "/"},
		{"data:text/html,<script>alert(1)</script>", "/"},
		{"http://evil.example/", "/"},
		{"https:evil.example", "/"},
		{"https:/evil.example", "/"},
		{"mailto:x@evil.example", "/"},

		// Another host, written as a path.
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"////evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"/\\/evil.example", "/"},
		{"/x\\..\\..\\/evil.example", "/"},

		// Characters browsers drop or fold: tabs, newlines, spaces, controls.
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{"/ /evil.example", "/"},
		{" //evil.example", "/"},
		{"/\x00/evil.example", "/"},
		{"/\x7f/evil.example", "/"},
		{"/account\r\nSet-Cookie: x=1", "/"},
		{"/account\u00a0", "/"},

		// Percent-encoded slashes, backslashes, controls and dots.
		{"/%09/evil.example", "/"},
		{"/%0a/evil.example", "/"},
		{"/%0D%0A/evil.example", "/"},
		{"/%20/evil.example", "/"},
		{"/%2F/evil.example", "/"},
		{"/%2f/evil.example", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"%2F%2Fevil.example", "/"},
		{"/%5C/evil.example", "/"},
		{"/%5cevil.example", "/"},
		{"/%252F/evil.example", "/"},
		{"/%25252F/evil.example", "/"},
		{"/%2e%2e//evil.example", "/"},
		{"/%2E%2E/%2F/evil.example", "/"},
		{"/..//evil.example", "/"},
		{"/./evil.example", "/"},
		{"/a/../../evil.example", "/"},
		{"/a/%2e%2e/%2e%2e//evil.example", "/"},
		{"/a//evil.example", "/"},
		{"/%zz", "/"},

		// Unicode slashes and look-alikes, raw and encoded.
		{"/\u2215evil.example", "/"},       // division slash
		{"/\u2044evil.example", "/"},       // fraction slash
		{"/\uff0f\uff0fevil.example", "/"}, // fullwidth solidus
		{"/\uff3cevil.example", "/"},       // fullwidth reverse solidus
		{"/\u29f5evil.example", "/"},       // reverse solidus operator
		{"/%E2%88%95evil.example", "/"},
		{"/%EF%BC%8F%EF%BC%8Fevil.example", "/"},
		{"\uff0f\uff0fevil.example", "/"},
		{"/\u200b/evil.example", "/"}, // zero-width space
		{"/\u202e/evil.example", "/"}, // right-to-left override

		// Credentials or a host hidden in the path.
		{"/@evil.example", "/@evil.example"},
		{"//user@evil.example", "/"},
		{"/%2F@evil.example", "/"},
	} {
		if got := safeNext(tc.next); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
}
