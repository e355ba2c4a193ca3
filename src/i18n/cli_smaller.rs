//! The command line's messages added for issue 17's smaller things (the new passphrase asked
//! again, the lock's warning and question), in Chinese and English.

use crate::i18n::Lang;

pub struct SmallerTexts {
    /// `jury passwd`: the first prompt for the new passphrase.
    pub new_pass: &'static str,
    /// The second prompt, to compare.
    pub repeat_pass: &'static str,
    /// The two differ: asked again (tries left).
    pub pass_differ_again: fn(left: usize) -> String,
    /// Too short: asked again (the minimum, tries left).
    pub pass_short_again: fn(min: usize, left: usize) -> String,
    /// The last try failed too.
    pub pass_gave_up: &'static str,
    /// No terminal, or Esc / Ctrl-C at the first prompt.
    pub pass_no_terminal: &'static str,
    /// Esc / Ctrl-C at the second prompt.
    pub pass_cancelled: &'static str,
    /// `jury lock`: how many entries still have sheets to come, in which group / round.
    pub lock_unscored: fn(entries: usize, sheets: usize, target: &str) -> String,
    /// One of the first few: entry, group, round's name, the judges still to submit.
    pub lock_unscored_line: fn(entry: &str, group: &str, round: &str, judges: &str) -> String,
    /// ... and this many more.
    pub lock_unscored_more: fn(more: usize) -> String,
    /// The question on a terminal.
    pub lock_ask: &'static str,
    /// The answer was not yes.
    pub lock_declined: &'static str,
    /// Without a terminal: the lock goes on.
    pub lock_goes_on: &'static str,
    /// Every group / every round, in the target's name.
    pub every: &'static str,
}

pub fn texts(lang: Lang) -> &'static SmallerTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

static EN: SmallerTexts = SmallerTexts {
    new_pass: "New organiser passphrase: ",
    repeat_pass: "Repeat it: ",
    pass_differ_again: |left| format!("The two passphrases differ; type them again ({left} tries left)."),
    pass_short_again: |min, left| {
        format!("The organiser passphrase needs at least {min} characters; type another ({left} tries left).")
    },
    pass_gave_up: "no matching passphrase after 3 tries; nothing was changed",
    pass_no_terminal: "no terminal to ask on (or cancelled): give the new passphrase in JURY_NEW_ORGANISER_PASS; nothing was changed",
    pass_cancelled: "cancelled; nothing was changed",
    lock_unscored: |entries, sheets, target| {
        format!("Warning: {target} still has {entries} entries with sheets to come ({sheets} sheets not submitted):")
    },
    lock_unscored_line: |entry, group, round, judges| format!("  {entry}  {group} / {round}: {judges}"),
    lock_unscored_more: |more| format!("  ... and {more} more"),
    lock_ask: "Lock anyway? Those judges can no longer submit. [y/N] ",
    lock_declined: "not locked; nothing was changed",
    lock_goes_on: "Locking anyway (no terminal to ask on).",
    every: "every",
};

static ZH: SmallerTexts = SmallerTexts {
    new_pass: "新的组织者口令：",
    repeat_pass: "再输入一次：",
    pass_differ_again: |left| format!("两次输入的口令不一致，请重新输入（还可尝试 {left} 次）。"),
    pass_short_again: |min, left| format!("组织者口令至少需要 {min} 个字符，请重新输入（还可尝试 {left} 次）。"),
    pass_gave_up: "三次都未能设定口令，未做任何更改",
    pass_no_terminal: "没有可输入的终端（或已取消）：请在 JURY_NEW_ORGANISER_PASS 中给出新口令；未做任何更改",
    pass_cancelled: "已取消，未做任何更改",
    lock_unscored: |entries, sheets, target| {
        format!("注意：{target} 还有 {entries} 个作品/选手未评完（{sheets} 份评分表未提交）：")
    },
    lock_unscored_line: |entry, group, round, judges| format!("  {entry}  {group} / {round}：{judges}"),
    lock_unscored_more: |more| format!("  另有 {more} 个"),
    lock_ask: "仍要锁定吗？锁定后这些评委不能再提交。[y/N] ",
    lock_declined: "未锁定，未做任何更改",
    lock_goes_on: "仍然锁定（没有可询问的终端）。",
    every: "全部",
};
