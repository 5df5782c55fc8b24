package taotai_test

import (
	"fmt"
	"strings"
	"testing"

	"taotai"
)

func file(name, content string) taotai.SubmittedFile {
	return taotai.SubmittedFile{Name: name, Data: []byte(content)}
}

func TestCheckSummaryFiles(t *testing.T) {
	const (
		zip = "PK\x03\x04rest"
		ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"
		pdf = "%PDF-1.7 rest"
		jpg = "\xFF\xD8\xFF\xE0rest"
		png = "\x89PNG\r\n\x1a\nrest"
	)
	big := strings.Repeat("x", taotai.MaxSummaryFileSize)
	tests := []struct {
		name  string
		files []taotai.SubmittedFile
		want  string // part of the message; "" for none
	}{
		{"none", nil, ""},
		{"each accepted type", []taotai.SubmittedFile{file("总结.docx", zip), file("总结.doc", ole), file("总结.wps", ole), file("新.wps", zip),
			file("总结.pdf", pdf), file("总结.ofd", zip), file("附表.xlsx", zip), file("附表.xls", ole), file("照片.JPG", jpg), file("扫描.png", png)}, ""},
		{"an executable", []taotai.SubmittedFile{file("总结.exe", "MZ")}, "类型不能上传"},
		{"no extension", []taotai.SubmittedFile{file("总结", pdf)}, "类型不能上传"},
		{"HTML named PDF", []taotai.SubmittedFile{file("总结.pdf", "<html><script>")}, "内容不是PDF文件"},
		{"a zip named doc", []taotai.SubmittedFile{file("总结.doc", zip)}, "内容不是DOC文件"},
		{"empty", []taotai.SubmittedFile{file("总结.pdf", "")}, "是空文件"},
		{"too large", []taotai.SubmittedFile{file("总结.pdf", "%PDF-"+big)}, "超过20MB"},
		{"too large together", []taotai.SubmittedFile{file("1.pdf", "%PDF-"+big[:20<<20-10]), file("2.pdf", "%PDF-"+big[:20<<20-10]),
			file("3.pdf", pdf)}, "合计不能超过40MB"},
		{"too many", func() []taotai.SubmittedFile {
			var fs []taotai.SubmittedFile
			for i := range taotai.MaxSummaryFiles + 1 {
				fs = append(fs, file(fmt.Sprintf("%d.pdf", i), pdf))
			}
			return fs
		}(), "最多附10个文件"},
		{"the same name twice", []taotai.SubmittedFile{file("总结.pdf", pdf), file("总结.pdf", pdf)}, "重复"},
		{"a path", []taotai.SubmittedFile{file(`C:\总结.pdf`, pdf)}, "不含路径"},
		{"no name", []taotai.SubmittedFile{file("", pdf)}, "须有文件名"},
		{"a control character", []taotai.SubmittedFile{file("总\x01结.pdf", pdf)}, "须有文件名"},
		{"a long name", []taotai.SubmittedFile{file(strings.Repeat("长", 101)+".pdf", pdf)}, "文件名过长"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := taotai.CheckSummaryFiles(tt.files)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(taotai.ErrorMessage(err), tt.want)):
				t.Errorf("got %v, want a message with %q", err, tt.want)
			}
		})
	}
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int]string{0: "0字节", 1023: "1023字节", 1024: "1KB", 1536: "1.5KB", 5 << 20: "5MB", 3<<20 + 200<<10: "3.2MB"} {
		if got := taotai.SizeText(n); got != want {
			t.Errorf("SizeText(%d) = %q, want %q", n, got, want)
		}
	}
}
