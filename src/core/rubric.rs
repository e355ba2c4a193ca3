//! Rubrics: what is scored, how, and how totals become results.
//!
//! A rubric is TOML (`docs/rubric.md`). Every decimal in it (weights, shares, step, maxima) is read
//! exactly; a rubric that cannot work (weights not adding up to 1, a duplicate id, …) is refused with
//! the file, the line and the reason.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use super::exact::{Points, Ratio};

/// The two kinds of contest `jury` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Written typical cases (典型案例), reviewed in any order.
    Cases,
    /// A live skills competition (技能大赛) with a running order.
    Competition,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cases => "cases",
            Kind::Competition => "competition",
        }
    }
}

/// How judges' round totals become one round score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregate {
    TrimmedMean,
    Mean,
    Median,
}

impl Aggregate {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::TrimmedMean => "trimmed-mean",
            Aggregate::Mean => "mean",
            Aggregate::Median => "median",
        }
    }
}

/// The four parts every typical case must contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Background,
    Problem,
    Strategy,
    Outcome,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Background,
        Section::Problem,
        Section::Strategy,
        Section::Outcome,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Section::Background => "background",
            Section::Problem => "problem",
            Section::Strategy => "strategy",
            Section::Outcome => "outcome",
        }
    }

    pub fn chinese(self) -> &'static str {
        match self {
            Section::Background => "背景介绍",
            Section::Problem => "问题描述",
            Section::Strategy => "解决策略",
            Section::Outcome => "结果评估",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            Section::Background => "Background",
            Section::Problem => "Problem",
            Section::Strategy => "Strategy",
            Section::Outcome => "Outcome",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub id: String,
    pub name: String,
    pub max: Points,
    pub guide: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: String,
    pub name: String,
    pub weight: Ratio,
    pub criteria: Vec<Criterion>,
}

impl Round {
    /// The highest total a judge can give in this round.
    pub fn max_total(&self) -> Points {
        self.criteria.iter().map(|c| c.max).sum()
    }

    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        let key = key.trim();
        self.criteria
            .iter()
            .find(|c| c.id == key)
            .or_else(|| self.criteria.iter().find(|c| c.name == key))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub name: String,
    pub share: Ratio,
}

/// When the projector shows each judge's total of the contestant on stage (`reveal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevealMode {
    /// Only once every judge who may score it has submitted (the default).
    #[default]
    AllIn,
    /// Each total as it is submitted, the result as soon as every judge is in.
    AsSubmitted,
}

/// How the projector names the judges (`projector_names`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectorNames {
    /// By their ids (`PW01`), the default.
    #[default]
    Ids,
    /// `评委1`, `评委2`, ... in the judges' order.
    Numbered,
}

/// Whether the judges may see the panel's marks of an entry under discussion, and how the judges
/// are named there (`discussion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Discussion {
    /// No discussion: `jury discuss open` is refused (the default).
    #[default]
    Off,
    /// The marks show the judges' ids.
    Named,
    /// The marks show `评委1`, `评委2`, ... instead of the ids.
    Anonymous,
}

impl Discussion {
    pub fn parse(text: &str) -> Option<Discussion> {
        match text {
            "off" => Some(Discussion::Off),
            "named" => Some(Discussion::Named),
            "anonymous" => Some(Discussion::Anonymous),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Discussion::Off => "off",
            Discussion::Named => "named",
            Discussion::Anonymous => "anonymous",
        }
    }
}

/// A validated rubric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rubric {
    pub name: String,
    pub kind: Kind,
    pub aggregate: Aggregate,
    pub trim: usize,
    pub min_judges_for_trim: usize,
    pub min_judges: usize,
    pub decimals: u32,
    pub step: Points,
    pub deviation: Option<Points>,
    pub groups: Vec<String>,
    pub tie_break: Vec<String>,
    pub required_sections: Vec<Section>,
    /// A required section shorter than this many characters is flagged by the formal check.
    pub min_section_chars: usize,
    /// Judges see only their own scores (the default; the way panels work).
    pub blind: bool,
    pub rounds: Vec<Round>,
    pub awards: Vec<Award>,
    /// When the projector shows the judges' totals.
    pub reveal: RevealMode,
    /// How the projector names the judges.
    pub projector_names: ProjectorNames,
    /// The publicity notice (公示) printed on `export results --public`: the period and whom to
    /// contact with an objection. `None` when the rubric has no `publicity` key.
    pub publicity: Option<String>,
    /// The date printed on certificates, as written (`二〇二五年十二月`); without it, the date of
    /// the lock that made the results final, in Chinese.
    pub certificate_date: Option<String>,
    /// What every certificate number starts with (`JTJY2025-`); without it, the certificate
    /// date's year and a hyphen.
    pub certificate_prefix: Option<String>,
    /// Who awards the certificates (主办单位), printed above the seal.
    pub organiser: Option<String>,
    /// Discussion after scoring (`discussion`): off, or how the marks name the judges.
    pub discussion: Discussion,
}

impl Rubric {
    pub fn round(&self, key: &str) -> Option<&Round> {
        let key = key.trim();
        self.rounds
            .iter()
            .find(|r| r.id == key)
            .or_else(|| self.rounds.iter().find(|r| r.name == key))
    }

    pub fn round_index(&self, id: &str) -> Option<usize> {
        self.rounds.iter().position(|r| r.id == id)
    }

    pub fn has_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }

    /// The aggregation rule in Chinese words, for printouts.
    pub fn rule_in_words_zh(&self) -> String {
        match self.aggregate {
            Aggregate::TrimmedMean if self.trim == 1 => format!(
                "评委人数不少于{}人时，去掉一个最高分和一个最低分后取平均；不足时取平均",
                self.min_judges_for_trim
            ),
            Aggregate::TrimmedMean => format!(
                "评委人数不少于{}人时，去掉{}个最高分和{}个最低分后取平均；不足时取平均",
                self.min_judges_for_trim, self.trim, self.trim
            ),
            Aggregate::Mean => "取全部评委总分的平均".to_string(),
            Aggregate::Median => "取全部评委总分的中位数".to_string(),
        }
    }

    /// The aggregation rule in English words.
    pub fn rule_in_words_en(&self) -> String {
        match self.aggregate {
            Aggregate::TrimmedMean => format!(
                "with at least {} judges, drop the {} highest and {} lowest totals and average the rest; otherwise the mean",
                self.min_judges_for_trim, self.trim, self.trim
            ),
            Aggregate::Mean => "the mean of all judges' totals".to_string(),
            Aggregate::Median => "the median of all judges' totals".to_string(),
        }
    }
}

/// A rubric that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricError {
    pub file: String,
    pub line: Option<usize>,
    /// Boxed: the library's `Error` stays small.
    pub problem: Box<RubricProblem>,
}

impl fmt::Display for RubricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

impl std::error::Error for RubricError {}

/// Which id a rubric's id problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Round,
    Criterion,
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdKind::Round => "round id",
            IdKind::Criterion => "criterion id",
        })
    }
}

/// Why a rubric cannot be used (issue 17: typed, so the command line can say it in Chinese; the
/// English is its `Display`). `key` is the rubric's key as written (`trim`, `max`, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RubricProblem {
    /// The TOML reader's own message (syntax, unknown key, missing key, wrong type).
    #[error("{0}")]
    Toml(String),
    #[error("{key}: {error}")]
    BadDecimal {
        key: String,
        error: super::exact::DecimalError,
    },
    #[error("{key} must not be empty (leave it out instead)")]
    EmptyText { key: String },
    #[error("{key} must be one line of text")]
    NotOneLine { key: String },
    #[error("{key} must be at most {most} characters, not {chars}")]
    TextTooLong { key: String, most: usize, chars: usize },
    #[error("{key} must be 0 or more, not {value}")]
    CountNegative { key: String, value: i64 },
    #[error("{key} must be at most {most}, not {value}")]
    CountTooLarge { key: String, most: i64, value: i64 },
    #[error("min_judges_for_trim ({min}) must be more than twice trim ({trim}): otherwise no total is left to average")]
    TrimLeavesNothing { min: usize, trim: usize },
    #[error("name must not be empty")]
    EmptyName,
    #[error("min_judges must be at least 1")]
    NoJudges,
    #[error("decimals must be between 0 and 6, not {0}")]
    Decimals(usize),
    #[error("step must be more than 0, not {0}")]
    StepNotPositive(Points),
    #[error("deviation must be more than 0, not {0}")]
    DeviationNotPositive(Points),
    #[error("deviation must be at most {most}, not {value}")]
    DeviationTooLarge { most: i64, value: Points },
    #[error("a group name must not be empty")]
    EmptyGroup,
    #[error("duplicate group \"{0}\"")]
    DuplicateGroup(String),
    #[error("groups must list at least one group")]
    NoGroups,
    #[error("the rubric has no [[round]]: at least one round with criteria is needed")]
    NoRounds,
    #[error("duplicate round id \"{0}\"")]
    DuplicateRound(String),
    #[error("weight must not be negative, not {0}")]
    NegativeWeight(Points),
    #[error("round \"{0}\" has no [[round.criterion]]")]
    NoCriteria(String),
    #[error("duplicate criterion id \"{criterion}\" in round \"{round}\"")]
    DuplicateCriterion { criterion: String, round: String },
    #[error("max of criterion \"{criterion}\" must be more than 0, not {max}")]
    MaxNotPositive { criterion: String, max: Points },
    #[error("max of criterion \"{criterion}\" must be at most {most}, not {max}")]
    MaxTooLarge { criterion: String, most: i64, max: Points },
    #[error("max of criterion \"{criterion}\" ({max}) is not a multiple of step ({step})")]
    MaxOffStep {
        criterion: String,
        max: Points,
        step: Points,
    },
    #[error("criterion \"{0}\" needs a name")]
    CriterionUnnamed(String),
    #[error("duplicate criterion name \"{name}\" in round \"{round}\"")]
    DuplicateCriterionName { name: String, round: String },
    #[error(
        "criterion \"{criterion}\" is named \"{name}\", which is the id of criterion \"{other}\" in round \"{round}\""
    )]
    NameIsAnotherId {
        criterion: String,
        name: String,
        other: String,
        round: String,
    },
    #[error("round \"{0}\" needs a name")]
    RoundUnnamed(String),
    #[error("round weights must add up to 1; they add up to {sum} ({listed})")]
    WeightsNotOne { sum: String, listed: String },
    #[error("tie_break names round \"{round}\", which does not exist; rounds are: {known}")]
    UnknownTieBreak { round: String, known: String },
    #[error("section \"{0}\" listed twice")]
    SectionTwice(String),
    #[error("an award needs a name")]
    AwardUnnamed,
    #[error("duplicate award \"{0}\"")]
    DuplicateAward(String),
    #[error("share of \"{0}\" must not be negative")]
    NegativeShare(String),
    #[error("award shares add up to more than 1")]
    SharesOverOne,
    #[error("certificate_prefix \"{0}\" must not contain spaces")]
    PrefixSpaces(String),
    #[error("discussion must be \"off\", \"named\" or \"anonymous\", not \"{0}\"")]
    BadDiscussion(String),
    #[error("publicity must not be empty; leave the key out when there is no notice")]
    PublicityEmpty,
    #[error("publicity is {chars} characters long; at most {most} are accepted")]
    PublicityTooLong { chars: usize, most: usize },
    #[error("publicity holds a control character (only line breaks are allowed)")]
    PublicityControl,
    #[error("{0} must not be empty")]
    EmptyId(IdKind),
    #[error("{what} \"{id}\" may use only letters, digits, '_' and '-' (names can be Chinese; ids are for files)")]
    BadId { what: IdKind, id: String },
}

/// A decimal as written in TOML: an integer, a float literal, or a string. Float literals are read
/// back through their shortest text so `0.4` is exactly 4/10.
#[derive(Debug, Clone)]
struct DecimalField(String);

impl<'de> Deserialize<'de> for DecimalField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = DecimalField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number such as 0.4 or \"0.4\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DecimalField, E> {
                Ok(DecimalField(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DecimalField, E> {
                Ok(DecimalField(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<DecimalField, E> {
                Ok(DecimalField(format!("{v}")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DecimalField, E> {
                Ok(DecimalField(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    name: Spanned<String>,
    kind: Spanned<Kind>,
    #[serde(default = "default_aggregate")]
    aggregate: Spanned<Aggregate>,
    #[serde(default)]
    trim: Option<Spanned<i64>>,
    #[serde(default)]
    min_judges_for_trim: Option<Spanned<i64>>,
    #[serde(default)]
    min_judges: Option<Spanned<i64>>,
    #[serde(default)]
    decimals: Option<Spanned<i64>>,
    #[serde(default)]
    step: Option<Spanned<DecimalField>>,
    #[serde(default)]
    deviation: Option<Spanned<DecimalField>>,
    groups: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    tie_break: Vec<Spanned<String>>,
    #[serde(default)]
    required_sections: Vec<Spanned<Section>>,
    #[serde(default)]
    min_section_chars: Option<Spanned<i64>>,
    #[serde(default)]
    blind: Option<bool>,
    #[serde(default, rename = "round")]
    rounds: Vec<Spanned<RawRound>>,
    #[serde(default, rename = "award")]
    awards: Vec<Spanned<RawAward>>,
    /// Free text about the contest (shown on printouts).
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    reveal: RevealMode,
    #[serde(default)]
    projector_names: ProjectorNames,
    #[serde(default)]
    publicity: Option<Spanned<String>>,
    #[serde(default)]
    certificate_date: Option<Spanned<String>>,
    #[serde(default)]
    certificate_prefix: Option<Spanned<String>>,
    #[serde(default)]
    organiser: Option<Spanned<String>>,
    #[serde(default)]
    discussion: Option<Spanned<String>>,
}

fn default_aggregate() -> Spanned<Aggregate> {
    Spanned::new(0..0, Aggregate::TrimmedMean)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRound {
    id: Spanned<String>,
    name: Spanned<String>,
    weight: Spanned<DecimalField>,
    #[serde(default, rename = "criterion")]
    criteria: Vec<Spanned<RawCriterion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    name: Spanned<String>,
    max: Spanned<DecimalField>,
    #[serde(default)]
    guide: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAward {
    name: Spanned<String>,
    share: Spanned<DecimalField>,
}

struct Ctx<'a> {
    file: &'a str,
    source: &'a str,
}

impl Ctx<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.source.len());
        self.source.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
    }

    fn err<T>(&self, span: Option<std::ops::Range<usize>>, problem: RubricProblem) -> Result<T, RubricError> {
        Err(RubricError {
            file: self.file.to_string(),
            line: span.filter(|s| s.end > 0).map(|s| self.line_of(s.start)),
            problem: Box::new(problem),
        })
    }

    fn decimal(&self, field: &Spanned<DecimalField>, what: &str) -> Result<Points, RubricError> {
        match Points::parse(&field.get_ref().0) {
            Ok(p) => Ok(p),
            Err(error) => self.err(
                Some(field.span()),
                RubricProblem::BadDecimal {
                    key: what.to_string(),
                    error,
                },
            ),
        }
    }

    /// A one-line text of at most `most` characters, trimmed; given but empty is refused (leave
    /// the key out instead).
    fn line(&self, field: &Option<Spanned<String>>, what: &str, most: usize) -> Result<Option<String>, RubricError> {
        let Some(f) = field else {
            return Ok(None);
        };
        let text = f.get_ref().trim();
        if text.is_empty() {
            return self.err(Some(f.span()), RubricProblem::EmptyText { key: what.to_string() });
        }
        if text.chars().any(char::is_control) {
            return self.err(Some(f.span()), RubricProblem::NotOneLine { key: what.to_string() });
        }
        let n = text.chars().count();
        if n > most {
            return self.err(
                Some(f.span()),
                RubricProblem::TextTooLong {
                    key: what.to_string(),
                    most,
                    chars: n,
                },
            );
        }
        Ok(Some(text.to_string()))
    }

    /// A count between 0 and `most` (a rubric asking for more cannot be meant: 2 000 judges, a trim
    /// of 10^18 once overflowed the arithmetic that follows).
    fn count(&self, field: &Option<Spanned<i64>>, default: i64, most: i64, what: &str) -> Result<usize, RubricError> {
        match field {
            None => Ok(default.clamp(0, most) as usize),
            Some(v) if (0..=most).contains(v.get_ref()) => Ok(*v.get_ref() as usize),
            Some(v) if *v.get_ref() < 0 => self.err(
                Some(v.span()),
                RubricProblem::CountNegative {
                    key: what.to_string(),
                    value: *v.get_ref(),
                },
            ),
            Some(v) => self.err(
                Some(v.span()),
                RubricProblem::CountTooLarge {
                    key: what.to_string(),
                    most,
                    value: *v.get_ref(),
                },
            ),
        }
    }
}

/// The most a rubric may ask: panels of more judges, trims of more totals, criteria worth more
/// points or sections longer than these are refused as mistakes (and keep the arithmetic in range).
pub const MAX_JUDGES: i64 = 1000;
pub const MAX_TRIM: i64 = 100;
pub const MAX_POINTS: i64 = 1_000_000;
pub const MAX_SECTION_CHARS: i64 = 1_000_000;

/// Parse and validate a rubric. `file` names it in errors.
pub fn parse_rubric(file: &str, source: &str) -> Result<Rubric, RubricError> {
    let ctx = Ctx { file, source };
    let raw: RawRubric = match toml::from_str(source) {
        Ok(r) => r,
        Err(e) => {
            let message = e.message().trim().to_string();
            return ctx.err(e.span(), RubricProblem::Toml(message));
        }
    };

    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() {
        return ctx.err(Some(raw.name.span()), RubricProblem::EmptyName);
    }
    let trim = ctx.count(&raw.trim, 1, MAX_TRIM, "trim")?;
    let min_judges = ctx.count(&raw.min_judges, 1, MAX_JUDGES, "min_judges")?;
    let min_judges_for_trim = ctx.count(
        &raw.min_judges_for_trim,
        (2 * trim + 1) as i64,
        MAX_JUDGES,
        "min_judges_for_trim",
    )?;
    if let Some(m) = &raw.min_judges_for_trim
        && raw.aggregate.get_ref() == &Aggregate::TrimmedMean
        && min_judges_for_trim <= 2 * trim
    {
        return ctx.err(
            Some(m.span()),
            RubricProblem::TrimLeavesNothing {
                min: min_judges_for_trim,
                trim,
            },
        );
    }
    if min_judges == 0 {
        let span = raw.min_judges.as_ref().map(|m| m.span());
        return ctx.err(span, RubricProblem::NoJudges);
    }
    let decimals = ctx.count(&raw.decimals, 2, i64::MAX, "decimals")?;
    if decimals > 6 {
        let span = raw.decimals.as_ref().map(|m| m.span());
        return ctx.err(span, RubricProblem::Decimals(decimals));
    }
    let step = match &raw.step {
        Some(s) => {
            let step = ctx.decimal(s, "step")?;
            if step <= Points::ZERO {
                return ctx.err(Some(s.span()), RubricProblem::StepNotPositive(step));
            }
            step
        }
        None => Points(5_000),
    };
    let deviation = match &raw.deviation {
        Some(d) => {
            let dev = ctx.decimal(d, "deviation")?;
            if dev <= Points::ZERO {
                return ctx.err(Some(d.span()), RubricProblem::DeviationNotPositive(dev));
            }
            if dev > Points::from_int(MAX_POINTS) {
                return ctx.err(
                    Some(d.span()),
                    RubricProblem::DeviationTooLarge {
                        most: MAX_POINTS,
                        value: dev,
                    },
                );
            }
            Some(dev)
        }
        None => None,
    };

    let mut groups = Vec::new();
    let mut seen = HashSet::new();
    for g in raw.groups.get_ref() {
        let name = g.get_ref().trim().to_string();
        if name.is_empty() {
            return ctx.err(Some(g.span()), RubricProblem::EmptyGroup);
        }
        if !seen.insert(name.clone()) {
            return ctx.err(Some(g.span()), RubricProblem::DuplicateGroup(name));
        }
        groups.push(name);
    }
    if groups.is_empty() {
        return ctx.err(Some(raw.groups.span()), RubricProblem::NoGroups);
    }

    if raw.rounds.is_empty() {
        return ctx.err(None, RubricProblem::NoRounds);
    }
    let mut rounds: Vec<Round> = Vec::new();
    let mut round_ids = HashSet::new();
    let mut weight_sum = Ratio::ZERO;
    for r in &raw.rounds {
        let rr = r.get_ref();
        let id = rr.id.get_ref().trim().to_string();
        check_id(&ctx, &id, rr.id.span(), IdKind::Round)?;
        if !round_ids.insert(id.clone()) {
            return ctx.err(Some(rr.id.span()), RubricProblem::DuplicateRound(id));
        }
        let weight_points = ctx.decimal(&rr.weight, "weight")?;
        if weight_points < Points::ZERO {
            return ctx.err(Some(rr.weight.span()), RubricProblem::NegativeWeight(weight_points));
        }
        let weight = weight_points.as_ratio();
        weight_sum = weight_sum + weight;
        if rr.criteria.is_empty() {
            return ctx.err(Some(r.span()), RubricProblem::NoCriteria(id));
        }
        let mut criteria = Vec::new();
        let mut crit_ids = HashSet::new();
        for c in &rr.criteria {
            let cc = c.get_ref();
            let cid = cc.id.get_ref().trim().to_string();
            check_id(&ctx, &cid, cc.id.span(), IdKind::Criterion)?;
            if !crit_ids.insert(cid.clone()) {
                return ctx.err(
                    Some(cc.id.span()),
                    RubricProblem::DuplicateCriterion {
                        criterion: cid,
                        round: id,
                    },
                );
            }
            let max = ctx.decimal(&cc.max, "max")?;
            if max <= Points::ZERO {
                return ctx.err(
                    Some(cc.max.span()),
                    RubricProblem::MaxNotPositive { criterion: cid, max },
                );
            }
            if max > Points::from_int(MAX_POINTS) {
                return ctx.err(
                    Some(cc.max.span()),
                    RubricProblem::MaxTooLarge {
                        criterion: cid,
                        most: MAX_POINTS,
                        max,
                    },
                );
            }
            if !max.is_multiple_of(step) {
                return ctx.err(
                    Some(cc.max.span()),
                    RubricProblem::MaxOffStep {
                        criterion: cid,
                        max,
                        step,
                    },
                );
            }
            let cname = cc.name.get_ref().trim().to_string();
            if cname.is_empty() {
                return ctx.err(Some(cc.name.span()), RubricProblem::CriterionUnnamed(cid));
            }
            // A score given by name must reach exactly one criterion (`Round::criterion`).
            if criteria.iter().any(|k: &Criterion| k.name == cname) {
                return ctx.err(
                    Some(cc.name.span()),
                    RubricProblem::DuplicateCriterionName { name: cname, round: id },
                );
            }
            criteria.push(Criterion {
                id: cid,
                name: cname,
                max,
                guide: cc.guide.trim().to_string(),
            });
        }
        // Keys are looked up by id first, then by name: a name that is another criterion's id
        // would never be reached by its name.
        for (i, c) in criteria.iter().enumerate() {
            if let Some(other) = criteria.iter().find(|k| k.id == c.name && k.id != c.id) {
                let span = rr.criteria[i].get_ref().name.span();
                return ctx.err(
                    Some(span),
                    RubricProblem::NameIsAnotherId {
                        criterion: c.id.clone(),
                        name: c.name.clone(),
                        other: other.id.clone(),
                        round: id,
                    },
                );
            }
        }
        let rname = rr.name.get_ref().trim().to_string();
        if rname.is_empty() {
            return ctx.err(Some(rr.name.span()), RubricProblem::RoundUnnamed(id));
        }
        rounds.push(Round {
            id,
            name: rname,
            weight,
            criteria,
        });
    }
    if weight_sum != Ratio::ONE {
        let first = raw.rounds.first().map(|r| r.get_ref().weight.span());
        let listed: Vec<String> = raw
            .rounds
            .iter()
            .map(|r| r.get_ref().weight.get_ref().0.clone())
            .collect();
        return ctx.err(
            first,
            RubricProblem::WeightsNotOne {
                sum: weight_sum
                    .format_fixed(4)
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string(),
                listed: listed.join(" + "),
            },
        );
    }

    let mut tie_break = Vec::new();
    for t in &raw.tie_break {
        let id = t.get_ref().trim();
        if !round_ids.contains(id) {
            let known: Vec<&str> = rounds.iter().map(|r| r.id.as_str()).collect();
            return ctx.err(
                Some(t.span()),
                RubricProblem::UnknownTieBreak {
                    round: id.to_string(),
                    known: known.join(", "),
                },
            );
        }
        tie_break.push(id.to_string());
    }

    let mut required_sections = Vec::new();
    for s in &raw.required_sections {
        if required_sections.contains(s.get_ref()) {
            return ctx.err(
                Some(s.span()),
                RubricProblem::SectionTwice(s.get_ref().id().to_string()),
            );
        }
        required_sections.push(*s.get_ref());
    }

    let mut awards = Vec::new();
    let mut share_sum = Ratio::ZERO;
    let mut award_names = HashSet::new();
    for a in &raw.awards {
        let aa = a.get_ref();
        let name = aa.name.get_ref().trim().to_string();
        if name.is_empty() {
            return ctx.err(Some(aa.name.span()), RubricProblem::AwardUnnamed);
        }
        if !award_names.insert(name.clone()) {
            return ctx.err(Some(aa.name.span()), RubricProblem::DuplicateAward(name));
        }
        let share = ctx.decimal(&aa.share, "share")?;
        if share < Points::ZERO {
            return ctx.err(Some(aa.share.span()), RubricProblem::NegativeShare(name));
        }
        share_sum = share_sum + share.as_ratio();
        awards.push(Award {
            name,
            share: share.as_ratio(),
        });
    }
    if share_sum > Ratio::ONE {
        let span = raw.awards.first().map(|a| a.get_ref().share.span());
        return ctx.err(span, RubricProblem::SharesOverOne);
    }

    Ok(Rubric {
        name,
        kind: *raw.kind.get_ref(),
        aggregate: *raw.aggregate.get_ref(),
        trim,
        min_judges_for_trim,
        min_judges,
        decimals: decimals as u32,
        step,
        deviation,
        groups,
        tie_break,
        required_sections,
        min_section_chars: ctx.count(&raw.min_section_chars, 20, MAX_SECTION_CHARS, "min_section_chars")?,
        blind: raw.blind.unwrap_or(true),
        rounds,
        awards,
        reveal: raw.reveal,
        projector_names: raw.projector_names,
        publicity: publicity(&ctx, raw.publicity.as_ref())?,
        certificate_date: ctx.line(&raw.certificate_date, "certificate_date", 40)?,
        certificate_prefix: match ctx.line(&raw.certificate_prefix, "certificate_prefix", 20)? {
            Some(p) if p.chars().any(char::is_whitespace) => {
                let span = raw.certificate_prefix.as_ref().map(|p| p.span());
                return ctx.err(span, RubricProblem::PrefixSpaces(p));
            }
            other => other,
        },
        organiser: ctx.line(&raw.organiser, "organiser", 60)?,
        discussion: match &raw.discussion {
            None => Discussion::Off,
            Some(d) => Discussion::parse(d.get_ref().trim()).map_or_else(
                || ctx.err(Some(d.span()), RubricProblem::BadDiscussion(d.get_ref().clone())),
                Ok,
            )?,
        },
    })
}

/// The longest publicity text accepted, in characters.
pub const MAX_PUBLICITY_CHARS: usize = 1000;

/// `publicity`: free text, trimmed; refused when empty, longer than [`MAX_PUBLICITY_CHARS`] or
/// holding control characters other than line breaks.
fn publicity(ctx: &Ctx<'_>, raw: Option<&Spanned<String>>) -> Result<Option<String>, RubricError> {
    let Some(raw) = raw else { return Ok(None) };
    let text = raw.get_ref().trim();
    if text.is_empty() {
        return ctx.err(Some(raw.span()), RubricProblem::PublicityEmpty);
    }
    let chars = text.chars().count();
    if chars > MAX_PUBLICITY_CHARS {
        return ctx.err(
            Some(raw.span()),
            RubricProblem::PublicityTooLong {
                chars,
                most: MAX_PUBLICITY_CHARS,
            },
        );
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return ctx.err(Some(raw.span()), RubricProblem::PublicityControl);
    }
    Ok(Some(text.to_string()))
}

fn check_id(ctx: &Ctx<'_>, id: &str, span: std::ops::Range<usize>, what: IdKind) -> Result<(), RubricError> {
    if id.is_empty() {
        return ctx.err(Some(span), RubricProblem::EmptyId(what));
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return ctx.err(
            Some(span),
            RubricProblem::BadId {
                what,
                id: id.to_string(),
            },
        );
    }
    Ok(())
}

/// The rubric templates built into the binary: `(id, file name, TOML source)`.
pub const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "cases",
        "data/rubrics/cases.toml",
        include_str!("../../data/rubrics/cases.toml"),
    ),
    (
        "competition",
        "data/rubrics/competition.toml",
        include_str!("../../data/rubrics/competition.toml"),
    ),
];

/// The TOML source of a built-in template.
pub fn template_source(id: &str) -> Option<(&'static str, &'static str)> {
    TEMPLATES
        .iter()
        .find(|(t, _, _)| *t == id)
        .map(|(_, file, src)| (*file, *src))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn competition() -> Rubric {
        let (file, src) = template_source("competition").unwrap();
        parse_rubric(file, src).unwrap()
    }

    #[test]
    fn templates_are_valid_and_as_specified() {
        let c = competition();
        assert_eq!(c.name, "家庭教育与心理健康教育专业技能大赛");
        assert_eq!(c.kind, Kind::Competition);
        assert_eq!(c.groups, vec!["教师组", "家长组", "社会工作者组"]);
        assert_eq!(c.rounds.len(), 3);
        assert_eq!(c.rounds[0].weight, Ratio::new(2, 5));
        assert_eq!(c.rounds[0].max_total(), Points::from_int(100));
        assert_eq!(c.rounds[1].max_total(), Points::from_int(100));
        assert_eq!(c.rounds[2].max_total(), Points::from_int(100));
        assert_eq!(c.tie_break, vec!["lesson", "analysis"]);
        assert_eq!(c.awards.len(), 3);
        assert_eq!(c.min_judges, 5);
        assert!(
            c.rounds
                .iter()
                .all(|r| r.criteria.iter().all(|k| k.guide.chars().count() > 20))
        );

        let (file, src) = template_source("cases").unwrap();
        let k = parse_rubric(file, src).unwrap();
        assert_eq!(k.kind, Kind::Cases);
        assert_eq!(k.groups, vec!["亲子沟通", "习惯培养", "情感教育", "学习焦虑"]);
        assert_eq!(k.rounds.len(), 1);
        assert_eq!(k.rounds[0].criteria.len(), 5);
        assert_eq!(k.rounds[0].max_total(), Points::from_int(100));
        assert_eq!(k.min_judges, 3);
        assert_eq!(k.min_judges_for_trim, 5);
        assert_eq!(k.required_sections, Section::ALL.to_vec());
        assert!(k.awards.is_empty());
    }

    const MINIMAL: &str = r#"name = "T"
kind = "competition"
groups = ["A"]
step = 0.5

[[round]]
id = "r1"
name = "一"
weight = 0.4

[[round.criterion]]
id = "c"
name = "甲"
max = 10

[[round]]
id = "r2"
name = "二"
weight = 0.6

[[round.criterion]]
id = "c"
name = "乙"
max = 10
"#;

    fn refused(src: &str) -> RubricError {
        parse_rubric("x.toml", src).expect_err("should be refused")
    }

    #[test]
    fn certificate_keys_are_read_and_checked() {
        let r = parse_rubric("x.toml", MINIMAL).unwrap();
        assert_eq!(
            (r.certificate_date, r.certificate_prefix, r.organiser),
            (None, None, None)
        );
        let src = format!(
            "certificate_date = \" 二〇二五年十二月 \"\ncertificate_prefix = \"JTJY2025-\"\norganiser = \"某市教育局\"\n{MINIMAL}"
        );
        let r = parse_rubric("x.toml", &src).unwrap();
        assert_eq!(r.certificate_date.as_deref(), Some("二〇二五年十二月"));
        assert_eq!(r.certificate_prefix.as_deref(), Some("JTJY2025-"));
        assert_eq!(r.organiser.as_deref(), Some("某市教育局"));
        for (line, message) in [
            ("certificate_date = \"  \"", "certificate_date must not be empty"),
            ("organiser = \"甲\\n乙\"", "organiser must be one line"),
            ("certificate_prefix = \"A B\"", "must not contain spaces"),
            (
                "certificate_prefix = \"ABCDEFGHIJKLMNOPQRSTU\"",
                "at most 20 characters, not 21",
            ),
            ("organiser = 3", "invalid type"),
        ] {
            let e = refused(&format!("{line}\n{MINIMAL}"));
            assert!(e.problem.to_string().contains(message), "{line}: {e}");
            assert_eq!(e.line, Some(1), "{line}: {e}");
        }
    }

    #[test]
    fn minimal_rubric_parses() {
        let r = parse_rubric("x.toml", MINIMAL).unwrap();
        assert_eq!(r.rounds[1].weight, Ratio::new(3, 5));
        assert_eq!(r.aggregate, Aggregate::TrimmedMean);
    }

    #[test]
    fn weights_must_sum_to_one() {
        let e = refused(&MINIMAL.replace("weight = 0.6", "weight = 0.5"));
        assert_eq!(e.line, Some(9));
        assert!(e.problem.to_string().contains("add up to 1"), "{e}");
        assert!(e.problem.to_string().contains("0.9"), "{e}");
        assert!(e.to_string().starts_with("x.toml:9:"), "{e}");
    }

    #[test]
    fn duplicate_round_id_names_its_line() {
        let e = refused(&MINIMAL.replace("id = \"r2\"", "id = \"r1\""));
        assert_eq!(e.line, Some(17));
        assert!(e.problem.to_string().contains("duplicate round id \"r1\""), "{e}");
    }

    #[test]
    fn max_must_be_positive() {
        let e = refused(&MINIMAL.replacen("max = 10", "max = 0", 1));
        assert_eq!(e.line, Some(14));
        assert!(e.problem.to_string().contains("more than 0"), "{e}");
    }

    #[test]
    fn unknown_aggregate_is_refused_with_line() {
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\naggregate = \"average\""));
        assert_eq!(e.line, Some(5));
        assert!(e.problem.to_string().contains("trimmed-mean"), "{e}");
    }

    #[test]
    fn tie_break_round_must_exist() {
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\ntie_break = [\"r9\"]"));
        assert_eq!(e.line, Some(5));
        assert!(e.problem.to_string().contains("\"r9\""), "{e}");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let e = refused("name = \"T\"\nkind = competition\n");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn duplicate_criterion_names_in_a_round_are_refused_with_line() {
        let src = MINIMAL.replacen(
            "max = 10\n",
            "max = 10\n\n[[round.criterion]]\nid = \"d\"\nname = \"甲\"\nmax = 10\n",
            1,
        );
        let e = refused(&src);
        assert_eq!(e.line, Some(18), "{e}");
        assert!(
            e.problem
                .to_string()
                .contains("duplicate criterion name \"甲\" in round \"r1\""),
            "{e}"
        );
        // The same name in another round is fine.
        let ok = MINIMAL.replace("name = \"乙\"", "name = \"甲\"");
        assert!(parse_rubric("x.toml", &ok).is_ok());
        // A name that is another criterion's id would send a score given by that key elsewhere.
        let clash = MINIMAL.replacen(
            "max = 10\n",
            "max = 10\n\n[[round.criterion]]\nid = \"d\"\nname = \"c\"\nmax = 10\n",
            1,
        );
        let e = refused(&clash);
        assert!(e.problem.to_string().contains("\"c\""), "{e}");
    }

    #[test]
    fn absurd_numbers_are_refused_with_line() {
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\nmin_judges = 1001"));
        assert_eq!(e.line, Some(5));
        assert!(
            e.problem.to_string().contains("min_judges") && e.problem.to_string().contains("1000"),
            "{e}"
        );
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\ntrim = 101"));
        assert_eq!(e.line, Some(5));
        assert!(
            e.problem.to_string().contains("trim") && e.problem.to_string().contains("100"),
            "{e}"
        );
        // Once computed as 2 * trim + 1 without a bound.
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\ntrim = 9223372036854775807"));
        assert_eq!(e.line, Some(5));
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\nmin_judges_for_trim = 9223372036854775807"));
        assert_eq!(e.line, Some(5));
        assert!(e.problem.to_string().contains("min_judges_for_trim"), "{e}");
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\nmin_section_chars = 9223372036854775807"));
        assert_eq!(e.line, Some(5));
        let e = refused(&MINIMAL.replacen("max = 10", "max = 900000000000000", 1));
        assert_eq!(e.line, Some(14));
        assert!(e.problem.to_string().contains("max"), "{e}");
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\ndeviation = 900000000000000"));
        assert_eq!(e.line, Some(5));
        // Out of TOML's range: refused by the parser with the line, never wrapped.
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\ntrim = 99999999999999999999"));
        assert_eq!(e.line, Some(5));
    }

    #[test]
    fn max_off_step_is_refused() {
        let e = refused(&MINIMAL.replacen("max = 10", "max = 10.25", 1));
        assert!(e.problem.to_string().contains("multiple of step"), "{e}");
    }

    #[test]
    fn reveal_and_projector_names_default_parse_and_refuse_the_unknown() {
        let r = parse_rubric("x.toml", MINIMAL).unwrap();
        assert_eq!((r.reveal, r.projector_names), (RevealMode::AllIn, ProjectorNames::Ids));
        let src = MINIMAL.replace(
            "step = 0.5",
            "step = 0.5\nreveal = \"as-submitted\"\nprojector_names = \"numbered\"",
        );
        let r = parse_rubric("x.toml", &src).unwrap();
        assert_eq!(
            (r.reveal, r.projector_names),
            (RevealMode::AsSubmitted, ProjectorNames::Numbered)
        );
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\nreveal = \"later\""));
        assert_eq!(e.line, Some(5));
        assert!(
            e.problem.to_string().contains("all-in") && e.problem.to_string().contains("as-submitted"),
            "{e}"
        );
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\nprojector_names = \"names\""));
        assert_eq!(e.line, Some(5));
        assert!(e.problem.to_string().contains("numbered"), "{e}");
    }

    #[test]
    fn publicity_is_optional_trimmed_and_checked() {
        let r = parse_rubric("x.toml", MINIMAL).unwrap();
        assert_eq!(r.publicity, None);
        let src = MINIMAL.replace(
            "step = 0.5",
            "step = 0.5\npublicity = \"  公示期为12月1日至7日，如有异议请联系教育局 010-1234  \"",
        );
        let r = parse_rubric("x.toml", &src).unwrap();
        assert_eq!(
            r.publicity.as_deref(),
            Some("公示期为12月1日至7日，如有异议请联系教育局 010-1234")
        );
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\npublicity = \"  \""));
        assert_eq!(e.line, Some(5));
        assert!(e.problem.to_string().contains("publicity must not be empty"), "{e}");
        let long = "公".repeat(MAX_PUBLICITY_CHARS + 1);
        let e = refused(&MINIMAL.replace("step = 0.5", &format!("step = 0.5\npublicity = \"{long}\"")));
        assert!(e.problem.to_string().contains("at most 1000"), "{e}");
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\npublicity = \"a\\u0007b\""));
        assert!(e.problem.to_string().contains("control character"), "{e}");
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\npublicity = 3"));
        assert_eq!(e.line, Some(5));
    }

    #[test]
    fn discussion_defaults_to_off_parses_and_refuses_another_value() {
        let r = parse_rubric("x.toml", MINIMAL).unwrap();
        assert_eq!(r.discussion, Discussion::Off);
        for (text, mode) in [
            ("off", Discussion::Off),
            ("named", Discussion::Named),
            ("anonymous", Discussion::Anonymous),
        ] {
            let src = MINIMAL.replace("step = 0.5", &format!("step = 0.5\ndiscussion = \"{text}\""));
            assert_eq!(parse_rubric("x.toml", &src).unwrap().discussion, mode);
        }
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\ndiscussion = \"open\""));
        assert_eq!(e.line, Some(5));
        assert_eq!(
            e.problem.to_string(),
            "discussion must be \"off\", \"named\" or \"anonymous\", not \"open\""
        );
        let e = refused(&MINIMAL.replace("step = 0.5", "step = 0.5\ndiscussion = true"));
        assert_eq!(e.line, Some(5));
    }
}
