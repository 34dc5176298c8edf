package participation

// BusinessIDLength is the length of a Finnish Business ID written
// NNNNNNN-C: seven digits, a hyphen and the check digit.
const BusinessIDLength = 9

// businessIDWeights are the weights of the seven digits in the check sum.
var businessIDWeights = [7]int{7, 9, 10, 5, 8, 4, 2}

// ValidBusinessID reports whether s is a Finnish Business ID (Y-tunnus),
// NNNNNNN-C, whose check digit C is right: the digits weighted by 7, 9,
// 10, 5, 8, 4 and 2 and summed leave a remainder r modulo 11; r = 0 gives
// 0, r = 1 no valid ID at all, and any other r gives 11 − r.
func ValidBusinessID(s string) bool {
	if len(s) != BusinessIDLength || s[7] != '-' {
		return false
	}
	sum := 0
	for i, w := range businessIDWeights {
		d := s[i]
		if d < '0' || d > '9' {
			return false
		}
		sum += int(d-'0') * w
	}
	c := s[8]
	if c < '0' || c > '9' {
		return false
	}
	switch r := sum % 11; r {
	case 0:
		return c == '0'
	case 1:
		return false
	default:
		return int(c-'0') == 11-r
	}
}
