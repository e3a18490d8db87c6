package config

import (
	"fmt"

	"github.com/goccy/go-yaml"
)

// Marshal writes c as a configuration file that Load reads back equal.
func Marshal(c *Config) ([]byte, error) {
	b, err := yaml.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("write config: %w", err)
	}
	return append([]byte("# gongkai configuration (see gongkai.example.yaml for every setting)\n"), b...), nil
}
