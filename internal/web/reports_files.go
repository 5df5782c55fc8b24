package web

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"taotai"
)

// The files of an annual report's work summary: uploaded with the
// preparation (multipart), kept from the version before unless the clerk
// unticks them, and downloaded by the province exactly as sent.

// versionFile is one file of a version as the page lists it.
type versionFile struct {
	Name   string
	Size   string
	SHA256 string
	Href   string
}

// versionFiles lists a version's files with their download addresses.
func versionFiles(base string, sub *taotai.Submission) []versionFile {
	out := make([]versionFile, len(sub.Files))
	for i, f := range sub.Files {
		out[i] = versionFile{Name: f.Name, Size: taotai.SizeText(len(f.Data)), SHA256: f.SHA256,
			Href: fmt.Sprintf("%s/versions/%d/files/%d", base, sub.ID, i+1)}
	}
	return out
}

// summaryFiles returns the files of a preparation: those of the latest
// version the clerk kept ticked (keep_file, numbered from 1), then those
// uploaded (summary_files); an upload of the same name as a kept file
// replaces it. The rules on type and size are taotai.CheckSummaryFiles',
// applied by the store; a file beyond the size limit is refused here
// before it is read.
func summaryFiles(r *http.Request, latest *taotai.Submission, keep map[int]bool) ([]taotai.SubmittedFile, error) {
	var uploaded []taotai.SubmittedFile
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["summary_files"] {
			name := strings.TrimSpace(filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/")))
			if fh.Size > taotai.MaxSummaryFileSize {
				return nil, taotai.Errorf(taotai.EINVALID, "文件“%s”超过%dMB，不能上传。", truncate(name, 40), taotai.MaxSummaryFileSize>>20)
			}
			data, err := readUpload(fh)
			if err != nil {
				return nil, err
			}
			uploaded = append(uploaded, taotai.SubmittedFile{Name: name, Data: data})
		}
	}
	var out []taotai.SubmittedFile
	if latest != nil {
		names := map[string]bool{}
		for _, f := range uploaded {
			names[f.Name] = true
		}
		for i, f := range latest.Files {
			if keep[i+1] && !names[f.Name] {
				out = append(out, taotai.SubmittedFile{Name: f.Name, Data: f.Data})
			}
		}
	}
	return append(out, uploaded...), nil
}

// readUpload reads an uploaded file whole.
func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(f)
	_ = f.Close() // an upload, only read: closing loses nothing
	return data, err
}

// keptFiles reads which of the latest version's files stay ticked.
func keptFiles(r *http.Request) map[int]bool {
	keep := map[int]bool{}
	for _, v := range r.PostForm["keep_file"] {
		if n, err := strconv.Atoi(v); err == nil {
			keep[n] = true
		}
	}
	return keep
}

// reportSummaryFile sends one file of a version's work summary exactly as
// it was sent (the stored bytes, as a download); the download is audited.
func (s *Server) reportSummaryFile(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadReport(r)
	if err != nil {
		return err
	}
	v, err := s.postedVersion(r, p)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(v.Files) {
		return notFound()
	}
	f := v.Files[n-1]
	note := fmt.Sprintf("工作总结附件“%s”，%s，%s，%s，第%d版", f.Name, p.Due.Unit.Name, taotai.SectorName(p.Due.Sector), p.Due.Period.Key, v.Version)
	if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "report_submission", v.ID, note); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Data)))
	w.Header().Set("X-Checksum-SHA256", f.SHA256)
	_, err = w.Write(f.Data)
	return err
}
