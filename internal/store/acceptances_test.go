package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// passingAcceptance is an acceptance of a closed card that every
// department passes, on the day given.
func passingAcceptance(enterpriseID int64, on string) *taotai.Acceptance {
	return &taotai.Acceptance{EnterpriseID: enterpriseID, Basis: taotai.AcceptBasisCard,
		Members: []taotai.AcceptanceMember{{Name: "王强", Unit: "市应急管理局"}, {Name: "李明", Unit: "市工业和信息化局"}},
		SignOffs: []taotai.SignOff{
			{Department: "应急管理", Verdict: taotai.SignPass, Signer: "王强", On: day(on)},
			{Department: "发展改革", Verdict: taotai.SignPass, Signer: "赵刚", On: day(on)},
			{Department: "工业和信息化", Verdict: taotai.SignPass, Signer: "李明", On: day(on)},
		},
		Findings: "主要生产设备已拆除，现场无生产迹象，验收合格。", AcceptedOn: day(on), Reason: "总结验收阶段会同工信、发改现场验收"}
}

// closeCard puts the fixture's enterprise's 2020 card in state closed,
// closed on 19 October 2020.
func closeCard(t *testing.T, db *store.DB, f *enforcementFixture) {
	t.Helper()
	if _, err := db.SQL().Exec(`INSERT INTO cards (enterprise_id, year, region_path, sector, state, reason, rectify, deadline,
		reported_on, closed_on, closure_basis, version, created_at, updated_at) VALUES ($1, 2020, $2, $3, 'closed', 'overdue', '整改', '2020-07-25',
		'2020-10-18', '2020-10-19', '市政府关闭决定', 1, $4, $4)`, f.e.ID, f.e.RegionPath, f.e.Sector, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAcceptanceOfAClosedCard: a passing acceptance moves the closed card
// to 已验收 in its transaction, with the card's event and the audit entry;
// a failing one is kept (不通过) and leaves the card closed; a second
// passing one conflicts. Both databases.
func TestAcceptanceOfAClosedCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		f.clock.T = time.Date(2020, 10, 22, 10, 0, 0, 0, taotai.Shanghai)
		closeCard(t, db, f)

		failed := passingAcceptance(f.e.ID, "2020-10-20")
		failed.SignOffs[1].Verdict = taotai.SignFail
		if err := db.CreateAcceptance(f.approver, failed, nil); err != nil {
			t.Fatal(err)
		}
		card, events, _ := db.FindCard(f.approver, f.e.ID, 2020)
		if failed.Passed || card.State != taotai.CardClosed || len(events) != 0 {
			t.Fatalf("failed acceptance: passed %v, card %s with %d events", failed.Passed, card.State, len(events))
		}
		if !strings.Contains(taotai.AcceptanceNextStep(failed), "发展改革部门意见为不通过") {
			t.Errorf("next step: %s", taotai.AcceptanceNextStep(failed))
		}

		ok := passingAcceptance(f.e.ID, "2020-10-21")
		if err := db.CreateAcceptance(f.approver, ok, nil); err != nil {
			t.Fatal(err)
		}
		card, events, _ = db.FindCard(f.approver, f.e.ID, 2020)
		if !ok.Passed || ok.Year != 2020 || card.State != taotai.CardAccepted || len(events) != 1 ||
			events[0].Why != ok.Reason || !card.AcceptedOn.Equal(day("2020-10-21")) || card.AcceptanceMembers != "王强（市应急管理局）、李明（市工业和信息化局）" {
			t.Fatalf("passed acceptance: card %+v, events %d", card, len(events))
		}
		got, _, err := db.FindAcceptance(f.approver, ok.ID)
		if err != nil || !got.Passed || got.Basis != taotai.AcceptBasisCard || !got.ExitedOn.Equal(day("2020-10-19")) ||
			len(got.SignOffs) != 3 || got.SignOffs[2].Signer != "李明" || got.Reason != ok.Reason || got.EnterpriseName != f.e.Name {
			t.Fatalf("read back: %+v %v", got, err)
		}
		if err := db.CreateAcceptance(f.approver, passingAcceptance(f.e.ID, "2020-10-22"), nil); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("a second passed acceptance: %v", err)
		}
		if n := countRows(t, db, "acceptances"); n != 2 {
			t.Fatalf("%d acceptances, want 2 (one failed, one passed)", n)
		}
		items, total, err := db.ListAcceptances(f.approver, store.AcceptanceFilter{Year: 2020})
		if err != nil || total != 2 || len(items) != 2 || items[0].ID != ok.ID {
			t.Fatalf("list: %d %d %v", total, len(items), err)
		}
		if _, total, _ := db.ListAcceptances(f.approver, store.AcceptanceFilter{Year: 2021}); total != 0 {
			t.Fatalf("2021: %d", total)
		}
		historyAlike(t, db, f.approver, f.e.ID)
		tl, _ := db.Timeline(f.approver, f.e.ID)
		n := 0
		for _, it := range tl {
			if it.Kind == "acceptance" {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("timeline has %d acceptances", n)
		}
		var audits int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'acceptance'`).Scan(&audits); err != nil || audits != 2 {
			t.Fatalf("audit entries: %d %v", audits, err)
		}
	})
}

// TestAcceptanceRefusals: out of the lane (ENOTFOUND), a role that cannot
// close a card (EFORBIDDEN), a card not closed, a card rule broken, an
// upload not the actor's: each refused with nothing written, the card
// left closed — the card moves only with its acceptance.
func TestAcceptanceRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		f.clock.T = time.Date(2020, 10, 22, 10, 0, 0, 0, taotai.Shanghai)
		var appErr *taotai.Error
		if err := db.CreateAcceptance(f.approver, passingAcceptance(f.e.ID, "2020-10-20"), nil); !errors.As(err, &appErr) ||
			!strings.Contains(appErr.Fields["basis"], "没有已关闭的红牌") {
			t.Fatalf("no closed card: %v", err)
		}
		closeCard(t, db, f)
		if err := db.CreateAcceptance(f.other, passingAcceptance(f.e.ID, "2020-10-20"), nil); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("another city: %v", err)
		}
		if err := db.CreateAcceptance(f.inspector, passingAcceptance(f.e.ID, "2020-10-20"), nil); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("an inspector: %v", err)
		}
		// The card's own rule: no acceptance before 1 October of its year
		// (here: closed on 19 October, so the acceptance's own rule "not
		// before the exit" speaks first).
		early := passingAcceptance(f.e.ID, "2020-10-18")
		if err := db.CreateAcceptance(f.approver, early, nil); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("before the closure: %v", err)
		}
		// An upload of another user: refused after the card moved, inside
		// the transaction, so the card is back to closed.
		ids, err := db.SaveAcceptanceUploads(f.inspector, []store.Attachment{{Filename: "验收.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4")}})
		if err != nil || len(ids) != 1 {
			t.Fatal(ids, err)
		}
		if err := db.CreateAcceptance(f.approver, passingAcceptance(f.e.ID, "2020-10-20"), ids); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("someone else's upload: %v", err)
		}
		card, events, _ := db.FindCard(f.approver, f.e.ID, 2020)
		if card.State != taotai.CardClosed || len(events) != 0 || countRows(t, db, "acceptances") != 0 || countRows(t, db, "attachments") != 0 {
			t.Fatalf("a refusal wrote: card %s, %d events, %d acceptances", card.State, len(events), countRows(t, db, "acceptances"))
		}
		var audits int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity IN ('acceptance', 'card')`).Scan(&audits); err != nil || audits != 0 {
			t.Fatalf("audit entries after refusals: %d %v", audits, err)
		}
		// The approver's own upload goes with the acceptance, and is gone
		// from the pending uploads.
		mine, err := db.SaveAcceptanceUploads(f.approver, []store.Attachment{{Filename: "验收.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 ok")}})
		if err != nil {
			t.Fatal(err)
		}
		if pending, _ := db.AcceptanceUploads(f.inspector, mine); len(pending) != 0 {
			t.Fatalf("another user sees the upload: %+v", pending)
		}
		acc := passingAcceptance(f.e.ID, "2020-10-20")
		if err := db.CreateAcceptance(f.approver, acc, mine); err != nil {
			t.Fatal(err)
		}
		_, files, err := db.FindAcceptance(f.approver, acc.ID)
		if err != nil || len(files) != 1 || files[0].Filename != "验收.pdf" || files[0].Size != int64(len("%PDF-1.4 ok")) {
			t.Fatalf("files: %+v %v", files, err)
		}
		if pending, _ := db.AcceptanceUploads(f.approver, mine); len(pending) != 0 {
			t.Fatalf("the upload is still pending: %+v", pending)
		}
		if _, _, err := db.FindAcceptance(f.other, acc.ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("another city reads the acceptance: %v", err)
		}
		if _, total, _ := db.ListAcceptances(f.other, store.AcceptanceFilter{}); total != 0 {
			t.Fatalf("another city lists %d acceptances", total)
		}
		if _, err := db.Attachment(f.approver, files[0].ID); err != nil {
			t.Fatalf("download: %v", err)
		}
		if _, err := db.Attachment(f.other, files[0].ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("another city downloads: %v", err)
		}
	})
}

// TestAcceptanceOfCapacityWithdrawn: an enterprise without a card whose
// capacity the industry departments withdrew is accepted on that basis;
// its (absent) card is untouched.
func TestAcceptanceOfCapacityWithdrawn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		f.clock.T = time.Date(2021, 3, 2, 10, 0, 0, 0, taotai.Shanghai)
		acc := passingAcceptance(f.e.ID, "2021-03-01")
		acc.Basis, acc.ExitDepartment, acc.ExitDocument, acc.ExitedOn = taotai.AcceptBasisDepartment, "鞍山市工业和信息化局",
			"鞍工信发〔2020〕12号 关于压减粗钢产能的通知", day("2020-12-15")
		if err := db.CreateAcceptance(f.approver, acc, nil); err != nil {
			t.Fatal(err)
		}
		card, _, _ := db.FindCard(f.approver, f.e.ID, 2020)
		got, _, err := db.FindAcceptance(f.approver, acc.ID)
		if err != nil || card.State != taotai.CardNone || !got.Passed || got.Year != 2020 || got.ExitDepartment != "鞍山市工业和信息化局" {
			t.Fatalf("card %s, acceptance %+v, %v", card.State, got, err)
		}
	})
}
