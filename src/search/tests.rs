use super::*;

fn doc(fields: &[&str]) -> SearchDoc {
    SearchDoc {
        fields: fields.iter().map(|f| f.to_string()).collect(),
    }
}

fn index(docs: &[&[&str]]) -> SearchIndex {
    SearchIndex::new(docs.iter().map(|d| doc(d)).collect())
}

/// Simplified and traditional text, a heteronym (行), a character past the BMP (𠮷), Latin words
/// and ü (绿): documents whose keys every way of preparing them must agree on.
pub(super) const MIXED_DOCS: [[&str; 3]; 6] = [
    ["AL0001", "亲子沟通的技巧", "濂溪区"],
    ["AL0002", "親子溝通指導", "浔阳区"],
    ["AL0003", "银行里的家长会", "庐山市"],
    ["AL0004", "𠮷祥的习惯培养", "柴桑区"],
    ["AL0005", "Learning Anxiety 学习焦虑", "湖口县"],
    ["AL0006", "绿色出行", "彭泽县"],
];

/// Queries that reach every kind of key in [`MIXED_DOCS`].
pub(super) const MIXED_QUERIES: [&str; 12] = [
    "亲子",
    "qzgt",
    "yh",
    "hang",
    "jixiang",
    "𠮷",
    "lv",
    "xxjl",
    "anxiety",
    "al0003",
    "沟通 濂溪",
    "zzz",
];

fn found(index: &SearchIndex, query: &str) -> Vec<usize> {
    index.search(query).iter().map(|h| h.doc).collect()
}

fn highlights_of(hits: &[Hit], doc: usize) -> Vec<(usize, Vec<usize>)> {
    hits.iter()
        .find(|h| h.doc == doc)
        .map(|h| h.highlights.clone())
        .unwrap_or_default()
}

#[test]
fn pinyin_initials_find_simplified_and_traditional_with_highlights() {
    let idx = index(&[
        &["AL20250001", "亲子沟通的桥", "", "高安市第一小学"],
        &["AL20250002", "親子溝通的橋", "", "靖安縣育才小學"],
        &["AL20250003", "用户外实践唤醒孩子的同理心", "", "明月山区育才小学"],
    ]);
    let hits = idx.search("qzgt");
    assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), vec![0, 1]);
    assert_eq!(hits[0].highlights, vec![(FIELD_TITLE, vec![0, 1, 2, 3])]);
    assert_eq!(hits[1].highlights, vec![(FIELD_TITLE, vec![0, 1, 2, 3])]);
    assert_eq!(hits[0].score, hits[1].score);
}

#[test]
fn pinyin_mixes_full_syllables_prefixes_and_initials_inside_a_title() {
    let idx = index(&[&["A1", "谈谈亲子沟通"], &["A2", "亲切的子女"]]);
    let cases: [(&str, &[usize]); 6] = [
        ("qinzi", &[2, 3]),
        ("qinzgt", &[2, 3, 4, 5]),
        ("qzgoutong", &[2, 3, 4, 5]),
        ("qinzigoutong", &[2, 3, 4, 5]),
        ("qzgou", &[2, 3, 4]),
        ("亲zgt", &[2, 3, 4, 5]),
    ];
    for (query, expected) in cases {
        let hits = idx.search(query);
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), vec![0], "{query}");
        assert_eq!(hits[0].highlights, vec![(FIELD_TITLE, expected.to_vec())], "{query}");
    }
}

#[test]
fn simplified_and_traditional_find_each_other() {
    let idx = index(&[&["B1", "亲子沟通"], &["B2", "親子溝通"], &["B3", "家校合作"]]);
    assert_eq!(found(&idx, "沟通"), vec![0, 1]);
    assert_eq!(found(&idx, "溝通"), vec![0, 1]);
    assert_eq!(highlights_of(&idx.search("溝通"), 1), vec![(FIELD_TITLE, vec![2, 3])]);
    assert_eq!(highlights_of(&idx.search("溝通"), 0), vec![(FIELD_TITLE, vec![2, 3])]);
}

#[test]
fn heteronyms_match_under_every_reading() {
    let idx = index(&[
        &["C1", "农业银行"],
        &["C2", "重庆市"],
        &["C3", "不良行为矫正"],
        &["C4", "轻重缓急"],
    ]);
    assert_eq!(found(&idx, "yh"), vec![0]);
    assert_eq!(found(&idx, "yinhang"), vec![0]);
    assert_eq!(
        highlights_of(&idx.search("yinhang"), 0),
        vec![(FIELD_TITLE, vec![2, 3])]
    );
    assert_eq!(found(&idx, "cq"), vec![1]);
    assert_eq!(found(&idx, "chongqing"), vec![1]);
    assert_eq!(found(&idx, "xw"), vec![2]);
    assert_eq!(found(&idx, "xingwei"), vec![2]);
    // 重 read zhong in 轻重: both readings are kept for every occurrence.
    assert_eq!(found(&idx, "qzhj"), vec![3]);
    assert_eq!(found(&idx, "zq"), vec![1]);
}

#[test]
fn latin_ids_match_by_prefix_whatever_the_case() {
    let idx = index(&[
        &["XY20250001", "家庭会议"],
        &["AL20250001", "亲子共读"],
        &["al20240007", "沟通"],
    ]);
    let hits = idx.search("al2025");
    assert_eq!(hits[0].doc, 1);
    assert_eq!(hits[0].highlights, vec![(FIELD_ID, (0..6).collect())]);
    assert_eq!(idx.search("AL2025")[0], hits[0]);
    assert_eq!(idx.search("ＡＬ２０２５")[0], hits[0]);
    assert_eq!(found(&idx, "al20250001"), vec![1]);
}

#[test]
fn ids_match_where_they_contain_the_typed_text_not_scattered_letters() {
    let idx = index(&[
        &["AL0000012", "家庭会议"],
        &["AL0000120", "亲子共读"],
        &["AL0001200", "沟通"],
    ]);
    let sorted = |query: &str| {
        let mut docs = found(&idx, query);
        docs.sort_unstable();
        docs
    };
    assert_eq!(sorted("00012"), vec![0, 1, 2]);
    assert_eq!(sorted("0000012"), vec![0]);
    assert_eq!(sorted("al0000"), vec![0, 1]);
    assert_eq!(sorted("al00001"), vec![1]);
    // The letters and digits of AL0000012 in order, but apart: no match on an id.
    assert!(idx.search("al12").is_empty());
    assert!(idx.search_lazy("a12").is_empty());
}

#[test]
fn every_word_of_a_query_must_match_some_field() {
    let idx = index(&[
        &["D1", "亲子沟通的桥", "", "高安市第一小学", "", "高安市"],
        &["D2", "亲子共读时光", "", "靖安县育才小学", "", "靖安县"],
        &["D3", "家校合作", "", "高安市第二中学", "", "高安市"],
    ]);
    assert_eq!(found(&idx, "亲子 高安"), vec![0]);
    assert_eq!(found(&idx, "qinzi gaoan"), vec![0]);
    assert_eq!(found(&idx, "高安"), vec![0, 2]);
    assert_eq!(found(&idx, "亲子  "), vec![0, 1]);
    assert_eq!(found(&idx, "亲子 上海"), Vec::<usize>::new());
    let hits = idx.search("亲子 高安");
    assert_eq!(
        hits[0].highlights,
        vec![
            (FIELD_TITLE, vec![0, 1]),
            (FIELD_ORGANIZATION, vec![0, 1]),
            (FIELD_COUNTY, vec![0, 1])
        ]
    );
}

#[test]
fn whole_and_contiguous_matches_rank_above_scattered_ones() {
    let idx = index(&[&["E1", "沟里的通知"], &["E2", "家庭沟通技巧"], &["E3", "沟通"]]);
    assert_eq!(found(&idx, "沟通"), vec![2, 1, 0]);
    let hits = idx.search("沟通");
    assert!(
        hits[0].score > hits[1].score && hits[1].score > hits[2].score,
        "{hits:?}"
    );
    assert_eq!(highlights_of(&hits, 0), vec![(FIELD_TITLE, vec![0, 3])]);
}

#[test]
fn an_id_match_ranks_above_the_same_match_elsewhere() {
    let idx = index(&[&["F1", "js01"], &["js01", "F1"]]);
    assert_eq!(found(&idx, "js01"), vec![1, 0]);
}

#[test]
fn equal_scores_keep_the_original_order() {
    let idx = index(&[&["G3", "家长学校"], &["G1", "家长学校"], &["G2", "家长学校"]]);
    let hits = idx.search("家长");
    assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), vec![0, 1, 2]);
    assert!(hits.iter().all(|h| h.score == hits[0].score));
}

#[test]
fn empty_query_returns_everything_in_order() {
    let idx = index(&[&["H1", "b"], &["H2", "a"], &["H3", "c"]]);
    assert_eq!(idx.len(), 3);
    assert!(!idx.is_empty());
    for query in ["", "   ", "\u{3000}"] {
        let hits = idx.search(query);
        assert_eq!(
            hits,
            (0..3)
                .map(|doc| Hit {
                    doc,
                    score: 0,
                    highlights: Vec::new()
                })
                .collect::<Vec<_>>(),
            "{query:?}"
        );
    }
    assert!(SearchIndex::new(Vec::new()).is_empty());
    assert!(SearchIndex::new(Vec::new()).search("a").is_empty());
}

#[test]
fn search_among_looks_only_at_the_candidates() {
    let idx = index(&[
        &["K1", "亲子沟通"],
        &["K2", "亲子共读"],
        &["K3", "亲子游戏"],
        &["K4", "家校合作"],
    ]);
    assert_eq!(found(&idx, "亲子"), vec![0, 1, 2]);
    let among: Vec<usize> = idx
        .search_among("亲子", &[2, 3, 0, 99, 2])
        .iter()
        .map(|h| h.doc)
        .collect();
    assert_eq!(among, vec![0, 2]);
    let empty: Vec<usize> = idx.search_among("", &[3, 1, 99]).iter().map(|h| h.doc).collect();
    assert_eq!(empty, vec![1, 3]);
}

/// A small deterministic generator, so the test needs no extra crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound
    }
}

#[test]
fn incremental_narrowing_gives_the_same_hits_as_a_fresh_search() {
    let words = [
        "亲子", "沟通", "溝通", "親子", "银行", "重庆", "行为", "家长", "学校", "高安", "靖安", "习惯", "焦虑", "Team",
        "AL", "共读", "游戏", "绿色", "女儿",
    ];
    let mut rng = Lcg(7);
    let docs: Vec<SearchDoc> = (0..400)
        .map(|i| {
            let title: String = (0..1 + rng.next(4)).map(|_| words[rng.next(words.len())]).collect();
            let organization: String = (0..2).map(|_| words[rng.next(words.len())]).collect();
            SearchDoc {
                fields: vec![
                    format!("AL2025{i:04}"),
                    title,
                    String::new(),
                    organization,
                    String::new(),
                    words[rng.next(words.len())].to_string(),
                ],
            }
        })
        .collect();
    let reference = SearchIndex::new(docs.clone());
    let mut incremental = IncrementalSearch::new(SearchIndex::new(docs));
    assert_eq!(incremental.index().len(), 400);
    for query in [
        "qinzigoutong",
        "qzgt gaoan",
        "al20250 3",
        "沟通 重庆",
        "yinhang",
        "lvse nver",
        "xw jz team",
    ] {
        let mut typed = String::new();
        for c in query.chars() {
            typed.push(c);
            let fresh = reference.search(&typed);
            assert_eq!(incremental.update(&typed), fresh.as_slice(), "{typed}");
        }
        // Deleting the last character is not an extension: a fresh search again.
        typed.pop();
        assert_eq!(
            incremental.update(&typed),
            reference.search(&typed).as_slice(),
            "{typed}"
        );
    }
    let first = incremental.update("qz").len();
    assert!(first > 0 && first < 400, "{first}");
}

#[test]
fn entry_doc_uses_the_field_order_of_the_constants() {
    let entry = crate::core::Entry {
        id: "JS001".into(),
        title: "我的故事".into(),
        name: "张三".into(),
        organization: "高安市第一小学".into(),
        submitter: "李四".into(),
        county: "高安市".into(),
        ..Default::default()
    };
    let d = entry_doc(&entry);
    assert_eq!(d.fields[FIELD_ID], "JS001");
    assert_eq!(d.fields[FIELD_TITLE], "我的故事");
    assert_eq!(d.fields[FIELD_NAME], "张三");
    assert_eq!(d.fields[FIELD_ORGANIZATION], "高安市第一小学");
    assert_eq!(d.fields[FIELD_SUBMITTER], "李四");
    assert_eq!(d.fields[FIELD_COUNTY], "高安市");
    let idx = SearchIndex::new(vec![d]);
    assert_eq!(highlights_of(&idx.search("zs"), 0), vec![(FIELD_NAME, vec![0, 1])]);
}

#[test]
fn one_line_keeps_a_field_on_its_line() {
    assert_eq!(one_line("亲子\t沟通\r\n桥"), "亲子 沟通  桥");
    assert_eq!(one_line("AL20250001"), "AL20250001");
}

#[test]
fn an_index_built_in_two_parts_and_appended_is_the_index_built_at_once() {
    let docs = MIXED_DOCS;
    let mut whole = SearchIndexBuilder::default();
    docs.iter().for_each(|d| whole.push(d));
    let whole = whole.finish();
    // The first part sees none of the second part's characters: they must be learned on append.
    let mut first = SearchIndexBuilder::default();
    docs[..2].iter().for_each(|d| first.push(d));
    let mut second = SearchIndexBuilder::default();
    docs[2..].iter().for_each(|d| second.push(d));
    first.append(second);
    let joined = first.finish();
    for query in MIXED_QUERIES {
        assert_eq!(joined.search(query), whole.search(query), "{query}");
    }
    assert_eq!(
        joined.search("yh")[0].doc,
        2,
        "银行 by its initials, learned from the second part"
    );
    assert_eq!(joined.search("lv")[0].doc, 5);
}

/// 160 ids in the fixture's form, every one holding 2025, with titles that hold digits too.
fn numbered() -> SearchIndex {
    let docs: Vec<SearchDoc> = (1..=160)
        .map(|n| {
            doc(&[
                &format!("AL2025{n:04}"),
                &format!("第{}个案例 5 步法", n % 7),
                "",
                "高安市第一小学",
            ])
        })
        .collect();
    SearchIndex::new(docs)
}

fn first_ids(idx: &SearchIndex, query: &str, n: usize) -> Vec<usize> {
    idx.search(query).iter().take(n).map(|h| h.doc + 1).collect()
}

#[test]
fn a_typed_number_puts_the_id_with_that_running_number_first() {
    let idx = numbered();
    for query in ["5", "05", "0005", "５", "０５"] {
        assert_eq!(first_ids(&idx, query, 1), [5], "{query}");
        // Then the other matches as before: in document order, as their scores are equal.
        let hits = idx.search(query);
        let rest: Vec<usize> = hits[1..].iter().map(|h| h.doc + 1).collect();
        let mut sorted = rest.clone();
        sorted.sort_by_key(|d| (Reverse(hits.iter().find(|h| h.doc + 1 == *d).unwrap().score), *d));
        assert_eq!(rest, sorted, "{query}");
        // 105 (and 15, 25, …) are not number 5: only one id is in the number tier.
        assert!(hits[0].score >= TIER_ID_NUMBER, "{query}");
        assert!(hits.get(1).is_none_or(|h| h.score < TIER_ID_NUMBER), "{query}");
    }
    assert_eq!(first_ids(&idx, "15", 1), [15]);
    assert_eq!(first_ids(&idx, "105", 1), [105]);
    assert_eq!(first_ids(&idx, "0160", 1), [160]);
    // Only one id has number 15: the next hit is no longer a number match.
    let hits = idx.search("15");
    assert!(hits[0].score >= TIER_ID_NUMBER && hits[1].score < TIER_ID_NUMBER);
}

#[test]
fn an_id_typed_whole_ranks_first_even_against_a_title_that_holds_it() {
    let idx = index(&[
        &["AL20250001", "AL20250015 的续篇"],
        &["AL20250015", "亲子沟通"],
        &["AL20250150", "al20250015"],
    ]);
    for query in ["AL20250015", "al20250015", "ＡＬ２０２５００１５"] {
        assert_eq!(found(&idx, query)[0], 1, "{query}");
    }
    // Two words are no id: ranked as before.
    let hits = idx.search("al20250015 亲子");
    assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), vec![1]);
    assert!(hits[0].score < TIER_ID_NUMBER);
}

#[test]
fn short_ids_compare_their_whole_number() {
    let idx = index(&[&["PW01", "尹霞"], &["PW05", "徐鹏鹏"], &["PW15", "x"], &["JS105", "y"]]);
    assert_eq!(found(&idx, "5")[0], 1);
    assert_eq!(found(&idx, "05")[0], 1);
    assert_eq!(found(&idx, "1")[0], 0);
}

/// Documents of every kind of key, and more than a few of them: [`MIXED_DOCS`], ids with running
/// numbers, titles mixing Chinese, Latin words, digits, full-width and traditional text, empty
/// fields.
fn varied_docs() -> Vec<Vec<String>> {
    let titles = [
        "亲子沟通的技巧",
        "親子溝通指導",
        "银行里的家长会",
        "𠮷祥的习惯培养",
        "Learning Anxiety 学习焦虑",
        "绿色出行",
        "隔代抚养家庭亲子沟通协同育人案例",
        "小升初学生ＡＩ学习 5 步法",
        "重组家庭的第2次家长会",
        "",
    ];
    let places = [
        "濂溪区家长学校",
        "柴桑区第三中学",
        "广昌縣實驗幼兒園",
        "彭泽县",
        "",
        "Lushan No.1",
    ];
    let mut docs: Vec<Vec<String>> = MIXED_DOCS
        .iter()
        .map(|d| d.iter().map(|f| f.to_string()).collect())
        .collect();
    for n in 1..=240usize {
        docs.push(vec![
            format!("AL2025{n:04}"),
            titles[n % titles.len()].to_string(),
            ["张三", "李四", "王行", ""][n % 4].to_string(),
            places[n % places.len()].to_string(),
            ["刘银", "zhang", ""][n % 3].to_string(),
            places[(n / 3) % places.len()].to_string(),
        ]);
    }
    docs
}

#[test]
fn an_index_for_one_search_finds_what_the_full_index_finds() {
    let docs = varied_docs();
    let mut full = SearchIndexBuilder::default();
    let mut one = SearchIndexBuilder::default();
    for d in &docs {
        full.push(d);
        one.push(d);
    }
    let (full, one) = (full.finish(), one.finish_for_one_search());
    // The index for one search works out no field's keys before a search.
    assert!(one.field_masks.is_empty() && one.start_codes.is_empty() && one.doc_masks.is_empty());
    assert_eq!(one.len(), full.len());
    let queries = MIXED_QUERIES.iter().copied().chain([
        "al",
        "al0001",
        "AL20250012",
        "ＡＬ２０２５",
        "5",
        "0005",
        "2",
        "亲子 qz",
        "qzgt",
        "qinzi",
        "zhidao",
        "xing",
        "hang",
        "lvse",
        "lu",
        "沟通x",
        "学习 anxiety",
        "ai5",
        "jiazhanghui",
        "qz gt",
        "jia zh xx",
        "jzh",
        "no.1",
        "lushan",
        "zhang 亲子",
        "刘银",
        "liuy",
        "家长会 2",
        "d2c",
        "x",
        "  ",
        "",
        "𠮷x",
        "溝通",
    ]);
    for query in queries {
        assert_eq!(one.search(query), full.search(query), "{query}");
        assert_eq!(one.search_lazy(query), full.search_lazy(query), "{query}");
        assert_eq!(one.search_top(query, 5), full.search_top(query, 5), "{query}");
    }
    // A word of letters only needs every field's keys: the full index is made for it.
    let for_query = |q: &str| {
        let mut b = SearchIndexBuilder::default();
        docs.iter().for_each(|d| b.push(d));
        b.finish_for(q)
    };
    for (query, lazy) in [
        ("qzgt", false),
        ("亲子 QZ", false),
        ("亲子", true),
        ("al0001", true),
        ("5", true),
    ] {
        let index = for_query(query);
        assert_eq!(index.lazy, lazy, "{query}");
        assert_eq!(index.search_top(query, 5), full.search_top(query, 5), "{query}");
    }
    // Not vacuous: these queries find something, by pinyin, by id and by characters.
    assert!(!one.search("qzgt").is_empty() && !one.search("al0001").is_empty());
    assert!(!one.search("家长会 2").is_empty() && !one.search("liuy").is_empty());
}
