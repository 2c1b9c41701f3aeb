package chalice

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// LevelCritical is Python's CRITICAL level, above slog.LevelError.
const LevelCritical = slog.Level(12)

// Logger returns the app logger, Chalice's app.log: each record is one
// line on stdout,
//
//	<app_name> - <LEVEL> - <message>[ key=value...]
//
// with no timestamp (Lambda adds one). Attributes follow the message as
// key=value, the value quoted when it has spaces, quotes or "=".
//
// Levels are named as Python's: a record's level is named after the
// highest of DEBUG (slog.LevelDebug, -4), INFO (slog.LevelInfo, 0),
// WARNING (slog.LevelWarn, 4), ERROR (slog.LevelError, 8) and CRITICAL
// (LevelCritical, 12) that it reaches; anything below DEBUG is DEBUG.
//
// The logger is usable at any time. Until an app starts, the app name is
// "app" and the level ERROR; SetUpLogger then sets the app's name and the
// stage's level wherever the app runs. The returned logger never
// changes: loggers derived from it (With, WithGroup) follow the
// reconfiguration.
func Logger() *slog.Logger { return defaultLogger }

// SetUpLogger configures Logger for an app running one of its stages:
// lines are named appName, records below the stage's level (Stage.Level)
// are dropped, and lines go to w (os.Stdout when nil). The Lambda
// bootstrap (runtime/dispatch.Start), `chalc local` (runtime/devserver)
// and the test client (runtime/chalicetest) all call it, so that an app
// logs the same lines wherever it runs. An unknown LogLevel is an error
// and changes nothing. restore puts back the configuration SetUpLogger
// replaced (the test client calls it when the test ends).
func SetUpLogger(appName string, st Stage, w io.Writer) (restore func(), err error) {
	level, err := st.Level()
	if err != nil {
		return nil, err
	}
	if w == nil {
		w = os.Stdout
	}
	logState.mu.Lock()
	oldName, oldLevel, oldW := *logState.name.Load(), logState.level.Level(), logState.w
	logState.mu.Unlock()
	ConfigureLogger(appName, level, w)
	return func() { ConfigureLogger(oldName, oldLevel, oldW) }, nil
}

// ConfigureLogger sets the app name and minimum level of Logger, and its
// output when w is not nil (the default is os.Stdout). Tests may call it
// to capture the output; an app's runtime calls SetUpLogger.
func ConfigureLogger(appName string, level slog.Level, w io.Writer) {
	logState.name.Store(&appName)
	logState.level.Set(level)
	if w != nil {
		logState.mu.Lock()
		logState.w = w
		logState.mu.Unlock()
	}
}

// ParseLevel parses a Python level name: DEBUG, INFO, WARNING (or WARN),
// ERROR or CRITICAL, in any case.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToUpper(s) {
	case "DEBUG":
		return slog.LevelDebug, nil
	case "INFO":
		return slog.LevelInfo, nil
	case "WARNING", "WARN":
		return slog.LevelWarn, nil
	case "ERROR":
		return slog.LevelError, nil
	case "CRITICAL":
		return LevelCritical, nil
	}
	return 0, fmt.Errorf("chalice: unknown log level %q (want DEBUG, INFO, WARNING, ERROR or CRITICAL)", s)
}

// Level returns the stage's log level: LogLevel when set, else DEBUG when
// Debug is true and ERROR otherwise (Chalice's rule). An unknown LogLevel
// is an error.
func (s Stage) Level() (slog.Level, error) {
	if s.LogLevel != "" {
		return ParseLevel(s.LogLevel)
	}
	if s.Debug {
		return slog.LevelDebug, nil
	}
	return slog.LevelError, nil
}

// levelName names l as Python does (see Logger).
func levelName(l slog.Level) string {
	switch {
	case l >= LevelCritical:
		return "CRITICAL"
	case l >= slog.LevelError:
		return "ERROR"
	case l >= slog.LevelWarn:
		return "WARNING"
	case l >= slog.LevelInfo:
		return "INFO"
	default:
		return "DEBUG"
	}
}

var logState = func() *loggerState {
	s := &loggerState{w: os.Stdout}
	name := "app"
	s.name.Store(&name)
	s.level.Set(slog.LevelError)
	return s
}()

var defaultLogger = slog.New(&lineHandler{st: logState})

type loggerState struct {
	name  atomic.Pointer[string]
	level slog.LevelVar
	mu    sync.Mutex
	w     io.Writer
}

// lineHandler is the slog.Handler behind Logger.
type lineHandler struct {
	st     *loggerState
	attrs  []byte // preformatted " k=v" from WithAttrs
	prefix string // group prefix "g1.g2." from WithGroup
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.st.level.Level()
}

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	buf := make([]byte, 0, 128)
	buf = append(buf, *h.st.name.Load()...)
	buf = append(buf, " - "...)
	buf = append(buf, levelName(r.Level)...)
	buf = append(buf, " - "...)
	buf = append(buf, r.Message...)
	buf = append(buf, h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		buf = appendAttr(buf, h.prefix, a)
		return true
	})
	buf = append(buf, '\n')
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	_, err := h.st.w.Write(buf)
	return err
}

func (h *lineHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h2 := *h
	h2.attrs = append([]byte(nil), h.attrs...)
	for _, a := range as {
		h2.attrs = appendAttr(h2.attrs, h.prefix, a)
	}
	return &h2
}

func (h *lineHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix = h.prefix + name + "."
	return &h2
}

func appendAttr(buf []byte, prefix string, a slog.Attr) []byte {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return buf
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			buf = appendAttr(buf, p, g)
		}
		return buf
	}
	buf = append(buf, ' ')
	buf = append(buf, prefix...)
	buf = append(buf, a.Key...)
	buf = append(buf, '=')
	s := a.Value.String()
	if needsQuote(s) {
		return strconv.AppendQuote(buf, s)
	}
	return append(buf, s...)
}

func needsQuote(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return true
		}
		i += n
	}
	return false
}
