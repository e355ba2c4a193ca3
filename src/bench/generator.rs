//! The benchmark data generator: N realistic typical cases (Chinese titles, organisations, counties,
//! four sections of a few hundred characters), 7 judges and their scores on the `cases` template's
//! 5 criteria, deterministic from a seed. Written as CSV files and built into a workspace through
//! the normal importers, so a benchmark measures what a real contest would hit.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::app::import::{import_entries_file, import_judges, import_scores};
use crate::core::rubric::template_source;
use crate::error::{Error, Result};
use crate::import::read_table;
use crate::import::table::{SourceKind, Table, TableRow};
use crate::store::Store;

/// The panel every generated contest has.
pub const JUDGES: usize = 7;
/// The PIN of generated judge `i` (1-based): `PW01` has `100001`.
pub fn judge_pin(i: usize) -> String {
    format!("{}", 100_000 + i)
}
/// The id of generated judge `i` (1-based).
pub fn judge_id(i: usize) -> String {
    format!("PW{i:02}")
}
/// The id of generated case `i` (0-based).
pub fn case_id(i: usize) -> String {
    format!("AL{:07}", i + 1)
}

/// A small, fast, deterministic generator (SplitMix64): the same seed gives the same files on
/// every machine, so runs are comparable.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the tiny modulo bias does not matter for test data).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const COUNTIES: &[&str] = &[
    "东湖区",
    "西湖区",
    "青云谱区",
    "青山湖区",
    "新建区",
    "红谷滩区",
    "南昌县",
    "进贤县",
    "安义县",
    "浔阳区",
    "濂溪区",
    "柴桑区",
    "武宁县",
    "修水县",
    "永修县",
    "德安县",
    "都昌县",
    "湖口县",
    "彭泽县",
    "瑞昌市",
    "共青城市",
    "庐山市",
    "渝水区",
    "分宜县",
    "月湖区",
    "余江区",
    "贵溪市",
    "章贡区",
    "南康区",
    "赣县区",
    "信丰县",
    "大余县",
    "上犹县",
    "崇义县",
    "安远县",
    "定南县",
    "全南县",
    "宁都县",
    "于都县",
    "兴国县",
    "会昌县",
    "寻乌县",
    "石城县",
    "瑞金市",
    "龙南市",
    "吉州区",
    "青原区",
    "吉安县",
    "吉水县",
    "峡江县",
    "新干县",
    "永丰县",
    "泰和县",
    "遂川县",
    "万安县",
    "安福县",
    "永新县",
    "井冈山市",
    "袁州区",
    "奉新县",
    "万载县",
    "上高县",
    "宜丰县",
    "靖安县",
    "铜鼓县",
    "丰城市",
    "樟树市",
    "高安市",
    "临川区",
    "东乡区",
    "南城县",
    "黎川县",
    "南丰县",
    "崇仁县",
    "乐安县",
    "宜黄县",
    "金溪县",
    "资溪县",
    "广昌县",
    "信州区",
];

const ORG_KINDS: &[&str] = &[
    "实验小学",
    "第一小学",
    "第二小学",
    "城北小学",
    "育才小学",
    "中心幼儿园",
    "实验幼儿园",
    "第一中学",
    "第二中学",
    "第三中学",
    "实验中学",
    "妇联家庭教育服务站",
    "新时代文明实践站",
    "家长学校",
    "社区家庭教育指导中心",
    "心理健康教育指导中心",
    "青少年宫",
    "关工委",
    "未成年人保护工作站",
    "特殊教育学校",
];

const TITLE_WHO: &[&str] = &[
    "留守儿童",
    "初二男孩",
    "单亲家庭孩子",
    "二孩家庭",
    "隔代抚养家庭",
    "随迁子女",
    "高三女生",
    "一年级新生",
    "青春期少年",
    "沉迷手机的孩子",
    "厌学的初三学生",
    "内向的小学生",
    "多动的幼儿",
    "离异家庭女孩",
    "双职工家庭",
    "农村寄宿生",
    "残疾儿童家庭",
    "流动儿童",
    "小升初学生",
    "重组家庭",
];

const TITLE_TOPIC: &[&str] = &[
    "亲子沟通",
    "习惯培养",
    "情感教育",
    "学习焦虑",
    "手机依赖",
    "自信心建立",
    "同伴交往",
    "情绪管理",
    "时间管理",
    "阅读习惯",
    "劳动教育",
    "生命教育",
    "挫折教育",
    "家校协同",
    "隔代教育",
    "规则意识",
    "感恩教育",
    "心理疏导",
    "睡眠习惯",
    "考试焦虑",
];

const TITLE_END: &[&str] = &[
    "的转变之路",
    "实践探索",
    "个案研究",
    "的故事",
    "干预案例",
    "的成长记录",
    "指导案例",
    "的破冰之旅",
    "家庭教育实践",
    "辅导纪实",
    "的一次尝试",
    "三部曲",
    "改善行动",
    "的温暖陪伴",
    "协同育人案例",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英", "晨", "浩然", "子涵", "欣怡", "梓萱", "思远", "雨桐", "宇航", "婷", "雪", "琳", "峰",
];

const OPENINGS: &[&str] = &[
    "该生就读于本校",
    "这个家庭住在",
    "孩子的父母常年在外务工，",
    "孩子今年十三岁，",
    "母亲是一名个体经营者，",
    "父亲在县城打工，",
    "孩子由祖父母照顾，",
    "班主任在家访中发现，",
    "心理老师在一次团体辅导中注意到，",
    "社区网格员反映，",
];

const SENTENCES: &[&str] = &[
    "孩子平时话不多，课堂上很少主动发言，作业经常拖到深夜才完成。",
    "父母与孩子之间的交流多停留在成绩上，很少倾听孩子的真实想法。",
    "我们先后开展了三次家访，与家长共同梳理了孩子的日常作息和情绪变化。",
    "通过绘画和沙盘游戏，孩子逐渐愿意讲述自己在学校和家里的感受。",
    "学校联合社区开设家长课堂，引导家长学习积极倾听和情绪接纳的方法。",
    "班级建立了互助小组，同伴的陪伴让孩子重新找回了学习的兴趣。",
    "家长制定了家庭公约，约定每天留出二十分钟进行不谈成绩的亲子聊天。",
    "一学期后，孩子的出勤、作业完成率和课堂参与度都有了明显提高。",
    "我们用前后两次问卷对比，孩子的焦虑得分下降，自我评价明显改善。",
    "这一做法在全校推广后，越来越多的家长主动参与到家校共育中来。",
    "孩子在周记里写道，现在回家愿意和妈妈说说学校里发生的事情了。",
    "反思整个过程，我们也发现对父亲的参与关注不够，今后需要加强。",
    "心理老师每周与孩子进行一次个别辅导，帮助其识别和表达情绪。",
    "在老师的鼓励下，孩子报名参加了学校的合唱团，结交了新的朋友。",
    "祖父母的教育观念较为传统，我们通过多次沟通取得了他们的理解和支持。",
    "针对手机使用问题，家长与孩子共同商定了使用时间和奖励办法。",
];

/// How many characters each of the four sections has, about.
const SECTION_CHARS: usize = 300;

/// One generated case.
pub struct Case {
    pub id: String,
    pub title: String,
    pub group: &'static str,
    pub organization: String,
    pub county: &'static str,
    pub submitter: String,
    pub sections: [String; 4],
    /// The case's quality in 0..=100: the judges' scores follow it, with each judge's noise.
    pub quality: u32,
}

const GROUPS: &[&str] = &["亲子沟通", "习惯培养", "情感教育", "学习焦虑"];

fn person(rng: &mut Rng) -> String {
    let mut name = rng.pick(SURNAMES).to_string();
    name.push_str(rng.pick(GIVEN));
    if rng.below(3) == 0 {
        name.push_str(rng.pick(GIVEN));
    }
    name
}

fn section(rng: &mut Rng, out: &mut String) {
    out.clear();
    out.push_str(rng.pick(OPENINGS));
    while out.chars().count() < SECTION_CHARS {
        out.push_str(rng.pick(SENTENCES));
    }
}

/// Case `i` of the contest generated from `seed`: the same (seed, i) always gives the same case.
pub fn case(seed: u64, i: usize) -> Case {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let county = rng.pick(COUNTIES);
    let organization = format!("{county}{}", rng.pick(ORG_KINDS));
    let title = format!(
        "{}{}{}",
        rng.pick(TITLE_WHO),
        rng.pick(TITLE_TOPIC),
        rng.pick(TITLE_END)
    );
    let group = GROUPS[rng.below(GROUPS.len())];
    let submitter = person(&mut rng);
    let mut sections: [String; 4] = Default::default();
    for s in &mut sections {
        section(&mut rng, s);
    }
    Case {
        id: case_id(i),
        title,
        group,
        organization,
        county,
        submitter,
        sections,
        quality: rng.below(101) as u32,
    }
}

/// The `cases` template's criteria: (id, maximum in whole points).
pub const CRITERIA: &[(&str, u32)] = &[
    ("background", 15),
    ("problem", 20),
    ("strategy", 35),
    ("outcome", 20),
    ("value", 10),
];
/// The `cases` template's only round.
pub const ROUND: &str = "review";

/// Judge `j`'s (1-based) score on criterion `c` of case `i`, in half points: from half the maximum
/// to the maximum, following the case's quality, with some noise per judge.
pub fn score_halves(seed: u64, case: &Case, i: usize, j: usize, c: usize) -> u32 {
    let max_halves = CRITERIA[c].1 * 2;
    let mut rng = Rng::new(seed ^ ((i * 64 + j * 8 + c) as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let base = max_halves / 2 + (max_halves / 2) * case.quality / 100;
    let noise = rng.below(7) as i64 - 3;
    (i64::from(base) + noise).clamp(i64::from(max_halves / 2), i64::from(max_halves)) as u32
}

/// A score in half points as text: `17`, `17.5`.
pub fn halves_text(halves: u32, out: &mut String) {
    out.clear();
    let _ = write!(out, "{}", halves / 2);
    if halves % 2 == 1 {
        out.push_str(".5");
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone)]
pub struct Generated {
    pub cases_csv: PathBuf,
    pub judges_csv: PathBuf,
    pub scores_csv: PathBuf,
    /// One line per case: id, title, organisation, county, submitter (tab-separated), for fzf.
    pub titles: PathBuf,
    pub workspace: Option<PathBuf>,
}

pub const CASES_HEADER: [&str; 10] = [
    "id",
    "title",
    "group",
    "organization",
    "county",
    "submitter",
    "background",
    "problem",
    "strategy",
    "outcome",
];

fn csv_writer(path: &Path) -> Result<csv::Writer<std::io::BufWriter<std::fs::File>>> {
    let file = std::fs::File::create(path)
        .map_err(|e| Error::refused(format!("{}: cannot be created: {e}", path.display())))?;
    Ok(csv::Writer::from_writer(std::io::BufWriter::with_capacity(
        1 << 20,
        file,
    )))
}

fn csv_error(e: csv::Error) -> Error {
    Error::refused(format!("cannot write the CSV: {e}"))
}

/// Write `n` cases, the judges and every judge's scores as CSV files in `dir`, and (with
/// `workspace`) build `dir/workspace.jury` from them with the normal importers.
pub fn generate(dir: &Path, n: usize, seed: u64, workspace: bool, progress: &mut dyn FnMut(&str)) -> Result<Generated> {
    std::fs::create_dir_all(dir)?;
    let out = Generated {
        cases_csv: dir.join("cases.csv"),
        judges_csv: dir.join("judges.csv"),
        scores_csv: dir.join("scores.csv"),
        titles: dir.join("titles.txt"),
        workspace: workspace.then(|| dir.join("workspace.jury")),
    };
    let mut judges = csv_writer(&out.judges_csv)?;
    judges
        .write_record(["id", "name", "organization", "county", "pin"])
        .map_err(csv_error)?;
    let mut rng = Rng::new(seed ^ 0x5EED);
    for j in 1..=JUDGES {
        // The judges come from the province's offices, never from a case's organisation, so no
        // conflict of interest keeps a score out.
        let name = person(&mut rng);
        judges
            .write_record([
                judge_id(j).as_str(),
                &name,
                &format!("省家庭教育研究会第{j}评审室"),
                "省直",
                &judge_pin(j),
            ])
            .map_err(csv_error)?;
    }
    judges.flush()?;

    let mut cases = csv_writer(&out.cases_csv)?;
    cases.write_record(CASES_HEADER).map_err(csv_error)?;
    let mut scores = csv_writer(&out.scores_csv)?;
    scores
        .write_record(["judge", "entry", "round", "criterion", "score"])
        .map_err(csv_error)?;
    let mut titles = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&out.titles)?);
    let judge_ids: Vec<String> = (1..=JUDGES).map(judge_id).collect();
    let mut value = String::new();
    for i in 0..n {
        let c = case(seed, i);
        cases
            .write_record([
                c.id.as_str(),
                &c.title,
                c.group,
                &c.organization,
                c.county,
                &c.submitter,
                &c.sections[0],
                &c.sections[1],
                &c.sections[2],
                &c.sections[3],
            ])
            .map_err(csv_error)?;
        writeln!(
            titles,
            "{}\t{}\t{}\t{}\t{}",
            c.id, c.title, c.organization, c.county, c.submitter
        )?;
        for (j, judge) in judge_ids.iter().enumerate() {
            for (k, (criterion, _)) in CRITERIA.iter().enumerate() {
                halves_text(score_halves(seed, &c, i, j + 1, k), &mut value);
                scores
                    .write_record([judge.as_str(), c.id.as_str(), ROUND, criterion, value.as_str()])
                    .map_err(csv_error)?;
            }
        }
        if (i + 1) % 100_000 == 0 {
            progress(&format!("{} cases written", i + 1));
        }
    }
    cases.flush()?;
    scores.flush()?;
    titles.flush()?;
    if let Some(path) = &out.workspace {
        build_workspace(path, &out, n, seed, progress)?;
    }
    Ok(out)
}

/// Cases per import when the CSV is over the importers' file limit (1M cases): the same rows,
/// checked by the same importer, read from memory in parts.
const PART: usize = 50_000;

fn build_workspace(path: &Path, files: &Generated, n: usize, seed: u64, progress: &mut dyn FnMut(&str)) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    let store = Store::create(path)?;
    let (file, source) =
        template_source("cases").ok_or_else(|| Error::refused("the cases template is missing".to_string()))?;
    store.init(file, source, Some(&format!("基准测试 {n} 个案例")))?;
    import_judges(&store, &read_table(&files.judges_csv, None)?)?;
    progress("judges imported");
    // Streamed from the file, as `jury import entries` reads it, whatever its size.
    import_entries_file(&store, &crate::store::Actor::Cli, &files.cases_csv, None, false)?;
    progress("cases imported");
    // Scores always go in parts: a whole 100k file is 3.5M rows, several GB as a table of cells.
    let part = PART.min(n.max(1));
    for start in (0..n).step_by(part) {
        let end = (start + part).min(n);
        import_scores(&store, &scores_table(seed, start..end))?;
        progress(&format!("scores of {end} cases imported"));
    }
    Ok(())
}

/// Cases `range` as the importer's table (what reading their rows of cases.csv gives).
pub fn cases_table(seed: u64, range: std::ops::Range<usize>) -> Table {
    let rows = range
        .clone()
        .enumerate()
        .map(|(k, i)| {
            let c = case(seed, i);
            let [b, p, s, o] = c.sections;
            TableRow {
                number: k + 2,
                cells: vec![
                    c.id,
                    c.title,
                    c.group.to_string(),
                    c.organization,
                    c.county.to_string(),
                    c.submitter,
                    b,
                    p,
                    s,
                    o,
                ],
            }
        })
        .collect();
    Table {
        file: format!("cases {}..{}", range.start + 1, range.end),
        kind: SourceKind::Csv,
        headers: CASES_HEADER.iter().map(|h| h.to_string()).collect(),
        rows,
        info: Default::default(),
    }
}

/// The scores of cases `range` as the importer's table.
pub fn scores_table(seed: u64, range: std::ops::Range<usize>) -> Table {
    let mut rows = Vec::with_capacity(range.len() * JUDGES * CRITERIA.len());
    let judge_ids: Vec<String> = (1..=JUDGES).map(judge_id).collect();
    let mut value = String::new();
    for i in range.clone() {
        let c = case(seed, i);
        for (j, judge) in judge_ids.iter().enumerate() {
            for (k, (criterion, _)) in CRITERIA.iter().enumerate() {
                halves_text(score_halves(seed, &c, i, j + 1, k), &mut value);
                rows.push(TableRow {
                    number: rows.len() + 2,
                    cells: vec![
                        judge.clone(),
                        c.id.clone(),
                        ROUND.to_string(),
                        criterion.to_string(),
                        value.clone(),
                    ],
                });
            }
        }
    }
    Table {
        file: format!("scores of cases {}..{}", range.start + 1, range.end),
        kind: SourceKind::Csv,
        headers: ["judge", "entry", "round", "criterion", "score"]
            .iter()
            .map(|h| h.to_string())
            .collect(),
        rows,
        info: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_deterministic_and_realistic() {
        let a = case(7, 12);
        let b = case(7, 12);
        assert_eq!((a.title.clone(), a.organization.clone()), (b.title, b.organization));
        assert_eq!(a.id, "AL0000013");
        assert!(a.organization.starts_with(a.county), "{}", a.organization);
        for s in &a.sections {
            let n = s.chars().count();
            assert!((SECTION_CHARS..SECTION_CHARS + 60).contains(&n), "{n}");
        }
        assert_ne!(case(7, 13).sections, a.sections);
    }

    #[test]
    fn scores_stay_on_the_step_within_the_maximum() {
        for i in 0..50 {
            let c = case(1, i);
            for j in 1..=JUDGES {
                for (k, (_, max)) in CRITERIA.iter().enumerate() {
                    let h = score_halves(1, &c, i, j, k);
                    assert!(h >= *max && h <= max * 2, "{h} of {max}");
                }
            }
        }
        let mut s = String::new();
        halves_text(35, &mut s);
        assert_eq!(s, "17.5");
        halves_text(34, &mut s);
        assert_eq!(s, "17");
    }

    #[test]
    fn generates_files_and_a_workspace_that_tallies() {
        let dir = tempfile::tempdir().unwrap();
        let g = generate(dir.path(), 30, 3, true, &mut |_| {}).unwrap();
        let cases = std::fs::read_to_string(&g.cases_csv).unwrap();
        assert_eq!(cases.lines().filter(|l| l.starts_with("AL")).count(), 30);
        let scores = std::fs::read_to_string(&g.scores_csv).unwrap();
        assert_eq!(scores.lines().count(), 1 + 30 * JUDGES * CRITERIA.len());
        let store = Store::open(g.workspace.as_ref().unwrap()).unwrap();
        assert_eq!(store.entry_count().unwrap(), 30);
        let t = crate::app::tally::compute_tally(&store, None).unwrap();
        let ranked: usize = t.groups.iter().map(|g| g.ranked().count()).sum();
        assert_eq!(ranked, 30);
        assert!(store.verify_pin("PW03", &judge_pin(3)).unwrap());
    }
}
