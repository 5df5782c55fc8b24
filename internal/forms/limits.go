package forms

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"

	"taotai"
)

// Limits on an uploaded form, checked by CheckFile before any row is read.
const (
	// MaxFileSize is the largest file accepted: 20 MB.
	MaxFileSize = 20 << 20
	// MaxUnzippedSize bounds the sum of the decompressed sizes of the
	// entries: 500 MB.
	MaxUnzippedSize = 500 << 20
	// MaxUnzipRatio bounds the decompressed size as a multiple of the file
	// size; a real workbook stays far below it, a zip bomb far above.
	MaxUnzipRatio = 100
	// MaxRows is the largest number of rows in a worksheet.
	MaxRows = 100_000

	// maxEntries bounds the number of parts in the package; a workbook
	// has a few dozen.
	maxEntries = 10_000
	// maxCells bounds the cells the reader would materialise for a sheet:
	// the sum over its rows of the last column used. It stops a small
	// file whose rows each hold a cell in column XFD.
	maxCells = 20_000_000
	// maxMerges bounds the merged ranges of a sheet: excelize compares
	// them pairwise when asked for them.
	maxMerges = 10_000
)

// Messages of CheckFile.
const (
	msgXLS       = "这是旧版Excel（.xls）文件，请在Excel或WPS中另存为.xlsx后再上传。"
	msgNotXLSX   = "这不是Excel工作簿（.xlsx）文件，无法读取。请在Excel或WPS中另存为.xlsx后再上传。"
	msgTooBig    = "文件超过20MB，请删除多余的工作表、图片或空行后再上传。"
	msgBomb      = "文件解压后过大，可能已损坏或不是正常的表格文件。请在Excel或WPS中另存为.xlsx后再上传。"
	msgTooMany   = "文件包含的部件过多，不是正常的表格文件。请在Excel或WPS中另存为.xlsx后再上传。"
	msgTooLong   = "工作表超过100000行，请删除多余的空行，或拆分成多个文件后再上传。"
	msgTooWide   = "工作表中有内容的单元格过多（列数过多），请删除多余的行列后再上传。"
	msgMerges    = "工作表中的合并单元格过多，请取消多余的合并后再上传。"
	msgCorrupted = "文件已损坏，无法读取。请在Excel或WPS中打开后另存为.xlsx再上传。"
)

// oleMagic opens an OLE2 compound file: an .xls, or an encrypted .xlsx.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0}

// CheckFile refuses, with a Chinese message, a file that is not an .xlsx
// or that would cost too much to read: over MaxFileSize, a decompressed
// size beyond MaxUnzipRatio times the file or MaxUnzippedSize, or a
// worksheet of more than MaxRows rows. It reads the package's directory
// and streams the worksheets' XML without keeping it. Every refusal is a
// *taotai.Error with code EINVALID.
func CheckFile(r io.ReaderAt, size int64) error {
	if size > MaxFileSize {
		return invalid(msgTooBig)
	}
	head := make([]byte, len(oleMagic))
	if size < int64(len(head)) {
		return invalid(msgNotXLSX)
	}
	if _, err := r.ReadAt(head, 0); err != nil {
		return invalid(msgNotXLSX)
	}
	if bytes.Equal(head, oleMagic) {
		return invalid(msgXLS)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return invalid(msgNotXLSX)
	}
	if err := checkEntries(zr, size); err != nil {
		return err
	}
	for _, f := range worksheetEntries(zr) {
		if err := checkSheet(f); err != nil {
			return err
		}
	}
	return nil
}

// invalid returns an EINVALID application error.
func invalid(msg string) error {
	return &taotai.Error{Code: taotai.EINVALID, Message: msg}
}

// checkEntries looks for xl/workbook.xml and sums the declared sizes.
// archive/zip refuses to decompress more than an entry declares, so the
// sum bounds what reading the package can cost.
func checkEntries(zr *zip.Reader, size int64) error {
	if len(zr.File) > maxEntries {
		return invalid(msgTooMany)
	}
	limit := uint64(max(size, 0)) * MaxUnzipRatio //nolint:gosec // size is a byte count, clamped at 0
	if limit > MaxUnzippedSize {
		limit = MaxUnzippedSize
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		if f.UncompressedSize64 > limit || total+f.UncompressedSize64 > limit {
			return invalid(msgBomb)
		}
		total += f.UncompressedSize64
		if strings.EqualFold(zipName(f), "xl/workbook.xml") {
			workbook = true
		}
	}
	if !workbook {
		return invalid(msgNotXLSX)
	}
	return nil
}

// zipName is the entry's name with forward slashes, as excelize reads it.
func zipName(f *zip.File) string { return strings.ReplaceAll(f.Name, `\`, "/") }

// worksheetEntries returns the worksheet parts: those the workbook's
// relationships name, and any under xl/worksheets/.
func worksheetEntries(zr *zip.Reader) []*zip.File {
	targets := map[string]bool{}
	for _, f := range zr.File {
		if strings.EqualFold(zipName(f), "xl/_rels/workbook.xml.rels") {
			for _, t := range sheetTargets(f) {
				targets[strings.ToLower(t)] = true
			}
		}
	}
	var sheets []*zip.File
	for _, f := range zr.File {
		name := strings.ToLower(zipName(f))
		if targets[name] || strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") && !strings.Contains(name, "/_rels/") {
			sheets = append(sheets, f)
		}
	}
	return sheets
}

// sheetTargets reads the worksheet targets of xl/_rels/workbook.xml.rels,
// resolved against xl/. A broken relationships part yields none.
func sheetTargets(f *zip.File) []string {
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer func() { _ = rc.Close() }() // a zip entry read from memory
	var rels struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&rels) != nil {
		return nil
	}
	var out []string
	for _, r := range rels.Rel {
		if !strings.HasSuffix(r.Type, "/worksheet") {
			continue
		}
		t := strings.ReplaceAll(r.Target, `\`, "/")
		if strings.HasPrefix(t, "/") {
			out = append(out, strings.TrimPrefix(path.Clean(t), "/"))
		} else {
			out = append(out, path.Join("xl", t))
		}
	}
	return out
}

// checkSheet streams one worksheet and refuses it when it is too long or
// too wide.
func checkSheet(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return invalid(msgCorrupted)
	}
	defer func() { _ = rc.Close() }() // a zip entry read from memory
	st, err := scanSheet(rc)
	switch {
	case errors.Is(err, errTooLong) || st.lastRow > MaxRows:
		return invalid(msgTooLong)
	case errors.Is(err, errTooWide):
		return invalid(msgTooWide)
	case errors.Is(err, errMerges):
		return invalid(msgMerges)
	case err != nil:
		return invalid(msgCorrupted)
	}
	return nil
}

var (
	errTooLong = errors.New("forms: too many rows")
	errTooWide = errors.New("forms: too many cells")
	errMerges  = errors.New("forms: too many merged ranges")
)

// sheetStats is what scanSheet learns of a worksheet.
type sheetStats struct {
	lastRow int   // the largest of the dimension's last row, the row count and the rows' r
	cells   int64 // the sum over rows of the last column used
	merges  int   // merged ranges
}

// scanSheet reads worksheet XML as bytes, without an XML parser: at each
// '<' it looks at the element's name and, for dimension, row and c, at
// the attribute it needs; it counts mergeCell. It stops as soon as a
// limit is passed.
func scanSheet(r io.Reader) (sheetStats, error) {
	var st sheetStats
	br := bufio.NewReaderSize(r, 64<<10)
	rows, width := 0, 0
	for {
		_, err := br.ReadSlice('<')
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return st, err
		}
		tag, _ := br.Peek(80) // shorter at the end of the stream
		name, attrs := splitTag(tag)
		switch name {
		case "dimension":
			if n := refRow(lastRef(attrValue(attrs, "ref"))); n > st.lastRow {
				st.lastRow = n
			}
		case "row":
			rows++
			st.cells += int64(width)
			width = 0
			st.lastRow = max(st.lastRow, rows, atoi(attrValue(attrs, "r")))
		case "mergeCell":
			st.merges++
		case "c":
			if c := refCol(attrValue(attrs, "r")); c > width {
				width = c
			} else if c == 0 {
				width++
			}
		}
		if st.lastRow > MaxRows {
			return st, errTooLong
		}
		if st.cells+int64(width) > maxCells {
			return st, errTooWide
		}
		if st.merges > maxMerges {
			return st, errMerges
		}
	}
	st.cells += int64(width)
	return st, nil
}

// splitTag returns the local name of the element that tag (the bytes after
// '<') opens, and the rest of the tag; closing tags, comments and
// processing instructions have no name.
func splitTag(tag []byte) (name string, attrs []byte) {
	end := bytes.IndexAny(tag, " \t\r\n/>")
	if end < 0 {
		end = len(tag)
	}
	n := tag[:end]
	if len(n) == 0 || n[0] == '/' || n[0] == '!' || n[0] == '?' {
		return "", nil
	}
	if i := bytes.IndexByte(n, ':'); i >= 0 {
		n = n[i+1:]
	}
	if gt := bytes.IndexByte(tag, '>'); gt >= 0 {
		tag = tag[:gt]
	}
	return string(n), tag[end:]
}

// attrValue finds name="value" (or single quotes) among attrs.
func attrValue(attrs []byte, name string) string {
	for i := 0; i < len(attrs); i++ {
		if i > 0 && !isXMLSpace(attrs[i-1]) || !bytes.HasPrefix(attrs[i:], []byte(name)) {
			continue
		}
		rest := bytes.TrimLeft(attrs[i+len(name):], " \t\r\n")
		if len(rest) < 2 || rest[0] != '=' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\n")
		if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
			continue
		}
		if end := bytes.IndexByte(rest[1:], rest[0]); end >= 0 {
			return string(rest[1 : 1+end])
		}
		return ""
	}
	return ""
}

func isXMLSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// lastRef returns the end of a range reference ("L100001" of "A1:L100001").
func lastRef(ref string) string {
	if i := strings.LastIndexByte(ref, ':'); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

// refRow returns the row number of a cell reference ("$L$10" → 10), 0 if
// none.
func refRow(ref string) int {
	return atoi(strings.TrimLeft(ref, "$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
}

// refCol returns the column number of a cell reference ("AB3" → 28), 0 if
// none; it saturates past the last column Excel has.
func refCol(ref string) int {
	col := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if ref[i] == '$' {
			continue
		}
		if c < 'a' || c > 'z' {
			break
		}
		col = min(col*26+int(c-'a'+1), 1<<20)
	}
	return col
}

// atoi parses a decimal row number, saturating instead of overflowing; it
// returns 0 for anything else.
func atoi(s string) int {
	if s == "" || len(s) > 12 {
		if len(s) > 12 && strings.Trim(s, "0123456789") == "" {
			return 1 << 40
		}
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
