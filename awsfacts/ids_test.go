package awsfacts

import "testing"

func TestLogicalID(t *testing.T) {
	for in, want := range map[string]string{
		"every_five":            "EveryFive",
		"custom-name":           "CustomName",
		"MixedCase_with-dashes": "MixedCaseWithDashes",
		"ec2_running-event":     "Ec2RunningEvent",
		"api_handler":           "ApiHandler",
		"a__b":                  "AB",
		"hourly-job":            "HourlyJob",
		"weekday_noon":          "WeekdayNoon",
	} {
		if got := LogicalID(in); got != want {
			t.Errorf("LogicalID(%q) = %q, want %q", in, got, want)
		}
	}
}
