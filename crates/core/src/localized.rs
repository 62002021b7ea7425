//! Text that exists in every interface language (catalog titles, community names).

use crate::Lang;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Localized {
    pub zh: String,
    pub en: String,
}

impl Localized {
    /// The same words for both languages (e.g. a community name given as one string).
    pub fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Localized {
            zh: text.clone(),
            en: text,
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }

    pub fn is_complete(&self) -> bool {
        !self.zh.trim().is_empty() && !self.en.trim().is_empty()
    }
}
