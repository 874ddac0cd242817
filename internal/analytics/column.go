package analytics

import "math"

// column is one dictionary-encoded attribute: code 0 is "missing" (absent,
// null or empty), code c > 0 is values[c-1]. Codes are uint16 until the
// dictionary outgrows them, then uint32; exactly one of u16, u32 is in use.
type column struct {
	name   string
	values []string
	codes  map[string]uint32
	u16    []uint16
	u32    []uint32
}

func newColumn(name string, rows int) *column {
	return &column{name: name, codes: map[string]uint32{}, u16: make([]uint16, rows)}
}

// code returns the code of v, adding it to the dictionary if new.
func (c *column) code(v string) uint32 {
	if v == "" {
		return 0
	}
	if k, ok := c.codes[v]; ok {
		return k
	}
	c.values = append(c.values, v)
	k := uint32(len(c.values))
	c.codes[v] = k
	if k > math.MaxUint16 && c.u32 == nil {
		c.u32 = make([]uint32, len(c.u16), cap(c.u16))
		for i, x := range c.u16 {
			c.u32[i] = uint32(x)
		}
		c.u16 = nil
	}
	return k
}

// lookup returns the code of v and whether it is in the dictionary.
func (c *column) lookup(v string) (uint32, bool) {
	if v == "" {
		return 0, true
	}
	k, ok := c.codes[v]
	return k, ok
}

// value returns the value of code k ("" for missing).
func (c *column) value(k uint32) string {
	if k == 0 {
		return ""
	}
	return c.values[k-1]
}

// cardinality is the number of codes including 0.
func (c *column) cardinality() int { return len(c.values) + 1 }

func (c *column) push(k uint32) {
	if c.u32 != nil {
		c.u32 = append(c.u32, k)
		return
	}
	c.u16 = append(c.u16, uint16(k))
}

func (c *column) set(i int, k uint32) {
	if c.u32 != nil {
		c.u32[i] = k
		return
	}
	c.u16[i] = uint16(k)
}

// bytes is the memory held by the codes and the dictionary.
func (c *column) bytes() int64 {
	b := int64(cap(c.u16))*2 + int64(cap(c.u32))*4
	for _, v := range c.values {
		b += int64(len(v)) + 16 + 32 // string header, map entry (roughly)
	}
	return b
}

// trim drops the spare capacity left by appends.
func (c *column) trim() {
	if c.u32 != nil {
		c.u32 = append([]uint32(nil), c.u32...)
	} else {
		c.u16 = append([]uint16(nil), c.u16...)
	}
}
