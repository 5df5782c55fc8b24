package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"taotai"
)

// Rows per multi-row INSERT of BulkLoadEnforcement. The widest rows
// (hazards, cards) take 19 parameters: 1,000 rows use 19,000, below
// SQLite's 32,766 and PostgreSQL's 65,535. Each full-size statement is
// prepared once per call and reused.
const bulkEnforcementChunk = 1000

// bulkAuditChunk bounds the audit entries built in memory at once.
const bulkAuditChunk = 5000

// EnforcementBatch is campaign data loaded in one go by BulkLoadEnforcement:
// generated demo data, or a migration from another system. Every row
// refers to an enterprise already registered.
type EnforcementBatch struct {
	Inspections []*InspectionLoad
	Cards       []*CardLoad
}

// InspectionLoad is one inspection with the hazards it found and the
// documents issued for it.
//
// The inspection needs EnterpriseID, Date, Kind, Inspectors and the
// counts; AgencyID 0 means the agency of AgencyRegion and the enterprise's
// sector, or of its city when AgencyRegion is empty (鞍山市应急管理局,
// 鞍山市铁东区应急管理局, 阜新市煤矿安全监管局 …, created when missing). Hazards
// carry their final state: Status, and for passed or failed ones the
// RecheckDate. A non-zero CreatedAt of an inspection, hazard or document
// is kept as the row's creation time (the history of generated data);
// otherwise it is the store's now.
type InspectionLoad struct {
	Inspection *taotai.Inspection
	Hazards    []*taotai.Hazard
	Documents  []*DocumentLoad
	// AgencyRegion is the city or county whose agency inspected, when
	// Inspection.AgencyID is 0: the enterprise's city, its county (a
	// county bureau), or "" for the city.
	AgencyRegion string
}

// DocumentLoad is a document of an inspection: Kind, IssuedOn, Fine and
// Content of Document are used (AgencyID 0: the inspection's agency); the
// loader numbers it. Hazard is the 1-based index, in the inspection's
// Hazards, of the hazard it concerns; 0 for the whole inspection.
//
// A 行政处罚决定书 (DocPenalty) needs its Notice, the 行政处罚告知书 it
// follows (IssuedOn, Fine, StopState, Content, Waived are used): the
// loader numbers and stores it, and the decision must respect it
// (taotai.CheckPenaltyDecision: the days for a statement and a hearing
// passed, no heavier penalty). Other documents have none.
type DocumentLoad struct {
	Document *taotai.Document
	Hazard   int
	Notice   *taotai.PenaltyNotice
}

// CardLoad is an enterprise's card of one campaign year, given as its
// history: the events are replayed from "none" through taotai.Card.Apply,
// each on the day of its At, and the loader stores the final state in
// Card.
type CardLoad struct {
	EnterpriseID int64
	Year         int
	Events       []CardEventLoad
	Card         *taotai.Card // set by BulkLoadEnforcement
	// Acceptance is the acceptance (验收) of the closed card, required
	// when, and only when, the events end in 已验收: a card is accepted only
	// with its acceptance record, as CreateAcceptance keeps them. It must
	// pass (taotai.Acceptance.Check against the closure, on its date) on
	// the day of the last event; its Basis is set to card.
	Acceptance *taotai.Acceptance
}

// CardEventLoad is one change of a card: the transition, when it was made
// and by whom ("" = the acting user's name).
type CardEventLoad struct {
	Transition taotai.CardTransition
	At         time.Time
	By         string
}

// enterpriseLane is what the loader needs of an enterprise.
type enterpriseLane struct {
	name, path, sector, industryKey string
}

// BulkLoadEnforcement writes a batch of inspections (with their hazards
// and documents) and cards (with their history) in one transaction, with
// multi-row INSERTs: either all of it is written or none. It is for
// administrators' tools (the demo loader, migrations). Lanes (region_path,
// sector) are copied from the enterprises; documents are numbered per
// issuing agency, kind and year after the highest number already stored,
// in the order of their dates; every inspection, hazard, document and card
// change gets its audit entry. Each row is checked with the domain's rules
// (Validate, CheckDocumentOrder, Card.Apply) and the first problem fails
// the whole batch with a Chinese message naming the row. On success the
// ids, document numbers and final cards are set on the batch's rows.
func (s *DB) BulkLoadEnforcement(ctx context.Context, b *EnforcementBatch) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if a.Role != taotai.RoleAdmin {
		return taotai.Errorf(taotai.EFORBIDDEN, "只有系统管理员可以批量载入执法检查数据。")
	}
	if b == nil || len(b.Inspections)+len(b.Cards) == 0 {
		return nil
	}
	l := &enforcementLoader{s: s, a: a, b: b, now: s.clock.Now()}
	l.ts = l.now.UTC()
	if a.UserID != 0 {
		l.uid = a.UserID
	}
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		l.tx, l.stmts = tx, map[string]*sql.Stmt{}
		defer l.closeStatements()
		if err := l.readReferences(ctx); err != nil {
			return err
		}
		if err := l.validate(); err != nil {
			return err
		}
		if err := l.resolveAgencies(ctx); err != nil {
			return err
		}
		if err := l.insertInspections(ctx); err != nil {
			return err
		}
		if err := l.insertHazards(ctx); err != nil {
			return err
		}
		if err := l.insertDocuments(ctx); err != nil {
			return err
		}
		if err := l.insertCards(ctx); err != nil {
			return err
		}
		return l.insertAcceptances(ctx)
	})
	if err != nil {
		l.clearIDs()
	}
	return err
}

// enforcementLoader holds one call's state.
type enforcementLoader struct {
	s     *DB
	a     *taotai.Actor
	b     *EnforcementBatch
	now   time.Time
	ts    time.Time // now, in UTC, for rows without a time of their own
	uid   any       // created_by: the actor's id or NULL
	tx    *sql.Tx
	stmts map[string]*sql.Stmt

	enterprises map[int64]enterpriseLane
	criteria    map[int64]criterionRef
	years       map[int]bool
	regions     map[string]*taotai.Region
	shorts      map[int64]string // agency id → short name

	cards []*taotai.Card // the final card of each CardLoad
}

type criterionRef struct {
	industryKey string
	active      bool
	c           *taotai.Criterion // its standard and the days it is in force
}

// readReferences reads, in one query each, the enterprises the batch
// refers to, the criteria, the campaign years and the agencies.
func (l *enforcementLoader) readReferences(ctx context.Context) error {
	lo, hi := int64(0), int64(0)
	see := func(id int64) {
		if lo == 0 || id < lo {
			lo = id
		}
		hi = max(hi, id)
	}
	for _, x := range l.b.Inspections {
		if x != nil && x.Inspection != nil {
			see(x.Inspection.EnterpriseID)
		}
	}
	for _, c := range l.b.Cards {
		if c != nil {
			see(c.EnterpriseID)
		}
	}
	var err error
	if l.enterprises, err = enforcementEnterprises(ctx, l.tx, lo, hi); err != nil {
		return err
	}
	if l.criteria, err = enforcementCriteria(ctx, l.tx); err != nil {
		return err
	}
	if l.years, err = enforcementYears(ctx, l.tx); err != nil {
		return err
	}
	if l.regions, err = enforcementRegions(ctx, l.tx); err != nil {
		return err
	}
	return l.readAgencies(ctx)
}

// enforcementEnterprises reads the lanes of the enterprises with ids in
// [lo, hi].
func enforcementEnterprises(ctx context.Context, q queryer, lo, hi int64) (map[int64]enterpriseLane, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.name, e.region_path, e.sector, i.key FROM enterprises e
		JOIN industries i ON i.id = e.industry_id WHERE e.id >= $1 AND e.id <= $2`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("bulk enforcement: enterprises: %w", err)
	}
	defer rows.Close()
	m := map[int64]enterpriseLane{}
	for rows.Next() {
		var id int64
		var e enterpriseLane
		if err := rows.Scan(&id, &e.name, &e.path, &e.sector, &e.industryKey); err != nil {
			return nil, err
		}
		m[id] = e
	}
	return m, rows.Err()
}

// enforcementCriteria reads every major-hazard criterion's industry and
// whether it is active.
func enforcementCriteria(ctx context.Context, q queryer) (map[int64]criterionRef, error) {
	all, err := queryCriteria(ctx, q, `SELECT `+criterionColumns+` FROM major_hazard_criteria`)
	if err != nil {
		return nil, fmt.Errorf("bulk enforcement: %w", err)
	}
	m := map[int64]criterionRef{}
	for _, c := range all {
		m[c.ID] = criterionRef{industryKey: c.IndustryKey, active: c.Active, c: c}
	}
	return m, nil
}

// enforcementYears reads the campaign years.
func enforcementYears(ctx context.Context, q queryer) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT year FROM campaign_years`)
	if err != nil {
		return nil, fmt.Errorf("bulk enforcement: campaign years: %w", err)
	}
	defer rows.Close()
	m := map[int]bool{}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		m[y] = true
	}
	return m, rows.Err()
}

// enforcementRegions reads every region, by code.
func enforcementRegions(ctx context.Context, q queryer) (map[string]*taotai.Region, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+regionColumns+` FROM regions`)
	if err != nil {
		return nil, fmt.Errorf("bulk enforcement: regions: %w", err)
	}
	defer rows.Close()
	m := map[string]*taotai.Region{}
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, err
		}
		m[r.Code] = r
	}
	return m, rows.Err()
}

func (l *enforcementLoader) readAgencies(ctx context.Context) error {
	l.shorts = map[int64]string{}
	rows, err := l.tx.QueryContext(ctx, `SELECT id, short_name FROM agencies`)
	if err != nil {
		return fmt.Errorf("bulk enforcement: agencies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var short string
		if err := rows.Scan(&id, &short); err != nil {
			return err
		}
		l.shorts[id] = short
	}
	return rows.Err()
}

// validate checks every row, in order, and names the first bad one.
func (l *enforcementLoader) validate() error {
	today := taotai.Today(l.now)
	for i, x := range l.b.Inspections {
		if err := l.validateInspection(i, x, today); err != nil {
			return err
		}
	}
	seen := map[[2]int64]int{}
	l.cards = make([]*taotai.Card, len(l.b.Cards))
	for i, c := range l.b.Cards {
		if c == nil {
			return taotai.Errorf(taotai.EINVALID, "第%d张黄/红牌为空。", i+1)
		}
		e, ok := l.enterprises[c.EnterpriseID]
		if !ok {
			return taotai.Errorf(taotai.EINVALID, "第%d张黄/红牌：企业（编号%d）不存在。", i+1, c.EnterpriseID)
		}
		label := fmt.Sprintf("第%d张黄/红牌（%s，%d年度）", i+1, e.name, c.Year)
		if !l.years[c.Year] {
			return taotai.Errorf(taotai.EINVALID, "%s：%d年度工作尚未配置。", label, c.Year)
		}
		key := [2]int64{c.EnterpriseID, int64(c.Year)}
		if j, dup := seen[key]; dup {
			return taotai.Errorf(taotai.EINVALID, "%s与第%d张重复：每家企业每年度只有一张黄/红牌。", label, j+1)
		}
		seen[key] = i
		if len(c.Events) == 0 {
			return taotai.Errorf(taotai.EINVALID, "%s没有任何变更记录。", label)
		}
		card := &taotai.Card{EnterpriseID: c.EnterpriseID, EnterpriseName: e.name, RegionPath: e.path, Sector: e.sector,
			Year: c.Year, State: taotai.CardNone}
		var last time.Time
		for j, ev := range c.Events {
			switch {
			case ev.At.IsZero():
				return taotai.Errorf(taotai.EINVALID, "%s第%d次变更：缺少变更时间。", label, j+1)
			case ev.At.After(l.now):
				return taotai.Errorf(taotai.EINVALID, "%s第%d次变更：变更时间晚于现在。", label, j+1)
			case ev.At.Before(last):
				return taotai.Errorf(taotai.EINVALID, "%s第%d次变更：变更时间早于上一次变更。", label, j+1)
			}
			if err := card.Apply(ev.Transition, ev.At); err != nil {
				return taotai.Errorf(taotai.EINVALID, "%s第%d次变更（%s → %s）：%s", label, j+1,
					taotai.CardStateName(card.State), taotai.CardStateName(ev.Transition.To), errorText(err))
			}
			last = ev.At
		}
		if err := checkCardAcceptance(label, card, c.Acceptance, last); err != nil {
			return err
		}
		l.cards[i] = card
	}
	return nil
}

// checkCardAcceptance requires an accepted card's acceptance, passing,
// dated as the card's, and no acceptance for any other card.
func checkCardAcceptance(label string, card *taotai.Card, acc *taotai.Acceptance, at time.Time) error {
	switch {
	case card.State != taotai.CardAccepted && acc == nil:
		return nil
	case card.State != taotai.CardAccepted:
		return taotai.Errorf(taotai.EINVALID, "%s：未验收的黄/红牌不能附验收记录。", label)
	case acc == nil:
		return taotai.Errorf(taotai.EINVALID, "%s：已验收的黄/红牌须附验收记录。", label)
	}
	acc.Basis, acc.EnterpriseID, acc.Year = taotai.AcceptBasisCard, card.EnterpriseID, card.Year
	if err := acc.Check(card.ClosedOn, at); err != nil {
		return taotai.Errorf(taotai.EINVALID, "%s的验收记录：%s", label, errorText(err))
	}
	if !acc.Passed || !acc.AcceptedOn.Equal(card.AcceptedOn) {
		return taotai.Errorf(taotai.EINVALID, "%s的验收记录须为验收通过，且验收日期与黄/红牌的验收日期相同。", label)
	}
	return nil
}

// insertAcceptances stores the acceptances of the accepted cards, with
// their audit entries.
func (l *enforcementLoader) insertAcceptances(ctx context.Context) error {
	var cs []change
	for _, cl := range l.b.Cards {
		acc := cl.Acceptance
		if acc == nil {
			continue
		}
		members, _ := json.Marshal(acc.Members)
		signoffs, _ := json.Marshal(acc.SignOffs)
		at := cl.Events[len(cl.Events)-1].At.UTC()
		if err := l.tx.QueryRowContext(ctx, `INSERT INTO acceptances (enterprise_id, year, basis, card_id, exit_department, exit_document,
			exited_on, members, signoffs, findings, accepted_on, passed, reason, by_user, by_name, at)
			VALUES ($1, $2, $3, $4, '', '', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			cl.Card.EnterpriseID, acc.Year, acc.Basis, cl.Card.ID, dateString(acc.ExitedOn), string(members), string(signoffs), acc.Findings,
			dateString(acc.AcceptedOn), acc.Passed, acc.Reason, l.uid, l.a.Username, at).Scan(&acc.ID); err != nil {
			return fmt.Errorf("insert acceptance: %w", err)
		}
		cs = append(cs, change{Action: taotai.AuditCreate, Entity: "acceptance", EntityID: fmt.Sprintf("%d/%d", cl.Card.EnterpriseID, acc.ID),
			RegionPath: cl.Card.RegionPath, Sector: cl.Card.Sector, After: acceptanceRecord(acc, nil), Note: bulkNote})
	}
	return l.record(ctx, cs)
}

func (l *enforcementLoader) validateInspection(i int, x *InspectionLoad, today time.Time) error {
	if x == nil || x.Inspection == nil {
		return taotai.Errorf(taotai.EINVALID, "第%d条检查记录为空。", i+1)
	}
	in := x.Inspection
	e, ok := l.enterprises[in.EnterpriseID]
	if !ok {
		return taotai.Errorf(taotai.EINVALID, "第%d条检查记录：企业（编号%d）不存在。", i+1, in.EnterpriseID)
	}
	label := fmt.Sprintf("第%d条检查记录（%s", i+1, e.name)
	if !in.Date.IsZero() {
		label += "，" + dateString(taotai.Today(in.Date))
	}
	label += "）"
	if f := in.Validate(l.now); len(f) != 0 {
		return taotai.Errorf(taotai.EINVALID, "%s有误：%s", label, fieldText(f))
	}
	for j, h := range x.Hazards {
		hl := fmt.Sprintf("%s第%d项隐患", label, j+1)
		if h == nil {
			return taotai.Errorf(taotai.EINVALID, "%s为空。", hl)
		}
		if f := h.Validate(in.Date); len(f) != 0 {
			return taotai.Errorf(taotai.EINVALID, "%s有误：%s", hl, fieldText(f))
		}
		if h.Level == taotai.HazardMajor {
			c, ok := l.criteria[h.CriterionID]
			switch {
			case !ok || !c.active:
				return taotai.Errorf(taotai.EINVALID, "%s有误：所选判定标准条款不存在或已停用。", hl)
			case c.industryKey != e.industryKey && (c.industryKey != "trade" || e.sector != taotai.SectorNonCoal):
				return taotai.Errorf(taotai.EINVALID, "%s有误：所选判定标准条款不适用于该企业所属行业。", hl)
			case !c.c.InForceOn(in.Date):
				return taotai.Errorf(taotai.EINVALID, "%s有误：%s", hl, taotai.ErrorMessage(c.c.CheckInForce(in.Date)))
			}
		}
		if h.RecheckDate.IsZero() {
			if h.Status == taotai.HazardPassed || h.Status == taotai.HazardFailed {
				return taotai.Errorf(taotai.EINVALID, "%s有误：状态为“%s”，但没有复查日期。", hl, taotai.HazardStatusName(h.Status))
			}
		} else {
			h.RecheckDate = taotai.Today(h.RecheckDate)
			switch {
			case h.Status == taotai.HazardOpen:
				return taotai.Errorf(taotai.EINVALID, "%s有误：待整改的隐患不应有复查日期。", hl)
			case h.RecheckDate.Before(in.Date) || h.RecheckDate.After(today):
				return taotai.Errorf(taotai.EINVALID, "%s有误：复查日期应在检查日期（%s）至今天之间。", hl, dateString(in.Date))
			}
		}
	}
	issued := make([]taotai.Document, 0, len(x.Documents))
	order := make([]int, len(x.Documents))
	for j := range order {
		order[j] = j
	}
	// The law's order is checked in the order of the documents' dates.
	sort.SliceStable(order, func(p, q int) bool {
		dp, dq := x.Documents[order[p]], x.Documents[order[q]]
		if dp == nil || dq == nil || dp.Document == nil || dq.Document == nil {
			return false
		}
		return taotai.Today(dp.Document.IssuedOn).Before(taotai.Today(dq.Document.IssuedOn))
	})
	for _, j := range order {
		dl := x.Documents[j]
		lbl := fmt.Sprintf("%s第%d份文书", label, j+1)
		if dl == nil || dl.Document == nil {
			return taotai.Errorf(taotai.EINVALID, "%s为空。", lbl)
		}
		d := dl.Document
		lbl = fmt.Sprintf("%s（%s）", lbl, taotai.DocKindName(d.Kind))
		if d.IssuedOn.IsZero() {
			return taotai.Errorf(taotai.EINVALID, "%s有误：请填写文书日期。", lbl)
		}
		d.IssuedOn = taotai.Today(d.IssuedOn)
		if d.IssuedOn.Before(in.Date) || d.IssuedOn.After(today) {
			return taotai.Errorf(taotai.EINVALID, "%s有误：文书日期应在检查日期（%s）至今天之间。", lbl, dateString(in.Date))
		}
		if dl.Hazard < 0 || dl.Hazard > len(x.Hazards) {
			return taotai.Errorf(taotai.EINVALID, "%s有误：所选隐患不属于该次检查。", lbl)
		}
		if err := taotai.CheckDocumentOrder(d.Kind, len(x.Hazards), issued, d.Fine, int64(dl.Hazard)); err != nil {
			return taotai.Errorf(taotai.EINVALID, "%s有误：%s", lbl, errorText(err))
		}
		if err := checkBulkNotice(dl, in, today); err != nil {
			return taotai.Errorf(taotai.EINVALID, "%s有误：%s", lbl, errorText(err))
		}
		d.Content = strings.TrimSpace(d.Content)
		issued = append(issued, taotai.Document{Kind: d.Kind, HazardID: int64(dl.Hazard)})
	}
	return nil
}

// checkBulkNotice checks a decision's notice (and that only a decision
// has one) as IssuePenaltyNotice and IssueDocument would, and sets its
// periods.
func checkBulkNotice(dl *DocumentLoad, in *taotai.Inspection, today time.Time) error {
	n, d := dl.Notice, dl.Document
	d.NoticeID = 0 // set when the notice is stored
	switch {
	case d.Kind != taotai.DocPenalty && n == nil:
		return nil
	case d.Kind != taotai.DocPenalty:
		return taotai.Errorf(taotai.EINVALID, "只有行政处罚决定书附有行政处罚告知书。")
	case n == nil:
		return taotai.CheckPenaltyDecision(d, nil)
	}
	if f := n.Validate(); len(f) > 0 {
		return taotai.Errorf(taotai.EINVALID, "行政处罚告知书：%s", fieldText(f))
	}
	n.IssuedOn = taotai.Today(n.IssuedOn)
	if n.IssuedOn.Before(in.Date) || n.IssuedOn.After(today) {
		return taotai.Errorf(taotai.EINVALID, "行政处罚告知书的日期应在检查日期（%s）至今天之间。", dateString(in.Date))
	}
	n.EnterpriseID, d.EnterpriseID = in.EnterpriseID, in.EnterpriseID
	n.DecisionID, n.Number = 0, "（待编号）"
	n.SetPeriods()
	return taotai.CheckPenaltyDecision(d, n)
}

// fieldText joins the messages of a validation, in the order of their keys.
func fieldText(f taotai.FieldErrors) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(f[k])
	}
	return b.String()
}

// errorText is the message of a domain error, with its field messages
// when it has them.
func errorText(err error) string {
	if e, ok := err.(*taotai.Error); ok && len(e.Fields) > 0 {
		return fieldText(e.Fields)
	}
	return taotai.ErrorMessage(err)
}

// resolveAgencies gives inspections without an agency the agency of their
// AgencyRegion (the enterprise's city when empty) and the enterprise's
// sector, creating it when missing, and documents
// without one their inspection's.
func (l *enforcementLoader) resolveAgencies(ctx context.Context) error {
	byCity := map[string]int64{}
	created := false
	for _, x := range l.b.Inspections {
		in := x.Inspection
		if in.AgencyID == 0 {
			e := l.enterprises[in.EnterpriseID]
			code := x.AgencyRegion
			if code == "" {
				code = cityCode(e.path)
			} else if !strings.Contains(e.path, "/"+code+"/") || code == taotai.ProvinceCode {
				return taotai.Errorf(taotai.EINVALID, "检查单位所在地区（%s）不是企业“%s”所在的市或县（区）。", code, e.name)
			}
			key := code + "/" + e.sector
			id, ok := byCity[key]
			if !ok {
				city := l.regions[code]
				if city == nil {
					return fmt.Errorf("bulk enforcement: no region %q for region path %q", code, e.path)
				}
				var err error
				if id, err = ensureAgency(ctx, l.tx, city, e.sector, ""); err != nil {
					return fmt.Errorf("bulk enforcement: agency of %s: %w", city.Name, err)
				}
				if _, known := l.shorts[id]; !known {
					created = true
				}
				byCity[key] = id
			}
			in.AgencyID = id
		}
		for _, d := range x.Documents {
			if d.Document.AgencyID == 0 {
				d.Document.AgencyID = in.AgencyID
			}
		}
	}
	if created {
		return l.readAgencies(ctx)
	}
	return nil
}

// cityCode returns the city-level code of a region path
// ("/210000/210300/210302/" → "210300"), or the province's.
func cityCode(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) >= 2 {
		return parts[1]
	}
	return parts[0]
}

// insert runs one multi-row INSERT of len(args)/cols rows on a statement
// prepared once per shape. On SQLite its placeholders are plain "?": with
// thousands of numbered ones ($1 … $19000) SQLite's parser and the
// driver's binding look each up in a list, which takes time quadratic in
// their number (a 1,000-row statement took longer to prepare and bind
// than to run). It returns the ids it created in ascending
// order — the order in which both databases number the rows of one
// INSERT … VALUES — after checking them against the rows' keys: each
// returned row's key column must match the key of the row that took its
// id.
func (l *enforcementLoader) insert(ctx context.Context, head string, cols int, args []any, keys []int64, keyCol string) ([]int64, error) {
	n := len(args) / cols
	var b strings.Builder
	b.Grow(len(head) + n*cols*7 + 40)
	b.WriteString(head)
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 1; c <= cols; c++ {
			if c > 1 {
				b.WriteString(", ")
			}
			if l.s.dialect == SQLite {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(r*cols + c))
			}
		}
		b.WriteByte(')')
	}
	if keyCol == "" {
		st, err := l.stmt(ctx, b.String()) //nolint:sqlclosecheck // cached in l.stmts for the batch; closeStatements closes it
		if err != nil {
			return nil, err
		}
		_, err = st.ExecContext(ctx, args...)
		return nil, err
	}
	b.WriteString(" RETURNING id, " + keyCol)
	st, err := l.stmt(ctx, b.String()) //nolint:sqlclosecheck // cached in l.stmts for the batch; closeStatements closes it
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type idKey struct{ id, key int64 }
	got := make([]idKey, 0, n)
	for rows.Next() {
		var r idKey
		if err := rows.Scan(&r.id, &r.key); err != nil {
			return nil, err
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(got) != n {
		return nil, fmt.Errorf("bulk insert: %d ids returned for %d rows", len(got), n)
	}
	slices.SortFunc(got, func(a, b idKey) int { return int(a.id - b.id) })
	ids := make([]int64, n)
	for i, r := range got {
		if r.key != keys[i] {
			return nil, fmt.Errorf("bulk insert: row %d took id %d of key %d, want key %d", i+1, r.id, r.key, keys[i])
		}
		ids[i] = r.id
	}
	return ids, nil
}

// stmt prepares a statement on the transaction once per call.
func (l *enforcementLoader) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := l.stmts[query]; ok {
		return st, nil
	}
	st, err := l.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	l.stmts[query] = st
	return st, nil
}

func (l *enforcementLoader) closeStatements() {
	for _, st := range l.stmts {
		st.Close()
	}
	l.stmts = nil
}

// record appends audit entries. On PostgreSQL recordAll hashes slices of
// bulkAuditChunk in Go and writes them in multi-row INSERTs (14 µs an
// entry, measured; its audit_append_batch path, for up to 1,000, hashes
// in the database). On SQLite slices of 20 go through the statement
// prepared once for one row: recordAll's multi-row INSERTs carry 3,000
// numbered placeholders each, which SQLite parses and binds in quadratic
// time (107 µs an entry against 16 µs).
func (l *enforcementLoader) record(ctx context.Context, cs []change) error {
	n := bulkAuditChunk
	if l.s.dialect == SQLite {
		n = 20
	}
	for start := 0; start < len(cs); start += n {
		if err := l.s.recordAll(ctx, l.tx, cs[start:min(start+n, len(cs))]); err != nil {
			return err
		}
	}
	return nil
}

// stamp is a row's creation time: its own, or now.
func (l *enforcementLoader) stamp(t time.Time) time.Time {
	if t.IsZero() {
		return l.ts
	}
	return t.UTC()
}

// Small audit records: what identifies the row and its state.
type (
	inspectionAudit struct {
		EnterpriseID int64  `json:"enterprise_id"`
		Date         string `json:"date"`
		AgencyID     int64  `json:"agency_id"`
		Kind         string `json:"kind"`
		Inspectors   int    `json:"inspector_count"`
		Experts      int    `json:"expert_count"`
	}
	hazardAudit struct {
		InspectionID int64  `json:"inspection_id"`
		Level        string `json:"level"`
		CriterionID  int64  `json:"criterion_id,omitempty"`
		Deadline     string `json:"deadline"`
		Status       string `json:"status"`
		Recheck      string `json:"recheck_date,omitempty"`
	}
	documentAudit struct {
		Number       string `json:"number"`
		Kind         string `json:"kind"`
		InspectionID int64  `json:"inspection_id"`
		HazardID     int64  `json:"hazard_id,omitempty"`
		IssuedOn     string `json:"issued_on"`
		Fine         int64  `json:"fine_yuan,omitempty"`
	}
	cardAudit struct {
		State  string `json:"state"`
		Reason string `json:"reason,omitempty"`
		At     string `json:"at"`
	}
)

const bulkNote = "批量载入"

func (l *enforcementLoader) insertInspections(ctx context.Context) error {
	const head = `INSERT INTO inspections (enterprise_id, region_path, sector, date, agency_id, kind, inspectors, inspector_count,
		expert_count, findings, created_by, created_at, updated_at) VALUES `
	const cols = 13
	list := l.b.Inspections
	args := make([]any, 0, cols*bulkEnforcementChunk)
	keys := make([]int64, 0, bulkEnforcementChunk)
	cs := make([]change, 0, bulkEnforcementChunk)
	for start := 0; start < len(list); start += bulkEnforcementChunk {
		chunk := list[start:min(start+bulkEnforcementChunk, len(list))]
		args, keys, cs = args[:0], keys[:0], cs[:0]
		for _, x := range chunk {
			in := x.Inspection
			e := l.enterprises[in.EnterpriseID]
			in.RegionPath, in.Sector, in.EnterpriseName = e.path, e.sector, e.name
			at := l.stamp(in.CreatedAt)
			args = append(args, in.EnterpriseID, e.path, e.sector, dateString(in.Date), in.AgencyID, in.Kind, in.Inspectors,
				in.InspectorCount, in.ExpertCount, in.Findings, l.uid, at, at)
			keys = append(keys, in.EnterpriseID)
		}
		ids, err := l.insert(ctx, head, cols, args, keys, "enterprise_id")
		if err != nil {
			return bulkChunkError("检查记录", err, start, len(chunk))
		}
		for i, x := range chunk {
			in := x.Inspection
			in.ID, in.Version, in.CreatedAt = ids[i], 1, l.stamp(in.CreatedAt)
			in.Hazards, in.MajorHazards = len(x.Hazards), 0
			for _, h := range x.Hazards {
				if h.Level == taotai.HazardMajor {
					in.MajorHazards++
				}
			}
			cs = append(cs, change{Action: taotai.AuditCreate, Entity: "inspection", EntityID: in.ID, RegionPath: in.RegionPath, Sector: in.Sector,
				After: inspectionAudit{in.EnterpriseID, dateString(in.Date), in.AgencyID, in.Kind, in.InspectorCount, in.ExpertCount}, Note: bulkNote})
		}
		if err := l.record(ctx, cs); err != nil {
			return err
		}
	}
	return nil
}

func (l *enforcementLoader) insertHazards(ctx context.Context) error {
	const head = `INSERT INTO hazards (inspection_id, enterprise_id, region_path, sector, description, place, level, criterion_id,
		deadline, status, g_responsible, g_measures, g_funds, g_deadline, g_plan, supervised, recheck_date, recheck_note,
		created_at, updated_at, found_on) VALUES `
	const cols = 21
	var pending []*taotai.Hazard
	var found []string // the day each pending hazard was found
	args := make([]any, 0, cols*bulkEnforcementChunk)
	keys := make([]int64, 0, bulkEnforcementChunk)
	done := 0
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		args, keys = args[:0], keys[:0]
		for i, h := range pending {
			var crit any
			if h.CriterionID != 0 {
				crit = h.CriterionID
			}
			g := h.Guarantees
			at := l.stamp(h.CreatedAt)
			args = append(args, h.InspectionID, h.EnterpriseID, h.RegionPath, h.Sector, h.Description, h.Place, h.Level, crit,
				dateString(h.Deadline), h.Status, g.Responsible, g.Measures, int64(g.Funds), dateString(g.Deadline), g.Plan,
				h.Supervised, dateString(h.RecheckDate), strings.TrimSpace(h.RecheckNote), at, at, found[i])
			keys = append(keys, h.InspectionID)
		}
		ids, err := l.insert(ctx, head, cols, args, keys, "inspection_id")
		if err != nil {
			return bulkChunkError("隐患", err, done, len(pending))
		}
		cs := make([]change, len(pending))
		for i, h := range pending {
			h.ID, h.Version, h.CreatedAt = ids[i], 1, l.stamp(h.CreatedAt)
			cs[i] = change{Action: taotai.AuditCreate, Entity: "hazard", EntityID: h.ID, RegionPath: h.RegionPath, Sector: h.Sector,
				After: hazardAudit{h.InspectionID, h.Level, h.CriterionID, dateString(h.Deadline), h.Status, dateString(h.RecheckDate)}, Note: bulkNote}
		}
		done += len(pending)
		pending, found = pending[:0], found[:0]
		return l.record(ctx, cs)
	}
	for _, x := range l.b.Inspections {
		in := x.Inspection
		for _, h := range x.Hazards {
			h.InspectionID, h.EnterpriseID, h.RegionPath, h.Sector, h.EnterpriseName = in.ID, in.EnterpriseID, in.RegionPath, in.Sector, in.EnterpriseName
			pending, found = append(pending, h), append(found, dateString(in.Date))
			if len(pending) == bulkEnforcementChunk {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// docRef is a document with its place in the batch, for numbering.
type docRef struct {
	d          *taotai.Document
	inspection int
	hazard     int
}

func (l *enforcementLoader) insertDocuments(ctx context.Context) error {
	var all []docRef
	for i, x := range l.b.Inspections {
		for _, d := range x.Documents {
			all = append(all, docRef{d.Document, i, d.Hazard})
		}
	}
	if len(all) == 0 {
		return nil
	}
	// Number per agency, kind and year, in the order of the dates, after
	// the highest number already stored.
	type numKey struct {
		agency int64
		kind   string
		year   int
	}
	next := map[numKey]int{}
	for _, r := range all {
		r.d.Year = r.d.IssuedOn.Year()
		k := numKey{r.d.AgencyID, r.d.Kind, r.d.Year}
		if _, ok := next[k]; ok {
			continue
		}
		var seq int
		if err := l.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM documents WHERE agency_id = $1 AND kind = $2 AND year = $3`,
			k.agency, k.kind, k.year).Scan(&seq); err != nil {
			return fmt.Errorf("bulk enforcement: document numbers: %w", err)
		}
		next[k] = seq
	}
	numbered := slices.Clone(all)
	slices.SortStableFunc(numbered, func(a, b docRef) int { return a.d.IssuedOn.Compare(b.d.IssuedOn) })
	for _, r := range numbered {
		short, ok := l.shorts[r.d.AgencyID]
		if !ok {
			return taotai.Errorf(taotai.EINVALID, "第%d条检查记录的文书：签发机关（编号%d）不存在。", r.inspection+1, r.d.AgencyID)
		}
		k := numKey{r.d.AgencyID, r.d.Kind, r.d.Year}
		next[k]++
		r.d.AgencyShort, r.d.Seq = short, next[k]
		r.d.Number = taotai.FormatDocNumber(short, r.d.Kind, r.d.Year, r.d.Seq)
	}
	if err := l.insertNotices(ctx); err != nil {
		return err
	}
	const head = `INSERT INTO documents (inspection_id, enterprise_id, hazard_id, region_path, sector, kind, agency_id, year, seq,
		number, issued_on, fine, content, created_by, created_at, notice_id) VALUES `
	const cols = 16
	args := make([]any, 0, cols*bulkEnforcementChunk)
	keys := make([]int64, 0, bulkEnforcementChunk)
	for start := 0; start < len(all); start += bulkEnforcementChunk {
		chunk := all[start:min(start+bulkEnforcementChunk, len(all))]
		args, keys = args[:0], keys[:0]
		for _, r := range chunk {
			d, in := r.d, l.b.Inspections[r.inspection].Inspection
			d.InspectionID, d.EnterpriseID, d.RegionPath, d.Sector = in.ID, in.EnterpriseID, in.RegionPath, in.Sector
			d.HazardID = 0
			var hazard any
			if r.hazard > 0 {
				d.HazardID = l.b.Inspections[r.inspection].Hazards[r.hazard-1].ID
				hazard = d.HazardID
			}
			var notice any
			if d.NoticeID != 0 {
				notice = d.NoticeID
			}
			args = append(args, d.InspectionID, d.EnterpriseID, hazard, d.RegionPath, d.Sector, d.Kind, d.AgencyID, d.Year, d.Seq,
				d.Number, dateString(d.IssuedOn), int64(d.Fine), d.Content, l.uid, l.stamp(d.CreatedAt), notice)
			keys = append(keys, d.InspectionID)
		}
		ids, err := l.insert(ctx, head, cols, args, keys, "inspection_id")
		if err != nil {
			return bulkChunkError("文书", err, start, len(chunk))
		}
		cs := make([]change, len(chunk))
		for i, r := range chunk {
			d := r.d
			d.ID, d.CreatedAt = ids[i], l.stamp(d.CreatedAt)
			cs[i] = change{Action: taotai.AuditCreate, Entity: "document", EntityID: d.ID, RegionPath: d.RegionPath, Sector: d.Sector,
				After: documentAudit{d.Number, d.Kind, d.InspectionID, d.HazardID, dateString(d.IssuedOn), int64(d.Fine)}, Note: bulkNote}
		}
		if err := l.record(ctx, cs); err != nil {
			return err
		}
	}
	return nil
}

// insertNotices numbers and stores the decisions' notices, per agency and
// year in the order of their dates after the highest number stored, and
// sets each decision's NoticeID.
func (l *enforcementLoader) insertNotices(ctx context.Context) error {
	var refs []docRef
	notices := map[*taotai.Document]*taotai.PenaltyNotice{}
	for i, x := range l.b.Inspections {
		for _, dl := range x.Documents {
			if dl.Notice != nil {
				refs = append(refs, docRef{dl.Document, i, dl.Hazard})
				notices[dl.Document] = dl.Notice
			}
		}
	}
	slices.SortStableFunc(refs, func(a, b docRef) int { return notices[a.d].IssuedOn.Compare(notices[b.d].IssuedOn) })
	type key struct {
		agency int64
		year   int
	}
	next := map[key]int{}
	var cs []change
	for _, r := range refs {
		n, d, in := notices[r.d], r.d, l.b.Inspections[r.inspection].Inspection
		n.InspectionID, n.EnterpriseID, n.AgencyID, n.Year = in.ID, in.EnterpriseID, d.AgencyID, n.IssuedOn.Year()
		k := key{n.AgencyID, n.Year}
		if _, ok := next[k]; !ok {
			var seq int
			if err := l.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM penalty_notices WHERE agency_id = $1 AND year = $2`,
				k.agency, k.year).Scan(&seq); err != nil {
				return fmt.Errorf("bulk enforcement: notice numbers: %w", err)
			}
			next[k] = seq
		}
		next[k]++
		n.AgencyShort, n.Seq = l.shorts[n.AgencyID], next[k]
		n.Number = taotai.FormatDocNumber(n.AgencyShort, taotai.DocPenaltyNotice, n.Year, n.Seq)
		n.SetPeriods()
		n.CreatedAt = l.stamp(n.CreatedAt)
		if err := l.tx.QueryRowContext(ctx, `INSERT INTO penalty_notices (inspection_id, enterprise_id, agency_id, year, seq, number, issued_on,
			fine, stop_state, hearing, statement_until, hearing_until, content, created_by, created_at, waived)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			n.InspectionID, n.EnterpriseID, n.AgencyID, n.Year, n.Seq, n.Number, dateString(n.IssuedOn), int64(n.Fine), n.StopState,
			n.Hearing, dateString(n.StatementUntil), dateString(n.HearingUntil), n.Content, l.uid, n.CreatedAt, n.Waived).Scan(&n.ID); err != nil {
			return fmt.Errorf("bulk enforcement: insert notice: %w", err)
		}
		d.NoticeID = n.ID
		cs = append(cs, change{Action: taotai.AuditCreate, Entity: "penalty_notice", EntityID: n.ID, RegionPath: in.RegionPath, Sector: in.Sector,
			After: map[string]any{"number": n.Number, "inspection_id": n.InspectionID, "issued_on": dateString(n.IssuedOn),
				"fine_yuan": int64(n.Fine), "stop_state": n.StopState, "hearing": n.Hearing, "statement_until": dateString(n.StatementUntil),
				"hearing_until": dateString(n.HearingUntil), "waived": n.Waived}, Note: bulkNote})
	}
	return l.record(ctx, cs)
}

func (l *enforcementLoader) insertCards(ctx context.Context) error {
	const head = `INSERT INTO cards (enterprise_id, year, region_path, sector, state, reason, rectify, deadline, rectified_in_time,
		closure_basis, reported_on, closed_on, closure_evidence, verified_by, accepted_on, acceptance_members, acceptance_findings,
		created_at, updated_at) VALUES `
	const cols = 19
	const evHead = `INSERT INTO card_events (card_id, from_state, to_state, reason, why, data, by_user, by_name, at) VALUES `
	const evCols = 9
	list := l.b.Cards
	for start := 0; start < len(list); start += bulkEnforcementChunk {
		chunk := list[start:min(start+bulkEnforcementChunk, len(list))]
		cards := l.cards[start : start+len(chunk)]
		args := make([]any, 0, cols*len(chunk))
		keys := make([]int64, 0, len(chunk))
		for i, cl := range chunk {
			c := cards[i]
			first, last := cl.Events[0].At.UTC(), cl.Events[len(cl.Events)-1].At.UTC()
			args = append(args, c.EnterpriseID, c.Year, c.RegionPath, c.Sector, c.State, c.Reason, c.Rectify, dateString(c.Deadline),
				c.RectifiedInTime, c.ClosureBasis, dateString(c.ReportedOn), dateString(c.ClosedOn), c.ClosureEvidence, c.VerifiedBy,
				dateString(c.AcceptedOn), c.AcceptanceMembers, c.AcceptanceFindings, first, last)
			keys = append(keys, c.EnterpriseID)
		}
		ids, err := l.insert(ctx, head, cols, args, keys, "enterprise_id")
		if err != nil {
			return bulkChunkError("黄/红牌", err, start, len(chunk))
		}
		var evArgs []any
		var cs []change
		flushEvents := func() error {
			if len(evArgs) == 0 {
				return nil
			}
			if _, err := l.insert(ctx, evHead, evCols, evArgs, nil, ""); err != nil {
				return bulkChunkError("黄/红牌变更记录", err, start, len(chunk))
			}
			evArgs = evArgs[:0]
			return nil
		}
		for i, cl := range chunk {
			c := cards[i]
			c.ID, c.Version, c.UpdatedAt = ids[i], 1, cl.Events[len(cl.Events)-1].At.UTC()
			cl.Card = c
			from := taotai.CardNone
			for _, ev := range cl.Events {
				by := ev.By
				if by == "" {
					by = l.a.Username
				}
				data, _ := json.Marshal(ev.Transition)
				evArgs = append(evArgs, c.ID, from, ev.Transition.To, ev.Transition.Reason, ev.Transition.Why, string(data), l.uid, by, ev.At.UTC())
				cs = append(cs, change{Action: taotai.AuditState, Entity: "card", EntityID: fmt.Sprintf("%d/%d", c.EnterpriseID, c.Year),
					RegionPath: c.RegionPath, Sector: c.Sector, Before: cardAudit{State: from}, After: cardAudit{ev.Transition.To, ev.Transition.Reason,
						ev.At.In(taotai.Shanghai).Format(time.DateTime)}, Note: bulkNote})
				from = ev.Transition.To
				if len(evArgs) >= evCols*bulkEnforcementChunk {
					if err := flushEvents(); err != nil {
						return err
					}
				}
			}
		}
		if err := flushEvents(); err != nil {
			return err
		}
		if err := l.record(ctx, cs); err != nil {
			return err
		}
	}
	return nil
}

// clearIDs undoes what a failed call set on the batch, so that nothing
// suggests rows were written.
func (l *enforcementLoader) clearIDs() {
	for _, x := range l.b.Inspections {
		if x == nil || x.Inspection == nil {
			continue
		}
		x.Inspection.ID = 0
		for _, h := range x.Hazards {
			if h != nil {
				h.ID = 0
			}
		}
		for _, d := range x.Documents {
			if d != nil && d.Document != nil {
				d.Document.ID, d.Document.Seq, d.Document.Number, d.Document.NoticeID = 0, 0, "", 0
				if d.Notice != nil {
					d.Notice.ID, d.Notice.Seq, d.Notice.Number = 0, 0, ""
				}
			}
		}
	}
	for _, c := range l.b.Cards {
		if c != nil {
			c.Card = nil
			if c.Acceptance != nil {
				c.Acceptance.ID = 0
			}
		}
	}
}

// bulkChunkError names the rows of a failed chunk of what ("检查记录",
// "隐患" …) and turns database errors into the domain's codes.
func bulkChunkError(what string, err error, start, n int) error {
	switch e, _ := mapError(err).(*taotai.Error); {
	case e == nil:
		return fmt.Errorf("bulk insert %s rows %d-%d: %w", what, start+1, start+n, err)
	case e.Code == taotai.ECONFLICT:
		return taotai.Errorf(taotai.ECONFLICT, "第%d至%d条%s中有记录与已有记录重复，全部未保存。", start+1, start+n, what)
	default:
		return taotai.Errorf(e.Code, "第%d至%d条%s中有记录无法保存（%s），全部未保存。", start+1, start+n, what, strings.TrimSuffix(e.Message, "。"))
	}
}
