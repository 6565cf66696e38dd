package docker

import "os"

// The machines this lab runs on cannot pull Ryuk (no registry) and have
// /.dockerenv, which makes testcontainers resolve the Docker host to the
// default gateway. Start sets what they need, before its first call into
// testcontainers and unless the user already chose: the lab cleans up after
// itself by label instead of Ryuk, and containers are reached on 127.0.0.1
// published ports. (It was an init() side effect of importing the package.)
func setDefaultEnv() {
	setEnvUnlessSet("TESTCONTAINERS_RYUK_DISABLED", "true")
	setEnvUnlessSet("TESTCONTAINERS_HOST_OVERRIDE", "localhost")
}

func setEnvUnlessSet(key, value string) {
	if _, ok := os.LookupEnv(key); !ok {
		_ = os.Setenv(key, value)
	}
}
