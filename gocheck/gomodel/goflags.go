package gomodel

import (
	"fmt"
	"strings"
)

// FlagValue is the value of the last -name=value in GOFLAGS ("" when
// absent or unreadable).
func FlagValue(goflags, name string) string {
	fields, _ := SplitFlags(goflags)
	v := ""
	for _, f := range fields {
		if n, val, ok := CutFlag(f); ok && n == name {
			v = val
		}
	}
	return v
}

// CutFlag splits a GOFLAGS field -name=value (or --name=value).
func CutFlag(f string) (name, value string, ok bool) {
	f, ok = strings.CutPrefix(f, "-")
	if !ok {
		return "", "", false
	}
	f = strings.TrimPrefix(f, "-")
	return strings.Cut(f, "=")
}

// SplitFlags splits GOFLAGS into fields as the go command does: at
// white space, except inside a field wholly enclosed in single or double
// quotes ('-ldflags=-X main.v=1').
func SplitFlags(s string) ([]string, error) {
	var fields []string
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		if s == "" {
			return fields, nil
		}
		if q := s[0]; q == '\'' || q == '"' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return nil, fmt.Errorf("GOFLAGS has an unterminated %c quote: %s", q, s)
			}
			fields = append(fields, s[1:end+1])
			s = s[end+2:]
			continue
		}
		end := strings.IndexAny(s, " \t\r\n")
		if end < 0 {
			end = len(s)
		}
		fields = append(fields, s[:end])
		s = s[end:]
	}
}
