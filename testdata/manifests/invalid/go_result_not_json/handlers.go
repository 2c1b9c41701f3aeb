package handlers

import (
	"encoding/json"
	"time"
	"unsafe"
)

func Chan() (chan int, error)          { return nil, nil }
func Func() (func(), error)            { return nil, nil }
func Complex() (complex128, error)     { return 0, nil }
func Pointer() (unsafe.Pointer, error) { return nil, nil }
func Points() (map[Point]int, error)   { return nil, nil }
func Report() (*Order, error)          { return nil, nil }
func Fine() (Fine_, error)             { return Fine_{}, nil }
func GetOrder() ([]Order, error)       { return nil, nil }

// Point is a map key encoding/json cannot write.
type Point struct{ X, Y int }

// Order has a field encoding/json cannot encode.
type Order struct {
	ID      string
	Updates chan string
}

// Fine_ has only what encoding/json can encode: skipped, unexported and
// self-marshalling fields, recursion, an interface.
type Fine_ struct {
	Skipped  chan int `json:"-"`
	private  func()
	At       time.Time
	Raw      json.RawMessage
	Custom   Custom
	Children []*Fine_
	Any      any
	ByID     map[int]string
	Bytes    []byte
}

// Custom marshals itself.
type Custom struct{ c chan int }

func (Custom) MarshalJSON() ([]byte, error) { return []byte("null"), nil }
