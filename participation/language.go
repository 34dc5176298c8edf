package participation

import (
	"slices"
	"strings"
	"unicode"
)

// Common short words of each content language. Counting them tells Finnish,
// Swedish and English apart well enough for choosing a stemmer, even in a
// short idea; a text with none of them keeps the fallback language.
var languageWords = map[string]map[string]bool{
	"fi": setOf("ja", "on", "ei", "että", "se", "ovat", "myös", "kun", "mutta", "tai", "jos", "voi", "pitää", "pitäisi",
		"olla", "ole", "kuin", "niin", "jotta", "kanssa", "sekä", "tämä", "nämä", "miten", "mitä", "joka", "jotka", "hallinnon", "enemmän"),
	"sv": setOf("och", "att", "det", "är", "som", "för", "på", "med", "inte", "av", "en", "ett", "till", "den", "har",
		"om", "kan", "ska", "bör", "också", "eller", "men", "så", "vi", "de", "mer", "från", "när"),
	"en": setOf("the", "and", "is", "are", "of", "to", "in", "that", "for", "with", "not", "be", "should", "more",
		"can", "this", "it", "as", "or", "by", "from", "we", "on"),
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// DetectLanguage guesses whether text is Finnish, Swedish or English by its
// common words, and returns fallback when it cannot tell.
func DetectLanguage(text, fallback string) string {
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		for lang, words := range languageWords {
			if words[w] {
				counts[lang]++
			}
		}
	}
	best, bestN := fallback, 0
	for _, lang := range ContentLanguages {
		if counts[lang] > bestN {
			best, bestN = lang, counts[lang]
		}
	}
	return best
}

// ContentLanguages are the languages content can be marked as written in.
var ContentLanguages = []string{"fi", "sv", "en"}

// contentLanguage checks the language a contribution is marked as written
// in, or detects it from text when none is given.
func contentLanguage(given, text, fallback string, f FieldErrors) string {
	if given != "" {
		checkContentLanguage(f, given)
		return given
	}
	return DetectLanguage(text, fallback)
}

// checkContentLanguage adds a field error unless lang is one of
// ContentLanguages.
func checkContentLanguage(f FieldErrors, lang string) {
	if !slices.Contains(ContentLanguages, lang) {
		f.Add("language", RuleChoice, 0)
	}
}
