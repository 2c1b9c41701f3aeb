package build

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// TestZipRoundTrip: the pieces deflate compresses on separate cores join
// into one stream that unzips to the original bytes, for sizes around
// the piece boundaries, and the same input always gives the same zip.
func TestZipRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 1000, deflateChunk - 1, deflateChunk, deflateChunk + 1, 3*deflateChunk + deflateChunk/2} {
		data := make([]byte, size)
		for i := range data {
			// Compressible, like a binary: runs and repeats.
			data[i] = byte(rng.IntN(16)) + byte(i/4096)
		}
		z, err := Zip(map[string][]byte{"bootstrap": data, "README.txt": []byte("note\n")})
		if err != nil {
			t.Fatal(err)
		}
		again, err := Zip(map[string][]byte{"README.txt": []byte("note\n"), "bootstrap": data})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(z, again) {
			t.Errorf("size %d: two zips of the same files differ", size)
		}
		zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc) // checks the CRC-32 at the end
			rc.Close()
			if err != nil {
				t.Fatalf("size %d, %s: %v", size, f.Name, err)
			}
			want := data
			if f.Name == "README.txt" {
				want = []byte("note\n")
			} else if f.Mode().Perm() != 0o755 {
				t.Errorf("bootstrap has mode %v, want 0755", f.Mode())
			}
			if !bytes.Equal(got, want) {
				t.Errorf("size %d, %s: unzipped %d bytes, not the %d zipped", size, f.Name, len(got), len(want))
			}
		}
	}
}
