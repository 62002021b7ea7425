use citizen_core::Lang;
use citizen_core::ids::NeighbourhoodId;
use serde::{Deserialize, Serialize};

/// What the resident chose in 我的 and on the home page; `None` means "as the community set it".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub lang: Option<Lang>,
    pub large_text: Option<bool>,
    pub neighbourhood: Option<NeighbourhoodId>,
}
