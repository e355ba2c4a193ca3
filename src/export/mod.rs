//! Exports: the tally as JSON, CSV and an aligned text table (more formats with printing).

pub mod blank;
pub mod cards;
pub mod certificates;
pub mod collection;
pub mod csv;
pub mod data;
pub mod docx;
pub mod fingerprint;
pub mod html;
pub mod json;
pub mod json_writer;
pub mod markdown;
pub mod output;
pub mod results;
pub mod results_columns;
pub mod results_docx;
pub mod selected;
pub mod sheets;
pub mod snapshot;
pub mod stats;
pub mod table;
pub mod xlsx;

/// Neutralise a text cell that a spreadsheet would run as a formula (OWASP CSV injection):
/// cells starting with `=`, `+`, `-`, `@`, tab or carriage return get a leading `'`.
/// Numbers are written by the caller without passing through here.
pub fn neutralise_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise_cell;

    #[test]
    fn neutralises_formula_cells() {
        assert_eq!(neutralise_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise_cell("+1"), "'+1");
        assert_eq!(neutralise_cell("-2"), "'-2");
        assert_eq!(neutralise_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_cell("\tx"), "'\tx");
        assert_eq!(neutralise_cell("亲子沟通"), "亲子沟通");
    }
}
