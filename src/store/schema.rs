//! The schema, as numbered migrations applied in order. `PRAGMA user_version` records how many
//! have run; a database from a newer `jury` is refused rather than misread.

/// Each entry moves the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: the judging core.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    -- Short fields scanned by lists and searches; long texts live in entry_texts so a scan of
    -- titles does not read every case's four sections.
    CREATE TABLE entries (
        seq            INTEGER PRIMARY KEY,
        id             TEXT NOT NULL UNIQUE,
        grp            TEXT,
        title          TEXT NOT NULL DEFAULT '',
        name           TEXT NOT NULL DEFAULT '',
        organization   TEXT NOT NULL DEFAULT '',
        county         TEXT NOT NULL DEFAULT '',
        submitter      TEXT NOT NULL DEFAULT '',
        submitter_type TEXT NOT NULL DEFAULT '',
        perspective    TEXT NOT NULL DEFAULT '',
        run_order      INTEGER,
        extra          TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX entries_organization ON entries(organization);

    CREATE TABLE entry_texts (
        entry      TEXT PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        background TEXT NOT NULL DEFAULT '',
        problem    TEXT NOT NULL DEFAULT '',
        strategy   TEXT NOT NULL DEFAULT '',
        outcome    TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID;

    CREATE TABLE judges (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        name         TEXT NOT NULL DEFAULT '',
        organization TEXT NOT NULL DEFAULT '',
        county       TEXT NOT NULL DEFAULT '',
        pin_hash     TEXT NOT NULL
    );

    -- Declared conflicts of interest (回避). A judge whose organisation equals an entry's is in
    -- conflict without a row here.
    CREATE TABLE conflicts (
        judge  TEXT NOT NULL REFERENCES judges(id),
        entry  TEXT NOT NULL REFERENCES entries(id),
        reason TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (judge, entry)
    ) WITHOUT ROWID;

    -- A judge's sheet for one entry and round: a draft until submitted (提交).
    CREATE TABLE sheets (
        entry        TEXT NOT NULL REFERENCES entries(id),
        round        TEXT NOT NULL,
        judge        TEXT NOT NULL REFERENCES judges(id),
        status       TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
        updated_at   TEXT NOT NULL,
        submitted_at TEXT,
        PRIMARY KEY (entry, round, judge)
    ) WITHOUT ROWID;
    CREATE INDEX sheets_judge ON sheets(judge, entry);

    -- Scores in units of 1/10000 point: exact integers, summed without rounding.
    CREATE TABLE scores (
        entry      TEXT NOT NULL,
        round      TEXT NOT NULL,
        judge      TEXT NOT NULL,
        criterion  TEXT NOT NULL,
        value      INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (entry, round, judge, criterion),
        FOREIGN KEY (entry, round, judge) REFERENCES sheets(entry, round, judge)
    ) WITHOUT ROWID;
    CREATE INDEX scores_judge ON scores(judge, entry);

    CREATE TABLE comments (
        judge      TEXT NOT NULL REFERENCES judges(id),
        entry      TEXT NOT NULL REFERENCES entries(id),
        text       TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (judge, entry)
    ) WITHOUT ROWID;

    -- Append-only, hash-chained record of every change (who, when, what, old, new, why).
    CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        entry     TEXT,
        judge     TEXT,
        detail    TEXT NOT NULL DEFAULT '',
        old_value TEXT,
        new_value TEXT,
        reason    TEXT NOT NULL DEFAULT '',
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
    );
    CREATE INDEX audit_entry ON audit(entry);
    CREATE INDEX audit_judge ON audit(judge);
    "#,
    // 2: the meeting room: panels and assignments, locks, the shortlist.
    r#"
    -- A group's own panel of judges (competitions).
    CREATE TABLE panels (
        grp   TEXT NOT NULL,
        judge TEXT NOT NULL REFERENCES judges(id),
        PRIMARY KEY (grp, judge)
    ) WITHOUT ROWID;

    -- Entries given to particular reviewers (cases).
    CREATE TABLE assignments (
        judge TEXT NOT NULL REFERENCES judges(id),
        entry TEXT NOT NULL REFERENCES entries(id),
        PRIMARY KEY (judge, entry)
    ) WITHOUT ROWID;
    CREATE INDEX assignments_entry ON assignments(entry);

    -- Final results: no score changes for a group and/or round until unlocked. '' means "every".
    CREATE TABLE locks (
        grp       TEXT NOT NULL,
        round     TEXT NOT NULL,
        reason    TEXT NOT NULL,
        locked_at TEXT NOT NULL,
        PRIMARY KEY (grp, round)
    ) WITHOUT ROWID;

    -- Case selection: a status and a batch (批次) per entry; no row means pending.
    CREATE TABLE shortlist (
        entry      TEXT PRIMARY KEY REFERENCES entries(id),
        status     TEXT NOT NULL CHECK (status IN ('pending', 'shortlisted', 'selected', 'rejected')),
        batch      INTEGER,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 3: calibration samples (试评): scored by every judge, never part of the results.
    r#"
    CREATE TABLE calibration (
        entry    TEXT PRIMARY KEY REFERENCES entries(id),
        added_at TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 4: PIN attempts, rate-limited in the library (src/store/logins.rs). `at` in ms since 1970.
    r#"
    CREATE TABLE login_attempts (
        judge TEXT NOT NULL,
        at    INTEGER NOT NULL,
        ok    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX login_attempts_judge ON login_attempts(judge, at);
    "#,
    // 5: a judge's list at start-up reads all of that judge's sheets: with round and status in the
    // index, that is one index scan instead of a table lookup per sheet (100k lookups at 100k cases).
    r#"
    CREATE INDEX sheets_judge_status ON sheets(judge, entry, round, status);
    DROP INDEX sheets_judge;
    "#,
    // 6: each sheet keeps the sum and the count of its scores, so the tally reads one row per sheet
    // instead of every score (700k rows instead of 3.5M at 100k cases). Triggers keep them right on
    // every write to `scores`, whoever makes it; `audit verify` checks them against the scores.
    r#"
    ALTER TABLE sheets ADD COLUMN total INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sheets ADD COLUMN criteria INTEGER NOT NULL DEFAULT 0;
    UPDATE sheets SET
        total = (SELECT COALESCE(SUM(s.value), 0) FROM scores s
                 WHERE s.entry = sheets.entry AND s.round = sheets.round AND s.judge = sheets.judge),
        criteria = (SELECT COUNT(*) FROM scores s
                    WHERE s.entry = sheets.entry AND s.round = sheets.round AND s.judge = sheets.judge);
    CREATE TRIGGER scores_add_to_sheet AFTER INSERT ON scores BEGIN
        UPDATE sheets SET total = total + NEW.value, criteria = criteria + 1
        WHERE entry = NEW.entry AND round = NEW.round AND judge = NEW.judge;
    END;
    CREATE TRIGGER scores_change_in_sheet AFTER UPDATE OF entry, round, judge, value ON scores BEGIN
        UPDATE sheets SET total = total - OLD.value, criteria = criteria - 1
        WHERE entry = OLD.entry AND round = OLD.round AND judge = OLD.judge;
        UPDATE sheets SET total = total + NEW.value, criteria = criteria + 1
        WHERE entry = NEW.entry AND round = NEW.round AND judge = NEW.judge;
    END;
    CREATE TRIGGER scores_remove_from_sheet AFTER DELETE ON scores BEGIN
        UPDATE sheets SET total = total - OLD.value, criteria = criteria - 1
        WHERE entry = OLD.entry AND round = OLD.round AND judge = OLD.judge;
    END;
    "#,
    // 7: search keys prepared once and kept (src/search/prepared.rs), valid while `version` is the
    // entries' version (meta `entries_version`, moved on by every change to the entries).
    r#"
    CREATE TABLE search_keys (
        name    TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        data    BLOB NOT NULL
    );
    "#,
    // 8: corrections (issue 16): withdrawn entries (弃权, 取消资格) keep their record and scores but
    // leave the ranking; removed judges keep their id (taken) but no longer log in or score.
    r#"
    CREATE TABLE withdrawals (
        entry        TEXT PRIMARY KEY REFERENCES entries(id),
        kind         TEXT NOT NULL CHECK (kind IN ('withdrawn', 'disqualified')),
        reason       TEXT NOT NULL,
        withdrawn_at TEXT NOT NULL
    ) WITHOUT ROWID;
    -- `entries` and `groups`: the open work (assignments without a submitted sheet, panels) the
    -- judge left, comma separated, for `assign --replace` to hand over after the removal.
    CREATE TABLE judges_removed (
        judge      TEXT PRIMARY KEY REFERENCES judges(id),
        reason     TEXT NOT NULL,
        removed_at TEXT NOT NULL,
        entries    TEXT NOT NULL DEFAULT '',
        groups     TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID;
    "#,
    // 9: the document an entry was imported from (`jury import entries 案例/`): its path in the
    // folder and the SHA-256 of its bytes, so `--update` replaces only changed files.
    r#"
    CREATE TABLE entry_sources (
        entry  TEXT PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        file   TEXT NOT NULL,
        sha256 TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // importlog (issue 16): every import gets a number and a record of exactly what it changed
    // (the keys of the rows it inserted, the old rows it replaced), so `jury import undo N` can
    // take it back. `first_seq`..`last_seq`: the import's own audit rows.
    r#"
    CREATE TABLE imports (
        number      INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('entries', 'documents', 'judges', 'scores')),
        file        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        rows        INTEGER NOT NULL,
        actor       TEXT NOT NULL,
        first_seq   INTEGER NOT NULL,
        last_seq    INTEGER NOT NULL,
        undone_at   TEXT,
        undone_by   TEXT,
        undo_reason TEXT
    );
    -- One row per row the import changed: `tbl` and `key` (a JSON array) name it; `old` is the
    -- row before (a JSON array of its other columns), NULL when the import inserted it.
    CREATE TABLE import_changes (
        import INTEGER NOT NULL REFERENCES imports(number),
        n      INTEGER NOT NULL,
        tbl    TEXT NOT NULL,
        key    TEXT NOT NULL,
        old    TEXT,
        PRIMARY KEY (import, n)
    ) WITHOUT ROWID;
    CREATE INDEX import_changes_key ON import_changes(tbl, key);
    "#,
    // rubricapply (issue 16, `jury rubric apply`): a copy of every rubric the workspace used, the
    // one `init` stored as version 0 (kept at the first change); meta `rubric_version` names the
    // current one. `audit verify` checks each `rubric-apply` row's hashes against these copies.
    r#"
    CREATE TABLE rubric_history (
        version   INTEGER PRIMARY KEY,
        file      TEXT NOT NULL,
        source    TEXT NOT NULL,
        sha256    TEXT NOT NULL,
        stored_at TEXT NOT NULL
    );
    "#,
    // discussion after scoring (issue 16, `jury discuss open|close`): the entries under discussion,
    // whose panel marks the judges who submitted them may see (rubric key `discussion`).
    r#"
    CREATE TABLE discussions (
        entry     TEXT PRIMARY KEY REFERENCES entries(id),
        opened_at TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // phases (issue 16, selection in phases / 评审阶段): today's tables hold the CURRENT phase;
    // `phase start` copies its sheets, scores, comments, shortlist, locks, panels and assignments
    // into the `phase_*` archive (keyed by the phase's seq, read-only from then on) and leaves in
    // the live tables what the new phase starts with. `phase_left`: the entries not in the current
    // phase (they keep their record and history). Row 1 is the first phase (`jury init --phase`).
    r#"
    CREATE TABLE phases (
        seq         INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        take        TEXT NOT NULL DEFAULT '',
        started_at  TEXT NOT NULL DEFAULT '',
        locked_at   TEXT,
        rubric_file TEXT,
        rubric      TEXT
    );
    INSERT INTO phases(seq, name) VALUES (1, '初评');
    -- `since`: the phase that did not take the entry.
    CREATE TABLE phase_left (
        entry TEXT PRIMARY KEY,
        since INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE phase_archive_left (
        phase INTEGER NOT NULL,
        entry TEXT NOT NULL,
        since INTEGER NOT NULL,
        PRIMARY KEY (phase, entry)
    ) WITHOUT ROWID;
    CREATE TABLE phase_sheets (
        phase        INTEGER NOT NULL,
        entry        TEXT NOT NULL,
        round        TEXT NOT NULL,
        judge        TEXT NOT NULL,
        status       TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        submitted_at TEXT,
        total        INTEGER NOT NULL DEFAULT 0,
        criteria     INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (phase, entry, round, judge)
    ) WITHOUT ROWID;
    CREATE TABLE phase_scores (
        phase      INTEGER NOT NULL,
        entry      TEXT NOT NULL,
        round      TEXT NOT NULL,
        judge      TEXT NOT NULL,
        criterion  TEXT NOT NULL,
        value      INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (phase, entry, round, judge, criterion)
    ) WITHOUT ROWID;
    CREATE TABLE phase_comments (
        phase      INTEGER NOT NULL,
        judge      TEXT NOT NULL,
        entry      TEXT NOT NULL,
        text       TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (phase, judge, entry)
    ) WITHOUT ROWID;
    CREATE TABLE phase_shortlist (
        phase      INTEGER NOT NULL,
        entry      TEXT NOT NULL,
        status     TEXT NOT NULL,
        batch      INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (phase, entry)
    ) WITHOUT ROWID;
    CREATE TABLE phase_locks (
        phase     INTEGER NOT NULL,
        grp       TEXT NOT NULL,
        round     TEXT NOT NULL,
        reason    TEXT NOT NULL,
        locked_at TEXT NOT NULL,
        PRIMARY KEY (phase, grp, round)
    ) WITHOUT ROWID;
    CREATE TABLE phase_panels (
        phase INTEGER NOT NULL,
        grp   TEXT NOT NULL,
        judge TEXT NOT NULL,
        PRIMARY KEY (phase, grp, judge)
    ) WITHOUT ROWID;
    CREATE TABLE phase_assignments (
        phase INTEGER NOT NULL,
        judge TEXT NOT NULL,
        entry TEXT NOT NULL,
        PRIMARY KEY (phase, judge, entry)
    ) WITHOUT ROWID;
    "#,
    // importfast (issue 18, import speed): `entry_texts` as a plain rowid table with its key in an
    // index of its own, instead of WITHOUT ROWID. Its rows are 1-4 KB: in a WITHOUT ROWID table
    // they sit in an index B-tree, which moves them on every split (an import at 100k spent about
    // twice the time on this table). The same columns, key and cascade; copied once.
    r#"
    ALTER TABLE entry_texts RENAME TO entry_texts_old;
    CREATE TABLE entry_texts (
        entry      TEXT PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        background TEXT NOT NULL DEFAULT '',
        problem    TEXT NOT NULL DEFAULT '',
        strategy   TEXT NOT NULL DEFAULT '',
        outcome    TEXT NOT NULL DEFAULT ''
    );
    -- In import order. A text whose entry is gone (written outside jury, with the cascade off)
    -- was unreachable already and would fail the key's check: it is not copied.
    INSERT INTO entry_texts(entry, background, problem, strategy, outcome)
        SELECT t.entry, t.background, t.problem, t.strategy, t.outcome
        FROM entry_texts_old t JOIN entries e ON e.id = t.entry ORDER BY e.seq;
    DROP TABLE entry_texts_old;
    "#,
];

/// The schema version this build writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}
