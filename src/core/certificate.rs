//! Certificates (获奖证书): the date written in Chinese and the running certificate numbers.

/// A date as Chinese official documents write it: `二〇二五年十二月一日` (the year digit by digit
/// with 〇, the month and day as numbers: 十, 十一, 二十一, 三十一).
pub fn chinese_date(year: i32, month: u32, day: u32) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let year: String = year
        .unsigned_abs()
        .to_string()
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |d| DIGITS[d as usize]))
        .collect();
    format!("{year}年{}月{}日", small_number(month), small_number(day))
}

/// 1 to 99 in Chinese (一 … 九十九); others as digits.
fn small_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n as usize].to_string(),
        10..=99 => {
            let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
            format!("{}十{}", if tens == 1 { "" } else { DIGITS[tens] }, DIGITS[ones])
        }
        _ => n.to_string(),
    }
}

/// `YYYY-MM-DD…` (a stored time such as a lock's) in Chinese; `None` when it does not start with
/// a valid date.
pub fn chinese_date_of(text: &str) -> Option<String> {
    let date = chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    Some(chinese_date(date.year(), date.month(), date.day()))
}

/// The `n`th (from 1) of `count` certificate numbers: the prefix and the number zero-padded to
/// three digits, or to as many as `count` has (`2025-001`, … `2025-120`).
pub fn certificate_number(prefix: &str, n: usize, count: usize) -> String {
    let width = count.to_string().len().max(3);
    format!("{prefix}{n:0width$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_chinese() {
        assert_eq!(chinese_date(2025, 12, 1), "二〇二五年十二月一日");
        assert_eq!(chinese_date(2026, 1, 10), "二〇二六年一月十日");
        assert_eq!(chinese_date(2030, 10, 21), "二〇三〇年十月二十一日");
        assert_eq!(chinese_date(2025, 11, 30), "二〇二五年十一月三十日");
        assert_eq!(chinese_date(2025, 3, 31), "二〇二五年三月三十一日");
        assert_eq!(
            chinese_date_of("2025-12-01T09:30:00.000+08:00").as_deref(),
            Some("二〇二五年十二月一日")
        );
        assert_eq!(chinese_date_of("2025-13-01"), None);
        assert_eq!(chinese_date_of("soon"), None);
        assert_eq!(chinese_date_of("二〇二五年"), None);
    }

    #[test]
    fn numbers_run_zero_padded() {
        assert_eq!(certificate_number("2025-", 1, 12), "2025-001");
        assert_eq!(certificate_number("JTJY", 42, 999), "JTJY042");
        assert_eq!(certificate_number("", 7, 1200), "0007");
    }
}
