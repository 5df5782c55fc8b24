package main

import (
	"context"
	"io"

	"taotai"
)

func cmdAudit(ctx context.Context, args []string, stdout io.Writer) error {
	return taotai.Errorf(taotai.EINVALID, "尚未实现")
}
