//! Runtime configuration: `config.json` next to the bundle, then the resident's saved
//! preferences, then URL query overrides (the host page's word is last).

mod load;
mod preferences;

pub use load::{ConfigLoadError, finish_config, load_config, query_pairs};
pub use preferences::Preferences;
