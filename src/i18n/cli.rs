//! What the command line says, in Chinese and English (issue 17). The language is resolved once,
//! in `cli::run`, from `--lang` and the locale ([`Lang::detect`]); a command forwarded to `jury
//! serve` answers in the client's language.
//!
//! Also here: the Chinese of the library's typed refusals as the command line prints them
//! ([`error`], [`import_errors`], [`problem`]); the English is their `Display`, unchanged. And the
//! one-line description of every command in `--help` ([`about`]).
//!
//! Other helpers' new command-line messages go into their own `cli_<name>.rs`, the same shape.

use crate::core::problems::{Column, ImportErrors, Place, Problem};
use crate::core::scoring::ScoreError;
use crate::error::Error;
use crate::i18n::Lang;

pub struct CliTexts {
    pub lang: Lang,
    // init
    pub created: fn(name: &str, kind: &str, groups: usize, rounds: usize, db: &str) -> String,
    pub pass_set: &'static str,
    pub no_pass_yet: &'static str,
    pub no_template: fn(name: &str) -> String,
    pub cannot_read: fn(file: &str, error: &str) -> String,
    pub give_template: &'static str,
    pub pass_too_short: &'static str,
    // import
    pub imported_entries: fn(total: usize, file: &str, added: usize, updated: usize) -> String,
    pub imported_documents: fn(total: usize, from: &str, added: usize, updated: usize, unchanged: usize) -> String,
    pub documents_with_summary: fn(summary: &str, folder: &str) -> String,
    pub documents_in: fn(folder: &str) -> String,
    pub forced_text: fn(entry: &str, sheets: usize) -> String,
    pub streams_under_lock: fn(file: &str, mb: u64) -> String,
    pub imported_judges: fn(total: usize, file: &str, added: usize, updated: usize, unchanged: usize) -> String,
    pub kept_conflicts: fn(sheets: usize) -> String,
    pub scores_unchanged: fn(unchanged: usize, file: &str) -> String,
    pub imported_scores: fn(changed: usize, file: &str) -> String,
    pub scores_already: fn(unchanged: usize) -> String,
    pub scores_drafts: fn(sheets: usize) -> String,
    pub scores_replaced: fn(sheets: usize) -> String,
    // conflicts
    pub conflict_added: fn(judge: &str, entry: &str, reason: &str) -> String,
    pub conflict_removed: fn(judge: &str, entry: &str) -> String,
    pub no_such_conflict: fn(judge: &str, entry: &str) -> String,
    pub no_conflicts: &'static str,
    pub conflict_found: &'static str,
    pub conflict_declared: &'static str,
    // the formal check
    pub missing_section: fn(entry: &str, id: &str, chinese: &str) -> String,
    pub short_section: fn(entry: &str, id: &str, chinese: &str, chars: usize, min: usize) -> String,
    pub no_group: fn(entry: &str) -> String,
    pub likely_duplicate: fn(entries: &str, title: &str, organization: &str) -> String,
    pub check_passed: fn(entries: usize) -> String,
    pub check_findings: fn(findings: usize, entries: usize) -> String,
    // tally
    pub ungrouped_stderr: fn(count: usize, ids: &str) -> String,
    pub ungrouped_table: fn(count: usize, ids: &str) -> String,
    pub demo_no_terminal: &'static str,
    // audit verify
    pub audit_intact: fn(rows: i64, head: &str) -> String,
    pub audit_broken: fn(seq: i64, problem: &str) -> String,
    pub audit_mismatch: fn(seq: Option<i64>, problem: &str) -> String,
    // exports
    pub wrote: fn(what: &str, groups: usize, rows: usize, path: &str, fingerprint: &str) -> String,
    pub the_results: &'static str,
    pub the_sheets: &'static str,
    pub the_selected: &'static str,
    pub csv_no_fingerprint: &'static str,
    pub wrote_certificates:
        fn(count: usize, first: &str, last: &str, date: &str, path: &str, fingerprint: &str) -> String,
    pub wrote_entries: fn(rows: usize, path: &str) -> String,
    pub wrote_scores: fn(rows: usize, path: &str) -> String,
    pub wrote_cards: fn(cards: usize, host: &str, port: u16, path: &str, fingerprint: &str) -> String,
    pub backed_up: fn(db: &str, file: &str, fingerprint: &str) -> String,
    // verify-print
    pub no_match_because: fn(refusal: &str) -> String,
    pub match_old: &'static str,
    pub match_short: &'static str,
    pub match_sealed: &'static str,
    pub no_match_old: &'static str,
    pub no_match_sealed: &'static str,
    pub no_seal_yet: &'static str,
    pub now: fn(now: &str) -> String,
    // locks, reopen, passwd, unpause, assign
    pub locked: fn(group: &str, round: &str) -> String,
    pub unlocked: fn(group: &str, round: &str) -> String,
    pub reopened: fn(judge: &str, entry: &str, round: &str) -> String,
    pub give_round: &'static str,
    pub pass_reset: &'static str,
    pub unpaused: fn(judge: &str) -> String,
    pub not_paused: fn(judge: &str) -> String,
    pub panel: fn(group: &str, count: usize, judges: &str) -> String,
    pub assigned: fn(reviews: usize, per_entry: usize) -> String,
    pub warning_forced: fn(warning: &str) -> String,
    // shortlist
    pub proposed: fn(cases: usize) -> String,
    pub target_not_met: fn(what: &str) -> String,
    pub now_status: fn(cases: usize, status: &str) -> String,
    pub by_group: fn(at_least: usize) -> String,
    pub by_county: fn(at_most: Option<usize>) -> String,
    pub chosen_cases: fn(count: usize) -> String,
    pub flagged_not_chosen: fn(count: usize) -> String,
    pub batch: fn(batch: i64) -> String,
    pub unknown_status: fn(status: &str) -> String,
    // the organiser's passphrase before a command
    pub ask_pass: fn(command: &str) -> String,
    pub needs_pass: fn(command: &str) -> String,
    pub wrong_pass_last: fn(command: &str, pause_secs: u64) -> String,
    pub wrong_pass: fn(command: &str, tries_left: u32, pause_secs: u64) -> String,
    pub pass_paused: fn(command: &str, secs: u64) -> String,
    pub waiting: &'static str,
    // the results CSV's headers (a document for people; `tally --format csv` keeps the keys)
    pub csv_headers: [&'static str; 7],
    pub csv_people: [&'static str; 3],
    pub csv_flags: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    // stage and calibration
    pub nothing_on_stage: &'static str,
    /// group, entry, name, organisation, round id, round name, result.
    pub on_stage: fn(&str, &str, &str, &str, &str, &str, &str) -> String,
    pub result_hidden: &'static str,
    pub result_revealed: &'static str,
    pub result_provisional: fn(missing: usize, total: usize) -> String,
    pub submitted_list: fn(done: usize, total: usize, list: &str) -> String,
    pub judge_in: &'static str,
    pub judge_waiting: &'static str,
    pub calibration_added: fn(entries: usize) -> String,
    pub calibration_removed: fn(entries: usize) -> String,
    // corrections
    pub withdrawn: fn(entry: &str, kind: &str, kind_zh: &str) -> String,
    pub restored: fn(entry: &str, was: &str) -> String,
    pub unknown_kind: fn(kind: &str) -> String,
}

pub fn texts(lang: Lang) -> &'static CliTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

static EN: CliTexts = CliTexts {
    lang: Lang::En,
    created: |name, kind, groups, rounds, db| {
        format!("Created the contest \"{name}\" ({kind}, {groups} groups, {rounds} rounds) in {db}")
    },
    pass_set: "The organiser passphrase is set.",
    no_pass_yet: "No organiser passphrase yet: the console stays locked until `jury passwd --organiser`.",
    no_template: |t| format!("no template named {t}"),
    cannot_read: |file, e| format!("{file}: cannot be read: {e}"),
    give_template: "give --template cases|competition or --rubric FILE",
    pass_too_short: "the organiser passphrase needs at least 6 characters",
    imported_entries: |total, file, added, updated| {
        format!("Imported {total} entries from {file} ({added} new, {updated} updated)")
    },
    imported_documents: |total, from, added, updated, unchanged| {
        format!("Imported {total} entries from {from} ({added} new, {updated} updated, {unchanged} unchanged)")
    },
    documents_with_summary: |s, f| format!("{s} and the documents in {f}"),
    documents_in: |f| format!("the documents in {f}"),
    forced_text: |entry, sheets| {
        format!(
            "{entry}: its text was replaced although {sheets} sheets were submitted for it (--force; see jury audit log)"
        )
    },
    streams_under_lock: |file, mb| {
        format!(
            "jury: {file} is over {mb} MB (or not a regular file): it is checked and written as it is read, and the \
             workspace stays locked for writing until the import ends; judges' screens wait meanwhile"
        )
    },
    imported_judges: |total, file, added, updated, unchanged| {
        format!("Imported {total} judges from {file} ({added} new, {updated} updated, {unchanged} unchanged)")
    },
    kept_conflicts: |n| format!("; {n} sheets kept although they now conflict (see jury audit log)"),
    scores_unchanged: |n, file| format!("Nothing changed: the {n} scores in {file} are already stored as they are"),
    imported_scores: |n, file| format!("Imported {n} scores from {file}"),
    scores_already: |n| format!("; {n} were already stored"),
    scores_drafts: |n| match n {
        1 => "; 1 sheet stored as a draft".to_string(),
        n => format!("; {n} sheets stored as drafts"),
    },
    scores_replaced: |n| format!("; {n} submitted sheets replaced"),
    conflict_added: |judge, entry, reason| format!("{judge} may not score {entry} ({reason})"),
    conflict_removed: |judge, entry| format!("Removed the conflict between {judge} and {entry}"),
    no_such_conflict: |judge, entry| format!("no declared conflict between {judge} and {entry}"),
    no_conflicts: "No conflicts of interest.",
    conflict_found: "found",
    conflict_declared: "declared",
    missing_section: |entry, id, zh| format!("{entry}\tmissing section\t{id} ({zh}) is empty"),
    short_section: |entry, id, zh, chars, min| {
        format!("{entry}\tshort section\t{id} ({zh}) has {chars} characters (fewer than {min})")
    },
    no_group: |entry| format!("{entry}\tno group\tthe entry has no group (组别)"),
    likely_duplicate: |entries, title, org| {
        format!("{entries}\tlikely duplicate\tsame title \"{title}\" and organisation \"{org}\"")
    },
    check_passed: |n| format!("Formal check passed: {n} entries, nothing to report."),
    check_findings: |f, n| format!("jury check: {f} finding{} in {n} entries", plural(f, "", "s")),
    ungrouped_stderr: |n, ids| format!("jury: {n} entries have no group and are not in the tally: {ids}"),
    ungrouped_table: |n, ids| format!("{n} entries have no group and are not ranked: {ids} (run `jury check`)"),
    demo_no_terminal: "jury demo: the judges' screen needs a terminal; printing the demo's tally instead",
    audit_intact: |rows, head| format!("The audit trail is intact: {rows} rows, head {head}"),
    audit_broken: |seq, problem| format!("The audit trail is broken at row {seq}: {problem}"),
    audit_mismatch: |seq, problem| {
        let at = seq.map_or(String::new(), |seq| format!(" (row {seq})"));
        format!("The audit trail does not match the data{at}: {problem}")
    },
    wrote: |what, groups, rows, path, fp| {
        format!("Wrote {what} ({groups} groups, {rows} rows) to {path}\nFingerprint: {fp}")
    },
    the_results: "the results",
    the_sheets: "the score sheets",
    the_selected: "the selected cases",
    csv_no_fingerprint: "(a CSV file cannot carry the fingerprint inside; keep it with the file)",
    wrote_certificates: |n, first, last, date, path, fp| {
        format!("Wrote {n} certificates ({first} to {last}, dated {date}) to {path}\nFingerprint: {fp}")
    },
    wrote_entries: |n, path| format!("Wrote {n} entries to {path}"),
    wrote_scores: |n, path| format!("Wrote {n} scores to {path}"),
    wrote_cards: |n, host, port, path, fp| {
        format!("Wrote {n} connect cards for {host} port {port} to {path}\nHost key fingerprint: {fp}")
    },
    backed_up: |db, file, fp| {
        format!("Backed up {db} to {file}\nFingerprint of the copy: {fp}\nOpen it with: jury --db {file}")
    },
    no_match_because: |r| format!("NO MATCH: {r}"),
    match_old: "MATCH: the printout was made from the scores in this workspace (old form).",
    match_short: "MATCH: the printout was made from the content of this workspace (short form: the audit head was not checked).",
    match_sealed: "MATCH: the printout was made from this workspace, and nothing changed since.",
    no_match_old: "NO MATCH: the scores in this workspace differ from those the printout was made from.",
    no_match_sealed: "NO MATCH: this workspace is not the one the printout was made from, or it changed since.",
    no_seal_yet: "  this workspace has no seal yet (made by an earlier jury and read-only since)",
    now: |now| format!("  now: {now}"),
    locked: |g, r| format!("Locked {g} / {r}: no further changes until unlocked."),
    unlocked: |g, r| format!("Unlocked {g} / {r}."),
    reopened: |judge, entry, round| format!("Reopened {judge}'s sheet for {entry} / {round}."),
    give_round: "the contest has several rounds: give --round",
    pass_reset: "The organiser passphrase is reset (recorded in the audit trail).",
    unpaused: |j| format!("{j}'s login pause is lifted: the right PIN works now."),
    not_paused: |j| format!("{j} had no login pause; the wrong tries are cleared."),
    panel: |g, n, judges| format!("{g}: panel of {n} judges ({judges})"),
    assigned: |n, k| format!("Assigned {n} reviews ({k} per entry)."),
    warning_forced: |w| format!("jury: warning: {w} (assigned anyway: --force)"),
    proposed: |n| format!("Proposed {n} cases."),
    target_not_met: |u| format!("jury: target not met: {u}"),
    now_status: |n, st| format!("{n} cases are now {st}."),
    by_group: |min| match min {
        0 => "\nby group (chosen):".to_string(),
        m => format!("\nby group (chosen, at least {m}):"),
    },
    by_county: |max| match max {
        None => "\nby county (chosen):".to_string(),
        Some(m) => format!("\nby county (chosen, at most {m}):"),
    },
    chosen_cases: |n| format!("\nchosen cases ({n}):"),
    flagged_not_chosen: |n| format!("\nflagged by the formal check, not chosen ({n}):"),
    batch: |b| format!("batch {b}"),
    unknown_status: |s| format!("unknown status \"{s}\"; use pending, shortlisted, selected or rejected"),
    ask_pass: |name| format!("Organiser passphrase for `jury {name}`: "),
    needs_pass: |name| {
        format!(
            "`jury {name}` needs the organiser passphrase: one is set for this workspace, and every command but the \
             projector (`show`), `find`, `verify-print`, `rubric --template` and the judges' screen is the \
             organiser's. Type it when asked on a terminal, or give it in JURY_ORGANISER_PASS (scripts) or with \
             --organiser-pass PASS. Nothing was changed."
        )
    },
    wrong_pass_last: |name, pause| {
        format!(
            "`jury {name}`: wrong organiser passphrase; that was the third: every try, even the right one, is \
             refused for the next {pause} s. Nothing was changed."
        )
    },
    wrong_pass: |name, left, pause| {
        format!(
            "`jury {name}`: wrong organiser passphrase ({left} more {} before a pause of {pause} s). Nothing was \
             changed.",
            if left == 1 { "try" } else { "tries" }
        )
    },
    pass_paused: |name, secs| {
        format!(
            "`jury {name}` is refused: three wrong organiser passphrases; every try, even the right one, is refused \
             for another {secs} s. Nothing was changed."
        )
    },
    waiting: "jury: waiting: another jury process is writing to the workspace (an import, or a process that was \
              stopped); this goes on as soon as it is done...",
    csv_headers: ["group", "rank", "id", "title", "final", "award", "complete"],
    csv_people: ["name", "organization", "county"],
    csv_flags: "flags",
    yes: "true",
    no: "false",
    nothing_on_stage: "Nothing is on stage. Start with `jury stage next` or `jury stage set ENTRY`.",
    on_stage: |group, entry, name, org, round, round_name, result| {
        format!("On stage: {group} {entry} {name} ({org}), round {round} ({round_name}), result {result}")
    },
    result_hidden: "hidden until revealed",
    result_revealed: "revealed",
    result_provisional: |missing, total| format!("revealed, provisional (暂定): {missing} of {total} judges not in"),
    submitted_list: |done, total, list| format!("Submitted {done}/{total}: {list}"),
    judge_in: "submitted",
    judge_waiting: "waiting",
    calibration_added: |n| {
        format!("{n} entries marked as calibration samples (试评); their scores never enter the results")
    },
    calibration_removed: |n| format!("{n} entries are ordinary entries again; their submitted scores now count"),
    withdrawn: |entry, kind, zh| {
        format!("{entry} is {kind} ({zh}): out of the ranking, its scores kept (recorded in the audit trail).")
    },
    restored: |entry, was| format!("{entry} is back in the ranking (it was {was})."),
    unknown_kind: |kind| format!("unknown kind \"{kind}\"; use withdrawn or disqualified"),
};

static ZH: CliTexts = CliTexts {
    lang: Lang::Zh,
    created: |name, kind, groups, rounds, db| {
        let kind = match kind {
            "cases" => "典型案例遴选",
            "competition" => "技能大赛",
            other => other,
        };
        format!("已在 {db} 创建比赛「{name}」（{kind}，{groups} 个组别，{rounds} 轮评审）")
    },
    pass_set: "组织者口令已设置。",
    no_pass_yet: "尚未设置组织者口令：运行 `jury passwd --organiser` 之前，组织者控制台保持锁定。",
    no_template: |t| format!("没有名为 {t} 的模板"),
    cannot_read: |file, e| format!("{file}：无法读取：{e}"),
    give_template: "请给出 --template cases|competition 或 --rubric 文件",
    pass_too_short: "组织者口令至少需要 6 个字符",
    imported_entries: |total, file, added, updated| {
        format!("已从 {file} 导入 {total} 个条目（新增 {added} 个，更新 {updated} 个）")
    },
    imported_documents: |total, from, added, updated, unchanged| {
        format!("已从{from}导入 {total} 个条目（新增 {added} 个，更新 {updated} 个，未变 {unchanged} 个）")
    },
    documents_with_summary: |s, f| format!(" {s} 和 {f} 中的文档"),
    documents_in: |f| format!(" {f} 中的文档"),
    forced_text: |entry, sheets| {
        format!("{entry}：已有 {sheets} 份提交的评分表，其文本仍被替换（--force；见 jury audit log）")
    },
    streams_under_lock: |file, mb| {
        format!(
            "jury：{file} 超过 {mb} MB（或不是普通文件）：边读边检查边写入，导入结束前工作区对写入保持锁定，评委界面会等待"
        )
    },
    imported_judges: |total, file, added, updated, unchanged| {
        format!("已从 {file} 导入 {total} 位评委（新增 {added} 位，更新 {updated} 位，未变 {unchanged} 位）")
    },
    kept_conflicts: |n| format!("；{n} 份评分表虽已构成回避仍予保留（见 jury audit log）"),
    scores_unchanged: |n, file| format!("没有变化：{file} 中的 {n} 个分数已按原样保存"),
    imported_scores: |n, file| format!("已从 {file} 导入 {n} 个分数"),
    scores_already: |n| format!("；{n} 个此前已保存"),
    scores_drafts: |n| format!("；{n} 份评分表存为草稿"),
    scores_replaced: |n| format!("；替换了 {n} 份已提交的评分表"),
    conflict_added: |judge, entry, reason| format!("{judge} 回避 {entry}（{reason}）"),
    conflict_removed: |judge, entry| format!("已取消 {judge} 与 {entry} 的回避"),
    no_such_conflict: |judge, entry| format!("{judge} 与 {entry} 之间没有声明的回避"),
    no_conflicts: "没有回避关系。",
    conflict_found: "同单位",
    conflict_declared: "已声明",
    missing_section: |entry, id, zh| format!("{entry}\t缺少部分\t{zh}（{id}）为空"),
    short_section: |entry, id, zh, chars, min| {
        format!("{entry}\t部分过短\t{zh}（{id}）只有 {chars} 个字（少于 {min}）")
    },
    no_group: |entry| format!("{entry}\t没有组别\t该条目没有组别"),
    likely_duplicate: |entries, title, org| format!("{entries}\t疑似重复\t标题「{title}」和单位「{org}」相同"),
    check_passed: |n| format!("形式审查通过：共 {n} 个条目，没有问题。"),
    check_findings: |f, n| format!("jury check：{n} 个条目中发现 {f} 个问题"),
    ungrouped_stderr: |n, ids| format!("jury：{n} 个条目没有组别，不在汇总中：{ids}"),
    ungrouped_table: |n, ids| format!("{n} 个条目没有组别，未参与排名：{ids}（请运行 `jury check`）"),
    demo_no_terminal: "jury demo：评分界面需要终端；改为打印演示的汇总结果",
    audit_intact: |rows, head| format!("审计记录完整：共 {rows} 行，链头 {head}"),
    audit_broken: |seq, problem| format!("审计记录在第 {seq} 行断开：{problem}"),
    audit_mismatch: |seq, problem| {
        let at = seq.map_or(String::new(), |seq| format!("（第 {seq} 行）"));
        format!("审计记录与数据不符{at}：{problem}")
    },
    wrote: |what, groups, rows, path, fp| format!("已将{what}（{groups} 个组别，{rows} 行）写入 {path}\n指纹：{fp}"),
    the_results: "成绩",
    the_sheets: "评分表",
    the_selected: "入选案例",
    csv_no_fingerprint: "（CSV 文件内无法记录指纹，请与文件一并保存）",
    wrote_certificates: |n, first, last, date, path, fp| {
        format!("已将 {n} 张证书（{first} 至 {last}，日期 {date}）写入 {path}\n指纹：{fp}")
    },
    wrote_entries: |n, path| format!("已将 {n} 个条目写入 {path}"),
    wrote_scores: |n, path| format!("已将 {n} 个分数写入 {path}"),
    wrote_cards: |n, host, port, path, fp| {
        format!("已将 {n} 张连接卡片（{host} 端口 {port}）写入 {path}\n主机密钥指纹：{fp}")
    },
    backed_up: |db, file, fp| format!("已将 {db} 备份到 {file}\n副本的指纹：{fp}\n打开方式：jury --db {file}"),
    no_match_because: |r| format!("不符：{r}"),
    match_old: "相符：该打印件由本工作区中的分数生成（旧格式）。",
    match_short: "相符：该打印件由本工作区的内容生成（短格式：未核对审计链头）。",
    match_sealed: "相符：该打印件由本工作区生成，此后没有任何改动。",
    no_match_old: "不符：本工作区中的分数与生成该打印件时不同。",
    no_match_sealed: "不符：该打印件不是由本工作区生成的，或此后有过改动。",
    no_seal_yet: "  本工作区还没有封记（由早期版本的 jury 创建，此后只读）",
    now: |now| format!("  现在：{now}"),
    locked: |g, r| format!("已锁定 {g} / {r}：解锁之前不能再作任何改动。"),
    unlocked: |g, r| format!("已解锁 {g} / {r}。"),
    reopened: |judge, entry, round| format!("已退回 {judge} 对 {entry} / {round} 的评分表。"),
    give_round: "本比赛有多个环节：请给出 --round",
    pass_reset: "组织者口令已重置（已记入审计记录）。",
    unpaused: |j| format!("已解除 {j} 的登录暂停：输入正确的密码即可登录。"),
    not_paused: |j| format!("{j} 没有登录暂停；错误次数已清零。"),
    panel: |g, n, judges| format!("{g}：评委组 {n} 人（{judges}）"),
    assigned: |n, k| format!("已分配 {n} 次评审（每个条目 {k} 位评委）。"),
    warning_forced: |w| format!("jury：警告：{w}（已按 --force 照样分配）"),
    proposed: |n| format!("已推荐 {n} 个案例。"),
    target_not_met: |u| format!("jury：未达到目标：{u}"),
    now_status: |n, st| format!("{n} 个案例现为{st}。"),
    by_group: |min| match min {
        0 => "\n按组别（已选）：".to_string(),
        m => format!("\n按组别（已选，至少 {m} 个）："),
    },
    by_county: |max| match max {
        None => "\n按县市区（已选）：".to_string(),
        Some(m) => format!("\n按县市区（已选，至多 {m} 个）："),
    },
    chosen_cases: |n| format!("\n已选案例（{n}）："),
    flagged_not_chosen: |n| format!("\n形式审查有问题、未选的案例（{n}）："),
    batch: |b| format!("第 {b} 批"),
    unknown_status: |s| format!("未知的状态「{s}」；可用 pending、shortlisted、selected 或 rejected"),
    ask_pass: |name| format!("`jury {name}` 需要组织者口令："),
    needs_pass: |name| {
        format!(
            "`jury {name}` 需要组织者口令：本工作区已设置口令，除投影屏（`show`）、`find`、`verify-print`、\
             `rubric --template` 和评分界面外的命令都属于组织者。请在终端提示时输入，或在 JURY_ORGANISER_PASS \
             （脚本）中或用 --organiser-pass 口令给出。没有任何改动。"
        )
    },
    wrong_pass_last: |name, pause| {
        format!(
            "`jury {name}`：组织者口令错误，已是第三次：接下来 {pause} 秒内任何尝试（即使正确）都会被拒绝。没有任何改动。"
        )
    },
    wrong_pass: |name, left, pause| {
        format!("`jury {name}`：组织者口令错误（再错 {left} 次将暂停 {pause} 秒）。没有任何改动。")
    },
    pass_paused: |name, secs| {
        format!(
            "`jury {name}` 被拒绝：组织者口令已错三次；之后 {secs} 秒内任何尝试（即使正确）都会被拒绝。没有任何改动。"
        )
    },
    waiting: "jury：等待中：另一个 jury 进程正在写入工作区（导入，或被暂停的进程）；它一结束就继续……",
    csv_headers: ["组别", "名次", "编号", "标题", "最终得分", "奖项", "是否完成"],
    csv_people: ["姓名", "单位", "县市区"],
    csv_flags: "分差过大",
    yes: "是",
    no: "否",
    nothing_on_stage: "台上还没有选手。请用 `jury stage next` 或 `jury stage set 编号` 开始。",
    on_stage: |group, entry, name, org, _round, round_name, result| {
        format!("台上：{group} {entry} {name}（{org}），环节 {round_name}，成绩{result}")
    },
    result_hidden: "亮分前隐藏",
    result_revealed: "已亮分",
    result_provisional: |missing, total| format!("已亮分（暂定）：{total} 位评委中 {missing} 位未提交"),
    submitted_list: |done, total, list| format!("已提交 {done}/{total}：{list}"),
    judge_in: "已提交",
    judge_waiting: "等待中",
    calibration_added: |n| format!("{n} 个条目设为试评样本；其分数不计入成绩"),
    calibration_removed: |n| format!("{n} 个条目恢复为普通条目；其已提交的分数现在计入"),
    withdrawn: |entry, _kind, zh| format!("{entry} 已{zh}：退出排名，分数保留（已记入审计记录）。"),
    restored: |entry, was| {
        let was = match was {
            "withdrawn" => "弃权",
            "disqualified" => "取消资格",
            other => other,
        };
        format!("{entry} 已回到排名（此前为{was}）。")
    },
    unknown_kind: |kind| format!("未知的类型「{kind}」；可用 withdrawn（弃权）或 disqualified（取消资格）"),
};

/// The Chinese of a file's column as messages name it: `column C (group)` is `第 C 列（group）`,
/// `field "group"` is `字段 "group"`.
pub(crate) fn column_zh(column: &Column) -> String {
    let label = column.label.as_str();
    if let Some(rest) = label.strip_prefix("column ") {
        return match rest.split_once(' ') {
            Some((letters, header)) => {
                let header = header
                    .strip_prefix('(')
                    .and_then(|h| h.strip_suffix(')'))
                    .unwrap_or(header);
                format!("第 {letters} 列（{header}）")
            }
            None => format!("第 {rest} 列"),
        };
    }
    if let Some(rest) = label.strip_prefix("field ") {
        return format!("字段 {rest}");
    }
    label.to_string()
}

pub(crate) fn place_zh(place: &Place) -> String {
    match place {
        Place::Row(n) => format!("第 {n} 行"),
        Place::Element(n) => format!("第 {n} 个元素"),
        Place::Text(t) => crate::i18n::cli_zhrest::place_text_zh(t),
    }
}

fn score_error_zh(e: &ScoreError) -> String {
    match e {
        ScoreError::Empty => "为空".to_string(),
        ScoreError::NotANumber(t) if t.contains(',') || t.contains('，') => {
            format!("\"{t}\" 不是数字（小数点请用 .）")
        }
        ScoreError::NotANumber(t) => format!("\"{t}\" 不是数字"),
        ScoreError::TooPrecise(t) => format!("\"{t}\" 超过 4 位小数"),
        ScoreError::TooLarge(t) => format!("\"{t}\" 太大"),
        ScoreError::Negative(v) => format!("{v} 小于 0"),
        ScoreError::OverMax { value, max } => format!("{value} 超过满分 {max}"),
        ScoreError::OffStep { value, step } => format!("{value} 不是 {step} 的整数倍"),
    }
}

/// One import problem in `lang` (English: its `Display`, unchanged).
pub fn problem(p: &Problem, lang: Lang) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    use Problem::*;
    match p {
        NotANumber { error, .. } => format!("分数 {}；应为 18 或 18.5 这样的数字", score_error_zh(error)),
        EmptyScore => "分数为空；每行都需要一个分数，如 18 或 18.5".to_string(),
        BelowZero { value } => format!("分数 {value} 小于 0"),
        OverMax {
            value,
            max,
            criterion,
            name,
        } => format!("分数 {value} 超过 {name}（{criterion}）的满分 {max}"),
        OffStep { value, step } => format!("分数 {value} 不是步长 {step} 的整数倍"),
        BadOrder { text } => format!("出场顺序 \"{text}\" 必须是从 1 开始的整数"),
        MissingColumn { what, accepted } => crate::i18n::cli_zhrest::missing_column(*what, accepted),
        MissingIdColumn { accepted } => format!("没有编号列；表头行必须写明各列名称。可用的表头：{accepted}"),
        MissingTitleColumn => "需要标题列或姓名列".to_string(),
        MissingColumns { missing, accepted } => format!(
            "缺少列 {}；长格式为 judge,entry,round,criterion,score（可用的表头：{accepted}）",
            missing.join(", ")
        ),
        UnknownJudge { judge } => format!("未知的评委 \"{judge}\"；请先导入评委"),
        UnknownEntry { entry } => format!("未知的条目 \"{entry}\""),
        UnknownRound { round, known } => format!("未知的环节 \"{round}\"；现有环节：{}", known.join(", ")),
        UnknownCriterion {
            criterion,
            round,
            known,
        } => format!(
            "环节 {round} 中没有评分项 \"{criterion}\"；其评分项：{}",
            known.join(", ")
        ),
        UnknownGroup { group, groups } => format!("未知的组别 \"{group}\"；本比赛的组别：{}", groups.join(", ")),
        DuplicateEntry { id, first } => format!("编号 \"{id}\" 在本文件中出现两次（首次在{}）", place_zh(first)),
        DuplicateJudge { id, first } => format!("编号 \"{id}\" 出现两次（首次在第 {first} 行）"),
        DuplicateScore {
            judge,
            entry,
            round,
            criterion,
            first,
        } => format!("本文件中 {judge}/{entry}/{round}/{criterion} 有第二个分数（首次在第 {first} 行）；请只保留一个"),
        DuplicateField { field, already } => format!("表头再次出现 \"{field}\"（已有 {already}）"),
        DuplicateHeader { also } => format!("表头重复（另见 {also}）"),
        EntryStored { id } => format!("编号 \"{id}\" 已在工作区中；如要替换已保存的条目，请用 --update"),
        JudgeStored { id } => {
            format!("评委 \"{id}\" 已在工作区中；如要替换已保存的评委，请用 --update（其评分表保留）")
        }
        NotText { byte, line } => format!(
            "文本既不是 UTF-8 也不是 GBK/GB18030（第 {line} 行的字节 0x{byte:02X} 无法读取）；请另存为“CSV UTF-8”或 Excel 工作簿"
        ),
        BadByteOrderMark { encoding } => format!("文件以 {encoding} 字节顺序标记开头，但内容不是有效的 {encoding}"),
        Conflict { judge, entry, reason } => format!("评委 {judge} 与 {entry} 存在回避关系（{reason}），不能评分"),
        NotAssigned { judge, entry } => {
            format!("评委 {judge} 没有被分配评审 {entry}；评审分配由组织者进行（jury assign）")
        }
        Locked { group, round, reason } => format!(
            "{} / {round} 的成绩已锁定（{reason}）；须由组织者先解锁",
            group.as_deref().unwrap_or("*")
        ),
        BadStatus { status } => format!("状态 \"{status}\" 既不是 draft 也不是 submitted（留空即为 submitted）"),
        BadPin => "密码至少 4 个字符且不含空格（通常为 4 位数字）".to_string(),
        DocxPackage(p) => crate::i18n::cli_zhlast::docx_package(p, lang),
        other => crate::i18n::cli_msgs::problem_zh(other),
    }
}

/// A refused import in `lang`: every problem with its file, row and column, then that nothing was
/// imported (English: its `Display`, unchanged).
pub fn import_errors(e: &ImportErrors, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let mut out = String::new();
    for p in &e.problems {
        out.push_str(&e.file);
        if let Some(place) = &p.place {
            out.push('：');
            out.push_str(&place_zh(place));
        }
        if let Some(column) = &p.column {
            out.push('，');
            out.push_str(&column_zh(column));
        }
        out.push('：');
        out.push_str(&problem(&p.problem, lang));
        out.push('\n');
    }
    if e.more > 0 {
        out.push_str(&format!("{}：另有 {} 个问题\n", e.file, e.more));
    }
    out.push_str("未导入任何内容，工作区没有改变。");
    out
}

/// The library's error as the command line prints it in `lang`. English: its `Display`,
/// unchanged. Chinese: the typed refusals translated; a free-form refusal (`Error::Refused`)
/// keeps its text.
pub fn error(e: &Error, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        Error::Import(errors) => import_errors(errors, lang),
        Error::NotInitialised(path) => format!(
            "工作区 {} 还没有比赛：请先运行 `jury init --template cases|competition`",
            path.display()
        ),
        Error::AlreadyInitialised(path, name) => format!(
            "工作区 {} 已有比赛「{name}」；新比赛请用另一个 --db 文件",
            path.display()
        ),
        Error::NotAllIn {
            entry,
            round,
            missing,
            total,
        } => format!(
            "{total} 位评委中有 {} 位尚未提交 {entry} / {round}（{}）；所有评委提交之前成绩不公布。\
             如要先行公布（标为暂定），请用 `jury stage reveal --provisional`",
            missing.len(),
            missing.join(", ")
        ),
        Error::DiskFull { path, message } => format!(
            "磁盘已满：{} 无法增大（{message}）；没有保存任何内容。请在该磁盘上腾出空间后重试；此前保存的内容完好",
            path.display()
        ),
        Error::Busy { path, waited_secs } => format!(
            "另一个 jury 进程正在写入 {}，已占用超过 {waited_secs} 秒：可能是导入，或写入中途被暂停（Ctrl+Z、SIGSTOP）的进程。\
             没有保存任何内容。请等它结束，或让它继续（`fg`、`kill -CONT PID`）或结束它，然后重试",
            path.display()
        ),
        Error::WorkspaceGone { path } => format!(
            "工作区 {} 在打开期间被删除或被另一个文件替换；本会话不再保存任何内容。请重新打开工作区（如已删除，请恢复最近的备份）",
            path.display()
        ),
        Error::ReadOnlyFile { path } => format!(
            "工作区 {} 对您是只读的，无法保存：请使其可写（`chmod u+w`，或询问文件所有者），或打开一个副本",
            path.display()
        ),
        Error::FolderNotWritable { folder, file } => format!(
            "文件夹 {} 对您不可写：SQLite 要在工作区旁边保存 -wal 和 -shm 文件，因此无法保存。工作区 {} 本身没有损坏：\
             请给您的账户该文件夹的写权限，或把工作区移到您能写入的文件夹",
            folder.display(),
            file.display()
        ),
        Error::Organiser(refusal) => (crate::i18n::console::texts(true).organiser_refusal)(refusal),
        Error::Damaged { path, message } => {
            format!("{}：{}", path.display(), crate::i18n::cli_zhlast::damage_zh(message))
        }
        Error::Sqlite(e) => crate::i18n::cli_zhlast::sqlite_zh(e),
        Error::NoWorkspace(path) => format!(
            "{}：这里没有工作区；请先运行 `jury init --template cases|competition`（或 `jury init --rubric 文件`），\
             或用 --db 路径 给出比赛的文件",
            path.display()
        ),
        Error::Paper(r) => (crate::i18n::cli_paper::texts(lang).refusal)(r),
        Error::ImportUndo(r) => (crate::i18n::cli_importlog::texts(lang).refusal)(r),
        Error::RubricChange(r) => (crate::i18n::cli_rubricapply::texts(lang).refusal)(r),
        Error::Discussion(r) => (crate::i18n::cli_discuss::texts(lang).refusal)(r),
        Error::Phase(r) => (crate::i18n::cli_phases::texts(lang).refusal)(r),
        Error::Store(_)
        | Error::File(_)
        | Error::Export(_)
        | Error::Stage(_)
        | Error::Serve(_)
        | Error::Workspace(_)
        | Error::Command(_)
        | Error::Reason(_)
        | Error::Judging(_) => crate::i18n::cli_refusals::translate(e, lang).unwrap_or_else(|| e.to_string()),
        Error::Rubric(r) => crate::i18n::cli_msgs::rubric_error(r, lang),
        Error::Io(e) => crate::i18n::cli_zhlast::io_zh(e),
        Error::Refused(_) => e.to_string(),
    }
}

/// The one-line description of a command in `--help` in Chinese, by its path (`import entries`);
/// `None` for English (the doc comments) or a command not listed.
pub fn about(path: &str, lang: Lang) -> Option<&'static str> {
    if lang == Lang::En {
        return None;
    }
    ABOUT_ZH.iter().find(|(p, _)| *p == path).map(|(_, a)| *a)
}

/// The help of the options every command has (and of clap's own flags) in Chinese, by the
/// argument's id; `None` for English or another option (whose help stays English).
pub fn arg_help(id: &str, lang: Lang) -> Option<&'static str> {
    if lang == Lang::En {
        return None;
    }
    Some(match id {
        "db" => "工作区文件（每个比赛一个）。默认：数据文件夹中的 jury/workspace.jury",
        "lang" => "界面和命令行的语言：zh 或 en（默认：LC_ALL、LC_MESSAGES、LANG 为 zh_* 时用中文）",
        "judge" => "不带命令时：打开评分界面并选中该评委（仍需输入密码）",
        "organiser" => "不带命令时：输入组织者口令后打开组织者控制台",
        "organiser_pass" => {
            "组织者口令。设置后，除 show、find、verify-print、rubric --template、demo 和评分界面外的命令都需要它；在终端上会询问。脚本中请用 JURY_ORGANISER_PASS"
        }
        "help" => "显示帮助",
        "version" => "显示版本",
        _ => return None,
    })
}

/// The help's headings in Chinese (usage, commands, options), `None` for English.
pub fn help_headings(lang: Lang) -> Option<(&'static str, &'static str, &'static str)> {
    (lang == Lang::Zh).then_some(("用法", "命令", "选项"))
}

/// Every command's description in Chinese; "" is `jury` itself.
pub static ABOUT_ZH: &[(&str, &str)] = &[
    ("", "评审打分：典型案例遴选与现场技能大赛"),
    ("help", "显示本帮助，或指定命令的帮助"),
    ("init", "用内置模板或评分细则文件在工作区中创建比赛"),
    ("import", "导入条目、评委或录入的评分表（CSV、GBK CSV、XLSX 或 JSON）"),
    (
        "import entries",
        "导入条目：编号、标题、组别、单位、县市区等；也可导入一个 .docx 案例文件夹",
    ),
    (
        "import judges",
        "导入评委：编号、姓名、单位、县市区、密码（只保存加盐哈希）",
    ),
    (
        "import scores",
        "导入长格式评分 judge,entry,round,criterion,score[,status]",
    ),
    ("conflict", "声明、列出或取消回避关系"),
    ("conflict add", "声明评委 JUDGE 不得评 ENTRY"),
    ("conflict list", "列出所有回避关系（声明的和同单位的）"),
    ("conflict remove", "取消一条声明的回避"),
    ("check", "形式审查：缺少或过短的部分、没有组别的条目、疑似重复"),
    ("tally", "按组别精确计算排名结果"),
    ("stats", "按组别和环节的评委统计：均值、宽严、一致性和评委总分分布"),
    ("rubric", "打印本比赛的评分细则，或用 --template 打印内置模板"),
    ("audit", "审计记录：每一次改动，哈希链相连"),
    ("audit log", "显示历史记录，可按条目和/或评委筛选"),
    ("audit verify", "重新计算哈希链，指出第一处不符的行"),
    (
        "demo",
        "在临时工作区中打开内置演示的评分界面（没有终端时打印演示的汇总）",
    ),
    (
        "score",
        "评分界面（单独运行 jury 即打开）：用密码登录、阅读、打分、提交",
    ),
    ("passwd", "设置组织者口令"),
    ("assign", "为组别指定评委组，或为每个案例分配 N 位评委"),
    ("lock", "锁定组别和/或环节的成绩：此后不能再改动，导入也不能"),
    ("unlock", "解除锁定（须说明理由）"),
    ("reopen", "退回评委已提交的评分表（须说明理由）"),
    ("shortlist", "案例遴选：按名次和目标推荐、显示统计、设置状态"),
    ("shortlist propose", "按名次在目标范围内推荐案例"),
    ("shortlist show", "显示各状态的数量及按组别、县市区的统计"),
    ("shortlist set", "设置案例的状态"),
    (
        "export",
        "打印件和文件：成绩（HTML/XLSX/CSV/Markdown/Word）、评分表、备份",
    ),
    (
        "export results",
        "按组别的排名结果：可打印的 HTML、XLSX、CSV（带 BOM 的 UTF-8）、Markdown 或 Word",
    ),
    ("export sheets", "每位评委各组的评分表，含评语和签名栏"),
    ("export selected", "按批次和主题列出入选案例，供公布"),
    ("export certificates", "荣誉证书：每位获奖者一页 A4 横向，可打印的 HTML"),
    (
        "export entries",
        "导出全部条目（jury import entries 可读的格式：CSV、XLSX 或 JSON）",
    ),
    ("export scores", "导出全部分数（含草稿），jury import scores 可读的格式"),
    (
        "export connect-cards",
        "给每位评委一张连接卡片：jury serve 的地址、评委编号和主机密钥指纹（不含密码）",
    ),
    ("export backup", "整个工作区的一致副本，评委评分期间也可安全进行"),
    ("verify-print", "用打印件上的指纹核对工作区：相符时退出码为 0"),
    (
        "show",
        "评审室大屏的投影（只读，无需登录）：台上选手、提交情况、亮分和排名",
    ),
    (
        "stage",
        "比赛现场：谁在台上、哪个环节、谁已提交；按出场顺序切换，在投影上亮分",
    ),
    ("stage show", "谁在台上、哪个环节、哪些评委已提交"),
    ("stage next", "同一环节中按出场顺序的下一位选手"),
    ("stage prev", "同一环节中按出场顺序的上一位选手"),
    (
        "stage set",
        "让 ENTRY 上台（--round 指定环节，否则当前环节，否则第一个环节）",
    ),
    ("stage round", "选手不变，切换环节（编号或名称）"),
    (
        "stage reveal",
        "在投影上亮分；所有可评该选手的评委提交之前被拒绝，除非 --provisional",
    ),
    ("stage hide", "再次在投影上隐藏成绩"),
    (
        "calibration",
        "试评样本：每位评委先评，显示各评委与评委组的偏差；不计入成绩",
    ),
    ("calibration add", "把条目设为试评样本"),
    ("calibration remove", "取消试评样本"),
    ("calibration show", "显示各评委在试评样本上的偏差"),
    ("find", "像评分界面一样查找条目（模糊、拼音首字母、简繁）"),
    ("bench", "性能测试：生成 N 个案例的比赛并测量查找、导入、汇总等"),
    ("bench gen", "生成 N 个案例、7 位评委及其评分，并据此建立工作区"),
    ("bench run", "测量查找、导入、汇总、启动、负载下的评分和帧时间"),
    ("bench serve", "用 SSH 客户端全速评分，测量 jury serve"),
    (
        "serve",
        "通过 SSH 开放评审室：评委、组织者和投影用自己电脑的 ssh 客户端连接",
    ),
    ("unpause", "解除评委连续三次输错密码后的登录暂停（记入审计）"),
    ("entry", "弃权、取消资格或恢复条目：退出排名，但保留并列出"),
    (
        "entry withdraw",
        "让条目退出排名（弃权，或 --kind disqualified 取消资格）：保留记录和分数，带理由列出",
    ),
    ("entry restore", "让退出的条目回到排名"),
    ("judge", "从比赛中移除评委（删除草稿，已提交的评分表默认保留）"),
    ("judge remove", "从比赛中移除评委"),
    ("score remove", "组织者删除一个录错的分数"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_docx_package_is_said_in_chinese_with_its_readers_detail() {
        let p = Problem::DocxPackage(crate::core::problems::DocxPackage::DirectoryDamaged {
            detail: "bad magic".into(),
        });
        assert_eq!(
            problem(&p, Lang::Zh),
            "不是可读的 .docx 文件，文档包已损坏：其 ZIP 目录已损坏（bad magic）；请用 Word 或 WPS 打开后重新保存"
        );
        assert_eq!(
            problem(&p, Lang::En),
            "is not a readable .docx: its ZIP directory is damaged (bad magic)"
        );
    }
    use crate::core::problems::Located;

    #[test]
    fn english_is_the_display_and_chinese_names_row_and_column() {
        let errors = ImportErrors {
            file: "s.csv".into(),
            problems: vec![Located {
                place: Some(Place::Row(2)),
                column: Some(Column {
                    index: Some(4),
                    label: "column E (score)".into(),
                }),
                problem: Problem::NotANumber {
                    text: "abc".into(),
                    error: ScoreError::NotANumber("abc".into()),
                },
            }],
            more: 0,
        };
        assert_eq!(import_errors(&errors, Lang::En), errors.to_string());
        assert_eq!(
            import_errors(&errors, Lang::Zh),
            "s.csv：第 2 行，第 E 列（score）：分数 \"abc\" 不是数字；应为 18 或 18.5 这样的数字\n\
             未导入任何内容，工作区没有改变。"
        );
    }

    #[test]
    fn both_catalogues_have_the_same_csv_columns() {
        assert_eq!(EN.csv_headers.len(), ZH.csv_headers.len());
        assert_eq!(ZH.csv_headers[0], "组别");
        assert_eq!((ZH.yes, ZH.no), ("是", "否"));
    }
}
