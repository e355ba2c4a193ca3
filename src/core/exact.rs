//! Exact numbers for scoring.
//!
//! Scores are decimals typed by people (`19.5`, `0.4`); they are held as integers in units of
//! 1/10 000 ([`Points`]) so sums are exact, and every derived figure (a mean, a weighted final) is a
//! [`Ratio`] of 128-bit integers. Rounding happens once, for display, half up (四舍五入).

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Mul, Sub};

/// Decimal places a [`Points`] value can hold.
pub const POINT_DECIMALS: u32 = 4;
/// One point in [`Points`] units.
pub const POINT_SCALE: i64 = 10_000;

/// A decimal score with at most four decimal places, stored as an integer of 1/10 000 points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(pub i64);

/// Why a text is not a usable decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("empty value")]
    Empty,
    #[error("\"{0}\" is not a number")]
    NotANumber(String),
    #[error("\"{0}\" has more than {POINT_DECIMALS} decimal places")]
    TooPrecise(String),
    #[error("\"{0}\" is too large")]
    TooLarge(String),
}

impl Points {
    pub const ZERO: Points = Points(0);

    pub fn from_units(units: i64) -> Self {
        Points(units)
    }

    pub fn units(self) -> i64 {
        self.0
    }

    pub fn from_int(n: i64) -> Self {
        Points(n * POINT_SCALE)
    }

    /// Parse a decimal the way people type it: `19.5`, ` 20 `, `+3`, `-0.5`, `１９．５`
    /// (full-width digits from a Chinese input method), `19.`, `.5`.
    pub fn parse(text: &str) -> Result<Points, DecimalError> {
        let normalised: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' | '。' => '.',
                '－' => '-',
                '＋' => '+',
                other => other,
            })
            .collect();
        let s = normalised.as_str();
        if s.is_empty() {
            return Err(DecimalError::Empty);
        }
        let bad = || DecimalError::NotANumber(text.trim().to_string());
        let (negative, body) = match s.as_bytes()[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let frac_trimmed = frac_part.trim_end_matches('0');
        if frac_trimmed.len() > POINT_DECIMALS as usize {
            return Err(DecimalError::TooPrecise(text.trim().to_string()));
        }
        let too_large = || DecimalError::TooLarge(text.trim().to_string());
        let int_value: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| too_large())?
        };
        let mut frac_value: i64 = 0;
        for (i, b) in frac_trimmed.bytes().enumerate() {
            frac_value += i64::from(b - b'0') * 10_i64.pow(POINT_DECIMALS - 1 - i as u32);
        }
        let units = int_value
            .checked_mul(POINT_SCALE)
            .and_then(|v| v.checked_add(frac_value))
            .ok_or_else(too_large)?;
        Ok(Points(if negative { -units } else { units }))
    }

    /// A number read from a spreadsheet cell or JSON. The shortest text that reads back as the same
    /// `f64` is what the person typed (`19.5`, `0.1`), so it goes through that text, never through
    /// binary arithmetic.
    pub fn from_f64(value: f64) -> Result<Points, DecimalError> {
        if !value.is_finite() {
            return Err(DecimalError::NotANumber(value.to_string()));
        }
        Points::parse(&format!("{value}"))
    }

    pub fn as_ratio(self) -> Ratio {
        Ratio::new(i128::from(self.0), i128::from(POINT_SCALE))
    }

    /// `true` when `self` is a whole multiple of `step` (a zero step accepts everything).
    pub fn is_multiple_of(self, step: Points) -> bool {
        step.0 == 0 || self.0 % step.0 == 0
    }

    pub fn checked_add(self, other: Points) -> Option<Points> {
        self.0.checked_add(other.0).map(Points)
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl Sub for Points {
    type Output = Points;
    fn sub(self, rhs: Points) -> Points {
        Points(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

/// Shortest exact text: `19.5`, `20`, `0.25`, `-3`.
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let int = abs / POINT_SCALE as u64;
        let frac = abs % POINT_SCALE as u64;
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            // The fraction's digits without trailing zeros (…0.5, not …0.5000), with no String.
            let (mut frac, mut width) = (frac, 4usize);
            while frac % 10 == 0 {
                frac /= 10;
                width -= 1;
            }
            write!(f, "{sign}{int}.{frac:0width$}")
        }
    }
}

/// An exact fraction `num/den` with `den > 0`, always reduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (a, b) = (a.unsigned_abs(), b.unsigned_abs());
    // Scores and their means fit in 64 bits; 128-bit division is a slow library call, and the
    // tally reduces a fraction for every mark, so the common case takes the 64-bit road.
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => gcd_u64(a, b) as i128,
        _ => {
            let (mut a, mut b) = (a, b);
            while b != 0 {
                let t = a % b;
                a = b;
                b = t;
            }
            a as i128
        }
    }
}

/// Stein's binary gcd: shifts and subtractions only.
fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// # Panics
    /// When `den` is zero: a programming error, never reachable from input (callers divide by
    /// counts they have checked).
    pub fn new(num: i128, den: i128) -> Ratio {
        assert!(den != 0, "Ratio with zero denominator");
        let g = gcd(num, den).max(1);
        let sign = if den < 0 { -1 } else { 1 };
        if let (Ok(n), Ok(d), Ok(g)) = (i64::try_from(num), i64::try_from(den), i64::try_from(g))
            && n != i64::MIN
            && d != i64::MIN
        {
            // 64-bit division where the values allow it (see `gcd`).
            let sign = sign as i64;
            return Ratio {
                num: (sign * n / g) as i128,
                den: (sign * d / g) as i128,
            };
        }
        Ratio {
            num: sign * num / g,
            den: sign * den / g,
        }
    }

    pub fn from_int(n: i64) -> Ratio {
        Ratio {
            num: i128::from(n),
            den: 1,
        }
    }

    pub fn numer(self) -> i128 {
        self.num
    }

    pub fn denom(self) -> i128 {
        self.den
    }

    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Parse a decimal text exactly (`0.4` is 2/5).
    pub fn parse_decimal(text: &str) -> Result<Ratio, DecimalError> {
        Points::parse(text).map(Points::as_ratio)
    }

    pub fn div_int(self, n: i64) -> Ratio {
        Ratio::new(self.num, self.den * i128::from(n))
    }

    pub fn abs(self) -> Ratio {
        Ratio {
            num: self.num.abs(),
            den: self.den,
        }
    }

    /// The value rounded half up (away from zero at exactly .5: 四舍五入) to `decimals` places,
    /// as an integer count of 10^-decimals units: 85.125 at 2 places is 8513.
    pub fn round_half_up_units(self, decimals: u32) -> i128 {
        let scale = 10_i128.pow(decimals);
        let scaled_num = self.num.abs() * scale;
        let rounded = (2 * scaled_num + self.den) / (2 * self.den);
        if self.num < 0 { -rounded } else { rounded }
    }

    /// Rounded half up to exactly `decimals` places: `85.13`, `90.00`, `-0.50`.
    pub fn format_fixed(self, decimals: u32) -> String {
        format_units(self.round_half_up_units(decimals), decimals)
    }

    /// A lossy view for statistics and charts; never used for results.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

/// Text of an integer count of 10^-decimals units: (8513, 2) is `85.13`.
pub fn format_units(units: i128, decimals: u32) -> String {
    let sign = if units < 0 { "-" } else { "" };
    let abs = units.unsigned_abs();
    if decimals == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10_u128.pow(decimals);
    // 64-bit division where the value allows: 128-bit division is a slow library call, and a
    // tally prints several figures per entry.
    let (whole, part) = match (u64::try_from(abs), u64::try_from(scale)) {
        (Ok(abs), Ok(scale)) => (u128::from(abs / scale), u128::from(abs % scale)),
        _ => (abs / scale, abs % scale),
    };
    format!("{sign}{whole}.{part:0width$}", width = decimals as usize)
}

impl Add for Ratio {
    type Output = Ratio;
    fn add(self, rhs: Ratio) -> Ratio {
        let g = gcd(self.den, rhs.den).max(1);
        Ratio::new(
            self.num * (rhs.den / g) + rhs.num * (self.den / g),
            self.den / g * rhs.den,
        )
    }
}

impl Sub for Ratio {
    type Output = Ratio;
    fn sub(self, rhs: Ratio) -> Ratio {
        self + Ratio {
            num: -rhs.num,
            den: rhs.den,
        }
    }
}

impl Mul for Ratio {
    type Output = Ratio;
    fn mul(self, rhs: Ratio) -> Ratio {
        let g1 = gcd(self.num, rhs.den).max(1);
        let g2 = gcd(rhs.num, self.den).max(1);
        Ratio::new((self.num / g1) * (rhs.num / g2), (self.den / g2) * (rhs.den / g1))
    }
}

impl std::iter::Sum for Ratio {
    fn sum<I: Iterator<Item = Ratio>>(iter: I) -> Ratio {
        iter.fold(Ratio::ZERO, |a, b| a + b)
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Ratio) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcd_takes_the_fast_road_without_changing_the_answer() {
        fn euclid(mut a: i128, mut b: i128) -> i128 {
            (a, b) = (a.abs(), b.abs());
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        }
        let values: [i128; 12] = [
            0,
            1,
            -1,
            6,
            -36,
            850_000,
            1 << 40,
            3 * (1 << 40),
            i64::MAX as i128,
            i64::MIN as i128,
            (i64::MAX as i128) * 6,
            -(1i128 << 100) * 9,
        ];
        for &a in &values {
            for &b in &values {
                assert_eq!(gcd(a, b), euclid(a, b), "gcd({a}, {b})");
            }
        }
        assert_eq!(Ratio::new(-850_000, -40_000), Ratio::new(85, 4));
        assert_eq!(
            Ratio::new(i64::MIN as i128, 2).to_string(),
            Ratio::new(i64::MIN as i128 / 2, 1).to_string()
        );
    }

    #[test]
    fn parses_typed_decimals() {
        assert_eq!(Points::parse("19.5"), Ok(Points(195_000)));
        assert_eq!(Points::parse(" 20 "), Ok(Points(200_000)));
        assert_eq!(Points::parse("0.25"), Ok(Points(2_500)));
        assert_eq!(Points::parse(".5"), Ok(Points(5_000)));
        assert_eq!(Points::parse("19."), Ok(Points(190_000)));
        assert_eq!(Points::parse("-0.5"), Ok(Points(-5_000)));
        assert_eq!(Points::parse("１９．５"), Ok(Points(195_000)));
        assert_eq!(Points::parse("1.50000"), Ok(Points(15_000)));
        assert_eq!(Points::parse(""), Err(DecimalError::Empty));
        assert!(matches!(Points::parse("abc"), Err(DecimalError::NotANumber(_))));
        assert!(matches!(Points::parse("1e3"), Err(DecimalError::NotANumber(_))));
        assert!(matches!(Points::parse("."), Err(DecimalError::NotANumber(_))));
        assert!(matches!(Points::parse("1.00001"), Err(DecimalError::TooPrecise(_))));
        assert!(matches!(
            Points::parse("99999999999999999999"),
            Err(DecimalError::TooLarge(_))
        ));
    }

    #[test]
    fn float_cells_keep_what_was_typed() {
        assert_eq!(Points::from_f64(0.1), Ok(Points(1_000)));
        assert_eq!(Points::from_f64(19.5), Ok(Points(195_000)));
        assert_eq!(Points::from_f64(85.125), Ok(Points(851_250)));
        assert!(Points::from_f64(f64::NAN).is_err());
    }

    #[test]
    fn displays_shortest_exact_text() {
        assert_eq!(Points(195_000).to_string(), "19.5");
        assert_eq!(Points(200_000).to_string(), "20");
        assert_eq!(Points(-5_000).to_string(), "-0.5");
        assert_eq!(Points(2_500).to_string(), "0.25");
        assert_eq!(Points(12_345).to_string(), "1.2345");
        assert_eq!(Points(10_010).to_string(), "1.001");
        assert_eq!(Points(-1_005_000).to_string(), "-100.5");
        assert_eq!(super::format_units(-8_513, 2), "-85.13");
        assert_eq!(
            super::format_units(i128::MAX, 2),
            "1701411834604692317316873037158841057.27"
        );
    }

    #[test]
    fn rounds_half_up_at_exactly_five() {
        let r = Ratio::parse_decimal("85.125").unwrap();
        assert_eq!(r.format_fixed(2), "85.13");
        assert_eq!(Ratio::parse_decimal("85.124").unwrap().format_fixed(2), "85.12");
        assert_eq!(Ratio::parse_decimal("0.005").unwrap().format_fixed(2), "0.01");
        assert_eq!(Ratio::parse_decimal("2.5").unwrap().format_fixed(0), "3");
        assert_eq!(Ratio::parse_decimal("-2.5").unwrap().format_fixed(0), "-3");
        assert_eq!(Ratio::from_int(90).format_fixed(2), "90.00");
        // 1/3 and 2/3 are not decimals at all.
        assert_eq!(Ratio::new(1, 3).format_fixed(2), "0.33");
        assert_eq!(Ratio::new(2, 3).format_fixed(2), "0.67");
        // f64 formatting rounds 85.125 to even and 1.005 below half; exact arithmetic does not.
        assert_eq!(format!("{:.2}", 1.005_f64), "1.00");
        assert_eq!(Ratio::parse_decimal("1.005").unwrap().format_fixed(2), "1.01");
    }

    #[test]
    fn ratio_arithmetic_is_exact() {
        let w = Ratio::parse_decimal("0.4").unwrap();
        assert_eq!(w, Ratio::new(2, 5));
        let sum = Ratio::parse_decimal("0.1").unwrap()
            + Ratio::parse_decimal("0.2").unwrap()
            + Ratio::parse_decimal("0.7").unwrap();
        assert_eq!(sum, Ratio::ONE);
        assert_eq!(Ratio::new(6, -4), Ratio::new(-3, 2));
        assert_eq!(Ratio::new(1, 3) * Ratio::new(3, 7), Ratio::new(1, 7));
        assert!(Ratio::new(1, 3) < Ratio::new(1, 2));
        assert_eq!(Ratio::new(7, 2).div_int(7), Ratio::new(1, 2));
        assert_eq!(Ratio::new(1, 2) - Ratio::new(1, 3), Ratio::new(1, 6));
    }
}
