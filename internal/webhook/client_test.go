package webhook

import (
	"errors"
	"net"
	"testing"
)

func TestRefusePrivate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ip      string
		refused bool
	}{
		{"93.184.216.34", false},
		{"2606:4700::1111", false},
		{"127.0.0.1", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true}, // cloud metadata
		{"0.0.0.0", true},
		{"::1", true},
		{"::ffff:127.0.0.1", true}, // IPv4-mapped loopback
		{"fd00::1", true},
		{"fe80::1", true},
	}
	for _, tt := range tests {
		err := refusePrivate("tcp", net.JoinHostPort(tt.ip, "443"), nil)
		if errors.Is(err, ErrPrivateAddress) != tt.refused {
			t.Errorf("%s: %v, want refused %v", tt.ip, err, tt.refused)
		}
	}
}
