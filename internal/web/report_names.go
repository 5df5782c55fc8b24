package web

import (
	"context"
)

// showNames puts people's names (姓名) in place of the login names a
// report's versions, lock and extension recorded; a name that cannot be
// read leaves the login name.
func (s *Server) showNames(ctx context.Context, p *reportPage) {
	var refs []*string
	for i := range p.Versions {
		v := p.Versions[i].Submission
		refs = append(refs, &v.PreparedBy, &v.SubmittedBy, &v.ReviewedBy)
	}
	if p.Latest != nil {
		refs = append(refs, &p.Latest.PreparedBy, &p.Latest.SubmittedBy, &p.Latest.ReviewedBy)
	}
	if p.Lock != nil {
		refs = append(refs, &p.Lock.By)
	}
	if p.Due.Extension != nil {
		refs = append(refs, &p.Due.Extension.By)
	}
	s.putNames(ctx, refs...)
}

// putNames replaces each login name refs point to by the person's name
// (姓名); a name that cannot be read leaves the login name.
func (s *Server) putNames(ctx context.Context, refs ...*string) {
	var logins []string
	for _, r := range refs {
		if *r != "" {
			logins = append(logins, *r)
		}
	}
	names, err := s.store.DisplayNames(ctx, logins)
	if err != nil {
		s.log.Warn("people's names", "err", err)
		return
	}
	for _, r := range refs {
		if n, ok := names[*r]; ok {
			*r = n
		}
	}
}
