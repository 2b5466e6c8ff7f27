package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Plain scalars aimed at go-yaml's resolver: numbers in every base and form, with and
// without underscores and signs, floats that overflow, the words of its table in every
// case, timestamps, base-60 look-alikes, and text that merely starts like one of those.
func genScalar(r *rand.Rand) string {
	digits := func(set string, min, max int) string {
		n := min + r.IntN(max-min+1)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(set[r.IntN(len(set))])
		}
		return b.String()
	}
	sign := func() string { return pick(r, []string{"", "", "", "-", "+"}) }
	withUnderscores := func(s string) string {
		if r.IntN(5) != 0 || len(s) < 2 {
			return s
		}
		i := 1 + r.IntN(len(s)-1)
		return s[:i] + strings.Repeat("_", 1+r.IntN(2)) + s[i:]
	}
	randomCase := func(s string) string {
		var b strings.Builder
		for _, c := range s {
			if r.IntN(2) == 0 {
				b.WriteString(strings.ToUpper(string(c)))
			} else {
				b.WriteRune(c)
			}
		}
		return b.String()
	}
	switch r.IntN(16) {
	case 0, 1: // decimal integers, leading zeros included, some past int64 and uint64
		return sign() + withUnderscores(digits("0123456789", 1, pick(r, []int{3, 10, 19, 20, 25})))
	case 2: // base prefixes with digits that may not belong to the base
		prefix := pick(r, []string{"0x", "0X", "0o", "0O", "0b", "0B", "0"})
		return sign() + prefix + withUnderscores(digits(pick(r, []string{"01", "01234567", "0123456789abcdefABCDEF", "0123456789xyz"}), 0, pick(r, []int{4, 16, 22, 70})))
	case 3, 4: // floats: mantissa, point, exponent
		m := digits("0123456789", 0, 6)
		if r.IntN(3) > 0 {
			m += "." + digits("0123456789", 0, 6)
		}
		if r.IntN(2) == 0 {
			m += pick(r, []string{"e", "E"}) + pick(r, []string{"", "+", "-"}) + digits("0123456789", 0, 4)
		}
		if m == "" {
			m = "."
		}
		return sign() + withUnderscores(m)
	case 5: // values near and past the range of a double (the 209276e89438390 of a real NodeFeature)
		return digits("0123456789", 1, 16) + pick(r, []string{"e", "E"}) + digits("0123456789", 2, 10)
	case 6: // the words of go-yaml's table, in every case
		w := pick(r, []string{"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", ".inf", "+.inf", "-.inf", ".nan", "<<"})
		if r.IntN(2) == 0 {
			w = randomCase(w)
		}
		return w
	case 7: // timestamps and look-alikes
		date := fmt.Sprintf("%04d-%d-%d", r.IntN(10000), r.IntN(14), r.IntN(33))
		if r.IntN(2) == 0 {
			date = fmt.Sprintf("%04d-%02d-%02d", 1990+r.IntN(40), 1+r.IntN(12), 1+r.IntN(28))
		}
		switch r.IntN(4) {
		case 0:
			return date
		case 1:
			return date + pick(r, []string{"T", "t", " "}) + fmt.Sprintf("%d:%02d:%02d", r.IntN(25), r.IntN(61), r.IntN(61)) + pick(r, []string{"", "Z", "-05:00", "+01:00", ".123", ".5Z"})
		default:
			return date + pick(r, []string{"x", "T", "-1", ".0"})
		}
	case 8: // base 60 and colons
		return sign() + digits("0123456789", 1, 3) + ":" + digits("0123456789", 1, 2) + pick(r, []string{"", ":" + digits("0123456789", 2, 2), "." + digits("0123456789", 1, 2)})
	case 9: // kernel versions, image tags, versions: the strings inventories are full of
		return fmt.Sprintf("%d.%d.%d-%d.%d.%d.el9_%d.x86_64", 4+r.IntN(3), r.IntN(20), r.IntN(10), r.IntN(600), r.IntN(40), r.IntN(3), r.IntN(6))
	case 10: // version-like numbers
		return digits("0123456789", 1, 2) + "." + digits("0123456789", 1, 3) + pick(r, []string{"", ".0", ".", "e1", "_1"})
	case 11: // dots and signs alone or in pairs
		return pick(r, []string{".", "..", ".5.", "+.", "-.", ".e5", ".5e", "._", "._5", "+0", "-0", "+-1", "0.", "00", "09", "0_7", "-_1", "+_"})
	case 12: // hex-ish interface names, ids
		return digits("0123456789abcdef", 8, 16)
	case 13: // letters first: always strings, unless a word
		return digits("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 1, 3) + digits("0123456789._-", 0, 6)
	case 14: // other scripts' digits and letters
		return pick(r, []string{"١٢٣", "１２", "٣.٥", "é1", "ñ", "Ⅻ", "²"})
	default: // anything printable that can stand as a plain scalar after "v: "
		s := digits("0123456789.+-_eExXoObB:~abc/=,()", 1, 8)
		return strings.TrimRight(s, ":")
	}
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// A random YAML document: block and flow collections, plain, quoted and block scalars,
// anchors with aliases and merges, comments, and sometimes several documents in a stream.
type docGen struct {
	r       *rand.Rand
	anchors []string
	n       int
}

func (g *docGen) key() string {
	switch g.r.IntN(6) {
	case 0:
		return genScalar(g.r)
	case 1:
		return `"` + pick(g.r, []string{"a b", "x:y", "1", "true", "~", "#c"}) + `"`
	default:
		return pick(g.r, []string{"apiVersion", "kind", "name", "labels", "spec", "value", "k", "a", "b", "data"}) + fmt.Sprint(g.r.IntN(4))
	}
}

func (g *docGen) scalar(flow bool) string {
	switch g.r.IntN(8) {
	case 0:
		return `"` + pick(g.r, []string{"", "yes", "0x1F", `a\tb`, `\u00e9`, `\x41`, "1e400", `it's`}) + `"`
	case 1:
		return `'` + pick(g.r, []string{"", "no", "0755", "it''s", "a b"}) + `'`
	case 2:
		if !flow {
			return pick(g.r, []string{"|\n  line one\n  line two\n", ">-\n  folded\n  text\n", "|+\n  kept\n\n", "|2\n    indented\n"})
		}
		return "plain"
	default:
		s := genScalar(g.r)
		if flow && strings.ContainsAny(s, ",[]{}") {
			return `"` + s + `"`
		}
		return s
	}
}

func (g *docGen) value(depth int, indent string, flow bool) string {
	g.n++
	if depth > 4 || g.n > 60 || g.r.IntN(3) == 0 {
		if len(g.anchors) > 0 && g.r.IntN(8) == 0 {
			return "*" + pick(g.r, g.anchors)
		}
		return g.scalar(flow)
	}
	anchor := ""
	if g.r.IntN(7) == 0 {
		name := fmt.Sprintf("a%d", len(g.anchors))
		anchor = "&" + name + " "
		defer func() { g.anchors = append(g.anchors, name) }()
	}
	if flow || g.r.IntN(4) == 0 {
		var parts []string
		if g.r.IntN(2) == 0 {
			for i := g.r.IntN(4); i > 0; i-- {
				parts = append(parts, g.key()+": "+g.value(depth+1, indent, true))
			}
			return anchor + "{" + strings.Join(parts, ", ") + "}"
		}
		for i := g.r.IntN(4); i > 0; i-- {
			parts = append(parts, g.value(depth+1, indent, true))
		}
		return anchor + "[" + strings.Join(parts, ", ") + "]"
	}
	var b strings.Builder
	b.WriteString(strings.TrimSpace(anchor))
	if g.r.IntN(2) == 0 {
		for i := 1 + g.r.IntN(3); i > 0; i-- {
			b.WriteString("\n" + indent + "- " + g.item(depth, indent+"  "))
		}
		return b.String()
	}
	keys := map[string]bool{}
	if len(g.anchors) > 0 && g.r.IntN(6) == 0 {
		b.WriteString("\n" + indent + "<<: *" + pick(g.r, g.anchors))
	}
	for i := 1 + g.r.IntN(4); i > 0; i-- {
		k := g.key()
		if keys[k] && g.r.IntN(10) != 0 {
			continue
		}
		keys[k] = true
		b.WriteString("\n" + indent + k + ":" + g.blockValue(depth, indent))
	}
	if g.r.IntN(10) == 0 {
		b.WriteString("  # a comment")
	}
	return b.String()
}

func (g *docGen) blockValue(depth int, indent string) string {
	v := g.value(depth+1, indent+"  ", false)
	if strings.HasPrefix(v, "\n") || strings.HasPrefix(v, "&") && strings.Contains(v, "\n") {
		if strings.HasPrefix(v, "&") {
			return " " + v
		}
		return v
	}
	if strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">") {
		return " " + strings.ReplaceAll(strings.TrimSuffix(v, "\n"), "\n", "\n"+indent) + "\n" + indent[:max(0, len(indent)-0)]
	}
	return " " + v
}

func (g *docGen) item(depth int, indent string) string {
	v := g.value(depth+1, indent, false)
	if strings.HasPrefix(v, "\n") {
		return strings.TrimPrefix(strings.ReplaceAll(v, "\n"+indent, "\n"+indent), "\n"+indent)
	}
	if strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">") {
		return "plain"
	}
	return v
}

func genDocument(r *rand.Rand) string {
	var docs []string
	for i := 1 + r.IntN(2); i > 0; i-- {
		g := &docGen{r: r}
		body := g.value(0, "", false)
		if !strings.HasPrefix(body, "\n") {
			body = "root: " + body
		}
		docs = append(docs, strings.TrimPrefix(body, "\n")+"\n")
	}
	return strings.Join(docs, "---\n")
}
