package labs

import "os"

// The machines this lab runs on cannot pull Ryuk (no registry) and have
// /.dockerenv, which makes testcontainers resolve the Docker host to the
// default gateway. The package sets what they need itself, unless the user
// already chose: the lab cleans up after itself by label instead of Ryuk,
// and containers are reached on 127.0.0.1 published ports.
func init() {
	setDefaultEnv("TESTCONTAINERS_RYUK_DISABLED", "true")
	setDefaultEnv("TESTCONTAINERS_HOST_OVERRIDE", "localhost")
}

func setDefaultEnv(key, value string) {
	if _, ok := os.LookupEnv(key); !ok {
		_ = os.Setenv(key, value)
	}
}
