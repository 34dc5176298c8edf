package participation

import (
	"context"
	"sort"
	"time"
)

// The reach report of a process: who took part, through which channel and
// step, from where (as people chose to say) and when. The seed wants to
// reach people outside the capital region; this is how it sees whether it
// did.
//
// A participant is one person as far as the platform can tell people
// apart: a signed-in account; otherwise the anonymous respondent token a
// browser was issued (ideas, comments, supports, anonymous survey
// responses), a survey invitation, or a workshop participant (one per
// phone that joined). Where even that is missing (anonymous texts from
// before tokens were issued) each contribution counts as its own person.
// The same person in two channels counts once in the process's total.

// The channels of participation.
const (
	ChannelIdeas      = "ideas"
	ChannelComments   = "comments"
	ChannelSupports   = "supports"
	ChannelWorkshop   = "workshop"
	ChannelSurvey     = "survey"
	ChannelStatements = "statements"
)

// ReachChannels are the channels in the order the report shows them.
var ReachChannels = []string{ChannelIdeas, ChannelComments, ChannelSupports, ChannelWorkshop, ChannelSurvey, ChannelStatements}

// contributionChannels maps a contribution's kind to its channel. A ballot
// has none: its voter counts once, as the workshop participant who joined.
var contributionChannels = map[string]string{
	"idea": ChannelIdeas, "comment": ChannelComments, "support": ChannelSupports,
	"participant": ChannelWorkshop, "survey_response": ChannelSurvey, "statement": ChannelStatements,
}

// Contribution is one public contribution to a process, as the store reads
// it: its kind, the step it was made in, who made it (see above), the
// municipality they gave with it or on their account, and when.
type Contribution struct {
	Kind         string    `db:"kind"`
	StepKind     string    `db:"step_kind"`
	StepID       int64     `db:"step_id"`
	Who          string    `db:"who"`
	Municipality *string   `db:"municipality"`
	At           time.Time `db:"at"`
}

// Reach is a process's reach report.
type Reach struct {
	// Participants counts the people who took part in any channel.
	Participants int            `json:"participants"`
	Channels     []ChannelReach `json:"channels"`
	Steps        []StepReach    `json:"steps"`
	// SaidMunicipality counts the participants who named a municipality of
	// Finland; each counts in the latest one they named. OtherPlace counts
	// those who named only a place not on the list (abroad, or misspelt).
	SaidMunicipality int `json:"said_municipality"`
	OtherPlace       int `json:"other_place"`
	// OutsideCapitalRegion counts those of SaidMunicipality outside
	// Helsinki, Espoo, Vantaa and Kauniainen; OutsideCapitalRegionShare is
	// their share of SaidMunicipality, null when nobody said.
	OutsideCapitalRegion      int                 `json:"outside_capital_region"`
	OutsideCapitalRegionShare *float64            `json:"outside_capital_region_share"`
	Regions                   []RegionReach       `json:"regions"`
	Municipalities            []MunicipalityReach `json:"municipalities"`
	Months                    []MonthReach        `json:"months"`
	// RegionSource names the municipality–region classification used.
	RegionSource string `json:"region_source"`
}

// ChannelReach is one channel's participants and contributions.
type ChannelReach struct {
	Channel       string `json:"channel"`
	Participants  int    `json:"participants"`
	Contributions int    `json:"contributions"`
}

// StepReach is one step's participants, in all and per channel.
type StepReach struct {
	Kind         string         `json:"kind"`
	ID           int64          `json:"id"`
	Title        string         `json:"title"`
	Participants int            `json:"participants"`
	Channels     []ChannelReach `json:"channels"`
	Translatable
}

// RegionReach is one region's participants; every region is listed.
type RegionReach struct {
	Region
	Participants int `json:"participants"`
}

// MunicipalityReach is one municipality's participants, with its region.
type MunicipalityReach struct {
	Municipality
	Participants int `json:"participants"`
}

// MonthReach is one calendar month (Finnish time, "2006-01"): the people
// who took part in it, and those of them who took part for the first time.
type MonthReach struct {
	Month           string `json:"month"`
	Participants    int    `json:"participants"`
	NewParticipants int    `json:"new_participants"`
}

// ReachService reports the reach of processes.
type ReachService interface {
	// FindReach returns the reach report of the process of slug; a draft
	// the caller may not see is ENOTFOUND.
	FindReach(ctx context.Context, slug string) (*Reach, error)
}

// channelCount gathers a channel's people and contributions.
type channelCount struct {
	who           map[string]bool
	contributions int
}

func (c *channelCount) add(who string) {
	if c.who == nil {
		c.who = map[string]bool{}
	}
	c.who[who] = true
	c.contributions++
}

func channelReaches(counts map[string]*channelCount) []ChannelReach {
	out := make([]ChannelReach, len(ReachChannels))
	for i, ch := range ReachChannels {
		out[i] = ChannelReach{Channel: ch}
		if c := counts[ch]; c != nil {
			out[i].Participants, out[i].Contributions = len(c.who), c.contributions
		}
	}
	return out
}

// saidPlace is a place a participant named, and when.
type saidPlace struct {
	place string
	at    time.Time
}

// NewReach counts a process's contributions into its reach report; steps
// are the process's steps, in the order the report lists them.
func NewReach(steps []Step, contributions []Contribution) *Reach {
	type stepKey struct {
		kind string
		id   int64
	}
	r := &Reach{Steps: []StepReach{}, Municipalities: []MunicipalityReach{}, Months: []MonthReach{}}
	r.RegionSource, _ = RegionSource()
	channels := map[string]*channelCount{}
	perStep := map[stepKey]map[string]*channelCount{}
	stepPeople := map[stepKey]map[string]bool{}
	latest := map[string]saidPlace{}       // who → the latest place they named
	months := map[string]map[string]bool{} // month → who
	first := map[string]string{}           // who → the month of their first contribution
	for _, c := range contributions {
		ch, ok := contributionChannels[c.Kind]
		if !ok {
			continue
		}
		if channels[ch] == nil {
			channels[ch] = &channelCount{}
		}
		channels[ch].add(c.Who)
		k := stepKey{c.StepKind, c.StepID}
		if perStep[k] == nil {
			perStep[k], stepPeople[k] = map[string]*channelCount{}, map[string]bool{}
		}
		if perStep[k][ch] == nil {
			perStep[k][ch] = &channelCount{}
		}
		perStep[k][ch].add(c.Who)
		stepPeople[k][c.Who] = true
		if c.Municipality != nil && *c.Municipality != "" {
			if l, ok := latest[c.Who]; !ok || c.At.After(l.at) {
				latest[c.Who] = saidPlace{*c.Municipality, c.At}
			}
		}
		m := c.At.In(Helsinki).Format("2006-01")
		if months[m] == nil {
			months[m] = map[string]bool{}
		}
		months[m][c.Who] = true
		if f, ok := first[c.Who]; !ok || m < f {
			first[c.Who] = m
		}
	}
	r.Participants = len(first)
	r.Channels = channelReaches(channels)
	for _, s := range steps {
		k := stepKey{s.Kind, s.ID}
		r.Steps = append(r.Steps, StepReach{Kind: s.Kind, ID: s.ID, Title: s.Title, Translatable: s.Translatable,
			Participants: len(stepPeople[k]), Channels: channelReaches(perStep[k])})
	}
	r.countPlaces(latest)
	r.countMonths(months, first)
	return r
}

// countPlaces counts each participant in the place they named last: its
// municipality, its region, and whether it is outside the capital region.
func (r *Reach) countPlaces(latest map[string]saidPlace) {
	regions := map[string]int{}
	municipalities := map[string]int{}
	for _, l := range latest {
		m, ok := FindMunicipality(l.place)
		if !ok {
			r.OtherPlace++
			continue
		}
		r.SaidMunicipality++
		municipalities[m.Code]++
		regions[m.Region]++
		if !InCapitalRegion(m.Fi) {
			r.OutsideCapitalRegion++
		}
	}
	if r.SaidMunicipality > 0 {
		share := float64(r.OutsideCapitalRegion) / float64(r.SaidMunicipality)
		r.OutsideCapitalRegionShare = &share
	}
	for _, reg := range Regions() {
		r.Regions = append(r.Regions, RegionReach{Region: reg, Participants: regions[reg.Code]})
	}
	for _, m := range Municipalities() {
		if n := municipalities[m.Code]; n > 0 {
			r.Municipalities = append(r.Municipalities, MunicipalityReach{Municipality: m, Participants: n})
		}
	}
	sort.SliceStable(r.Municipalities, func(i, j int) bool {
		return r.Municipalities[i].Participants > r.Municipalities[j].Participants
	})
}

// countMonths lists every month from the first contribution to the last,
// months without any included.
func (r *Reach) countMonths(months map[string]map[string]bool, first map[string]string) {
	if len(months) == 0 {
		return
	}
	keys := make([]string, 0, len(months))
	for m := range months {
		keys = append(keys, m)
	}
	sort.Strings(keys)
	news := map[string]int{}
	for _, m := range first {
		news[m]++
	}
	start, _ := time.Parse("2006-01", keys[0])
	end, _ := time.Parse("2006-01", keys[len(keys)-1])
	for t := start; !t.After(end); t = t.AddDate(0, 1, 0) {
		m := t.Format("2006-01")
		r.Months = append(r.Months, MonthReach{Month: m, Participants: len(months[m]), NewParticipants: news[m]})
	}
}
