//! Catalog search. Ranking, best first: exact title > title prefix > title substring (hanzi or
//! English) > full pinyin > pinyin initials > keyword. Ties go to the earlier match, then to
//! popular tiles, then to shorter titles, then to catalog order.
//!
//! Everything that does not depend on the query (lowercasing, pinyin, a character mask) is
//! computed once in [`SearchIndex::build`]; a keystroke costs one mask test per tile and string
//! scans only on the few tiles whose mask admits the query.

use super::model::Tile;
use super::romanize::Romanized;
use crate::order::sorted_indices;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchTier {
    ExactTitle,
    TitlePrefix,
    TitleSubstring,
    PinyinFull,
    PinyinInitials,
    Keyword,
}

/// One search result: the tile's index in the catalog and how it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub tier: MatchTier,
    pub position: usize,
}

#[derive(Debug, Clone)]
struct Entry {
    titles: [String; 2],
    title_pinyin: Romanized,
    keywords: Vec<String>,
    keyword_pinyin: Vec<Romanized>,
    popular: bool,
    title_len: usize,
    mask: u64,
}

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

/// Lowercases ASCII, turns full-width ASCII (what a Chinese IME may type) into half-width, and
/// folds runs of white space into one space. Only ASCII is case-folded: the catalog is Chinese and
/// English, and Unicode case tables would add about 11 KB to the browser bundle.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        let ch = match ch as u32 {
            0xFF01..=0xFF5E => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            0x3000 => ' ',
            _ => ch,
        };
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

fn char_bit(ch: char) -> u64 {
    let bit = match ch {
        'a'..='z' => ch as u32 - 'a' as u32,
        '0'..='9' => 26 + (ch as u32 - '0' as u32),
        _ => 36 + (ch as u32 % 28),
    };
    1 << bit
}

fn mask_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> u64 {
    texts
        .into_iter()
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .fold(0, |mask, c| mask | char_bit(c))
}

struct Query {
    text: String,
    /// Without spaces and apostrophes (`xi'an`, `gong ji jin`), for pinyin.
    compact: String,
    latin: bool,
    mask: u64,
}

impl Query {
    fn new(raw: &str) -> Option<Query> {
        let text = normalize(raw);
        let compact: String = text.chars().filter(|c| *c != ' ' && *c != '\'').collect();
        if compact.is_empty() {
            return None;
        }
        let latin = compact.bytes().all(|b| b.is_ascii_alphanumeric());
        let mask = mask_of([compact.as_str()]);
        Some(Query {
            text,
            compact,
            latin,
            mask,
        })
    }
}

impl Entry {
    fn new(tile: &Tile) -> Entry {
        let titles = [normalize(&tile.title.zh), normalize(&tile.title.en)];
        let keywords: Vec<String> = tile.keywords.iter().map(|k| normalize(k)).collect();
        let syllables = tile.syllables();
        let title_pinyin = Romanized::from_syllables(&syllables.title);
        let keyword_pinyin: Vec<Romanized> = syllables
            .keywords
            .iter()
            .map(|k| Romanized::from_syllables(k))
            .collect();
        let mask = mask_of(
            titles
                .iter()
                .chain(&keywords)
                .map(String::as_str)
                .chain([title_pinyin.full.as_str(), title_pinyin.initials.as_str()])
                .chain(
                    keyword_pinyin
                        .iter()
                        .flat_map(|r| [r.full.as_str(), r.initials.as_str()]),
                ),
        );
        Entry {
            title_len: tile.title.zh.chars().count(),
            titles,
            title_pinyin,
            keywords,
            keyword_pinyin,
            popular: tile.popular,
            mask,
        }
    }

    fn best_match(&self, q: &Query) -> Option<(MatchTier, usize)> {
        let title_match = self
            .titles
            .iter()
            .filter_map(|title| {
                if *title == q.text {
                    Some((MatchTier::ExactTitle, 0))
                } else if title.starts_with(&q.text) {
                    Some((MatchTier::TitlePrefix, 0))
                } else {
                    title.find(&q.text).map(|p| (MatchTier::TitleSubstring, p))
                }
            })
            .min();
        if title_match.is_some() {
            return title_match;
        }
        if q.latin {
            if let Some(p) = self.title_pinyin.find_full(&q.compact) {
                return Some((MatchTier::PinyinFull, p));
            }
            if let Some(p) = self.title_pinyin.find_initials(&q.compact) {
                return Some((MatchTier::PinyinInitials, p));
            }
        }
        let keyword_hit = self
            .keywords
            .iter()
            .zip(&self.keyword_pinyin)
            .any(|(k, r)| {
                k.contains(&q.text)
                    || (q.latin
                        && (r.find_full(&q.compact).is_some()
                            || r.find_initials(&q.compact).is_some()))
            });
        keyword_hit.then_some((MatchTier::Keyword, 0))
    }
}

impl SearchIndex {
    pub fn build(tiles: &[Tile]) -> SearchIndex {
        SearchIndex {
            entries: tiles.iter().map(Entry::new).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All matching tiles, best first. An empty or blank query matches nothing.
    pub fn search(&self, raw_query: &str) -> Vec<Hit> {
        self.search_with(raw_query, true)
    }

    fn search_with(&self, raw_query: &str, use_mask: bool) -> Vec<Hit> {
        let Some(q) = Query::new(raw_query) else {
            return Vec::new();
        };
        let hits: Vec<Hit> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !use_mask || e.mask & q.mask == q.mask)
            .filter_map(|(index, e)| {
                e.best_match(&q).map(|(tier, position)| Hit {
                    index,
                    tier,
                    position,
                })
            })
            .collect();
        // Hits come in catalog order, which breaks the remaining ties.
        let key = |h: &Hit| {
            let e = &self.entries[h.index];
            (h.tier, h.position, !e.popular, e.title_len)
        };
        sorted_indices(hits.len(), &mut |a, b| key(&hits[a]).cmp(&key(&hits[b])))
            .into_iter()
            .map(|i| hits[i])
            .collect()
    }

    /// The same search without the mask prefilter: the reference the tests hold the fast path to.
    #[cfg(test)]
    pub(crate) fn search_unfiltered(&self, raw_query: &str) -> Vec<Hit> {
        self.search_with(raw_query, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Localized;
    use proptest::prelude::*;

    fn tiles(titles: &[(String, String)]) -> Vec<Tile> {
        titles
            .iter()
            .enumerate()
            .map(|(i, (zh, kw))| Tile {
                id: crate::ids::TileId::parse(&format!("t-{i}")).unwrap(),
                title: Localized::same(zh.clone()),
                summary: Localized::same("s"),
                category: crate::ids::CategoryId::parse("cat").unwrap(),
                provider: crate::ids::ProviderId::parse("prov").unwrap(),
                keywords: vec![kw.clone()],
                target: serde_json::from_str(r#"{"kind":"tel","number":"12345"}"#).unwrap(),
                popular: false,
                pinyin: None,
            })
            .collect()
    }

    proptest! {
        /// The character-mask prefilter only skips tiles that could not match.
        #[test]
        fn prefilter_loses_nothing(
            titles in prop::collection::vec(("[公积金社保a-z0-9 ]{1,8}", "[医保水电a-z ]{0,6}"), 1..20),
            query in "[公积金社保医a-z0-9 ']{0,6}",
        ) {
            let index = SearchIndex::build(&tiles(&titles));
            prop_assert_eq!(index.search(&query), index.search_unfiltered(&query));
        }
    }
}
