//! Search ranking on a small hand-made catalog: exact title > title prefix > title substring >
//! full pinyin > pinyin initials > keyword.

use citizen_core::Localized;
use citizen_core::catalog::{
    Catalog, CatalogData, Category, MatchTier, Provider, ServiceIcon, Tile,
};
use proptest::prelude::*;

fn text(zh: &str, en: &str) -> Localized {
    Localized {
        zh: zh.into(),
        en: en.into(),
    }
}

fn tile(id: &str, zh: &str, en: &str, keywords: &[&str], popular: bool) -> Tile {
    Tile {
        id: id.parse_id(),
        title: text(zh, en),
        summary: text("说明", "About"),
        category: "general".parse_id(),
        provider: "city".parse_id(),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        target: serde_json::from_str(r#"{"kind":"tel","number":"12345"}"#).unwrap(),
        popular,
        pinyin: None,
    }
}

trait ParseId {
    fn parse_id<T: TryFrom<String>>(&self) -> T
    where
        T::Error: std::fmt::Debug;
}

impl ParseId for str {
    fn parse_id<T: TryFrom<String>>(&self) -> T
    where
        T::Error: std::fmt::Debug,
    {
        T::try_from(self.to_owned()).unwrap()
    }
}

fn catalog(tiles: Vec<Tile>) -> Catalog {
    Catalog::from_data(CatalogData {
        categories: vec![Category {
            id: "general".parse_id(),
            name: text("综合", "General"),
            icon: ServiceIcon::Landmark,
        }],
        providers: vec![Provider {
            id: "city".parse_id(),
            name: text("市政府", "City"),
        }],
        tiles,
        ..CatalogData::default()
    })
    .unwrap()
}

fn sample() -> Catalog {
    catalog(vec![
        tile(
            "fund-loan",
            "公积金贷款",
            "Housing fund loan",
            &["住房"],
            false,
        ),
        tile("fund", "公积金", "Housing fund", &[], false),
        tile("fund-query", "个人公积金查询", "Fund balance", &[], true),
        tile("social", "社保查询", "Social security", &["养老保险"], true),
        tile("pension", "养老金领取", "Pension", &["社保", "退休"], false),
        tile("water", "水费缴纳", "Water bill", &["自来水"], false),
        tile("hotline", "12345热线", "12345 hotline", &["投诉"], false),
    ])
}

fn ranked(c: &Catalog, q: &str) -> Vec<(String, MatchTier)> {
    c.search_hits(q)
        .into_iter()
        .map(|h| (c.tiles()[h.index].id.to_string(), h.tier))
        .collect()
}

#[test]
fn exact_title_beats_prefix_beats_substring() {
    let r = ranked(&sample(), "公积金");
    assert_eq!(
        r,
        vec![
            ("fund".into(), MatchTier::ExactTitle),
            ("fund-loan".into(), MatchTier::TitlePrefix),
            ("fund-query".into(), MatchTier::TitleSubstring),
        ]
    );
}

#[test]
fn pinyin_initials_find_hanzi_titles() {
    let r = ranked(&sample(), "gjj");
    assert_eq!(r.len(), 3);
    assert!(r.iter().all(|(_, tier)| *tier == MatchTier::PinyinInitials));
    // Same tier and position: the earlier match in the title wins, so 个人公积金查询 comes last.
    assert_eq!(r[2].0, "fund-query");
}

#[test]
fn full_pinyin_beats_initials_and_keywords_come_last() {
    let r = ranked(&sample(), "shebao");
    assert_eq!(r[0], ("social".into(), MatchTier::PinyinFull));
    assert_eq!(r[1], ("pension".into(), MatchTier::Keyword));
    let r = ranked(&sample(), "sb");
    assert_eq!(r[0], ("social".into(), MatchTier::PinyinInitials));
    assert_eq!(r[1], ("pension".into(), MatchTier::Keyword));
}

#[test]
fn english_titles_and_keywords_match_case_insensitively() {
    let r = ranked(&sample(), "WATER");
    assert_eq!(r[0], ("water".into(), MatchTier::TitlePrefix));
    let r = ranked(&sample(), "投诉");
    assert_eq!(r, vec![("hotline".into(), MatchTier::Keyword)]);
}

#[test]
fn full_width_and_spaced_input_is_understood() {
    assert_eq!(ranked(&sample(), "ｇｊｊ").len(), 3);
    assert_eq!(
        ranked(&sample(), " gong ji jin ")[0].1,
        MatchTier::PinyinFull
    );
    assert_eq!(ranked(&sample(), "12345")[0].0, "hotline");
}

#[test]
fn blank_queries_match_nothing() {
    assert!(sample().search_hits("").is_empty());
    assert!(sample().search_hits("   \u{3000} ").is_empty());
}

#[test]
fn pinyin_must_start_on_a_syllable() {
    // "ongji" is inside "gongjijin" but starts mid-syllable: no match.
    assert!(sample().search_hits("ongji").is_empty());
}

fn titles() -> impl Strategy<Value = Vec<(String, String)>> {
    let zh = prop::collection::vec(
        prop::sample::select(vec![
            "公", "积", "金", "社", "保", "查", "询", "医", "水", "电",
        ]),
        1..6,
    )
    .prop_map(|cs| cs.concat());
    prop::collection::vec((zh, "[a-z][a-z ]{0,11}"), 1..25)
}

fn generated(titles: &[(String, String)]) -> Catalog {
    catalog(
        titles
            .iter()
            .enumerate()
            .map(|(i, (zh, en))| tile(&format!("t-{i}"), zh, en, &[], i % 3 == 0))
            .collect(),
    )
}

proptest! {
    #[test]
    fn search_never_panics_on_any_unicode(query in "\\PC{0,24}", raw in "\\PC{0,16}") {
        let c = catalog(vec![tile("any", &format!("服务{raw}"), &format!("Service {raw}"), &[raw.as_str()], false)]);
        let _ = c.search_hits(&query);
        let _ = sample().search_hits(&query);
    }

    #[test]
    fn ranking_is_ordered_complete_and_unique(titles in titles(), pick in 0usize..25, cut in 1usize..4) {
        let c = generated(&titles);
        let (zh, _) = &titles[pick % titles.len()];
        let prefix: String = zh.chars().take(cut).collect();
        for query in [zh.as_str(), prefix.as_str()] {
            let hits = c.search_hits(query);
            // Tiers never go back up the ranking.
            prop_assert!(hits.windows(2).all(|w| w[0].tier <= w[1].tier));
            // No tile twice.
            let mut seen: Vec<usize> = hits.iter().map(|h| h.index).collect();
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), hits.len());
            // Every tile whose title contains the query is found, at a title tier.
            for (i, (title, _)) in titles.iter().enumerate() {
                if title.contains(query) {
                    let hit = hits.iter().find(|h| h.index == i);
                    prop_assert!(hit.is_some_and(|h| h.tier <= MatchTier::TitleSubstring),
                        "{title} contains {query} but was not found as a title match");
                }
            }
        }
        // An exact title comes first.
        let hits = c.search_hits(zh);
        prop_assert_eq!(hits[0].tier, MatchTier::ExactTitle);
        prop_assert_eq!(&c.tiles()[hits[0].index].title.zh, zh);
    }

    #[test]
    fn pinyin_initials_of_a_title_find_it(titles in titles(), pick in 0usize..25) {
        let c = generated(&titles);
        let i = pick % titles.len();
        let initials = citizen_core::catalog::Romanized::of(&titles[i].0).initials;
        prop_assert!(c.search_hits(&initials).iter().any(|h| h.index == i));
    }
}
