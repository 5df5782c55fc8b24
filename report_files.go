package taotai

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// The files a unit attaches to its annual work summary (工作总结): the
// documents an office sends — Word or WPS text, PDF or OFD, Excel sheets,
// scans as JPEG or PNG — each kept and downloaded exactly as sent.

// Limits of the files attached to one version of an annual report.
const (
	MaxSummaryFiles     = 10       // files per version
	MaxSummaryFileSize  = 20 << 20 // bytes per file
	MaxSummaryFilesSize = 40 << 20 // bytes of all the files of a version
	maxSummaryFileName  = 100      // characters of a file's name
)

// SummaryFileTypes names the file types a work summary may attach, as
// the upload's hint lists them.
const SummaryFileTypes = ".doc、.docx、.wps、.pdf、.ofd、.xls、.xlsx、.jpg、.jpeg、.png"

// Signatures of the files' first bytes.
const (
	sigZip = "PK\x03\x04"                       // .docx, .xlsx, .ofd (and a newer .wps)
	sigOLE = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" // .doc, .xls, .wps
	sigPDF = "%PDF-"
	sigJPG = "\xFF\xD8\xFF"
	sigPNG = "\x89PNG\r\n\x1a\n"
)

// summaryFileKinds returns the signatures a file of the extension may
// begin with, or nil for an extension not accepted.
func summaryFileKinds(ext string) []string {
	switch ext {
	case ".docx", ".xlsx", ".ofd":
		return []string{sigZip}
	case ".doc", ".xls":
		return []string{sigOLE}
	case ".wps":
		return []string{sigOLE, sigZip}
	case ".pdf":
		return []string{sigPDF}
	case ".jpg", ".jpeg":
		return []string{sigJPG}
	case ".png":
		return []string{sigPNG}
	}
	return nil
}

// CheckSummaryFiles checks the files of a work summary: each named, of an
// accepted type whose content is what its name says, not empty and not
// too large; no two of one name; not too many nor too large together.
// The error (EINVALID) names the file.
func CheckSummaryFiles(files []SubmittedFile) error {
	if len(files) > MaxSummaryFiles {
		return Errorf(EINVALID, "工作总结最多附%d个文件，现有%d个。", MaxSummaryFiles, len(files))
	}
	seen := map[string]bool{}
	total := 0
	for _, f := range files {
		if err := checkSummaryFile(f); err != nil {
			return err
		}
		if seen[f.Name] {
			return Errorf(EINVALID, "文件“%s”重复：同一版本的附件文件不能重名。", f.Name)
		}
		seen[f.Name] = true
		total += len(f.Data)
	}
	if total > MaxSummaryFilesSize {
		return Errorf(EINVALID, "工作总结的附件文件合计不能超过%dMB。", MaxSummaryFilesSize>>20)
	}
	return nil
}

// checkSummaryFile checks one file.
func checkSummaryFile(f SubmittedFile) error {
	name := f.Name
	shown := name
	if utf8.RuneCountInString(shown) > 40 {
		shown = string([]rune(shown)[:40]) + "…"
	}
	ext := strings.ToLower(path.Ext(name))
	kinds := summaryFileKinds(ext)
	switch {
	case strings.TrimSpace(name) == "" || name != strings.TrimSpace(name) || !ValidText(name, false) || strings.ContainsAny(name, `/\`):
		return Errorf(EINVALID, "附件文件须有文件名（不含路径）。")
	case utf8.RuneCountInString(name) > maxSummaryFileName:
		return Errorf(EINVALID, "文件“%s”的文件名过长（不超过%d个字）。", shown, maxSummaryFileName)
	case kinds == nil:
		return Errorf(EINVALID, "文件“%s”的类型不能上传：只接受%s文件。", shown, SummaryFileTypes)
	case len(f.Data) == 0:
		return Errorf(EINVALID, "文件“%s”是空文件。", shown)
	case len(f.Data) > MaxSummaryFileSize:
		return Errorf(EINVALID, "文件“%s”超过%dMB，不能上传。", shown, MaxSummaryFileSize>>20)
	}
	for _, sig := range kinds {
		if bytes.HasPrefix(f.Data, []byte(sig)) {
			return nil
		}
	}
	return Errorf(EINVALID, "文件“%s”的内容不是%s文件（可能已损坏或扩展名有误）。", shown, strings.ToUpper(strings.TrimPrefix(ext, ".")))
}

// SizeText writes a file's size for a reader: "512字节", "12.5KB", "3.2MB".
func SizeText(n int) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d字节", n)
	case n < 1<<20:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<10)), ".0") + "KB"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + "MB"
}
