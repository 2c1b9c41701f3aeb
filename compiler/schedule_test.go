package compiler

import "testing"

func TestScheduleExpressions(t *testing.T) {
	ok := []string{
		"rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(2 days)",
		"cron(0 10 * * ? *)", "cron(15 12 ? * MON-FRI *)", "cron(0/15 * * * ? *)",
		"cron(0 8 1 * ? *)", "cron(0 18 ? * 6L *)", "cron(0 9 ? * 2#1 *)", "cron(0 0 L * ? *)",
		"cron(0 0 15W * ? 2030)", "cron(5,35 14 * JAN,FEB ? 2026-2030)",
	}
	for _, e := range ok {
		if p := checkScheduleExpression(e); len(p) != 0 {
			t.Errorf("%s: unexpected %v", e, p)
		}
	}
	badOnes := map[string]string{
		"rate(1 minutes)":      `"rate(1 minutes)" needs the singular unit for 1`,
		"rate(5 minute)":       `"rate(5 minute)" needs the plural unit for 5`,
		"rate(0 minutes)":      `the value in "rate(0 minutes)" must be a positive whole number`,
		"rate(5 weeks)":        `"rate(5 weeks)" has unit "weeks"; the unit is minute(s), hour(s) or day(s)`,
		"cron(0 12 * * *)":     `"cron(0 12 * * *)" has 5 fields; cron() takes 6`,
		"cron(0 12 * * * *)":   `"cron(0 12 * * * *)" sets both day-of-month (*) and day-of-week (*)`,
		"cron(0 12 ? * ? *)":   `"cron(0 12 ? * ? *)" uses ? for both day-of-month and day-of-week`,
		"cron(60 12 * * ? *)":  `"cron(60 12 * * ? *)": minutes 60 is out of range (0-59)`,
		"every 5 minutes":      `schedule "every 5 minutes" is neither a rate() nor a cron() expression`,
		"cron(0 12 * FOO ? *)": `"cron(0 12 * FOO ? *)": "FOO" is not a valid month (1-12 or JAN-DEC)`,
	}
	for e, want := range badOnes {
		p := checkScheduleExpression(e)
		if len(p) == 0 || p[0].text != want {
			t.Errorf("%s: got %v, want %q", e, p, want)
		}
	}
}
