//! The header rule shared by the importers (which column is which field) and the exports (the
//! round trip of a data file): one rule, so what export writes, import reads back.

/// Headers compared without case, spaces, or full-width/half-width differences (NFKC: `ＩＤ`
/// and `ｉｄ` are `id`, `（` is `(`).
pub fn normalise(h: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    h.trim_start_matches('\u{feff}')
        .nfkc()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '、' => ',',
            other => other,
        })
        .collect::<String>()
        .to_lowercase()
}
