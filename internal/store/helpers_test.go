package store_test

import (
	"errors"

	"taotai"
)

func asError(err error, target **taotai.Error) bool { return errors.As(err, target) }
