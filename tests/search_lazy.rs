//! The lazy search (no highlights until asked) finds exactly what the full search finds.

use jury::search::{IncrementalSearch, SearchDoc, SearchIndex};

fn index() -> SearchIndex {
    let docs = [
        [
            "AL0000001",
            "留守儿童亲子沟通的转变之路",
            "",
            "靖安县实验小学",
            "王芳",
            "靖安县",
        ],
        ["AL0000002", "親子溝通指導案例", "", "濂溪区家长学校", "李强", "濂溪区"],
        [
            "AL0000012",
            "初二男孩手机依赖干预案例",
            "",
            "柴桑区第三中学",
            "张伟",
            "柴桑区",
        ],
        [
            "AL0000120",
            "一年级新生习惯培养",
            "",
            "瑞金市第一小学",
            "陈静",
            "瑞金市",
        ],
        [
            "AL0001200",
            "高三女生考试焦虑心理疏导",
            "",
            "行知中学",
            "刘洋",
            "南昌县",
        ],
    ];
    SearchIndex::new(
        docs.iter()
            .map(|d| SearchDoc {
                fields: d.iter().map(|f| f.to_string()).collect(),
            })
            .collect(),
    )
}

#[test]
fn lazy_hits_are_the_full_hits_without_highlights() {
    let index = index();
    for query in ["亲子", "qzgt", "al0001", "a", "沟通 靖安", "xz", "zzz", "行"] {
        let full = index.search(query);
        let lazy = index.search_lazy(query);
        let key = |h: &jury::search::Hit| (h.doc, h.score);
        assert_eq!(
            full.iter().map(key).collect::<Vec<_>>(),
            lazy.iter().map(key).collect::<Vec<_>>(),
            "{query}"
        );
        assert!(lazy.iter().all(|h| h.highlights.is_empty()), "{query}");
        for hit in &full {
            assert_eq!(
                index.highlights_for(hit.doc, query),
                hit.highlights,
                "{query} doc {}",
                hit.doc
            );
        }
        let top: Vec<_> = full.iter().take(2).cloned().collect();
        assert_eq!(index.search_top(query, 2), top, "{query}");
    }
    assert!(!index.search("qzgt").is_empty(), "the pinyin initials find 亲子沟通");
    assert!(index.highlights_for(99, "亲子").is_empty());
}

#[test]
fn incremental_lazy_typing_narrows_to_the_same_hits() {
    let mut full = IncrementalSearch::new(index());
    let mut lazy = IncrementalSearch::new(index());
    for query in ["a", "al", "al0", "al00001", "al000012", "q", "qz", "qzg", "qzgt"] {
        let want: Vec<(usize, i64)> = full.update(query).iter().map(|h| (h.doc, h.score)).collect();
        let got: Vec<(usize, i64)> = lazy.update_lazy(query).iter().map(|h| (h.doc, h.score)).collect();
        assert_eq!(got, want, "{query}");
    }
    // Switching back to the full search on the same query gives highlights again.
    assert!(lazy.update("qzgt").iter().all(|h| !h.highlights.is_empty()));
}
