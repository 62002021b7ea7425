//! Pinyin forms of catalog text, computed once per catalog, never per keystroke.
//!
//! With the `pinyin` feature (servers, tools, tests) the `pinyin` crate romanizes hanzi. The
//! browser bundle is built without it, to keep its table (about 87 KB gzip) out of the first
//! download: the catalog it receives already carries each tile's syllables, written by
//! [`syllables`] and checked against it by the catalog data tests.

/// `公积金查询` → full `gongjijinchaxun` (syllable starts 0,4,6,9,12), initials `gjjcx`.
/// Latin letters and digits are one-character "syllables", so `12345热线` gives
/// `12345rexian` / `12345rx`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Romanized {
    pub full: String,
    pub initials: String,
    /// Byte offsets in `full` where a syllable begins: pinyin matches must start on one.
    syllable_starts: Vec<u32>,
}

/// The syllables of `text`, space-separated (`gong ji jin cha xun`), as catalogs carry them.
/// Characters without a reading (punctuation, spaces) are left out.
#[cfg(feature = "pinyin")]
pub fn syllables(text: &str) -> String {
    use pinyin::ToPinyin;
    let mut out: Vec<String> = Vec::new();
    for (ch, py) in text.chars().zip(text.to_pinyin()) {
        if let Some(py) = py {
            out.push(py.plain().replace('ü', "v"));
        } else if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase().to_string());
        }
    }
    out.join(" ")
}

/// Without the pinyin table only Latin letters and digits have a reading.
#[cfg(not(feature = "pinyin"))]
pub fn syllables(text: &str) -> String {
    let letters: Vec<String> = text
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase().to_string())
        .collect();
    letters.join(" ")
}

impl Romanized {
    /// From space-separated syllables, as [`syllables`] writes them.
    pub fn from_syllables(spaced: &str) -> Romanized {
        let mut out = Romanized::default();
        for syllable in spaced.split_whitespace() {
            let syllable = syllable.to_ascii_lowercase();
            let Some(first) = syllable.chars().next() else {
                continue;
            };
            out.syllable_starts.push(out.full.len() as u32);
            out.full.push_str(&syllable);
            out.initials.push(first);
        }
        out
    }

    pub fn of(text: &str) -> Romanized {
        Romanized::from_syllables(&syllables(text))
    }

    /// Byte position in `full` of the first match of `query` that starts on a syllable,
    /// so `jijin` matches 公积金 but `ongji` does not.
    pub fn find_full(&self, query: &str) -> Option<usize> {
        self.full
            .match_indices(query)
            .map(|(pos, _)| pos)
            .find(|pos| self.syllable_starts.binary_search(&(*pos as u32)).is_ok())
    }

    pub fn find_initials(&self, query: &str) -> Option<usize> {
        self.initials.find(query)
    }
}

#[cfg(all(test, feature = "pinyin"))]
mod tests {
    use super::*;

    #[test]
    fn romanizes_hanzi_and_keeps_latin() {
        assert_eq!(syllables("公积金查询"), "gong ji jin cha xun");
        let r = Romanized::of("公积金查询");
        assert_eq!(r.full, "gongjijinchaxun");
        assert_eq!(r.initials, "gjjcx");
        let r = Romanized::of("12345热线");
        assert_eq!(r.full, "12345rexian");
        assert_eq!(r.initials, "12345rx");
        assert_eq!(Romanized::of("绿道").full, "lvdao");
    }

    #[test]
    fn full_pinyin_matches_only_on_syllable_starts() {
        let r = Romanized::of("社保查询");
        assert_eq!(r.find_full("shebao"), Some(0));
        assert_eq!(r.find_full("baocha"), Some(3));
        assert_eq!(r.find_full("hebao"), None);
        assert_eq!(r.find_initials("sb"), Some(0));
    }

    #[test]
    fn stored_syllables_give_the_same_index_as_computing_them() {
        for text in ["公积金查询", "12345热线", "Water bill 水费"] {
            assert_eq!(
                Romanized::from_syllables(&syllables(text)),
                Romanized::of(text)
            );
        }
    }
}
