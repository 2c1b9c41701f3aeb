// Package jsonquote writes JSON string literals without reflection, for
// the two encoders that write JSON by hand: sam's template encoder, which
// must match encoding/json byte for byte, and the Lambda runtime's
// response encoder, which must match what Chalice's Python writes. The
// escapes they share (quotes, backslashes, control characters, invalid
// UTF-8) live here once; what differs is a Mode.
//
// The runtime imports it, so it must stay free of compiler-side packages
// and of anything but the standard library.
package jsonquote

import "unicode/utf8"

// Mode says which characters beyond the ones JSON requires are escaped.
type Mode uint8

const (
	// Minimal escapes only what a JSON string must: quotes, backslashes
	// and control characters (\n, \r, \t, \b, \f by name, others as
	// \u00XX). Everything else, U+2028 and U+2029 too, is written as it
	// is: the Lambda runtime's headers and text bodies, where Chalice's
	// output leaves them unescaped.
	Minimal Mode = iota
	// EncodingJSON is encoding/json with SetEscapeHTML(false): Minimal
	// plus U+2028 and U+2029 as \u2028 and \u2029 (line ends to
	// JavaScript before ES2019). Templates are compared with
	// encoding/json's output byte for byte.
	EncodingJSON
	// ASCII takes s to be JSON text and quotes it as Chalice does a JSON
	// body, json.dumps(ensure_ascii=True) quoted again: each character
	// >= U+007F becomes a \uXXXX escape of s (a surrogate pair above
	// U+FFFF), itself escaped for the outer string (\\u00e9). Doing both
	// in one pass spares the runtime a second buffer per response.
	ASCII
)

// Append appends s to dst as a JSON string quoted in mode m. Invalid
// UTF-8 becomes \ufffd in every mode, as encoding/json writes it. s is
// scanned once and the common all-ASCII text copied in runs: the runtime
// quotes every header and body with it.
func Append[T string | []byte](dst []byte, s T, m Mode) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && !(m == ASCII && c == 0x7f) {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"':
				dst = append(dst, '\\', '"')
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case 0x7f: // only in ASCII mode
				dst = appendUEscape(dst, 0x7f, true)
			default:
				dst = appendUEscape(dst, rune(c), false)
			}
			i++
			start = i
			continue
		}
		// Decoding from at most UTFMax bytes keeps the []byte conversion
		// of a string on the stack.
		end := min(i+utf8.UTFMax, len(s))
		r, size := utf8.DecodeRune([]byte(s[i:end]))
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		switch {
		case m == ASCII:
			dst = append(dst, s[start:i]...)
			dst = appendRuneEscape(dst, r, true)
		case m == EncodingJSON && (r == '\u2028' || r == '\u2029'):
			dst = append(dst, s[start:i]...)
			dst = appendUEscape(dst, r, false)
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendASCII appends the JSON text js made ASCII-only as Python's
// json.dumps(ensure_ascii=True) writes it (see ASCII), without quoting
// it: for JSON bodies the runtime sends base64-encoded. js is valid
// UTF-8, as encoding/json writes it.
func AppendASCII(dst, js []byte) []byte {
	start := 0
	for i := 0; i < len(js); {
		c := js[i]
		if c < 0x7f {
			i++
			continue
		}
		dst = append(dst, js[start:i]...)
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(js[i:])
		}
		dst = appendRuneEscape(dst, r, false)
		i += size
		start = i
	}
	return append(dst, js[start:]...)
}

// appendRuneEscape appends r as Python's ensure_ascii writes it: \uXXXX,
// or a surrogate pair of them above U+FFFF.
func appendRuneEscape(dst []byte, r rune, doubled bool) []byte {
	if r > 0xFFFF {
		r -= 0x10000
		dst = appendUEscape(dst, 0xD800+(r>>10), doubled)
		return appendUEscape(dst, 0xDC00+(r&0x3FF), doubled)
	}
	return appendUEscape(dst, r, doubled)
}

const hexDigits = "0123456789abcdef"

// appendUEscape appends \uXXXX for r (lower-case hex, as both Python and
// encoding/json write it). With doubled, the backslash is itself
// escaped: the escape belongs to the inner JSON text being quoted.
func appendUEscape(dst []byte, r rune, doubled bool) []byte {
	if doubled {
		dst = append(dst, '\\')
	}
	return append(dst, '\\', 'u',
		hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}
