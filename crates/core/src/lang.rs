//! The interface languages: Simplified Chinese first, English complete.

use crate::named::Named;

/// Written by its tag (`"zh-CN"`, see [`Named`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

crate::named_serde!(Lang);

impl Named for Lang {
    const WHAT: &'static str = "language";
    const TABLE: &'static [(Lang, &'static str)] = &[(Lang::ZhCn, "zh-CN"), (Lang::En, "en")];
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// Accepts the BCP 47 tags a host is likely to send (`zh`, `zh-CN`, `zh-Hans`, `en`, `en-GB`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary {
            "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        self.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_tags_and_refuses_others() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh_Hans"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }
}
