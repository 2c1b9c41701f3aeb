package compiler

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

var (
	rateExpr = regexp.MustCompile(`^rate\((.*)\)$`)
	cronExpr = regexp.MustCompile(`^cron\((.*)\)$`)
)

func (c *checker) schedule(s *manifest.Schedule) *Schedule {
	out := &Schedule{Expression: s.Expression.V, Description: s.Description.V}
	if !s.Expression.Set {
		return out
	}
	for _, msg := range checkScheduleExpression(s.Expression.V) {
		d := c.ds.Errorf(diag.ScheduleExpression, s.Expression.Range, "%s", msg.text)
		for _, h := range msg.hints {
			d.Hint("%s", h)
		}
	}
	return out
}

type problem struct {
	text  string
	hints []string
}

func bad(text string, hints ...string) []problem { return []problem{{text, hints}} }

// checkScheduleExpression applies EventBridge's rules for rate() and
// cron() expressions.
func checkScheduleExpression(expr string) []problem {
	if m := rateExpr.FindStringSubmatch(expr); m != nil {
		return checkRate(expr, m[1])
	}
	if m := cronExpr.FindStringSubmatch(expr); m != nil {
		return checkCron(expr, m[1])
	}
	hint := "write rate(5 minutes) or cron(0 12 * * ? *)"
	if strings.HasPrefix(strings.ToLower(expr), "rate") || strings.HasPrefix(strings.ToLower(expr), "cron") {
		hint = "the expression is lower case with parentheses: rate(5 minutes), cron(0 12 * * ? *)"
	}
	return bad(fmt.Sprintf("schedule %q is neither a rate() nor a cron() expression", expr), hint)
}

func checkRate(expr, body string) []problem {
	f := strings.Fields(body)
	if len(f) != 2 || strings.Join(f, " ") != body {
		return bad(fmt.Sprintf("%q must be rate(VALUE UNIT) with one space, e.g. rate(5 minutes)", expr))
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 || strings.HasPrefix(f[0], "+") || strings.HasPrefix(f[0], "0") {
		return bad(fmt.Sprintf("the value in %q must be a positive whole number", expr))
	}
	unit := f[1]
	singular := map[string]string{"minute": "minutes", "hour": "hours", "day": "days"}
	plural := map[string]string{"minutes": "minute", "hours": "hour", "days": "day"}
	switch {
	case n == 1 && singular[unit] != "":
		return nil
	case n != 1 && plural[unit] != "":
		return nil
	case n == 1 && plural[unit] != "":
		return bad(fmt.Sprintf("%q needs the singular unit for 1", expr), fmt.Sprintf("write rate(1 %s)", plural[unit]))
	case n != 1 && singular[unit] != "":
		return bad(fmt.Sprintf("%q needs the plural unit for %d", expr, n), fmt.Sprintf("write rate(%d %s)", n, singular[unit]))
	}
	return bad(fmt.Sprintf("%q has unit %q; the unit is minute(s), hour(s) or day(s)", expr, unit))
}

// cronField describes one of cron's six fields.
type cronField struct {
	name     string
	min, max int
	names    []string // month or day names, index 0 = min
	special  string   // characters allowed besides , - * /
}

var cronFields = []cronField{
	{name: "minutes", min: 0, max: 59},
	{name: "hours", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31, special: "?LW"},
	{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "day-of-week", min: 1, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, special: "?L#"},
	{name: "year", min: 1970, max: 2199},
}

func checkCron(expr, body string) []problem {
	f := strings.Fields(body)
	if len(f) != 6 {
		hint := "the fields are: minutes hours day-of-month month day-of-week year, e.g. cron(0 12 * * ? *)"
		if len(f) == 5 {
			// A Unix cron line: add the year and put ? in one day field.
			g := append(append([]string{}, f...), "*")
			if g[2] != "?" && g[4] != "?" {
				if g[4] == "*" {
					g[4] = "?"
				} else {
					g[2] = "?"
				}
			}
			hint = fmt.Sprintf("EventBridge cron has six fields, the last is the year: write cron(%s)", strings.Join(g, " "))
		}
		return bad(fmt.Sprintf("%q has %d fields; cron() takes 6", expr, len(f)), hint)
	}
	var out []problem
	for i, v := range f {
		if msg := checkCronField(cronFields[i], v); msg != "" {
			out = append(out, problem{text: fmt.Sprintf("%q: %s", expr, msg)})
		}
	}
	dom, dow := f[2], f[4]
	switch {
	case dom == "?" && dow == "?":
		out = append(out, problem{fmt.Sprintf("%q uses ? for both day-of-month and day-of-week", expr),
			[]string{"exactly one of them is ?; e.g. cron(0 12 * * ? *) runs every day"}})
	case dom != "?" && dow != "?":
		out = append(out, problem{fmt.Sprintf("%q sets both day-of-month (%s) and day-of-week (%s)", expr, dom, dow),
			[]string{fmt.Sprintf("one of them must be ?: cron(%s %s %s %s ? %s) or cron(%s %s ? %s %s %s)", f[0], f[1], dom, f[3], f[5], f[0], f[1], f[3], dow, f[5])}})
	}
	return out
}

func checkCronField(cf cronField, v string) string {
	if v == "*" || (v == "?" && strings.Contains(cf.special, "?")) {
		return ""
	}
	if v == "?" {
		return fmt.Sprintf("? is only allowed in day-of-month and day-of-week, not in %s", cf.name)
	}
	for _, part := range strings.Split(v, ",") {
		if msg := checkCronPart(cf, part); msg != "" {
			return msg
		}
	}
	return ""
}

func checkCronPart(cf cronField, p string) string {
	if p == "" {
		return fmt.Sprintf("the %s field has an empty list item", cf.name)
	}
	switch {
	case p == "L" && strings.Contains(cf.special, "L"):
		return ""
	case cf.name == "day-of-month" && (p == "LW" || strings.HasSuffix(p, "W")):
		if p == "LW" {
			return ""
		}
		return cronNumber(cf, strings.TrimSuffix(p, "W"))
	case cf.name == "day-of-week" && strings.Contains(p, "#"):
		day, nth, _ := strings.Cut(p, "#")
		if msg := cronNumber(cf, day); msg != "" {
			return msg
		}
		if n, err := strconv.Atoi(nth); err != nil || n < 1 || n > 5 {
			return fmt.Sprintf("%q: the number after # must be 1-5", p)
		}
		return ""
	case cf.name == "day-of-week" && strings.HasSuffix(p, "L"):
		return cronNumber(cf, strings.TrimSuffix(p, "L"))
	}
	base, step, hasStep := strings.Cut(p, "/")
	if hasStep {
		if n, err := strconv.Atoi(step); err != nil || n < 1 {
			return fmt.Sprintf("%q: the step after / must be a positive number", p)
		}
		if base == "*" {
			return ""
		}
	}
	if lo, hi, isRange := strings.Cut(base, "-"); isRange {
		if msg := cronNumber(cf, lo); msg != "" {
			return msg
		}
		return cronNumber(cf, hi)
	}
	return cronNumber(cf, base)
}

func cronNumber(cf cronField, s string) string {
	for _, n := range cf.names {
		if strings.EqualFold(s, n) {
			return ""
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		if len(cf.names) > 0 {
			return fmt.Sprintf("%q is not a valid %s (%d-%d or %s-%s)", s, cf.name, cf.min, cf.max, cf.names[0], cf.names[len(cf.names)-1])
		}
		return fmt.Sprintf("%q is not a valid %s (%d-%d)", s, cf.name, cf.min, cf.max)
	}
	if n < cf.min || n > cf.max {
		return fmt.Sprintf("%s %d is out of range (%d-%d)", cf.name, n, cf.min, cf.max)
	}
	return ""
}
