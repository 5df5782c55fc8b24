// Command bare is the load script's yardstick (scripts/load.sh): a bare
// net/http handler that answers every request with the bytes of one file,
// as a page of taotai was answered, with the same content type. What taotai
// serves per second is reported as a share of what this serves in the same
// run, on the same machine.
//
//	go run ./scripts/bare -addr 127.0.0.1:9999 -body page.html
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (loopback)")
	body := flag.String("body", "", "file whose bytes every response carries")
	ctype := flag.String("type", "text/html; charset=utf-8", "Content-Type of the responses")
	flag.Parse()
	b, err := os.ReadFile(*body)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{
		Addr:              *addr,
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", *ctype)
			_, _ = w.Write(b)
		}),
	}
	log.Fatal(srv.ListenAndServe())
}
